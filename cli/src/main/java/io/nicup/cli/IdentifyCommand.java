package io.nicup.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "identify",
        header = "Blink the port LED so the port can be found (like ethtool -p).",
        description = {
            "Initializes the adapter and blinks the port LED through LEDCTL the way the Linux driver does:",
            "82574L sets the LED's blink bit and the hardware blinks it; 82576 switches it between blinking",
            "and off 4 times a second. Stops after --seconds, or at Ctrl-C (exit 130) when --seconds is 0 (the",
            "default, as ethtool -p), then writes back the LEDCTL value it found, also after an error, and",
            "halts and unloads. On a simulated NIC the time is virtual and the line after the summary says how",
            "often each simulated LED went on or off. A device without a port LED (virtio-net) exits 4."},
        footerHeading = "%nExamples:%n",
        footer = {"  nicup identify 0000:01:00.0 --seconds 10", "  nicup identify mock:82576 --seconds 2"})
final class IdentifyCommand implements Callable<Integer> {

    @Mixin
    DeviceOptions dev;

    @Option(names = "--seconds", paramLabel = "N", defaultValue = "0",
            description = "Blink for N seconds (0..86400; default ${DEFAULT-VALUE}: until Ctrl-C).")
    int seconds;

    @Override
    public Integer call() {
        Traffic.bounded("--seconds", seconds, 0, 86_400);
        try (StopSignal stop = StopSignal.install()) {
            Session s = dev.open();
            s.stopWhen(stop::requested);
            IdentifyRun.Report report = s.run(x -> new IdentifyRun(x, dev.output, stop).blink(seconds));
            dev.output.print(report);
            CliException failure = report.restored() ? null : new CliException(ExitCode.HARDWARE,
                    "LED configuration not restored: before=" + report.before() + " after=" + report.after(),
                    "the device ignores LEDCTL writes: reset it (nicup unbind --restore, then nicup bind)");
            return s.finish(failure, report.interrupted());
        }
    }
}

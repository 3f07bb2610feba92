package io.nicup.cli;

import io.nicup.vfio.PciAddress;
import io.nicup.vfio.linux.DeviceBinder;
import io.nicup.vfio.linux.GroupOwnership;
import io.nicup.vfio.linux.LinuxHost;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "unbind",
        header = "Take PCI functions away from vfio-pci, optionally giving back their original driver.",
        description = {
            "Clears driver_override and unbinds from vfio-pci. With --restore, binds the driver recorded by",
            "`nicup bind` (or re-probes, which lets the kernel choose, when none was recorded), and gives",
            "/dev/vfio/N back to its previous owner when `nicup bind --user` handed it over."},
        footerHeading = "%nExamples:%n",
        footer = {"  nicup unbind --restore 0000:01:00.0"})
final class UnbindCommand implements Callable<Integer> {

    @Mixin
    Output output;

    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help message and exit.")
    boolean help;

    @Parameters(arity = "1..*", paramLabel = "BDF", description = "PCI address, e.g. 0000:01:00.0.")
    List<String> addresses;

    @Option(names = "--restore", description = "Give the device back to the driver it had before `nicup bind`.")
    boolean restore;

    @Option(names = "--timeout", paramLabel = "SECONDS", defaultValue = "10", showDefaultValue =
            picocli.CommandLine.Help.Visibility.ALWAYS, description = "How long to wait for the driver to take it.")
    int timeoutSeconds;

    @Override
    public Integer call() {
        List<PciAddress> parsed = addresses.stream().map(PciAddress::parse).toList();
        if (timeoutSeconds < 1 || timeoutSeconds > 600) {
            throw new CliException(ExitCode.USAGE, "--timeout out of range: seconds=" + timeoutSeconds,
                    "give 1 to 600 seconds");
        }
        LinuxHost host = output.environment().host().get();
        DeviceBinder binder = new DeviceBinder(host);
        List<Map<String, Object>> results = new ArrayList<>();
        GroupOwnership ownership = new GroupOwnership(host);
        for (PciAddress a : parsed) {
            java.util.OptionalInt group = host.sysfs().function(a).map(f -> f.iommuGroup()).orElse(java.util.OptionalInt.empty());
            if (restore && group.isPresent()) {
                ownership.restore(group.getAsInt()).ifPresent(was -> {
                    if (!output.json() && !output.quiet()) {
                        output.out().println(a + ": " + host.groupPath(group.getAsInt()) + " given back (was handed to "
                                + was + ")");
                    }
                });
            }
            DeviceBinder.UnbindResult r = binder.unbind(a, restore, Duration.ofSeconds(timeoutSeconds));
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("bdf", a.toString());
            m.put("was_on_vfio", r.wasOnVfio());
            m.put("driver_now", r.driverNow().orElse(null));
            results.add(m);
            if (!output.json() && !output.quiet()) {
                output.out().println(a + ": " + (r.wasOnVfio() ? "released from vfio-pci" : "was not on vfio-pci")
                        + ", driver now " + r.driverNow().orElse("none"));
            }
        }
        StateTable.print(output, host, parsed, results);
        return ExitCode.OK.code();
    }
}

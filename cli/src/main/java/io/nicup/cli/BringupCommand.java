package io.nicup.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "bringup",
        header = "Run the whole NDIS bring-up sequence on a device and verify it.",
        description = {
            "DriverEntry (NdisMRegisterMiniportDriver, MiniportSetOptions), MiniportInitializeEx, the packet",
            "filter OID, MiniportRestart (Running, link up), then MiniportPause, MiniportHaltEx,",
            "MiniportDriverUnload (NdisMDeregisterMiniportDriver). Prints each top-level step with its",
            "duration and status from the NDIS trace, the attributes the miniport reported (MAC, link state,",
            "speed, MTU) and the verifier's verdict. With --hold the adapter stays Running until Ctrl-C, then",
            "is paused, halted and unloaded (exit 130). With --cycles N it soaks instead: N bring-ups and",
            "halts of the same adapter in this process, one line per cycle with the open file descriptors",
            "and the locked memory (VmLck, the pinned DMA pages) while up and after; exit 9 when either",
            "grows or a cycle's shared memory is not mapped at the first cycle's IOVAs (descriptors from cycle",
            "3 on, after the JVM's warm-up; 3 cycles or fewer check the locked memory against its value before",
            "cycle 1 and say the descriptors were not checked). With --pause-after CALL the sequence stops",
            "when CALL returns (Enter goes on, Ctrl-C tears down), to look at a half-initialized device from",
            "outside. Exit 4: no driver for the device; 8: initialization or restart failed (with the reason);",
            "9: the NDIS verifier recorded a violation."},
        footerHeading = "%nExamples:%n",
        footer = {"  nicup bringup 0000:01:00.0", "  nicup bringup 0000:01:00.0 --params e82574.params --trace bringup.jsonl",
            "  nicup bringup mock:82574L --hold", "  nicup bringup 0000:01:00.0 --cycles 100",
            "  nicup bringup 0000:01:00.0 --pause-after NdisMRegisterInterruptEx", "  nicup --json bringup mock:82574L?fault=reset-stuck"})
final class BringupCommand implements Callable<Integer> {

    @Mixin
    DeviceOptions dev;

    @Option(names = "--hold", description = "Stay Running until Ctrl-C, then tear down in order (exit 130).")
    boolean hold;

    @Option(names = "--cycles", paramLabel = "N",
            description = "Soak: bring up and halt N times in this process (1..10000), checking fds and DMA pins do not grow.")
    Integer cycles;

    @Option(names = "--pause-after", paramLabel = "CALL",
            description = "Stop when CALL (a DDI name as in the trace) first returns; Enter goes on, Ctrl-C tears down.")
    String pauseAfter;

    @Override
    public Integer call() {
        if (cycles != null) {
            Traffic.bounded("--cycles", cycles, 1, 10_000);
            if (hold || dev.trace.file != null || pauseAfter != null) {
                throw new CliException(ExitCode.USAGE, "--cycles cannot be combined with --hold, --trace or --pause-after",
                        "run the soak on its own");
            }
            try (StopSignal stop = StopSignal.install(); RunBinding binding = dev.bindOption.take(dev.output, dev.device)) {
                return new BringupCycles(dev.output, dev.device, dev.params, stop).run(cycles);   // one binding for the soak
            }
        }
        dev.trace.check(dev.params);   // before --pause-after reads anything
        if (pauseAfter == null) {
            return bringup(null, null);
        }
        try (StopSignal stop = StopSignal.install()) {
            PausePoint pause = PausePoint.parse(pauseAfter, dev.output, stop::requested, System.in);
            return bringup(pause, stop);
        }
    }

    /** The report and the failure to raise once it is printed (null when the run succeeded). */
    private record Ran(BringupReport report, CliException failure) {
    }

    /** The sequence; {@code pause} and {@code stop} are both null, or both set for --pause-after. */
    private int bringup(PausePoint pause, StopSignal stop) {
        Session s = dev.open();
        Ran ran = s.run(x -> sequence(x, pause, stop));
        if (ran == null) {
            return ExitCode.INTERRUPTED.code();              // --hold: the teardown hook printed and exits
        }
        dev.output.print(ran.report());
        return s.finish(ran.failure(), false);
    }

    private Ran sequence(Session s, PausePoint pause, StopSignal stop) {
        CliException failure = null;
        boolean interrupted = false;
        BringupReport.Attributes attributes = null;
        try {
            if (pause != null) {
                pause.arm(s.host.trace());
            }
            interrupted = stopped(stop);
            if (!interrupted) {
                s.initialize();
                interrupted = stopped(stop);
            }
            if (!interrupted) {
                s.restart(Session.DEFAULT_FILTER);
                interrupted = stopped(stop);
            }
            if (!interrupted) {
                s.awaitLink(Duration.ofSeconds(s.isMock() ? 2 : 10));
                attributes = BringupReport.Attributes.of(s);
                if (hold) {
                    if (stop != null) {
                        stop.close();                        // the hold's own hook tears down from here on
                    }
                    holdUntilInterrupted(s, attributes);
                    return null;
                }
            }
            s.teardown();
        } catch (CliException e) {
            failure = e;
            s.teardown();
        }
        if (pause != null && !pause.hit()) {
            dev.output.err().println("nicup: warning: --pause-after " + pause.call()
                    + ": the sequence never made that call, so it did not stop");
            dev.output.err().flush();
        }
        BringupReport.Verdict verdict = BringupReport.Verdict.of(s.host.verifier().verdict());
        List<BringupReport.Step> steps = BringupReport.steps(s.host.trace());
        if (failure == null && !verdict.passed()) {
            failure = new CliException(ExitCode.SELFTEST_FAILED, "NDIS verifier: " + verdict.violations().size()
                    + " violation(s): " + verdict.violations().getFirst(),
                    "see the trace (--trace FILE) and the rule in ndis-model's Rule");
        }
        if (interrupted && failure == null) {
            failure = StopSignal.interrupted();
        }
        String outcome = failure == null ? "ok" : interrupted ? "interrupted" : "FAILED";
        return new Ran(new BringupReport(dev.device, s.loaded.name(), attributes, steps, verdict,
                failure == null ? "ok" : failure.getMessage(), outcome, hold, dev.trace.file), failure);
    }

    /** A SIGINT/SIGTERM arrived during a pause: the step's caller finished, the rest is skipped. */
    private static boolean stopped(StopSignal stop) {
        return stop != null && stop.requested();
    }

    private void holdUntilInterrupted(Session s, BringupReport.Attributes attributes) {
        Output output = dev.output;
        Thread main = Thread.currentThread();
        Thread hook = new Thread(() -> {
            synchronized (s) {
                s.teardown();
                output.print(new BringupReport(dev.device, s.loaded.name(), attributes, BringupReport.steps(s.host.trace()),
                        BringupReport.Verdict.of(s.host.verifier().verdict()), "interrupted: teardown completed", "ok",
                        true, dev.trace.file));
                s.close();
            }
            output.err().println("nicup: interrupted: teardown completed");
            output.err().flush();
            Runtime.getRuntime().halt(ExitCode.INTERRUPTED.code());
        }, "nicup-teardown");
        Runtime.getRuntime().addShutdownHook(hook);
        if (!output.json()) {                                // only now does Ctrl-C do what the line says
            output.out().println(attributes.line());
            output.out().println("Running: press Ctrl-C to pause, halt and unload");
            output.out().flush();
        }
        while (!main.isInterrupted()) {
            synchronized (s) {
                if (s.isMock()) {
                    s.host.idle(Duration.ofMillis(100));   // virtual time: timers and CheckForHang run
                }
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                break;
            }
        }
    }
}

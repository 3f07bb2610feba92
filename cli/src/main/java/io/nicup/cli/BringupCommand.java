package io.nicup.cli;

import io.nicup.ndis.NdisStatus;
import io.nicup.ndis.adapter.MiniportAdapterAttributes;
import io.nicup.ndis.oid.MediaConnectState;
import io.nicup.ndis.oid.NdisLinkState;
import io.nicup.ndis.trace.NdisTrace;
import io.nicup.ndis.trace.Verifier;
import io.nicup.ndis.trace.Violation;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
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
            "grows or a cycle's shared memory is not mapped at the first cycle's IOVAs. With --pause-after",
            "CALL the sequence stops when CALL returns (Enter goes on, Ctrl-C tears down), to look at a",
            "half-initialized device from outside. Exit 4: no driver for the device; 8: initialization or",
            "restart failed (with the reason); 9: the NDIS verifier recorded a violation."},
        footerHeading = "%nExamples:%n",
        footer = {"  nicup bringup 0000:01:00.0", "  nicup bringup 0000:01:00.0 --params e82574.params --trace bringup.jsonl",
            "  nicup bringup mock:82574L --hold", "  nicup bringup 0000:01:00.0 --cycles 100",
            "  nicup bringup 0000:01:00.0 --pause-after NdisMRegisterInterruptEx", "  nicup --json bringup mock:82574L?fault=reset-stuck"})
final class BringupCommand implements Callable<Integer> {

    @Mixin
    Output output;

    @Mixin
    BindOption bindOption;

    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help message and exit.")
    boolean help;

    @Parameters(paramLabel = "DEVICE", description = "PCI address on vfio-pci, or mock:MODEL.")
    String device;

    @Option(names = "--params", paramLabel = "FILE", description = "Parameter file (KEYWORD = VALUE, e.g. *JumboPacket = 9014).")
    Path params;

    @Option(names = "--hold", description = "Stay Running until Ctrl-C, then tear down in order (exit 130).")
    boolean hold;

    @Option(names = "--trace", paramLabel = "FILE", description = "Write the NDIS trace as JSON lines to FILE.")
    Path trace;

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
            if (hold || trace != null || pauseAfter != null) {
                throw new CliException(ExitCode.USAGE, "--cycles cannot be combined with --hold, --trace or --pause-after",
                        "run the soak on its own");
            }
            try (StopSignal stop = StopSignal.install(); RunBinding binding = bindOption.take(output, device)) {
                return new BringupCycles(output, device, params, stop).run(cycles);   // one binding for the soak
            }
        }
        if (pauseAfter == null) {
            return bringup(null, null);
        }
        try (StopSignal stop = StopSignal.install()) {
            PausePoint pause = PausePoint.parse(pauseAfter, output, stop::requested, System.in);
            return bringup(pause, stop);
        }
    }

    /** The sequence; {@code pause} and {@code stop} are both null, or both set for --pause-after. */
    private int bringup(PausePoint pause, StopSignal stop) {
        Session s = Session.open(output.environment(), device, params, bindOption.take(output, device));
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("device", device);
        doc.put("driver", s.loaded.name());
        CliException failure = null;
        boolean interrupted = false;
        try {
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
                    doc.put("attributes", attributes(s));
                    if (hold) {
                        if (stop != null) {
                            stop.close();                    // the hold's own hook tears down from here on
                        }
                        return holdUntilInterrupted(s, doc);
                    }
                }
                s.teardown();
            } catch (CliException e) {
                failure = e;
                s.teardown();
            }
            if (pause != null && !pause.hit()) {
                output.err().println("nicup: warning: --pause-after " + pause.call()
                        + ": the sequence never made that call, so it did not stop");
                output.err().flush();
            }
            doc.put("steps", steps(s.host.trace()));
            Verifier.Verdict verdict = s.host.verifier().verdict();
            doc.put("verifier", verdict(verdict));
            writeTrace(s);
            if (failure == null && !verdict.passed()) {
                failure = new CliException(ExitCode.SELFTEST_FAILED, "NDIS verifier: " + verdict.violations().size()
                        + " violation(s): " + verdict.violations().getFirst().describe(),
                        "see the trace (--trace FILE) and the rule in ndis-model's Rule");
            }
            if (interrupted && failure == null) {
                failure = StopSignal.interrupted();
            }
            doc.put("result", failure == null ? "ok" : failure.getMessage());
            print(doc, failure == null ? "ok" : interrupted ? "interrupted" : "FAILED");
        } finally {
            s.close();
        }
        if (failure != null) {
            throw failure;
        }
        return ExitCode.OK.code();
    }

    /** A SIGINT/SIGTERM arrived during a pause: the step's caller finished, the rest is skipped. */
    private static boolean stopped(StopSignal stop) {
        return stop != null && stop.requested();
    }

    private int holdUntilInterrupted(Session s, Map<String, Object> doc) {
        PrintWriter out = output.out();
        if (!output.json()) {
            printAttributes(out, doc);
            out.println("Running: press Ctrl-C to pause, halt and unload");
            out.flush();
        }
        Thread main = Thread.currentThread();
        Thread hook = new Thread(() -> {
            synchronized (s) {
                s.teardown();
                doc.put("steps", steps(s.host.trace()));
                doc.put("verifier", verdict(s.host.verifier().verdict()));
                doc.put("result", "interrupted: teardown completed");
                writeTrace(s);
                print(doc, "ok");
                s.close();
            }
            output.err().println("nicup: interrupted: teardown completed");
            output.err().flush();
            Runtime.getRuntime().halt(ExitCode.INTERRUPTED.code());
        }, "nicup-teardown");
        Runtime.getRuntime().addShutdownHook(hook);
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
        return ExitCode.INTERRUPTED.code();
    }

    private static Map<String, Object> attributes(Session s) {
        Map<String, Object> a = new LinkedHashMap<>();
        MiniportAdapterAttributes.General g = s.adapter.generalAttributes();
        NdisLinkState link = s.adapter.linkState();
        a.put("mac", String.valueOf(g.currentMacAddress()));
        a.put("permanent_mac", String.valueOf(g.permanentMacAddress()));
        boolean up = link != null && link.mediaConnectState() == MediaConnectState.MediaConnectStateConnected;
        a.put("link", up ? "up" : "down");
        a.put("speed_bps", up ? link.xmitLinkSpeed() : 0L);
        a.put("duplex", link == null ? "unknown"
                : link.mediaDuplexState().name().replace("MediaDuplexState", "").toLowerCase(java.util.Locale.ROOT));
        a.put("mtu", g.mtuSize());
        a.put("state", String.valueOf(s.adapter.state()));
        return a;
    }

    /**
     * The steps of the sequence from the trace: every call NDIS made into the miniport at the top of a
     * host operation (DriverEntry, MiniportInitializeEx, MiniportOidRequest, MiniportRestart, MiniportPause,
     * MiniportHaltEx, MiniportDriverUnload), and the driver's registration and deregistration.
     */
    static List<Map<String, Object>> steps(NdisTrace trace) {
        List<Map<String, Object>> steps = new ArrayList<>();
        for (NdisTrace.Event e : trace.events()) {
            boolean step = e.kind() == NdisTrace.Kind.CALL
                    && (e.direction() == NdisTrace.Direction.NDIS_TO_MINIPORT && e.depth() <= 1
                            || e.name().equals("NdisMRegisterMiniportDriver")
                            || e.name().equals("NdisMDeregisterMiniportDriver"));
            if (!step) {
                continue;
            }
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("name", e.name());
            m.put("dir", e.direction().arrow());
            m.put("duration_ns", e.durationNanos());
            m.put("status", e.hasStatus() ? NdisStatus.name(e.status()) : "(void)");
            steps.add(m);
        }
        return steps;
    }

    private static Map<String, Object> verdict(Verifier.Verdict v) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("mode", String.valueOf(v.mode()));
        m.put("passed", v.passed());
        m.put("violations", v.violations().stream().map(Violation::describe).toList());
        return m;
    }

    private void writeTrace(Session s) {
        if (trace == null) {
            return;
        }
        try (Writer w = Files.newBufferedWriter(trace, StandardCharsets.UTF_8)) {
            s.host.trace().writeJsonLines(w);
        } catch (IOException e) {
            throw new CliException(ExitCode.USAGE, "cannot write trace file: file=" + trace + " error=" + e.getMessage(),
                    "check the directory exists and is writable");
        }
    }

    @SuppressWarnings("unchecked")
    /** @param outcome the last line's word: ok, FAILED or interrupted */
    private void print(Map<String, Object> doc, String outcome) {
        PrintWriter out = output.out();
        if (output.json()) {
            out.println(Json.write(doc));
            out.flush();
            return;
        }
        if (!output.quiet()) {
            Table t = new Table("STEP", "DIRECTION", "DURATION", "STATUS");   // durations on the device clock
            for (Map<String, Object> st : (List<Map<String, Object>>) doc.get("steps")) {
                long ns = (Long) st.get("duration_ns");
                t.row(st.get("name"), st.get("dir"), ns < 0 ? "running" : String.format("%.3f ms", ns / 1e6), st.get("status"));
            }
            t.print(out);
            if (!hold) {
                printAttributes(out, doc);
            }
        }
        Map<String, Object> v = (Map<String, Object>) doc.get("verifier");
        List<String> violations = (List<String>) v.get("violations");
        out.println("verifier (" + v.get("mode") + "): " + (violations.isEmpty() ? "passed, no violations"
                : violations.size() + " violation(s)"));
        violations.forEach(x -> out.println("  " + x));
        if (trace != null) {
            out.println("trace: " + trace);
        }
        out.println("bringup: " + outcome);
        out.flush();
    }

    @SuppressWarnings("unchecked")
    private static void printAttributes(PrintWriter out, Map<String, Object> doc) {
        Map<String, Object> a = (Map<String, Object>) doc.get("attributes");
        if (a == null) {
            return;
        }
        long speed = (Long) a.get("speed_bps");
        out.printf("adapter: mac %s  link %s%s  mtu %s%n", a.get("mac"), a.get("link"),
                speed > 0 ? " " + speed / 1_000_000 + " Mb/s " + a.get("duplex") + " duplex" : "", a.get("mtu"));
    }
}

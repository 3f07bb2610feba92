package io.nicup.cli;

import io.nicup.ndis.Verifier;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * {@code bringup --cycles N}: the soak. Opens the device, brings it up to Running with the link, and
 * tears everything down (Pause, Halt, Unload, close), N times in one process, and counts this process's
 * open file descriptors ({@code /proc/self/fd}) after each cycle: a leaked eventfd, group or device fd
 * shows as growth. Fails (exit 9) on growth or on a verifier violation; a failing cycle stops the soak
 * with its own error.
 */
final class BringupCycles {

    /** Descriptors the JVM itself may open lazily in the first cycles (jars, the random source). */
    static final int WARM_UP_CYCLES = 2;

    private final Output output;
    private final String device;
    private final Path params;
    private final StopSignal stop;

    BringupCycles(Output output, String device, Path params, StopSignal stop) {
        this.output = output;
        this.device = device;
        this.params = params;
        this.stop = stop;
    }

    int run(int cycles) {
        List<Map<String, Object>> rows = new ArrayList<>();
        long baseline = -1;
        long last = -1;
        int done = 0;
        for (int i = 1; i <= cycles && !stop.requested(); i++) {
            long start = System.nanoTime();
            Verifier.Verdict verdict;
            try (Session s = Session.open(output.environment(), device, params)) {
                s.initialize();
                s.restart(Session.DEFAULT_FILTER);
                s.awaitLink(Duration.ofSeconds(s.isMock() ? 2 : 10));
                s.teardown();
                verdict = s.host.verifier().verdict();
            }
            last = openFds();
            if (i == Math.min(cycles, WARM_UP_CYCLES + 1)) {
                baseline = last;
            }
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("cycle", i);
            row.put("ms", (System.nanoTime() - start) / 1_000_000);
            row.put("fds", last);
            row.put("verifier", verdict.passed() ? "passed" : verdict.violations().getFirst().describe());
            rows.add(row);
            done = i;
            if (!output.json() && !output.quiet()) {
                output.out().printf("cycle %d: up and halted in %d ms, open fds %d, verifier %s%n", i, row.get("ms"), last,
                        row.get("verifier"));
                output.out().flush();
            }
            if (!verdict.passed()) {
                throw new CliException(ExitCode.SELFTEST_FAILED, "NDIS verifier: cycle " + i + ": "
                        + verdict.violations().getFirst().describe(), "see the trace (nicup bringup --trace FILE)");
            }
        }
        boolean grew = baseline >= 0 && last > baseline;
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("device", device);
        doc.put("cycles", done);
        doc.put("fds_baseline", baseline);
        doc.put("fds_last", last);
        doc.put("fds_grew", grew);
        doc.put("per_cycle", rows);
        if (output.json()) {
            output.out().println(Json.write(doc));
        } else {
            output.out().println("cycles: " + done + " of " + cycles + " up and halted; open fds " + baseline + " after cycle "
                    + Math.min(done, WARM_UP_CYCLES + 1) + ", " + last + " after cycle " + done
                    + (grew ? " (GREW)" : " (steady)"));
        }
        output.out().flush();
        if (grew) {
            throw new CliException(ExitCode.SELFTEST_FAILED, "file descriptors leak: fds_baseline=" + baseline
                    + " fds_last=" + last + " cycles=" + done, "rerun with --verbose and report the output");
        }
        if (stop.requested()) {
            throw StopSignal.interrupted();
        }
        return ExitCode.OK.code();
    }

    /** Entries of /proc/self/fd (the listing's own descriptor included, the same every time). */
    static long openFds() {
        try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
            return fds.count();
        } catch (IOException e) {
            return -1;
        }
    }
}

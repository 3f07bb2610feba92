package io.nicup.cli;

import io.nicup.ndis.trace.NdisTrace;
import io.nicup.ndis.trace.Verifier;
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
 * tears everything down (Pause, Halt, Unload, close), N times in one process, and after each cycle counts
 * this process's open file descriptors ({@code /proc/self/fd}: a leaked eventfd, group or device fd shows
 * as growth) and its locked memory ({@code VmLck} in {@code /proc/self/status}: VFIO's type1 IOMMU
 * driver charges every page it pins for DMA there, so a mapping left behind shows as growth). It also
 * compares the IOVAs each cycle's shared memory was mapped at with the first cycle's: the same addresses
 * mapped again means the kernel accepted a fresh mapping where the last cycle's was. Fails (exit 9) on
 * growth, on an IOVA that moved, or on a verifier violation; a failing cycle stops the soak with its own
 * error.
 */
final class BringupCycles {

    /**
     * Said under a simulated NIC's soak: a cycle's time is measured on this host's clock (how long the
     * cycle took this process), unlike the durations {@code bringup} shows, which are the NIC's virtual time.
     */
    static final String WALL_CLOCK_NOTE = "note: cycle times are this host's wall-clock time, not the simulated NIC's"
            + " virtual time";

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

    /**
     * One cycle: its time, this process's descriptors after it, its locked memory while up and after, the
     * IOVAs its shared memory was mapped at, and the verifier's first violation (null when it passed).
     */
    record Cycle(int cycle, long ms, long fds, long lockedKibUp, long lockedKib, List<String> iovas, String violation) {

        String verifier() {
            return violation == null ? "passed" : violation;
        }

        Map<String, Object> json() {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("cycle", cycle);
            row.put("ms", ms);
            row.put("fds", fds);
            row.put("locked_kib_up", lockedKibUp);
            row.put("locked_kib", lockedKib);
            row.put("iovas", iovas);
            row.put("verifier", verifier());
            return row;
        }

        String line() {
            return String.format("cycle %d: up and halted in %d ms, open fds %d, locked %d KiB up and %d KiB after,"
                    + " verifier %s", cycle, ms, fds, lockedKibUp, lockedKib, verifier());
        }
    }

    /**
     * The soak's result over the cycles that ran. The descriptors are compared from the cycle after the
     * JVM's warm-up ({@code fdsCheckedAt}, 0 when the soak is too short to check them: {@code fdsBaseline}
     * is then -1); the locked memory from the same cycle, or, in a soak too short for that, from before
     * the first cycle ({@code lockedCheckedAt} 0), so that even one cycle that leaves pages pinned fails.
     * {@code movedIovas} names the first cycle whose IOVAs differ from cycle 1's, or is null.
     */
    record Report(String device, int asked, List<Cycle> cycles, long fdsBaseline, int fdsCheckedAt,
            long lockedBaseline, int lockedCheckedAt, String movedIovas) implements io.nicup.cli.Report {

        /**
         * The report over {@code cycles}, with {@code fdsBefore} and {@code lockedBefore} read before the
         * first cycle: the warm-up cycle's values are the baselines once the soak got past it.
         */
        static Report of(String device, int asked, List<Cycle> cycles, long lockedBefore, String movedIovas) {
            int warm = WARM_UP_CYCLES + 1;
            if (cycles.size() > warm) {
                Cycle c = cycles.get(warm - 1);
                return new Report(device, asked, cycles, c.fds(), warm, c.lockedKib(), warm, movedIovas);
            }
            return new Report(device, asked, cycles, -1, 0, lockedBefore, 0, movedIovas);
        }

        int done() {
            return cycles.size();
        }

        long fdsLast() {
            return cycles.isEmpty() ? -1 : cycles.getLast().fds();
        }

        long lockedLast() {
            return cycles.isEmpty() ? -1 : cycles.getLast().lockedKib();
        }

        long lockedUpMax() {
            return cycles.stream().mapToLong(Cycle::lockedKibUp).reduce(-1, Math::max);
        }

        List<String> firstIovas() {
            return cycles.isEmpty() ? null : cycles.getFirst().iovas();
        }

        boolean fdsGrew() {
            return fdsBaseline >= 0 && fdsLast() > fdsBaseline;
        }

        boolean lockedGrew() {
            return lockedBaseline >= 0 && lockedLast() > lockedBaseline;
        }

        @Override
        public Map<String, Object> json() {
            Map<String, Object> doc = new LinkedHashMap<>();
            doc.put("device", device);
            doc.put("cycles", done());
            VirtualTime.label(doc, false);                   // each cycle's "ms" is this host's wall clock
            doc.put("fds_checked", fdsCheckedAt > 0);
            doc.put("fds_baseline", fdsBaseline);
            doc.put("fds_last", fdsLast());
            doc.put("fds_grew", fdsGrew());
            doc.put("locked_kib_up_max", lockedUpMax());
            doc.put("locked_kib_baseline", lockedBaseline);
            doc.put("locked_kib_last", lockedLast());
            doc.put("locked_grew", lockedGrew());
            doc.put("iovas", firstIovas() == null ? List.of() : firstIovas());
            doc.put("iovas_moved", movedIovas != null);
            doc.put("per_cycle", cycles.stream().map(Cycle::json).toList());
            return doc;
        }

        /** The closing two lines (each cycle's line is printed as it ends). */
        @Override
        public List<String> lines(boolean quiet) {
            String fds = fdsCheckedAt == 0
                    ? "open fds " + fdsLast() + " after cycle " + done() + " (not checked: the JVM opens files of its own"
                            + " in the first " + (WARM_UP_CYCLES + 1) + " cycles; give --cycles " + (WARM_UP_CYCLES + 2)
                            + " or more)"
                    : "open fds " + fdsBaseline + " after cycle " + fdsCheckedAt + ", " + fdsLast() + " after cycle "
                            + done() + (fdsGrew() ? " (GREW)" : " (steady)");
            List<String> lines = new ArrayList<>(List.of("cycles: " + done() + " of " + asked + " up and halted; " + fds,
                    "dma: locked memory up to " + lockedUpMax() + " KiB while up, " + lockedBaseline + " KiB "
                    + (lockedCheckedAt == 0 ? "before cycle 1" : "after cycle " + lockedCheckedAt) + ", " + lockedLast()
                    + " KiB after cycle " + done() + (lockedGrew() ? " (GREW)" : " (steady)") + "; "
                    + (firstIovas() == null ? 0 : firstIovas().size()) + " shared-memory IOVAs"
                    + (movedIovas != null ? " MOVED: " + movedIovas : ", the same in every cycle")));
            if (!quiet && DeviceOpener.isMock(device)) {
                lines.add(WALL_CLOCK_NOTE);
            }
            return lines;
        }

        /** Exit 9 for the first leak found, or null. */
        CliException leak() {
            if (fdsGrew()) {
                return new CliException(ExitCode.SELFTEST_FAILED, "file descriptors leak: fds_baseline=" + fdsBaseline
                        + " fds_last=" + fdsLast() + " cycles=" + done(), "rerun with --verbose and report the output");
            }
            if (lockedGrew()) {
                return new CliException(ExitCode.SELFTEST_FAILED, "DMA mappings leak: locked memory grew: locked_kib_baseline="
                        + lockedBaseline + " locked_kib_last=" + lockedLast() + " cycles=" + done(),
                        "run nicup bringup DEVICE --trace FILE once and compare its SharedMemory acquires and releases");
            }
            if (movedIovas != null) {
                return new CliException(ExitCode.SELFTEST_FAILED, "DMA mappings leak: an IOVA was not free for the next"
                        + " cycle: " + movedIovas, "run nicup bringup DEVICE --trace FILE once and compare its SharedMemory"
                        + " acquires and releases");
            }
            return null;
        }
    }

    int run(int cycles) {
        List<Cycle> rows = new ArrayList<>();
        long lockedBefore = lockedKiB();
        String movedIovas = null;
        for (int i = 1; i <= cycles && !stop.requested(); i++) {
            Cycle c = cycle(i);
            if (movedIovas == null && !rows.isEmpty() && !c.iovas().equals(rows.getFirst().iovas())) {
                movedIovas = "cycle " + i + " mapped " + c.iovas() + ", cycle 1 " + rows.getFirst().iovas();
            }
            rows.add(c);
            if (!output.json() && !output.quiet()) {
                output.out().println(c.line());
                output.out().flush();
            }
            if (c.violation() != null) {
                throw new CliException(ExitCode.SELFTEST_FAILED, "NDIS verifier: cycle " + i + ": "
                        + c.violation(), "see the trace (nicup bringup --trace FILE)");
            }
        }
        Report report = Report.of(device, cycles, rows, lockedBefore, movedIovas);
        output.print(report);
        CliException leak = report.leak();
        if (leak != null) {
            throw leak;
        }
        if (stop.requested()) {
            throw StopSignal.interrupted();
        }
        return ExitCode.OK.code();
    }

    /** One bring-up and teardown; the descriptors and locked memory counted once the session is closed. */
    private Cycle cycle(int i) {
        long start = System.nanoTime();
        Session session = SessionOpener.open(output.environment(), device, params);
        Cycle up = session.run(s -> {
            s.initialize();
            s.restart(Session.DEFAULT_FILTER);
            s.awaitLink(Duration.ofSeconds(s.isMock() ? 2 : 10));
            long lockedUp = lockedKiB();                     // the rings and buffers pinned: what must go
            s.teardown();
            Verifier.Verdict verdict = s.host.verifier().verdict();
            return new Cycle(i, 0, 0, lockedUp, 0, sharedMemoryIovas(s.host.trace()),
                    verdict.passed() ? null : verdict.violations().getFirst().describe());
        });
        session.finish(null, false);
        return new Cycle(i, (System.nanoTime() - start) / 1_000_000, openFds(), up.lockedKibUp(), lockedKiB(),
                up.iovas(), up.violation());
    }

    /** The IOVA of every shared-memory region the trace shows acquired, in order. */
    static List<String> sharedMemoryIovas(NdisTrace trace) {
        List<String> iovas = new ArrayList<>();
        for (NdisTrace.Event e : trace.events()) {
            String iova = e.detail().get("iova");
            if (e.kind() == NdisTrace.Kind.ACQUIRE && iova != null) {
                iovas.add(iova);
            }
        }
        return iovas;
    }

    /**
     * This process's locked memory in KiB ({@code VmLck} in /proc/self/status), where VFIO's type1 IOMMU
     * driver accounts the pages it pins for DMA (drivers/vfio/vfio_iommu_type1.c, vfio_lock_acct); -1 when
     * it cannot be read.
     */
    static long lockedKiB() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmLck:")) {
                    return Long.parseLong(line.substring(6).replace("kB", "").strip());
                }
            }
        } catch (IOException | NumberFormatException e) {
            return -1;
        }
        return -1;
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

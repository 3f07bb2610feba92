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
        long lockedBaseline = -1;
        long lockedLast = -1;
        long lockedUpMax = -1;
        List<String> firstIovas = null;
        String movedIovas = null;
        int done = 0;
        for (int i = 1; i <= cycles && !stop.requested(); i++) {
            long start = System.nanoTime();
            Verifier.Verdict verdict;
            List<String> iovas;
            long lockedUp;
            try (Session s = Session.open(output.environment(), device, params)) {
                s.initialize();
                s.restart(Session.DEFAULT_FILTER);
                s.awaitLink(Duration.ofSeconds(s.isMock() ? 2 : 10));
                lockedUp = lockedKiB();                      // the rings and buffers pinned: what must go
                s.teardown();
                verdict = s.host.verifier().verdict();
                iovas = sharedMemoryIovas(s.host.trace());
            }
            last = openFds();
            lockedLast = lockedKiB();
            lockedUpMax = Math.max(lockedUpMax, lockedUp);
            if (i == Math.min(cycles, WARM_UP_CYCLES + 1)) {
                baseline = last;
                lockedBaseline = lockedLast;
            }
            if (firstIovas == null) {
                firstIovas = iovas;
            } else if (movedIovas == null && !iovas.equals(firstIovas)) {
                movedIovas = "cycle " + i + " mapped " + iovas + ", cycle 1 " + firstIovas;
            }
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("cycle", i);
            row.put("ms", (System.nanoTime() - start) / 1_000_000);
            row.put("fds", last);
            row.put("locked_kib_up", lockedUp);
            row.put("locked_kib", lockedLast);
            row.put("iovas", iovas);
            row.put("verifier", verdict.passed() ? "passed" : verdict.violations().getFirst().describe());
            rows.add(row);
            done = i;
            if (!output.json() && !output.quiet()) {
                output.out().printf("cycle %d: up and halted in %d ms, open fds %d, locked %d KiB up and %d KiB after,"
                        + " verifier %s%n", i, row.get("ms"), last, lockedUp, lockedLast, row.get("verifier"));
                output.out().flush();
            }
            if (!verdict.passed()) {
                throw new CliException(ExitCode.SELFTEST_FAILED, "NDIS verifier: cycle " + i + ": "
                        + verdict.violations().getFirst().describe(), "see the trace (nicup bringup --trace FILE)");
            }
        }
        boolean grew = baseline >= 0 && last > baseline;
        boolean lockedGrew = lockedBaseline >= 0 && lockedLast > lockedBaseline;
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("device", device);
        doc.put("cycles", done);
        doc.put("fds_baseline", baseline);
        doc.put("fds_last", last);
        doc.put("fds_grew", grew);
        doc.put("locked_kib_up_max", lockedUpMax);
        doc.put("locked_kib_baseline", lockedBaseline);
        doc.put("locked_kib_last", lockedLast);
        doc.put("locked_grew", lockedGrew);
        doc.put("iovas", firstIovas == null ? List.of() : firstIovas);
        doc.put("iovas_moved", movedIovas != null);
        doc.put("per_cycle", rows);
        int checkedAt = Math.min(done, WARM_UP_CYCLES + 1);
        if (output.json()) {
            output.out().println(Json.write(doc));
        } else {
            output.out().println("cycles: " + done + " of " + cycles + " up and halted; open fds " + baseline + " after cycle "
                    + checkedAt + ", " + last + " after cycle " + done + (grew ? " (GREW)" : " (steady)"));
            output.out().println("dma: locked memory up to " + lockedUpMax + " KiB while up, " + lockedBaseline
                    + " KiB after cycle " + checkedAt + ", " + lockedLast
                    + " KiB after cycle " + done + (lockedGrew ? " (GREW)" : " (steady)") + "; "
                    + (firstIovas == null ? 0 : firstIovas.size()) + " shared-memory IOVAs"
                    + (movedIovas != null ? " MOVED: " + movedIovas : ", the same in every cycle"));
        }
        output.out().flush();
        if (grew) {
            throw new CliException(ExitCode.SELFTEST_FAILED, "file descriptors leak: fds_baseline=" + baseline
                    + " fds_last=" + last + " cycles=" + done, "rerun with --verbose and report the output");
        }
        if (lockedGrew) {
            throw new CliException(ExitCode.SELFTEST_FAILED, "DMA mappings leak: locked memory grew: locked_kib_baseline="
                    + lockedBaseline + " locked_kib_last=" + lockedLast + " cycles=" + done,
                    "rerun with --trace on one cycle and compare the SharedMemory acquires and releases");
        }
        if (movedIovas != null) {
            throw new CliException(ExitCode.SELFTEST_FAILED, "DMA mappings leak: an IOVA was not free for the next cycle: "
                    + movedIovas, "rerun with --trace on one cycle and compare the SharedMemory acquires and releases");
        }
        if (stop.requested()) {
            throw StopSignal.interrupted();
        }
        return ExitCode.OK.code();
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

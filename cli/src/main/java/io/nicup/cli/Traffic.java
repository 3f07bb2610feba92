package io.nicup.cli;

import io.nicup.ndis.MacAddress;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/** What send, recv and loopback share: strict argument checks, generated frames, the closing summary. */
final class Traffic {

    static final int ETHERNET_HEADER = 14;
    static final int MAX_COUNT = 10_000_000;
    static final int MAX_RATE = 10_000_000;
    static final int MAX_TIMEOUT_SECONDS = 86_400;
    private static final Pattern MAC = Pattern.compile("[0-9A-Fa-f]{2}([:-])[0-9A-Fa-f]{2}(\\1[0-9A-Fa-f]{2}){4}");

    private Traffic() {
    }

    /** Six octets, two hex digits each, all separated by ':' or all by '-'. */
    static MacAddress parseMac(String option, String text) {
        if (text == null || !MAC.matcher(text).matches()) {
            throw new CliException(ExitCode.USAGE, "invalid MAC address for " + option + ": '" + text + "'",
                    "give six hex octets like 02:00:00:00:00:02");
        }
        return MacAddress.parse(text);
    }

    /** Options that reach into the simulated wire exist only for mock: devices. */
    static void requireMock(String device, String option) {
        if (!DeviceOpener.isMock(device)) {
            throw new CliException(ExitCode.USAGE, option + " is valid only for a simulated NIC (mock:MODEL): device="
                    + device, "drop " + option + " for a real device, use a link partner instead");
        }
    }

    /** Injects frames into the mock's wire in bursts the receive ring can take, letting virtual time run. */
    static void inject(Session s, List<byte[]> frames) {
        for (int i = 0; i < frames.size(); i++) {
            s.mock.wire().inject(frames.get(i));
            if (i % 32 == 31) {
                s.pump(java.time.Duration.ofMillis(1));
            }
        }
        s.pump(java.time.Duration.ofMillis(1));
    }

    static int bounded(String option, int value, int min, int max) {
        if (value < min || value > max) {
            throw new CliException(ExitCode.USAGE, option + " " + value + " out of range", "give " + min + ".." + max);
        }
        return value;
    }

    /** A frame length is at least the 14-byte Ethernet header and at most MTU + 14. */
    static void checkFrameSize(String what, int length, int mtu) {
        if (length < ETHERNET_HEADER) {
            throw new CliException(ExitCode.USAGE, what + " of " + length + " bytes is a runt (less than "
                    + ETHERNET_HEADER + " bytes)", "give frames of " + ETHERNET_HEADER + ".." + (mtu + ETHERNET_HEADER) + " bytes");
        }
        if (length > mtu + ETHERNET_HEADER) {
            throw new CliException(ExitCode.USAGE, what + " of " + length + " bytes exceeds MTU " + mtu + " + 14",
                    "give frames of " + ETHERNET_HEADER + ".." + (mtu + ETHERNET_HEADER)
                            + " bytes, or raise *JumboPacket in --params");
        }
    }

    /**
     * The frames of a pcap file for --inject: each at least an Ethernet header (a runt is the user's
     * input, USAGE, as send says of the same file) and at most what the simulated wire carries; frames
     * over the MTU stay, to test how the device handles them.
     */
    static List<byte[]> readInjectable(Path file) {
        List<byte[]> frames = readPcap(file, MAX_COUNT);
        for (int i = 0; i < frames.size(); i++) {
            int length = frames.get(i).length;
            if (length < ETHERNET_HEADER || length > io.nicup.mock.Wire.MAX_FRAME) {
                throw new CliException(ExitCode.USAGE, "cannot inject a frame: file=" + file + " frame=" + i + " length=" + length
                        + " min=" + ETHERNET_HEADER + " max=" + io.nicup.mock.Wire.MAX_FRAME,
                        "give frames of " + ETHERNET_HEADER + ".." + io.nicup.mock.Wire.MAX_FRAME + " bytes");
            }
        }
        return frames;
    }

    /** {@code --pcap -}: the pcap comes from standard input, or goes to standard output. */
    static boolean isStdio(Path file) {
        return file.toString().equals("-");
    }

    /** The frames of {@code file}, or of standard input for {@code -}. */
    static List<byte[]> readPcap(Path file, int max, java.util.function.Supplier<java.io.InputStream> stdin) {
        return isStdio(file) ? frames(file, Pcap.readAll(stdin.get(), file, max)) : readPcap(file, max);
    }

    static List<byte[]> readPcap(Path file, int max) {
        return frames(file, Pcap.readAll(file, max));
    }

    private static List<byte[]> frames(Path file, List<Pcap.Frame> read) {
        List<byte[]> frames = new ArrayList<>();
        for (Pcap.Frame f : read) {
            frames.add(f.data());
        }
        if (frames.isEmpty()) {
            throw new CliException(ExitCode.USAGE, "pcap file has no frames: file=" + file, "give a capture with frames");
        }
        return frames;
    }

    /** A frame {@code dst} ← {@code src}, ethertype 0x88B5 (local experimental), payload encoding {@code seq}. */
    static byte[] frame(MacAddress dst, MacAddress src, int length, int seq) {
        byte[] f = new byte[length];
        System.arraycopy(dst.bytes(), 0, f, 0, Math.min(6, length));
        if (length >= 12) {
            System.arraycopy(src.bytes(), 0, f, 6, 6);
        }
        if (length >= 14) {
            f[12] = (byte) 0x88;
            f[13] = (byte) 0xB5;
        }
        for (int i = 14; i < length; i++) {
            f[i] = (byte) (seq * 31 + i);
        }
        for (int i = 0; i < 4 && 14 + i < length; i++) {
            f[14 + i] = (byte) (seq >>> (24 - 8 * i));
        }
        return f;
    }

    /**
     * The generated frames as a list that makes each one when asked: memory stays bounded whatever
     * {@code --count} and {@code --size} say (10 000 000 jumbo frames would otherwise need 90 GB).
     */
    static List<byte[]> frames(MacAddress dst, MacAddress src, int count, int length) {
        return new java.util.AbstractList<>() {
            @Override
            public byte[] get(int index) {
                java.util.Objects.checkIndex(index, count);
                return frame(dst, src, length, index);
            }

            @Override
            public int size() {
                return count;
            }
        };
    }

    static long bytes(List<byte[]> frames) {
        long n = 0;
        for (byte[] f : frames) {
            n += f.length;
        }
        return n;
    }

    /** The mock wire's frames to a pcap file, one microsecond apart. */
    static void writeCapture(Path file, List<byte[]> wire) {
        try (Pcap.Writer w = Pcap.Writer.replacing(file)) {
            long t = 0;
            for (byte[] f : wire) {
                w.write(t++, f, 0, f.length);
            }
            w.commit();
        }
    }

    /**
     * After traffic: the driver's error-log entries become warning lines (the run went on, the user should
     * know), and an IOMMU fault becomes the command's failure (returned for the caller to throw once the
     * summary is printed), since a frame was lost where the device could not write.
     */
    static CliException incidents(Session s, Output output) {
        return incidents(s, output, List.of());
    }

    /** The same, after one warning line per recovery the run went through ({@link RunCounters.Delta#warnings}). */
    static CliException incidents(Session s, Output output, List<String> recoveries) {
        for (String recovery : recoveries) {
            output.warn(recovery);
        }
        for (String entry : s.driverErrorLog()) {
            output.warn("driver error log: " + entry);
        }
        output.err().flush();
        return iommuFault(s);
    }

    /**
     * The first DMA access the IOMMU refused during this session, as the HARDWARE failure the user sees,
     * or null. Only the simulated IOMMU reports its faults to nicup; with VFIO the kernel logs them
     * (DMAR/AMD-Vi) and the device sees a failed transaction.
     */
    static CliException iommuFault(Session s) {
        if (s.mock == null || s.mock.dmaFaults().isEmpty()) {
            return null;
        }
        var f = s.mock.dmaFaults().getFirst();
        return new CliException(ExitCode.HARDWARE, String.format("IOMMU fault: the device %s outside its DMA mappings:"
                + " iova=0x%x length=%d context=%s faults=%d", f.write() ? "wrote" : "read", f.iova(), f.length(),
                f.context(), s.mock.dmaAllocator().faultCount()), "the transfer was blocked (the counts above say what"
                + " arrived): the simulated NIC's fault did this (mock-device/README.md); on a real NIC the kernel"
                + " log names such faults (DMAR, AMD-Vi)");
    }

    /**
     * After a signal: tears the session down now (Pause, Halt, Unload, Deregister; idempotent) and says
     * what ran and what the verifier found, so the user knows nothing was left behind.
     */
    static String teardownAfterSignal(Session s) {
        s.teardown();
        List<String> names = new ArrayList<>();
        for (BringupReport.Step step : BringupReport.steps(s.host.trace())) {
            String name = step.name();
            if (List.of("MiniportPause", "MiniportHaltEx", "MiniportDriverUnload", "NdisMDeregisterMiniportDriver")
                    .contains(name)) {
                names.add(name);
            }
        }
        var verdict = s.host.verifier().verdict();
        return "teardown: " + String.join(" -> ", names) + "; verifier: " + (verdict.passed() ? "no violations"
                : verdict.violations().size() + " violation(s), first: " + verdict.violations().getFirst().describe());
    }

    /** Tells the user how to stop a long run (like tcpdump's "listening on"); not with --quiet or --json. */
    static void announce(Output output, String what) {
        if (!output.quiet() && !output.json()) {
            output.err().println("nicup: " + what + ": Ctrl-C stops, tears down and prints the summary");
            output.err().flush();
        }
    }

    /** A live progress line on a terminal ('\r', rewritten in place); nothing when stdout is not one. */
    static final class Progress implements Runnable {
        private final PrintWriter out;
        private final boolean live;
        private final String verb;
        private final java.util.function.LongSupplier done;
        private final long total;
        private long lastPrint;

        Progress(Output output, String verb, java.util.function.LongSupplier done, long total) {
            this.out = output.out();
            this.live = System.console() != null && !output.json() && !output.quiet();
            this.verb = verb;
            this.done = done;
            this.total = total;
        }

        @Override
        public void run() {
            if (!live) {
                return;
            }
            long now = System.nanoTime();
            if (now - lastPrint < 100_000_000L) {
                return;
            }
            lastPrint = now;
            out.print("\r" + verb + " " + done.getAsLong() + (total > 0 ? "/" + total : "") + " frames");
            out.flush();
        }

        void finish() {
            if (live) {
                out.print("\r\033[K");
                out.flush();
            }
        }
    }
}

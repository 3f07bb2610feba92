package io.nicup.cli;

import io.nicup.ndis.NdisPacketFilter;
import io.nicup.ndis.miniport.NicDiagnostics;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "loopback",
        header = "Send frames through PHY loopback and check each comes back byte for byte.",
        description = {
            "Brings the adapter up to Running, puts the PHY in loopback (BMCR 0x4140, MAC forced to",
            "1000 Mb/s full duplex), sends --count frames of --size bytes addressed to the adapter itself",
            "through the NDIS data path, and compares every received frame with what was sent, in order.",
            "Leaves loopback, pauses, halts and unloads. Nothing reaches the cable. Exit 9 when a frame is",
            "missing, extra or differs (the first difference is named)."},
        footerHeading = "%nExamples:%n",
        footer = {"  nicup loopback 0000:01:00.0 --count 1000", "  nicup loopback mock:82574L --count 64 --size 1514"})
final class LoopbackCommand implements Callable<Integer> {

    @Mixin
    Output output;

    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help message and exit.")
    boolean help;

    @Parameters(paramLabel = "DEVICE", description = "PCI address on vfio-pci, or mock:MODEL.")
    String device;

    @Option(names = "--count", paramLabel = "N", defaultValue = "64", description = "Frames (1..1000000; default ${DEFAULT-VALUE}).")
    int count;

    @Option(names = "--size", paramLabel = "BYTES", defaultValue = "1024",
            description = "Frame size without FCS (60..MTU+14; default ${DEFAULT-VALUE}).")
    int size;

    @Option(names = "--params", paramLabel = "FILE", description = "Parameter file for the driver.")
    Path params;

    @Override
    public Integer call() {
        Traffic.bounded("--count", count, 1, 1_000_000);
        Traffic.bounded("--size", size, 60, Pcap.MAX_FRAME);   // the chip pads shorter frames to 60 bytes
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("device", device);
        String mismatch = null;
        boolean interrupted;
        CliException failure;
        try (StopSignal stop = StopSignal.install(); Session s = Session.open(output.environment(), device, params)) {
            s.stopWhen(stop::requested);
            s.running(NdisPacketFilter.DIRECTED);
            Traffic.checkFrameSize("--size", size, s.mtu());
            NicDiagnostics.Loopback loop = s.diagnostics().loopback().orElseThrow(() -> new CliException(
                    ExitCode.NOT_SUPPORTED, "loopback not supported: model=" + s.family.model() + " spec=" + device,
                    "this device cannot loop frames back internally: use send and recv with a link partner"));
            List<byte[]> sent = Traffic.frames(s.currentMac(), s.currentMac(), count, size);
            List<byte[]> received = new ArrayList<>();
            long start;
            long elapsed;
            long failedBefore = s.edge.completedFailed();
            loop.enter();
            try {
                s.edge.clearReceived();
                Traffic.Progress progress = new Traffic.Progress(output, "looped", s.edge::receivedCount, count);
                Traffic.announce(output, "looping " + count + " frames back on " + device);
                start = s.nanoTime();
                int offered = 0;
                for (int i = 0; i < sent.size() && !stop.requested(); i += 32) {   // bursts the receive ring always has room for
                    List<byte[]> burst = sent.subList(i, Math.min(sent.size(), i + 32));
                    s.send(burst, 0, progress);
                    offered = i + burst.size();
                    long deadline = s.nanoTime() + 2_000_000_000L;
                    while (s.edge.receivedCount() < i + burst.size() && s.nanoTime() - deadline < 0) {
                        s.pump(Duration.ofMillis(1));
                    }
                    synchronized (s.edge) {
                        received.addAll(s.edge.received());
                        s.edge.clearReceived();
                    }
                    if (received.size() < i + burst.size()) {
                        break;
                    }
                }
                interrupted = stop.requested();
                if (interrupted) {
                    sent = sent.subList(0, Math.min(sent.size(), offered));   // judge what was offered
                }
                s.pump(Duration.ofMillis(1));
                received.addAll(s.edge.received());
                elapsed = s.nanoTime() - start;
                progress.finish();
            } finally {
                loop.leave();
            }
            failure = Traffic.incidents(s, output);
            mismatch = compare(sent, received);
            long bytes = received.stream().mapToLong(f -> f.length).sum();
            doc.put("summary", Traffic.summary(received.size(), bytes, elapsed, s.edge.completedFailed() - failedBefore,
                    Math.max(0, sent.size() - received.size())));
            doc.put("sent", sent.size());
            doc.put("identical", mismatch == null);
            if (mismatch != null) {
                doc.put("mismatch", mismatch);
            }
        }
        PrintWriter out = output.out();
        if (output.json()) {
            out.println(Json.write(doc));
        } else {
            @SuppressWarnings("unchecked")
            Map<String, Object> summary = (Map<String, Object>) doc.get("summary");
            out.println(Traffic.summaryLine("looped back", summary));
            out.println(mismatch == null ? "loopback: all " + doc.get("sent") + " frames came back identical"
                    + (interrupted ? " (interrupted after " + doc.get("sent") + " of " + count + ")" : "")
                    : "loopback: FAILED: " + mismatch);
        }
        out.flush();
        if (failure != null) {
            throw failure;                                   // the root cause of any mismatch it produced
        }
        if (interrupted && mismatch == null) {
            throw StopSignal.interrupted();
        }
        if (mismatch != null) {
            throw new CliException(ExitCode.SELFTEST_FAILED, "loopback failed: " + mismatch,
                    "run nicup selftest and nicup regs to see which stage drops or corrupts frames");
        }
        return ExitCode.OK.code();
    }

    /**
     * Matches each received frame to the sent one with its sequence number (payload bytes 14..17, see
     * {@link Traffic#frame}), so that one lost frame is reported as missing rather than as every later
     * frame differing. Reports, in this order: a frame that is not one of ours, a corrupted frame, a frame
     * that came back twice or out of order, the missing frames, or null when all came back identical.
     */
    static String compare(List<byte[]> sent, List<byte[]> received) {
        java.util.BitSet seen = new java.util.BitSet(sent.size());
        String order = null;
        int last = -1;
        for (int k = 0; k < received.size(); k++) {
            byte[] b = received.get(k);
            int seq = b.length >= 18 ? (b[14] & 0xFF) << 24 | (b[15] & 0xFF) << 16 | (b[16] & 0xFF) << 8 | (b[17] & 0xFF) : -1;
            if (seq < 0 || seq >= sent.size()) {
                return "received frame " + k + " is not one nicup sent (" + b.length + " bytes, sequence " + seq + ")";
            }
            byte[] a = sent.get(seq);
            int at = Arrays.mismatch(a, b);
            if (at >= 0) {
                return "frame " + seq + " differs at byte " + at + " (sent " + a.length + " bytes, received " + b.length + ")";
            }
            if (seen.get(seq)) {
                return "frame " + seq + " came back twice";
            }
            seen.set(seq);
            if (seq < last && order == null) {
                order = "frame " + seq + " came back after frame " + last + " (out of order)";
            }
            last = Math.max(last, seq);
        }
        if (order != null) {
            return order;
        }
        int missing = sent.size() - seen.cardinality();
        if (missing > 0) {
            return missing + " of " + sent.size() + " frames did not come back (first missing: frame "
                    + seen.nextClearBit(0) + ")";
        }
        return null;
    }
}

package io.nicup.cli;

import io.nicup.ndis.miniport.core.NicDiagnostics;
import io.nicup.ndis.oid.NdisPacketFilter;
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
            "missing, extra or differs (the first difference is named). A NIC that cannot loop frames back",
            "inside itself (virtio-net) exits 4 (not supported) and changes nothing."},
        footerHeading = "%nExamples:%n",
        footer = {"  nicup loopback 0000:01:00.0 --count 1000", "  nicup loopback mock:82574L --count 64 --size 1514"})
final class LoopbackCommand implements Callable<Integer> {

    @Mixin
    Output output;

    @Mixin
    BindOption bindOption;

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
        int offered;
        CliException failure;
        try (StopSignal stop = StopSignal.install(); Session s = Session.open(output.environment(), device, params,
                bindOption.take(output, device))) {
            s.stopWhen(stop::requested);
            s.running(NdisPacketFilter.DIRECTED);
            Traffic.checkFrameSize("--size", size, s.mtu());
            NicDiagnostics.Loopback loop = s.diagnostics().loopback().orElseThrow(() -> new CliException(
                    ExitCode.NOT_SUPPORTED, "loopback not supported: model=" + s.family.model() + " spec=" + device,
                    "this device cannot loop frames back internally: use send and recv with a link partner"));
            List<byte[]> sent = Traffic.frames(s.currentMac(), s.currentMac(), count, size);
            LoopbackVerdict verdict = new LoopbackVerdict(sent);
            long start;
            long elapsed;
            long okBefore = s.edge.completedOk();
            long failedBefore = s.edge.completedFailed();
            long failureBefore = s.edge.completedFailure();
            long abortedBefore = s.edge.completedAborted();
            int submitted = 0;
            loop.enter();
            try {
                s.edge.clearReceived();
                Traffic.Progress progress = new Traffic.Progress(output, "looped", s.edge::receivedCount, count);
                Traffic.announce(output, "looping " + count + " frames back on " + device);
                start = s.nanoTime();
                offered = 0;
                for (int i = 0; i < sent.size() && !stop.requested(); i += 32) {   // bursts the receive ring always has room for
                    List<byte[]> burst = sent.subList(i, Math.min(sent.size(), i + 32));
                    submitted += s.send(burst, 0, progress).submitted();
                    offered = i + burst.size();
                    long deadline = s.nanoTime() + 2_000_000_000L;
                    while (s.edge.receivedCount() < i + burst.size() && s.nanoTime() - deadline < 0 && !s.deviceGoneLately()) {
                        s.pump(Duration.ofMillis(1));
                    }
                    synchronized (s.edge) {
                        s.edge.received().forEach(verdict::accept);
                        s.edge.clearReceived();
                    }
                    if (verdict.received() < i + burst.size()) {
                        break;
                    }
                }
                interrupted = stop.requested();
                if (!interrupted) {
                    offered = sent.size();                   // a stalled run is judged on all it should send
                }
                s.pump(Duration.ofMillis(1));
                s.edge.received().forEach(verdict::accept);
                elapsed = s.nanoTime() - start;
                progress.finish();
            } finally {
                if (s.deviceGone()) {
                    s.teardown();                            // nothing to take out of loopback: it is gone
                } else {
                    loop.leave();
                }
            }
            boolean removed = s.deviceGone();
            failure = Traffic.incidents(s, output);
            if (interrupted) {
                doc.put("teardown", Traffic.teardownAfterSignal(s));
            }
            mismatch = verdict.mismatch(offered);
            long failed = s.edge.completedFailed() - failedBefore;
            long back = verdict.received();
            Map<String, Object> summary;
            if (removed) {
                summary = removalSummary(back, verdict.bytes(), elapsed, count - submitted,
                        s.edge.completedOk() - okBefore, failed, s.edge.completedFailure() - failureBefore,
                        s.edge.completedAborted() - abortedBefore);
            } else {
                summary = Traffic.summary(back, verdict.bytes(), elapsed, failed, Math.max(0, offered - back));
                Traffic.removal(summary, 0, 0, 0);
            }
            doc.put("summary", summary);
            doc.put("device_removed", removed);
            doc.put("sent", offered);
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
        if (doc.containsKey("teardown") && !output.json()) {
            out.println(doc.get("teardown"));
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
     * The summary after a surprise removal, every frame asked for counted once: came back ({@code back},
     * the frames), confirmed sent but not back (drops), on the ring unconfirmed and not back, queued in
     * the driver, not submitted, or failed otherwise (errors). A frame that came back was sent, whatever
     * its completion said; the device completes in order and loopback keeps it, so the frames that came
     * back are the confirmed ones first and then unconfirmed ones.
     */
    static Map<String, Object> removalSummary(long back, long bytes, long elapsed, long notSubmitted, long ok,
            long failed, long unconfirmed, long aborted) {
        long backUnconfirmed = Math.clamp(back - ok, 0, unconfirmed);
        Map<String, Object> summary = Traffic.summary(back, bytes, elapsed, failed - unconfirmed - aborted,
                Math.max(0, ok - back));
        Traffic.removal(summary, unconfirmed - backUnconfirmed, aborted, notSubmitted);
        return summary;
    }

    /** The verdict on {@code received} as the answer to {@code sent} (see {@link LoopbackVerdict}). */
    static String compare(List<byte[]> sent, List<byte[]> received) {
        LoopbackVerdict v = new LoopbackVerdict(sent);
        received.forEach(v::accept);
        return v.mismatch(sent.size());
    }
}

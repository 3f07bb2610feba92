package io.nicup.cli;

import io.nicup.ndis.miniport.core.NicDiagnostics;
import io.nicup.ndis.oid.NdisPacketFilter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One {@code loopback} on a session: Running, PHY loopback, the frames sent in bursts the receive ring
 * always has room for and judged as they come back ({@link LoopbackVerdict}), loopback left, and what
 * happened returned as a {@link Report}.
 */
final class LoopbackRun {

    private final Session s;
    private final Output output;
    private final StopSignal stop;

    LoopbackRun(Session s, Output output, StopSignal stop) {
        this.s = s;
        this.output = output;
        this.stop = stop;
    }

    /**
     * What {@code loopback} found: {@code offered} frames judged, {@code mismatch} the verdict (null when
     * all came back identical), {@code teardown} only after a signal, {@code fault} an IOMMU fault.
     */
    record Report(String device, int count, String teardown, TrafficSummary summary, boolean removed, int offered,
            String mismatch, boolean interrupted, CliException fault) implements io.nicup.cli.Report {

        @Override
        public Map<String, Object> json() {
            Map<String, Object> doc = new LinkedHashMap<>();
            doc.put("device", device);
            if (teardown != null) {
                doc.put("teardown", teardown);
            }
            doc.put("summary", summary.json());
            doc.put("device_removed", removed);
            doc.put("sent", offered);
            doc.put("identical", mismatch == null);
            if (mismatch != null) {
                doc.put("mismatch", mismatch);
            }
            return doc;
        }

        @Override
        public List<String> lines(boolean quiet) {
            List<String> lines = new ArrayList<>();
            lines.add(summary.line("looped back"));
            lines.add(mismatch == null ? "loopback: all " + offered + " frames came back identical"
                    + (interrupted ? " (interrupted after " + offered + " of " + count + ")" : "")
                    : "loopback: FAILED: " + mismatch);
            if (teardown != null) {
                lines.add(teardown);
            }
            return lines;
        }

        /** The IOMMU fault (the root cause of any mismatch it produced), else the mismatch as exit 9. */
        CliException failure() {
            if (fault != null || mismatch == null) {
                return fault;
            }
            return new CliException(ExitCode.SELFTEST_FAILED, "loopback failed: " + mismatch,
                    "run nicup selftest and nicup regs to see which stage drops or corrupts frames");
        }

        /** Interrupted with nothing wrong found so far: exit 130. */
        boolean interruptedCleanly() {
            return interrupted && mismatch == null;
        }
    }

    Report loop(int count, int size) {
        s.stopWhen(stop::requested);
        s.running(NdisPacketFilter.DIRECTED);
        Traffic.checkFrameSize("--size", size, s.mtu());
        NicDiagnostics.Loopback loop = s.diagnostics().loopback().orElseThrow(() -> new CliException(
                ExitCode.NOT_SUPPORTED, "loopback not supported: model=" + s.family.model() + " spec=" + s.spec,
                "this device cannot loop frames back internally: use send and recv with a link partner"));
        List<byte[]> sent = Traffic.frames(s.currentMac(), s.currentMac(), count, size);
        LoopbackVerdict verdict = new LoopbackVerdict(sent);
        Completions before = Completions.of(s.edge);
        int submitted = 0;
        int offered = 0;
        boolean interrupted;
        long elapsed;
        loop.enter();
        try {
            s.edge.clearReceived();
            Traffic.Progress progress = new Traffic.Progress(output, "looped", s.edge::receivedCount, count);
            Traffic.announce(output, "looping " + count + " frames back on " + s.spec);
            long start = s.nanoTime();
            for (int i = 0; i < sent.size() && !stop.requested(); i += 32) {   // bursts the receive ring always has room for
                List<byte[]> burst = sent.subList(i, Math.min(sent.size(), i + 32));
                submitted += Transmit.send(s, burst, 0, progress).submitted();
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
                offered = sent.size();                       // a stalled run is judged on all it should send
            }
            s.pump(Duration.ofMillis(1));
            s.edge.received().forEach(verdict::accept);
            elapsed = s.nanoTime() - start;
            progress.finish();
        } finally {
            if (s.deviceGone()) {
                s.teardown();                                // nothing to take out of loopback: it is gone
            } else {
                loop.leave();
            }
        }
        boolean removed = s.deviceGone();
        CliException fault = Traffic.incidents(s, output);
        String teardown = interrupted ? Traffic.teardownAfterSignal(s) : null;
        String mismatch = verdict.mismatch(offered);
        Completions done = Completions.of(s.edge).since(before);
        TrafficSummary summary = removed
                ? removalSummary(verdict.received(), verdict.bytes(), s.timing(elapsed), count - submitted, done)
                : new TrafficSummary(verdict.received(), verdict.bytes(), s.timing(elapsed), done.failed() - done.paused(),
                        Math.max(0, offered - verdict.received() - done.paused()), TrafficSummary.Removal.NONE, null,
                        done.paused());
        return new Report(s.spec, count, teardown, summary, removed, offered, mismatch, interrupted, fault);
    }

    /**
     * The summary after a surprise removal, every frame asked for counted once: came back ({@code back},
     * the frames), confirmed sent but not back (drops), on the ring unconfirmed and not back, queued in
     * the driver, not submitted, given back unsent by the pause (NDIS_STATUS_PAUSED: no error), or failed
     * otherwise (errors). A frame that came back was sent, whatever
     * its completion said; the device completes in order and loopback keeps it, so the frames that came
     * back are the confirmed ones first and then unconfirmed ones.
     */
    static TrafficSummary removalSummary(long back, long bytes, TrafficSummary.Timing elapsed, long notSubmitted, Completions done) {
        long backUnconfirmed = Math.clamp(back - done.ok(), 0, done.failure());
        return new TrafficSummary(back, bytes, elapsed, done.failed() - done.failure() - done.aborted() - done.paused(),
                Math.max(0, done.ok() - back), new TrafficSummary.Removal(done.failure() - backUnconfirmed,
                        done.aborted(), notSubmitted), null, done.paused());
    }
}

package io.nicup.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One {@code send} on a session: brings it to Running, sends, accounts for every frame (also after a
 * surprise removal), writes the mock wire's capture, and returns what happened as a {@link Report}.
 */
final class SendRun {

    /** Frames --capture keeps in memory for the file (64 MB of minimum-size frames). */
    static final int MAX_CAPTURE = 1_000_000;

    private final Session s;
    private final Output output;
    private final StopSignal stop;
    private final Path capture;
    private final double interval;

    /** A send on {@code s}, writing the wire to {@code capture} (or null), a line every {@code interval} s (0: none). */
    SendRun(Session s, Output output, StopSignal stop, Path capture, double interval) {
        this.s = s;
        this.output = output;
        this.stop = stop;
        this.capture = capture;
        this.interval = interval;
    }

    /**
     * What {@code send} found. {@code interruptedAfter} and {@code teardown} only after a signal,
     * {@code wireFrames} only on a simulated NIC; {@code failure} is an IOMMU fault, raised after printing.
     */
    record Report(String device, int count, TrafficSummary summary, boolean removed, boolean interrupted,
            long interruptedAfter, String teardown, Long wireFrames, Path capture, long written, long captureLimit,
            CliException failure) implements io.nicup.cli.Report {

        /** What the mock wire line says: the frames it saw, and how many of them the file holds. */
        private String wireLine() {
            String line = "mock wire: " + wireFrames + " frames captured";
            if (capture == null) {
                return line;
            }
            return written == wireFrames ? line + ", written to " + capture
                    : line + ", the last " + written + " written to " + capture + " (--capture keeps at most "
                            + captureLimit + ")";
        }

        @Override
        public Map<String, Object> json() {
            Map<String, Object> doc = new LinkedHashMap<>();
            doc.put("device", device);
            doc.put("count", count);
            doc.put("summary", summary.json());
            doc.put("device_removed", removed);
            if (interrupted) {
                doc.put("interrupted_after", interruptedAfter);
                doc.put("teardown", teardown);
            }
            if (wireFrames != null) {
                doc.put("wire_frames", wireFrames);
                if (capture != null) {
                    doc.put("capture", capture.toString());
                    doc.put("capture_frames", written);
                }
            }
            return doc;
        }

        @Override
        public List<String> lines(boolean quiet) {
            List<String> lines = new ArrayList<>();
            lines.add(summary.line("sent") + (interrupted ? " (interrupted after " + interruptedAfter + " of " + count + ")" : ""));
            if (wireFrames != null) {
                lines.add(wireLine());
            }
            if (interrupted) {
                lines.add(teardown);
            }
            return lines;
        }
    }

    Report send(SendFrames asked, int rate) {
        s.stopWhen(stop::requested);
        s.running(Session.DEFAULT_FILTER);
        asked.checkSizes(s.mtu());
        SendOffload offload = SendOffload.of(asked.generated(), s.adapter.currentOffload(), s.mtu());
        int count = asked.count();
        long wireBefore = 0;
        // a large send becomes up to 65535 / MSS + 1 frames on the wire
        long captureLimit = Math.min((long) count * offload.wireFramesPerSend(), MAX_CAPTURE);
        if (s.isMock()) {
            if (capture != null) {   // memory for the file's frames only when a file was asked for
                s.mock.wire().setCaptureLimit((int) captureLimit);
            }
            s.mock.wire().clearCaptured();
            wireBefore = s.mock.wire().transmittedFrames();
        }
        Completions before = Completions.of(s.edge);
        RunCounters counters = RunCounters.take(s);
        Traffic.Progress progress = new Traffic.Progress(output, "sent", () -> s.edge.completedOk() - before.ok(), count);
        Traffic.announce(output, "sending " + count + " frames on " + s.spec);
        IntervalStats intervals = new IntervalStats(s, output, "sent", interval, () -> s.edge.completedOk() - before.ok(),
                asked::bytes);
        Runnable tick = () -> {
            progress.run();
            intervals.tick();
        };
        long start = s.nanoTime();
        Transmit.Sent sent = transmit(asked, offload, rate, tick);
        long elapsed = s.nanoTime() - start;
        progress.finish();
        boolean removed = s.deviceGone();
        // The teardown completes what the device and the driver held. A device the kernel asked back still
        // answers: its counters are read in the removal's pause; a vanished one's read all-ones (unknown).
        RunCounters.Delta run = removed ? s.teardownReading(() -> counters.since(s)) : counters.since(s);
        boolean interrupted = stop.requested();
        Long wireFrames = s.isMock() ? s.mock.wire().transmittedFrames() - wireBefore : null;
        TrafficSummary summary = summary(Completions.of(s.edge).since(before), count, sent.submitted(), asked::bytes,
                s.timing(elapsed), removed, interrupted, run, wireFrames);
        CliException failure = Traffic.incidents(s, output, run == null ? List.of() : run.warnings());
        String teardown = interrupted ? Traffic.teardownAfterSignal(s) : null;
        long written = 0;
        if (s.isMock()) {
            if (capture != null) {
                List<byte[]> captured = s.mock.wire().captured();
                Traffic.writeCapture(capture, captured);
                written = captured.size();
            }
        }
        return new Report(s.spec, count, summary, removed, interrupted, sent.completed(), teardown,
                wireFrames, capture, written, captureLimit, failure);
    }

    /**
     * The pcap file's frames as they are, each copied into a send buffer; generated frames through the
     * traffic generator ({@link FrameGenerator}), which gives its buffers back to the pool when done.
     */
    private Transmit.Sent transmit(SendFrames asked, SendOffload offload, int rate, Runnable tick) {
        if (asked.generated() == null) {
            return Transmit.send(s, asked.read(), rate, tick, offload);
        }
        FrameGenerator generator = asked.generator(s.currentMac(), offload);
        try {
            return Transmit.send(s, generator.count(), (from, to) -> generator.submit(s.host, s.adapter,
                    s.sendPool(offload.largestFrame()), from, to - from), rate, tick);
        } finally {
            generator.release();
        }
    }

    /**
     * Every frame of {@code count} once: sent, lost while the link was down, not sent (paused: NDIS_STATUS_PAUSED,
     * given back unsent by a pause, no failure), an error, a drop, or where a removal found it. After a
     * removal FAILURE and SEND_ABORTED say where a frame was when the device went (see
     * {@link TrafficSummary.Removal}); otherwise a failed completion other than PAUSED is an error, as always.
     * {@code run} is null when the device's counters are unknown (it vanished).
     */
    static TrafficSummary summary(Completions done, int count, int submitted, java.util.function.LongUnaryOperator bytes,
            TrafficSummary.Timing timing, boolean removed, boolean interrupted, RunCounters.Delta run, Long wireFrames) {
        long unconfirmed = removed ? done.failure() : 0;
        long aborted = removed ? done.aborted() : 0;
        long notSubmitted = removed ? count - submitted : 0;
        long completed = done.ok() + done.failed();
        long drops = interrupted ? 0 : count - completed - notSubmitted;
        // A frame completed while the link was down left the ring but not the port: the device did not count
        // it as transmitted (a simulated NIC's wire did not see it). Judged only after a link down, so a
        // device whose counters lag behind its completions shows no made-up losses.
        long out = wireFrames == null ? run == null ? 0 : run.framesOut() : Math.min(wireFrames, run == null ? 0 : run.framesOut());
        long lost = run != null && run.linkDowns() > 0 ? Math.clamp(done.ok() - out, 0, done.ok()) : 0;
        long sentOk = done.ok() - lost;
        return new TrafficSummary(sentOk, bytes.applyAsLong(sentOk), timing,
                done.failed() - unconfirmed - aborted - done.paused(), drops,
                new TrafficSummary.Removal(unconfirmed, aborted, notSubmitted),
                new TrafficSummary.Lost(lost, "lost while the link was down"), done.paused());
    }
}

package io.nicup.cli;

import io.nicup.ndis.protocol.FrameEdge;
import java.time.Duration;
import java.util.List;

/** Sending frames through a running session's adapter, paced and bounded by progress (send and loopback). */
final class Transmit {

    /** How long a mock device runs after each batch; made once, the loop allocates nothing per batch. */
    private static final Duration SETTLE = Duration.ofNanos(1000);
    private static final Duration WAIT = Duration.ofMillis(1);

    private Transmit() {
    }

    /**
     * What {@link #send} did: {@code submitted} frames were handed to NDIS (the first ones: fewer than
     * asked when stopped or when the device went away), {@code completed} of them came back before it returned.
     */
    record Sent(int submitted, long completed) {
    }

    /**
     * Sends {@code frames} (at {@code rate} frames per second of device-clock time, 0 = as fast as the
     * ring takes them) and waits up to 10 s for every completion. When the device goes away it stops
     * at once: what it held completes with the teardown, which the caller runs before counting.
     */
    static Sent send(Session s, List<byte[]> frames, int rate, Runnable progress) {
        return send(s, frames, rate, progress, SendOffload.NONE);
    }

    /** As above, each NBL carrying {@code offload}'s checksum and large-send information. */
    static Sent send(Session s, List<byte[]> frames, int rate, Runnable progress, SendOffload offload) {
        return send(s, frames.size(), (from, to) -> FrameEdge.send(s.host, s.adapter, s.sendPool(offload.largestFrame()),
                frames.subList(from, to), offload.checksumInfo(), offload.largeSendInfo()), rate, progress);
    }

    /**
     * Frames {@code from .. to} handed to NDIS as one chain; returns how many went (the first ones: fewer
     * when the send buffers ran out).
     */
    @FunctionalInterface
    interface Submit {
        int submit(int from, int to);
    }

    /** Sends {@code count} frames through {@code submit}, as {@link #send(Session, List, int, Runnable)} does. */
    static Sent send(Session s, int count, Submit submit, int rate, Runnable progress) {
        long before = s.edge.completedOk() + s.edge.completedFailed();
        long start = s.nanoTime();
        int next = 0;
        long deadline = Long.MAX_VALUE;
        while (next < count && !s.stopRequested() && !s.knownGone()) {
            int end = rate > 0 ? next + 1 : Math.min(count, next + 64);
            if (rate > 0) {
                long due = start + (long) next * 1_000_000_000L / rate;
                while (s.nanoTime() - due < 0) {
                    s.pump(Duration.ofNanos(Math.min(1_000_000, due - s.nanoTime())));
                }
            }
            int n = submit.submit(next, end);
            next += n;
            if (n == 0) {
                if (s.deviceGoneLately()) {
                    break;                                   // nothing will complete: the teardown says why
                }
                if (deadline == Long.MAX_VALUE) {
                    deadline = s.nanoTime() + 10_000_000_000L;
                } else if (s.nanoTime() - deadline > 0) {
                    throw new CliException(ExitCode.HARDWARE, "send stalled: no send completed for 10 s: sent=" + next,
                            "check the link and run nicup selftest");
                }
                s.pump(WAIT);
            } else {
                deadline = Long.MAX_VALUE;
                if (s.isMock()) {
                    s.pump(SETTLE);
                }
            }
            progress.run();
        }
        // Bounded by progress: 10 s without a completion (a CheckForHang reset takes a few seconds per hang).
        long wait = s.nanoTime() + 10_000_000_000L;
        long seen = s.edge.completedOk() + s.edge.completedFailed();
        while (seen - before < next && s.nanoTime() - wait < 0 && !s.deviceGoneLately()) {
            s.pump(WAIT);
            long now = s.edge.completedOk() + s.edge.completedFailed();
            if (now != seen) {
                seen = now;
                wait = s.nanoTime() + 10_000_000_000L;
            }
        }
        progress.run();
        return new Sent(next, s.edge.completedOk() + s.edge.completedFailed() - before);
    }
}

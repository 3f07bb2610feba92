package io.nicup.cli;

import io.nicup.ndis.protocol.FrameEdge;
import java.time.Duration;
import java.util.List;

/** Sending frames through a running session's adapter, paced and bounded by progress (send and loopback). */
final class Transmit {

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
        long before = s.edge.completedOk() + s.edge.completedFailed();
        long start = s.nanoTime();
        int next = 0;
        long deadline = Long.MAX_VALUE;
        while (next < frames.size() && !s.stopRequested() && !s.knownGone()) {
            int end = rate > 0 ? next + 1 : Math.min(frames.size(), next + 64);
            if (rate > 0) {
                long due = start + (long) next * 1_000_000_000L / rate;
                while (s.nanoTime() - due < 0) {
                    s.pump(Duration.ofNanos(Math.min(1_000_000, due - s.nanoTime())));
                }
            }
            int n = FrameEdge.send(s.host, s.adapter, s.sendPool(offload.largestFrame()), frames.subList(next, end),
                    offload.checksumInfo(), offload.largeSendInfo());
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
                s.pump(Duration.ofMillis(1));
            } else {
                deadline = Long.MAX_VALUE;
                if (s.isMock()) {
                    s.pump(Duration.ofNanos(1000));
                }
            }
            progress.run();
        }
        // Bounded by progress: 10 s without a completion (a CheckForHang reset takes a few seconds per hang).
        long wait = s.nanoTime() + 10_000_000_000L;
        long seen = s.edge.completedOk() + s.edge.completedFailed();
        while (seen - before < next && s.nanoTime() - wait < 0 && !s.deviceGoneLately()) {
            s.pump(Duration.ofMillis(1));
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

package io.nicup.ndis.host;

import io.nicup.ndis.NdisInternal;
import io.nicup.vfio.DeviceClock;
import java.util.ArrayList;
import java.util.List;

/** One-shot and periodic timers on device-clock time; {@link #runDue()} fires what is due, in due order. */
@NdisInternal
public final class TimerQueue {

    /** A timer; {@code action} runs on the thread that calls {@link #runDue()}. */
    @NdisInternal
    public static final class Scheduled {
        final Runnable action;
        long dueNanos;
        long periodNanos;
        boolean queued;

        public Scheduled(Runnable action) {
            this.action = action;
        }
    }

    private final DeviceClock clock;
    private final List<Scheduled> queue = new ArrayList<>();

    public TimerQueue(DeviceClock clock) {
        this.clock = clock;
    }

    /** Queues (or requeues) {@code s}; returns whether it was already queued. */
    public synchronized boolean set(Scheduled s, long dueInNanos, long periodNanos) {
        boolean was = s.queued;
        s.dueNanos = clock.nanoTime() + Math.max(0, dueInNanos);
        s.periodNanos = Math.max(0, periodNanos);
        if (!was) {
            queue.add(s);
            s.queued = true;
        }
        return was;
    }

    /** Removes {@code s}; returns whether it was queued. */
    public synchronized boolean cancel(Scheduled s) {
        boolean was = s.queued;
        queue.remove(s);
        s.queued = false;
        return was;
    }

    public synchronized boolean isQueued(Scheduled s) {
        return s.queued;
    }

    /** Device-clock time of the next due timer, or Long.MAX_VALUE. */
    synchronized long nextDue() {
        long next = Long.MAX_VALUE;
        for (Scheduled s : queue) {
            next = Math.min(next, s.dueNanos);
        }
        return next;
    }

    /** Runs every timer due by now (each at most once per call); returns how many ran. */
    int runDue() {
        long now = clock.nanoTime();
        int ran = 0;
        List<Scheduled> firedOnce = new ArrayList<>();
        while (true) {
            Scheduled next = null;
            synchronized (this) {
                for (Scheduled s : queue) {
                    if (s.dueNanos - now <= 0 && !firedOnce.contains(s) && (next == null || s.dueNanos < next.dueNanos)) {
                        next = s;
                    }
                }
                if (next == null) {
                    return ran;
                }
                if (next.periodNanos > 0) {
                    next.dueNanos += next.periodNanos;
                } else {
                    queue.remove(next);
                    next.queued = false;
                }
            }
            firedOnce.add(next);
            next.action.run();
            ran++;
        }
    }
}

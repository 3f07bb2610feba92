package io.nicup.mock;

import io.nicup.vfio.DeviceClock;

import java.util.ArrayList;
import java.util.List;
import java.util.PriorityQueue;
import java.util.function.BooleanSupplier;

/**
 * Simulated time for mock devices: a counter of nanoseconds and a queue of device events (reset
 * completion, autonegotiation, link changes, scheduled frames) that run, in order, when the driver
 * waits. Fully deterministic: no threads, no wall clock. Time moves only when somebody calls
 * {@link #sleepNanos}, {@link #advance} or {@link #runUntil} (an {@code InterruptSet.await} does).
 *
 * <p>Events due at the same instant run in the order they were scheduled. An event may schedule
 * further events; those due before the target time run in the same call.
 *
 * <p>Not thread-safe: a mock device and its clock belong to one thread (the driver's).
 */
public final class VirtualClock implements DeviceClock {

    /** A scheduled device event. */
    public interface Event {
        /** Removes the event from the queue if it has not run yet. Idempotent. */
        void cancel();

        /** Still waiting to run (not run, not cancelled). */
        boolean pending();

        /** Virtual time at which it runs. */
        long dueNanos();

        String name();
    }

    private static final class Scheduled implements Event {
        final long due;
        final long seq;
        final String name;
        final Runnable action;
        boolean cancelled;
        boolean done;

        Scheduled(long due, long seq, String name, Runnable action) {
            this.due = due;
            this.seq = seq;
            this.name = name;
            this.action = action;
        }

        @Override
        public void cancel() {
            cancelled = true;
        }

        @Override
        public boolean pending() {
            return !cancelled && !done;
        }

        @Override
        public long dueNanos() {
            return due;
        }

        @Override
        public String name() {
            return name;
        }

        @Override
        public String toString() {
            return name + "@" + due;
        }
    }

    private final PriorityQueue<Scheduled> queue = new PriorityQueue<>((a, b) -> a.due != b.due
            ? Long.compare(a.due, b.due) : Long.compare(a.seq, b.seq));
    private long now;
    private long sequence;
    private boolean running;

    @Override
    public long nanoTime() {
        return now;
    }

    /**
     * Advances time by {@code nanos} and runs every event that falls due. A non-positive argument still
     * advances by one nanosecond, so that a driver spinning on {@code sleepNanos(0)} makes progress.
     */
    @Override
    public void sleepNanos(long nanos) {
        advance(Math.max(1, nanos));
    }

    /** Advances time by {@code nanos} (0 runs only what is already due). */
    public void advance(long nanos) {
        if (nanos < 0) {
            throw new IllegalArgumentException("negative time step: nanos=" + nanos);
        }
        runUntil(saturatingAdd(now, nanos), null);
    }

    /**
     * Runs events in order until {@code stop} holds (checked before the first and after every event)
     * or the next event lies beyond {@code deadline}; in the latter case time ends at {@code deadline}.
     * When {@code stop} became true, time stays at the event that made it so.
     *
     * @return whether {@code stop} holds at the end
     */
    public boolean runUntil(long deadline, BooleanSupplier stop) {
        if (running) {
            throw new IllegalStateException("virtual time advanced from inside a device event: now=" + now);
        }
        if (stop != null && stop.getAsBoolean()) {
            return true;
        }
        running = true;
        try {
            while (true) {
                Scheduled e = queue.peek();
                if (e == null || e.due > deadline) {
                    break;
                }
                queue.poll();
                if (e.cancelled) {
                    continue;
                }
                if (e.due > now) {
                    now = e.due;
                }
                e.done = true;
                e.action.run();
                if (stop != null && stop.getAsBoolean()) {
                    return true;
                }
            }
            if (deadline > now) {
                now = deadline;
            }
        } finally {
            running = false;
        }
        return stop != null && stop.getAsBoolean();
    }

    /** Schedules {@code action} to run {@code delayNanos} from now (0 = at the next advance). */
    public Event schedule(long delayNanos, String name, Runnable action) {
        if (delayNanos < 0) {
            throw new IllegalArgumentException("negative delay: name=" + name + " delayNanos=" + delayNanos);
        }
        Scheduled s = new Scheduled(saturatingAdd(now, delayNanos), sequence++, name, action);
        queue.add(s);
        return s;
    }

    /** Events still waiting to run. */
    public int pendingEvents() {
        int n = 0;
        for (Scheduled s : queue) {
            if (!s.cancelled) {
                n++;
            }
        }
        return n;
    }

    /** Names of the waiting events in due order, for assertions and traces. */
    public List<String> pendingEventNames() {
        List<Scheduled> copy = new ArrayList<>(queue);
        copy.sort((a, b) -> a.due != b.due ? Long.compare(a.due, b.due) : Long.compare(a.seq, b.seq));
        List<String> names = new ArrayList<>();
        for (Scheduled s : copy) {
            if (!s.cancelled) {
                names.add(s.name);
            }
        }
        return names;
    }

    /** Due time of the next waiting event, {@code Long.MAX_VALUE} when none. */
    public long nextEventNanos() {
        for (Scheduled s; (s = queue.peek()) != null && s.cancelled; ) {
            queue.poll();
        }
        Scheduled s = queue.peek();
        return s == null ? Long.MAX_VALUE : s.due;
    }

    static long saturatingAdd(long a, long b) {
        long r = a + b;
        return ((a ^ r) & (b ^ r)) < 0 ? Long.MAX_VALUE : r;
    }
}

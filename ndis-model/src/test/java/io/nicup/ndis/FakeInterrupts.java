package io.nicup.ndis;

import io.nicup.vfio.DeviceAccessException;
import io.nicup.vfio.InterruptMode;
import io.nicup.vfio.InterruptSet;
import io.nicup.vfio.Interrupts;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/** The interrupts of a {@link FakePciDevice}: MSI-X x5, MSI x1, INTx x1; one mode armed at a time. */
final class FakeInterrupts implements Interrupts {
    final Map<InterruptMode, Integer> max = new EnumMap<>(Map.of(InterruptMode.MSIX, 5, InterruptMode.MSI, 1,
            InterruptMode.INTX, 1));
    private FakeInterruptSet armed;
    final AtomicInteger armedCount = new AtomicInteger();

    @Override
    public int maxVectors(InterruptMode mode) {
        return max.getOrDefault(mode, 0);
    }

    @Override
    public synchronized InterruptSet enable(InterruptMode mode, int count) {
        if (armed != null && !armed.closed) {
            throw new DeviceAccessException(DeviceAccessException.Reason.INVALID_ARGUMENT, "already armed", "");
        }
        armed = new FakeInterruptSet(mode, count);
        armedCount.incrementAndGet();
        return armed;
    }

    synchronized FakeInterruptSet armed() {
        return armed != null && !armed.closed ? armed : null;
    }

    /** Fires {@code vector} of the armed set (a device interrupt). */
    void fire(int vector) {
        FakeInterruptSet set = armed();
        if (set == null) {
            throw new IllegalStateException("no vectors armed");
        }
        set.fire(vector);
    }

    void closeArmed() {
        FakeInterruptSet set = armed();
        if (set != null) {
            set.close();
        }
    }

    static final class FakeInterruptSet implements InterruptSet {
        private final InterruptMode mode;
        private final int count;
        private final ReentrantLock lock = new ReentrantLock();
        private final Condition fired = lock.newCondition();
        private long pending;
        private final long[] events = new long[64];
        final AtomicInteger acknowledged = new AtomicInteger();
        volatile boolean closed;

        FakeInterruptSet(InterruptMode mode, int count) {
            this.mode = mode;
            this.count = count;
        }

        void fire(int vector) {
            lock.lock();
            try {
                pending |= 1L << vector;
                events[vector]++;
                fired.signalAll();
            } finally {
                lock.unlock();
            }
        }

        @Override
        public InterruptMode mode() {
            return mode;
        }

        @Override
        public int count() {
            return count;
        }

        @Override
        public long await(long timeoutNanos) {
            lock.lock();
            try {
                long left = timeoutNanos;
                while (pending == 0 && !closed && left > 0) {
                    left = fired.awaitNanos(left);
                }
                long p = pending;
                pending = 0;
                return p;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return 0;
            } finally {
                lock.unlock();
            }
        }

        @Override
        public long poll() {
            lock.lock();
            try {
                long p = pending;
                pending = 0;
                return p;
            } finally {
                lock.unlock();
            }
        }

        @Override
        public void acknowledge(int vector) {
            acknowledged.incrementAndGet();
        }

        @Override
        public long events(int vector) {
            lock.lock();
            try {
                return events[vector];
            } finally {
                lock.unlock();
            }
        }

        @Override
        public void close() {
            lock.lock();
            try {
                closed = true;
                fired.signalAll();
            } finally {
                lock.unlock();
            }
        }

        /** For threaded tests: waits (really) until nothing is pending. */
        boolean awaitDrained(long timeout, TimeUnit unit) throws InterruptedException {
            long deadline = System.nanoTime() + unit.toNanos(timeout);
            while (true) {
                lock.lock();
                try {
                    if (pending == 0) {
                        return true;
                    }
                } finally {
                    lock.unlock();
                }
                if (System.nanoTime() > deadline) {
                    return false;
                }
                Thread.onSpinWait();
            }
        }
    }
}

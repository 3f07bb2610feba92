package io.nicup.ndis;

import io.nicup.vfio.DeviceClock;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

/** Virtual time: {@link #sleepNanos} advances it at once, so nothing in a test ever really waits. */
public final class ManualClock implements DeviceClock {

    private final AtomicLong now = new AtomicLong(1_000_000_000L);

    @Override
    public long nanoTime() {
        return now.get();
    }

    @Override
    public void sleepNanos(long nanos) {
        now.addAndGet(Math.max(nanos, 1));
    }

    public void advance(Duration d) {
        now.addAndGet(d.toNanos());
    }
}

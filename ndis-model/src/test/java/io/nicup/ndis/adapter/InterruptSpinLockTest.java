package io.nicup.ndis.adapter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The interrupt's spin lock: exclusion between threads, a waiter that parked still gets it, no self-deadlock. */
class InterruptSpinLockTest {

    private static final long DEADLINE_SECONDS = 10;

    private final InterruptSpinLock lock = new InterruptSpinLock();
    /** Written only under the lock, with a plain read-modify-write that loses updates unless excluded. */
    private long guarded;

    private void addUnderLock(int times) {
        for (int i = 0; i < times; i++) {
            lock.acquire();
            try {
                long seen = guarded;
                Thread.onSpinWait();                         // widens the window another holder would use
                guarded = seen + 1;
            } finally {
                lock.release();
            }
        }
    }

    @Test
    void twoThreadsThatAddUnderTheLockLoseNoUpdate() throws Exception {
        int each = 200_000;
        CompletableFuture<Void> other = CompletableFuture.runAsync(() -> addUnderLock(each));
        addUnderLock(each);
        other.get(DEADLINE_SECONDS, TimeUnit.SECONDS);
        assertThat(guarded).as("every increment of both threads").isEqualTo(2L * each);
    }

    @Test
    void aWaiterThatHadToParkTakesTheLockOnceItIsGivenBack() throws Exception {
        CountDownLatch waiting = new CountDownLatch(1);
        lock.acquire();
        CompletableFuture<Long> waiter = CompletableFuture.supplyAsync(() -> {
            waiting.countDown();
            lock.acquire();                                  // spins, yields, then parks: the holder waits below
            try {
                return guarded;
            } finally {
                lock.release();
            }
        });
        assertThat(waiting.await(DEADLINE_SECONDS, TimeUnit.SECONDS)).isTrue();
        long until = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(50);
        while (System.nanoTime() < until) {                  // long enough to exhaust the spins and the yields
            Thread.onSpinWait();
        }
        assertThat(waiter).as("still waiting while the lock is held").isNotDone();
        guarded = 42;                                        // written under the lock: the waiter must see it
        lock.release();
        assertThat(waiter.get(DEADLINE_SECONDS, TimeUnit.SECONDS)).isEqualTo(42);
    }

    @Test
    void takingItAgainOnTheThreadThatHoldsItThrowsAndLeavesItHeldOnce() throws Exception {
        lock.acquire();
        assertThatThrownBy(lock::acquire).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("already held by this thread").hasMessageContaining("thread=");
        lock.release();
        CompletableFuture<Boolean> other = CompletableFuture.supplyAsync(() -> {
            lock.acquire();
            lock.release();
            return true;
        });
        assertThat(other.get(DEADLINE_SECONDS, TimeUnit.SECONDS)).as("one release frees it").isTrue();
    }
}

package io.nicup.ndis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.nicup.ndis.datapath.NetBufferList;
import io.nicup.ndis.datapath.NetBufferListPool;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The per-thread free cache in front of a pool's shared stack (docs/ndis-contract.md §19.3). */
class NetBufferListCacheTest {

    private static final int CAPACITY = 512;

    /** The cache's owner allocates and frees a batch while another thread holds the pool's lock. */
    @Test
    void theOwnerAllocatesAndFreesABatchWithoutThePoolsLock() throws Exception {
        try (Rig rig = new Rig()) {
            rig.running();
            NetBufferListPool pool = rig.host().allocateSendPool(rig.adapter, CAPACITY, 128);
            NetBufferList[] batch = new NetBufferList[32];
            cycle(pool, batch);                                  // takes the cache and fills it

            CountDownLatch held = new CountDownLatch(1);
            CountDownLatch release = new CountDownLatch(1);
            AtomicBoolean gaveUp = new AtomicBoolean();
            Thread holder = new Thread(() -> {
                synchronized (pool) {
                    held.countDown();
                    gaveUp.set(!awaitQuietly(release));     // set before the lock is let go
                }
            });
            holder.start();
            held.await();
            Thread owner = new Thread(() -> cycle(pool, batch));
            owner.start();                                       // a new thread: not the owner, must wait
            owner.join(200);
            assertThat(owner.isAlive()).as("a stranger waits for the lock").isTrue();
            for (int i = 0; i < 10; i++) {
                cycle(pool, batch);                              // the owner: no lock
            }
            assertThat(gaveUp).as("the owner cycled while the lock was held, without waiting for it").isFalse();
            release.countDown();
            holder.join();
            owner.join();
            assertThat(pool.available()).isEqualTo(CAPACITY);
        }
    }

    @Test
    void availableCountsTheCacheExactlyAndAStrangerGetsEverythingOnceTheOwnerFlushed() throws Exception {
        try (Rig rig = new Rig()) {
            rig.running();
            NetBufferListPool pool = rig.host().allocateSendPool(rig.adapter, CAPACITY, 128);
            NetBufferList[] batch = new NetBufferList[32];
            assertThat(pool.allocate(batch, 0, 32)).isEqualTo(32);
            assertThat(pool.available()).isEqualTo(CAPACITY - 32);
            free(pool, batch);
            assertThat(pool.available()).isEqualTo(CAPACITY);

            assertThat(strangerAllocates(pool)).as("the owner's cache stays the owner's").isLessThan(CAPACITY);
            assertThat(pool.available()).isEqualTo(CAPACITY);
            pool.flushCache();
            assertThat(strangerAllocates(pool)).isEqualTo(CAPACITY);
        }
    }

    @Test
    void pausingTheAdapterFlushesThePausingThreadsCache() throws Exception {
        try (Rig rig = new Rig()) {
            rig.running();
            NetBufferListPool pool = rig.host().allocateSendPool(rig.adapter, CAPACITY, 128);
            NetBufferList[] batch = new NetBufferList[32];
            cycle(pool, batch);

            rig.host().pause(rig.adapter);

            assertThat(strangerAllocates(pool)).isEqualTo(CAPACITY);
        }
    }

    @Test
    void aStrangerTakesOverTheCacheOfAnOwnerThatEnded() throws Exception {
        try (Rig rig = new Rig()) {
            rig.running();
            NetBufferListPool pool = rig.host().allocateSendPool(rig.adapter, CAPACITY, 128);
            Thread owner = new Thread(() -> cycle(pool, new NetBufferList[32]));
            owner.start();
            owner.join();
            assertThat(pool.available()).isEqualTo(CAPACITY);
            NetBufferList[] all = new NetBufferList[CAPACITY];
            assertThat(pool.allocate(all, 0, CAPACITY)).as("the ended owner's cache included").isEqualTo(CAPACITY);
            assertThat(pool.available()).isZero();
            assertThat(pool.allocate()).isNull();
        }
    }

    @Test
    void aChainRefusedByTheOwnersCachedWalkChangesNothing() {
        try (Rig rig = new Rig()) {
            rig.running();
            NetBufferListPool pool = rig.host().allocateSendPool(rig.adapter, CAPACITY, 128);
            NetBufferListPool other = rig.host().allocateSendPool(rig.adapter, 4, 128);
            NetBufferList[] batch = new NetBufferList[2];
            assertThat(pool.allocate(batch, 0, 2)).isEqualTo(2);
            NetBufferList foreign = other.allocate();
            batch[0].setNext(batch[1]);
            batch[1].setNext(foreign);

            assertThatThrownBy(() -> pool.freeChain(batch[0])).isInstanceOf(NdisException.class)
                    .hasMessageContaining("does not belong");

            assertThat(pool.available()).isEqualTo(CAPACITY - 2);
            assertThat(batch[0].owner()).isEqualTo(NetBufferList.ALLOCATED);
            assertThat(batch[1].owner()).isEqualTo(NetBufferList.ALLOCATED);
            NetBufferList[] rest = new NetBufferList[CAPACITY];
            assertThat(pool.allocate(rest, 0, CAPACITY)).as("nothing twice").isEqualTo(CAPACITY - 2);
        }
    }

    private static void cycle(NetBufferListPool pool, NetBufferList[] batch) {
        int got = pool.allocate(batch, 0, batch.length);
        if (got != batch.length) {
            throw new AssertionError("allocated " + got);
        }
        free(pool, batch);
    }

    private static void free(NetBufferListPool pool, NetBufferList[] batch) {
        for (int i = 0; i < batch.length; i++) {
            batch[i].setNext(i + 1 < batch.length ? batch[i + 1] : null);
        }
        pool.freeChain(batch[0]);
    }

    /** NBLs another thread gets from the pool (given back before it returns). */
    private static int strangerAllocates(NetBufferListPool pool) throws InterruptedException {
        AtomicInteger got = new AtomicInteger();
        Thread t = new Thread(() -> {
            NetBufferList[] all = new NetBufferList[CAPACITY];
            int n = pool.allocate(all, 0, CAPACITY);
            got.set(n);
            for (int i = 0; i < n; i++) {
                pool.free(all[i]);
            }
            pool.flushCache();
        });
        t.start();
        t.join();
        return got.get();
    }

    private static boolean awaitQuietly(CountDownLatch latch) {
        try {
            return latch.await(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}

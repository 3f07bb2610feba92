package io.nicup.ndis.datapath;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;

class SingleWriterCountersTest {

    private static void runOn(Runnable body) throws InterruptedException {
        Thread t = Thread.ofPlatform().start(body);
        t.join();
    }

    @Test
    void theFirstWriterOwnsTheCellsAndItsAddsArePlainStores() {
        SingleWriterCounters c = new SingleWriterCounters(2);
        c.add(0, 5);
        c.add(1, 7);
        c.add(0, 1);

        assertThat(c.get(0)).isEqualTo(6);
        assertThat(c.get(1)).isEqualTo(7);
        assertThat(c.ownerPart(0)).isEqualTo(6);
        assertThat(c.othersPart(0)).isZero();
    }

    @Test
    void aSecondThreadWhileTheOwnerLivesAddsToTheSharedCellAndNothingIsLost() throws Exception {
        SingleWriterCounters c = new SingleWriterCounters(1);
        CountDownLatch owned = new CountDownLatch(1);
        CountDownLatch done = new CountDownLatch(1);
        Thread owner = Thread.ofPlatform().start(() -> {
            c.add(0, 3);
            owned.countDown();
            try {
                done.await();   // alive while the other thread adds
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            c.add(0, 10);
        });
        owned.await();
        runOn(() -> c.add(0, 4));
        assertThat(c.othersPart(0)).as("a live owner keeps the cells: the stranger takes the atomic cell")
                .isEqualTo(4);
        done.countDown();
        owner.join();

        assertThat(c.ownerPart(0)).isEqualTo(13);
        assertThat(c.get(0)).isEqualTo(17);
    }

    @Test
    void whenTheOwnerHasEndedTheNextWriterTakesTheCellsOverAndContinuesFromItsCount() throws Exception {
        SingleWriterCounters c = new SingleWriterCounters(1);
        runOn(() -> c.add(0, 41));   // the owner adds and ends (a DPC thread stopped at deregistration)

        c.add(0, 1);
        c.add(0, 1);

        assertThat(c.ownerPart(0)).as("taken over, still plain stores").isEqualTo(43);
        assertThat(c.othersPart(0)).isZero();
        assertThat(c.get(0)).isEqualTo(43);
    }

    @Test
    void manyThreadsAddingAtOnceLoseNothing() throws Exception {
        SingleWriterCounters c = new SingleWriterCounters(1);
        int threads = 4;
        int adds = 20_000;
        CountDownLatch start = new CountDownLatch(1);
        Thread[] ts = new Thread[threads];
        for (int t = 0; t < threads; t++) {
            ts[t] = Thread.ofPlatform().start(() -> {
                try {
                    start.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                for (int i = 0; i < adds; i++) {
                    c.add(0, 1);
                }
            });
        }
        start.countDown();
        for (Thread t : ts) {
            t.join();
        }
        assertThat(c.get(0)).isEqualTo((long) threads * adds);
    }
}

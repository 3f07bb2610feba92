package io.nicup.ndis.datapath;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import org.junit.jupiter.api.Test;

/**
 * The counts under the threads they have in a running adapter: a protocol thread sending, a DPC
 * completing what it sent, and a reader taking snapshots meanwhile. The outcome is exact whatever the
 * interleaving; nothing waits on a clock.
 */
class DataPathBookkeepingTest {

    private static final int BATCHES = 20_000;
    /** Ends the completer's queue. */
    private static final int[] DONE = new int[0];

    @Test
    void countsStayExactWithASenderAndACompleterOnTwoThreadsAndSnapshotsNeverGoNegative() throws Exception {
        DataPathBookkeeping b = new DataPathBookkeeping();
        BlockingQueue<int[]> toDevice = new ArrayBlockingQueue<>(64);
        Thread sender = Thread.ofPlatform().name("protocol").start(() -> {
            try {
                for (int i = 0; i < BATCHES; i++) {
                    int n = 1 + i % 32;
                    b.sent(n);                          // counted before the miniport sees the chain
                    toDevice.put(new int[] {n, i % 5 == 0 ? 1 : 0});
                }
                toDevice.put(DONE);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        Thread completer = Thread.ofPlatform().name("dpc").start(() -> {
            try {
                for (int[] batch = toDevice.take(); batch != DONE; batch = toDevice.take()) {
                    b.completed(batch[0], batch[1]);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        List<DataPathCounters> seen = new ArrayList<>();
        while (completer.isAlive()) {
            DataPathCounters c = b.snapshot();
            seen.add(c);
            assertThat(c.sendsOutstanding()).as("outstanding in %s", c).isBetween(0L, c.sends());
            assertThat(b.sendsOutstanding()).isGreaterThanOrEqualTo(0);
        }
        sender.join();
        completer.join();

        long expectedSends = 0;
        long expectedFailed = 0;
        for (int i = 0; i < BATCHES; i++) {
            expectedSends += 1 + i % 32;
            expectedFailed += i % 5 == 0 ? 1 : 0;
        }
        DataPathCounters end = b.snapshot();
        assertThat(end.sends()).isEqualTo(expectedSends);
        assertThat(end.sendsCompleted()).isEqualTo(expectedSends);
        assertThat(end.sendsFailed()).isEqualTo(expectedFailed);
        assertThat(end.sendsOutstanding()).isZero();
        assertThat(b.sendsOutstanding()).isZero();
        assertThat(seen).isNotEmpty();
    }

    @Test
    void receivesOutstandingAreTheNblsIndicatedWithoutResourcesLessThoseReturned() throws Exception {
        DataPathBookkeeping b = new DataPathBookkeeping();
        BlockingQueue<Integer> toProtocol = new ArrayBlockingQueue<>(64);
        Thread dpc = Thread.ofPlatform().name("dpc").start(() -> {
            try {
                for (int i = 0; i < BATCHES; i++) {
                    boolean resources = i % 7 == 0;
                    b.indicated(8, 8 * 60, resources);
                    if (!resources) {
                        toProtocol.put(8);
                    }
                }
                toProtocol.put(-1);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        Thread protocol = Thread.ofPlatform().name("protocol").start(() -> {
            try {
                for (int n = toProtocol.take(); n > 0; n = toProtocol.take()) {
                    b.returned(n);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        while (protocol.isAlive()) {
            DataPathCounters c = b.snapshot();
            assertThat(c.receivesOutstanding()).as("outstanding in %s", c).isGreaterThanOrEqualTo(0);
        }
        dpc.join();
        protocol.join();

        long withResources = (BATCHES + 6) / 7 * 8L;
        DataPathCounters end = b.snapshot();
        assertThat(end.receiveIndications()).isEqualTo(BATCHES);
        assertThat(end.receivedNbls()).isEqualTo(8L * BATCHES);
        assertThat(end.receivedBytes()).isEqualTo(8L * 60 * BATCHES);
        assertThat(end.receivedWithResources()).isEqualTo(withResources);
        assertThat(end.returnedNbls()).isEqualTo(8L * BATCHES - withResources);
        assertThat(end.receivesOutstanding()).isZero();
    }

    @Test
    void aCompletionInlineOnTheSendingThreadBesideTheDpcIsCountedOnce() throws Exception {
        DataPathBookkeeping b = new DataPathBookkeeping();
        Thread dpc = Thread.ofPlatform().start(() -> b.completed(0, 0));   // the DPC completes first and ends
        dpc.join();
        b.sent(3);
        b.completed(1, 1);          // the miniport completes one inline (PAUSED) from its send handler
        Thread later = Thread.ofPlatform().start(() -> b.completed(2, 0));
        later.join();

        DataPathCounters c = b.snapshot();
        assertThat(c.sendsCompleted()).isEqualTo(3);
        assertThat(c.sendsFailed()).isEqualTo(1);
        assertThat(c.sendsOutstanding()).isZero();
    }
}

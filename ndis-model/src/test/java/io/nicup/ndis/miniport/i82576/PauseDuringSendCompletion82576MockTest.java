package io.nicup.ndis.miniport.i82576;

import static org.assertj.core.api.Assertions.assertThat;

import io.nicup.ndis.NdisStatus;
import io.nicup.ndis.adapter.AdapterState;
import io.nicup.ndis.miniport.core.NdisDataPath;
import io.nicup.ndis.protocol.FrameEdge;
import io.nicup.vfio.DeviceClock;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A pause that comes while the transmit DPC holds sends it took off the ring and has not yet handed to NDIS
 * (docs/ndis-contract.md §19.2): those sends are still outstanding for NDIS, so the pause must return PENDING
 * and complete once, when NdisMSendNetBufferListsComplete has taken them. Seen in the QEMU igb guest as
 * {@code rule=STATE-05 PAUSE_SENDS_OUTSTANDING sends_outstanding=32}: the pause looked only at the ring and
 * the queue, found both empty and returned SUCCESS.
 *
 * <p>The DPC thread is stopped at NDIS's first clock read outside txLock: inside
 * NdisMSendNetBufferListsComplete, before NDIS counts the sends completed.
 */
class PauseDuringSendCompletion82576MockTest {

    private static final int SENDS = 32;

    /** Stops the armed thread at its first clock read outside txLock, until released. */
    private static final class ClockGate {
        final CountDownLatch reached = new CountDownLatch(1);
        final CountDownLatch release = new CountDownLatch(1);
        volatile Thread armed;
        volatile Object txLock;

        DeviceClock wrap(DeviceClock clock) {
            return new DeviceClock() {
                @Override
                public long nanoTime() {
                    pass();
                    return clock.nanoTime();
                }

                @Override
                public void sleepNanos(long nanos) {
                    clock.sleepNanos(nanos);
                }
            };
        }

        private void pass() {
            if (armed == Thread.currentThread() && !Thread.holdsLock(txLock)) {
                armed = null;
                reached.countDown();
                try {
                    release.await(20, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }
    }

    @Test
    void aPauseWhileTheDpcHandsFinishedSendsToNdisWaitsForThemAndCompletesOnce() throws Exception {
        ClockGate gate = new ClockGate();
        ExecutorService dpc = Executors.newSingleThreadExecutor();
        try (MockBench b = new MockBench("mock:82576", "", gate::wrap)) {
            b.running();
            NdisDataPath dataPath = b.nic().dataPath();
            gate.txLock = dataPath.txLock();
            List<byte[]> frames = MockBench.frames(MockBench.PEER, MockBench.MAC, SENDS, 60, 0);
            long okBefore = b.edge.completedOk();
            assertThat(FrameEdge.send(b.host, b.adapter, b.sendPool(), frames)).isEqualTo(SENDS);
            b.device.clock().sleepNanos(1_000_000);          // the device sends them; no DPC runs (nothing pumps the host)

            Future<?> completion = dpc.submit(() -> {
                gate.armed = Thread.currentThread();
                dataPath.serviceTx();
            });
            assertThat(gate.reached.await(10, TimeUnit.SECONDS)).as("the DPC reached NdisMSendNetBufferListsComplete")
                    .isTrue();
            assertThat(dataPath.drain().describe()).as("the ring gave them up").contains("tx_in_flight=0");
            assertThat(b.edge.completedOk()).as("not yet with the protocol").isEqualTo(okBefore);

            assertThat(b.host.pause(b.adapter)).as("sends still being completed: the pause waits")
                    .isEqualTo(NdisStatus.PENDING);
            assertThat(b.adapter.state()).isEqualTo(AdapterState.PAUSING);
            assertThat(pauseCompletions(b)).isZero();

            gate.release.countDown();
            completion.get(10, TimeUnit.SECONDS);
            assertThat(b.edge.completedOk()).isEqualTo(okBefore + SENDS);
            assertThat(b.adapter.state()).as("the completion completed the pause").isEqualTo(AdapterState.PAUSED);
            assertThat(pauseCompletions(b)).as("NdisMPauseComplete calls").isEqualTo(1);
            assertThat(b.adapter.counters().sendsOutstanding()).isZero();
            b.halt();
            assertThat(b.host.verifier().violations()).isEmpty();
        } finally {
            gate.release.countDown();
            dpc.shutdownNow();
        }
    }

    private static long pauseCompletions(MockBench b) {
        return b.host.trace().events().stream().filter(e -> e.name().equals("NdisMPauseComplete")).count();
    }
}

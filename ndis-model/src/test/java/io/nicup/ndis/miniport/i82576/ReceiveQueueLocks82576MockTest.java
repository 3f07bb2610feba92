package io.nicup.ndis.miniport.i82576;

import static io.nicup.ndis.miniport.i82576.ReceiveScale82576MockTest.ALL_TYPES;
import static io.nicup.ndis.miniport.i82576.ReceiveScale82576MockTest.KEY;
import static io.nicup.ndis.miniport.i82576.ReceiveScale82576MockTest.TOEPLITZ;
import static io.nicup.ndis.miniport.i82576.ReceiveScale82576MockTest.parameters;
import static io.nicup.ndis.miniport.i82576.ReceiveScale82576MockTest.set;
import static org.assertj.core.api.Assertions.assertThat;

import io.nicup.ndis.NdisStatus;
import io.nicup.ndis.miniport.MockMiniportBench;
import io.nicup.ndis.miniport.core.NdisDataPath;
import io.nicup.ndis.protocol.FrameEdge;
import io.nicup.ndis.rss.RssParameterSet;
import io.nicup.vfio.PciDevice;
import io.nicup.vfio.RegisterSpace;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;

/**
 * One lock per receive queue (docs/ndis-contract.md §21.3): queue 0's receive DPC and queue 1's run at once
 * on two threads, as their MSI-X messages run on two processors. Queue 0's DPC is held inside its own receive
 * lock (its return's RDT doorbell stalls, as a slow MMIO write would) while queue 1's DPC, on another thread,
 * indicates its frames and takes them back. With one receive lock for every queue, queue 1's DPC waits for
 * queue 0's and this fails.
 */
class ReceiveQueueLocks82576MockTest {

    /** Stalls the writer of RDT(0) once armed, until released; everything else goes to the device. */
    private static final class RdtGate {
        final CountDownLatch reached = new CountDownLatch(1);
        final CountDownLatch release = new CountDownLatch(1);
        volatile boolean armed;

        void pass(long offset) throws InterruptedException {
            if (armed && offset == Regs82576.RDT(0)) {
                armed = false;
                reached.countDown();
                release.await(20, TimeUnit.SECONDS);
            }
        }
    }

    private static PciDevice gated(PciDevice d, RdtGate gate) {
        RegisterSpace bar0 = d.bar(0);
        RegisterSpace gatedBar0 = (RegisterSpace) Proxy.newProxyInstance(RegisterSpace.class.getClassLoader(),
                new Class<?>[] {RegisterSpace.class}, (proxy, method, args) -> {
                    if (method.getName().startsWith("write") && args != null && args.length == 2) {
                        gate.pass((Long) args[0]);
                    }
                    return invoke(method, bar0, args);
                });
        return (PciDevice) Proxy.newProxyInstance(PciDevice.class.getClassLoader(), new Class<?>[] {PciDevice.class},
                (proxy, method, args) -> method.getName().equals("bar") && (Integer) args[0] == 0 ? gatedBar0
                        : invoke(method, d, args));
    }

    private static Object invoke(java.lang.reflect.Method method, Object target, Object[] args) throws Throwable {
        try {
            return method.invoke(target, args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }

    @Test
    void queueOnesDpcIndicatesAndTakesItsReturnsWhileQueueZerosDpcIsInsideItsOwnLock() throws Exception {
        RdtGate gate = new RdtGate();
        ExecutorService threads = Executors.newFixedThreadPool(2);
        try (MockBench b = new MockBench("mock:82576", "[*]\n*NumRssQueues=2\n")) {
            b.adapter = b.host.addAdapter(b.loaded, gated(b.device, gate), b.edge);
            assertThat(b.adapter.initStatus()).isEqualTo(NdisStatus.SUCCESS);
            FrameEdge.setPacketFilter(b.host, b.adapter, MockMiniportBench.DEFAULT_FILTER);
            assertThat(b.host.restart(b.adapter)).isEqualTo(NdisStatus.SUCCESS);
            assertThat(b.driver.awaitLink(b.host, b.adapter, Duration.ofSeconds(2))).isTrue();
            assertThat(set(b, parameters(0, TOEPLITZ | ALL_TYPES, RssParameterSet.roundRobin(128, 2), KEY)))
                    .isEqualTo(NdisStatus.SUCCESS);
            NdisDataPath dataPath = b.nic().dataPath();
            assertThat(dataPath.receiveQueues()).isEqualTo(2);
            List<byte[]> flows = ReceiveQueues82576MockTest.flows(64);
            long[] before = b.edge.queueFrames();

            // the frames reach both rings; no DPC has run (nothing pumps the host)
            for (byte[] f : flows) {
                b.inject(f);
            }
            gate.armed = true;
            Future<?> queue0 = threads.submit(() -> dataPath.serviceRx(0));
            assertThat(gate.reached.await(10, TimeUnit.SECONDS)).as("queue 0's return reached its RDT write").isTrue();
            long[] whileQueue0Waits = b.edge.queueFrames();
            assertThat(whileQueue0Waits[0] - before[0]).as("queue 0 indicated before its return stalled").isPositive();

            Future<?> queue1 = threads.submit(() -> dataPath.serviceRx(1));
            try {
                queue1.get(5, TimeUnit.SECONDS);
            } catch (TimeoutException e) {
                throw new AssertionError("queue 1's DPC waited for queue 0's: the receive queues share a lock", e);
            }
            long[] after = b.edge.queueFrames();
            assertThat(after[1] - before[1]).as("queue 1 indicated while queue 0's DPC held its lock").isPositive();
            assertThat(queue0.isDone()).as("queue 0's DPC was still inside its lock meanwhile").isFalse();
            gate.release.countDown();
            queue0.get(10, TimeUnit.SECONDS);

            long[] end = b.edge.queueFrames();
            assertThat((end[0] - before[0]) + (end[1] - before[1])).as("every frame indicated once").isEqualTo(flows.size());
            assertThat(dataPath.rxIndicated()).isEqualTo(end[0] + end[1]);
            assertThat(dataPath.drain().describe()).contains("rx_outstanding=0");
            assertThat(b.host.pause(b.adapter)).as("nothing outstanding on either queue").isEqualTo(NdisStatus.SUCCESS);
            b.halt();
            assertThat(b.host.verifier().violations()).isEmpty();
        } finally {
            gate.release.countDown();
            threads.shutdownNow();
        }
    }
}

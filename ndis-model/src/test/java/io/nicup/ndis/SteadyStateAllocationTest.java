package io.nicup.ndis;

import static org.assertj.core.api.Assertions.assertThat;

import io.nicup.ndis.adapter.MiniportAdapter;
import io.nicup.ndis.datapath.NetBufferList;
import io.nicup.ndis.datapath.NetBufferListPool;
import io.nicup.ndis.protocol.NdisProtocolEdge;
import java.lang.management.ManagementFactory;
import org.junit.jupiter.api.Test;

/** The data path allocates nothing per packet once running (pools preallocated, counters only). */
class SteadyStateAllocationTest {

    /** A protocol that does nothing but hand everything back: allocation-free itself. */
    private static final class QuietEdge implements NdisProtocolEdge {
        @Override
        public void receiveNetBufferLists(MiniportAdapter adapter, NetBufferList netBufferLists, int portNumber,
                int numberOfNetBufferLists, int receiveFlags) {
            adapter.host().returnNetBufferLists(adapter, netBufferLists, 0);
        }

        @Override
        public void sendNetBufferListsComplete(MiniportAdapter adapter, NetBufferList netBufferLists,
                int sendCompleteFlags) {
            NetBufferList nbl = netBufferLists;
            while (nbl != null) {
                NetBufferList next = nbl.next();
                nbl.setNext(null);
                nbl.pool().free(nbl);
                nbl = next;
            }
        }
    }

    @Test
    void sendCompleteIndicateAndReturnAllocateNothingPerPacket() {
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        try (Rig rig = new Rig()) {
            rig.sw.recordTxIovas = false;
            rig.load();
            MiniportAdapter a = rig.host().addAdapter(rig.driver, rig.device, new QuietEdge());
            rig.adapter = a;
            rig.host().restart(a);
            NetBufferListPool pool = rig.host().allocateSendPool(a, 32, 2048);
            byte[] frame = new byte[60];
            TestAdapter ta = rig.ta();
            FakeInterrupts irq = rig.device.interrupts;
            NdisHost host = rig.host();
            Runnable round = () -> {
                NetBufferList nbl = pool.allocate();
                nbl.firstNetBuffer().copyDataFrom(frame, 0, frame.length);
                host.send(a, nbl, 0, 0);
                irq.fire(TestAdapter.VECTOR_TX);
                host.pollInterrupts(a);
                ta.deliverFrame(frame);
                irq.fire(TestAdapter.VECTOR_RX);
                host.pollInterrupts(a);
            };
            for (int i = 0; i < 20_000; i++) {
                round.run();
            }
            int rounds = 50_000;
            long before = threads.getCurrentThreadAllocatedBytes();
            for (int i = 0; i < rounds; i++) {
                round.run();
            }
            long allocated = threads.getCurrentThreadAllocatedBytes() - before;
            assertThat(a.counters().receivedNbls()).isEqualTo(70_000);
            assertThat(a.counters().sendsCompleted()).isEqualTo(70_000);
            // two packets per round; one boxed value or object per packet would be >= 16 bytes each
            assertThat((double) allocated / (2.0 * rounds)).as("bytes allocated per packet").isLessThan(1.0);
            assertThat(rig.verifier().violations()).isEmpty();
        }
    }
}

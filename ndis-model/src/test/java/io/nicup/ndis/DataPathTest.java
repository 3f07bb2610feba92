package io.nicup.ndis;

import static io.nicup.ndis.Violations.assertClean;
import static io.nicup.ndis.Violations.assertRecorded;
import static io.nicup.ndis.Violations.expectThrown;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.nicup.ndis.adapter.MiniportAdapter;
import io.nicup.ndis.datapath.DataPathCounters;
import io.nicup.ndis.datapath.NdisReceiveFlags;
import io.nicup.ndis.datapath.NetBuffer;
import io.nicup.ndis.datapath.NetBufferList;
import io.nicup.ndis.datapath.NetBufferListPool;
import io.nicup.ndis.protocol.NdisProtocolEdge;
import io.nicup.ndis.trace.NdisVerifierException;
import io.nicup.ndis.trace.Rule;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Sends, completions, receive indications and returns (docs/ndis-contract.md §5). */
class DataPathTest {

    @Test
    void aSentFrameReachesTheMiniportWithoutACopyAndIsCompletedPerNbl() {
        try (Rig rig = new Rig()) {
            rig.running();
            NetBufferList first = rig.send("alpha", "beta", "gamma");
            long firstIova = first.firstNetBuffer().dataIova();
            assertThat(firstIova).as("send buffers are DMA memory of the device").isNotEqualTo(NetBuffer.NO_IOVA);
            assertThat(rig.ta().txDataIovas).hasSize(3).first().isEqualTo(firstIova);
            assertThat(rig.adapter.counters().sendsOutstanding()).isEqualTo(3);
            rig.transmitDone();
            assertThat(rig.edge.completionCalls).as("one completion for the batch").isEqualTo(1);
            assertThat(rig.edge.completedStatuses).containsExactly(NdisStatus.SUCCESS, NdisStatus.SUCCESS,
                    NdisStatus.SUCCESS);
            DataPathCounters c = rig.adapter.counters();
            assertThat(c.sends()).isEqualTo(3);
            assertThat(c.sendsCompleted()).isEqualTo(3);
            assertThat(c.sendsOutstanding()).isZero();
            assertThat(rig.sendPool().available()).isEqualTo(64);
            assertClean(rig);
        }
    }

    @Test
    void aSendToAPausedAdapterIsCompletedByNdisWithPaused() {
        try (Rig rig = new Rig()) {
            rig.add();
            rig.send("too early");
            assertThat(rig.edge.completedStatuses).containsExactly(NdisStatus.PAUSED);
            assertThat(rig.ta().txDataIovas).as("the miniport never saw it").isEmpty();
            assertThat(rig.adapter.counters().sendsRejectedByNdis()).isEqualTo(1);
            assertClean(rig);
        }
    }

    @Test
    void aSendWhilePausingCompletedWithAnythingButPausedIsReported() {
        try (Rig rig = new Rig()) {
            rig.sw.completeSendsWithSuccessWhilePausing = true;
            rig.edge.receiveMode = RecordingEdge.ReceiveMode.HOLD;
            rig.running();
            rig.receive("keeps the pause pending");
            assertThat(rig.host().pause(rig.adapter)).isEqualTo(NdisStatus.PENDING);
            rig.send("during pause");
            expectThrown(Rule.SEND_WHILE_PAUSING, rig::transmitDone);
        }
    }

    @Test
    void completingASendTwiceIsReported() {
        try (Rig rig = new Rig()) {
            rig.sw.completeSendsTwice = true;
            rig.running();
            rig.send("once");
            NdisVerifierException e = expectThrown(Rule.SEND_COMPLETE_TWICE, rig::transmitDone);
            assertThat(e.getMessage()).contains("protocol-send#");
            assertThat(rig.edge.completedStatuses).as("the protocol saw it once").hasSize(1);
        }
    }

    @Test
    void completingAnNblThatWasNeverSentIsReported() {
        try (Rig rig = new Rig().record()) {
            rig.running();
            NetBufferList receiveNbl = rig.ta().rxNbls[0];
            rig.ndis().NdisMSendNetBufferListsComplete(rig.ta().handle, receiveNbl, 0);
            assertRecorded(rig, Rule.SEND_COMPLETE_UNKNOWN);
            assertThat(rig.edge.completionCalls).as("nothing reached the protocol").isZero();
        }
    }

    @Test
    void aCompletionStatusOutsideTheDocumentedSetIsReported() {
        try (Rig rig = new Rig()) {
            rig.sw.txCompletionStatus = NdisStatus.INVALID_DATA;
            rig.running();
            rig.send("x");
            expectThrown(Rule.SEND_COMPLETE_STATUS, rig::transmitDone);
        }
        try (Rig rig = new Rig()) {
            rig.sw.txCompletionStatus = NdisStatus.RESOURCES;
            rig.running();
            rig.send("x");
            rig.transmitDone();
            assertThat(rig.edge.completedStatuses).containsExactly(NdisStatus.RESOURCES);
            assertThat(rig.adapter.counters().sendsFailed()).isEqualTo(1);
            assertClean(rig);
        }
    }

    @Test
    void cancelledSendsAreCompletedWithSendAborted() {
        try (Rig rig = new Rig()) {
            rig.running();
            NetBufferList nbl = rig.frame("cancel me");
            nbl.setCancelId(42);
            rig.host().send(rig.adapter, nbl, 0, 0);
            rig.host().cancelSend(rig.adapter, 42);
            assertThat(rig.edge.completedStatuses).containsExactly(NdisStatus.SEND_ABORTED);
            assertClean(rig);
        }
    }

    @Test
    void aBatchOfReceivesIsIndicatedOnceAndReturnedToTheMiniport() {
        try (Rig rig = new Rig()) {
            rig.running();
            rig.receive("one", "two", "three", "four");
            assertThat(rig.edge.indicationCounts).containsExactly(4);
            assertThat(rig.edge.indicationFlags).containsExactly(0);
            assertThat(rig.edge.received).extracting(b -> new String(b, StandardCharsets.US_ASCII))
                    .containsExactly("one", "two", "three", "four");
            assertThat(rig.ta().freeSlots).as("every buffer back with the miniport").hasSize(16);
            assertThat(rig.ta().returnsDuringIndicate)
                    .as("the protocol returned from its receive handler: the miniport got them back before its"
                            + " indication returned, as NDIS may do").isEqualTo(1);
            DataPathCounters c = rig.adapter.counters();
            assertThat(c.receiveIndications()).isEqualTo(1);
            assertThat(c.receivedNbls()).isEqualTo(4);
            assertThat(c.receivedBytes()).isEqualTo(3 + 3 + 5 + 4);
            assertThat(c.returnedNbls()).isEqualTo(4);
            assertThat(c.receivesOutstanding()).isZero();
            assertClean(rig);
        }
    }

    @Test
    void receivedDataIsTheMiniportsDmaBufferNotACopy() {
        try (Rig rig = new Rig()) {
            rig.edge.receiveMode = RecordingEdge.ReceiveMode.HOLD;
            rig.running();
            rig.receive("zero-copy");
            NetBufferList nbl = rig.edge.held.get(0);
            int slot = (Integer) nbl.miniportReserved0();
            assertThat(nbl.firstNetBuffer().dataIova()).isEqualTo(rig.ta().rxMemory.physicalAddress((long) slot * 2048));
            rig.edge.returnHeld(rig.adapter);
            assertClean(rig);
        }
    }

    @Test
    void receivesIndicatedWithTheResourcesFlagAreNeverReturned() {
        try (Rig rig = new Rig()) {
            rig.sw.indicateWithResources = true;
            rig.edge.receiveMode = RecordingEdge.ReceiveMode.HOLD;
            rig.running();
            rig.receive("copy me now");
            assertThat(rig.edge.indicationFlags).containsExactly(NdisReceiveFlags.RESOURCES);
            assertThat(rig.edge.held).isEmpty();
            assertThat(rig.adapter.counters().receivedWithResources()).isEqualTo(1);
            assertThat(rig.adapter.counters().receivesOutstanding()).isZero();
            assertThat(rig.ta().freeSlots).hasSize(16);
            NetBufferList nbl = rig.ta().rxNbls[0];
            assertThatThrownBy(() -> rig.host().returnNetBufferLists(rig.adapter, nbl, 0))
                    .isInstanceOf(NdisException.class);
            assertClean(rig);
        }
    }

    @Test
    void aReceiveIndicatedWhileNotRunningIsReported() {
        try (Rig rig = new Rig()) {
            rig.sw.indicateWhileNotRunning = true;
            rig.add();
            rig.ta().deliverFrame(new byte[64]);
            expectThrown(Rule.RECEIVE_STATE, () -> rig.fire(TestAdapter.VECTOR_RX));
            assertThat(rig.edge.indicationCounts).isEmpty();
        }
    }

    @Test
    void aWrongNumberOfNetBufferListsIsReported() {
        try (Rig rig = new Rig()) {
            rig.sw.indicateCountDelta = 1;
            rig.running();
            NdisVerifierException e = expectThrown(Rule.RECEIVE_COUNT, () -> rig.receive("a", "b"));
            assertThat(e.getMessage()).contains("number_of_nbls=3 chain=2");
            assertThat(rig.edge.indicationCounts).as("delivered with the real count").containsExactly(2);
        }
    }

    @Test
    void indicatingAnNblNdisStillHoldsIsReported() {
        try (Rig rig = new Rig()) {
            rig.edge.receiveMode = RecordingEdge.ReceiveMode.HOLD;
            rig.running();
            rig.receive("held");
            NetBufferList held = rig.edge.held.get(0);
            expectThrown(Rule.RECEIVE_OWNERSHIP,
                    () -> rig.ndis().NdisMIndicateReceiveNetBufferLists(rig.ta().handle, held, 0, 1, 0));
        }
    }

    @Test
    void freeingAnIndicatedNblIsReported() {
        try (Rig rig = new Rig()) {
            rig.edge.receiveMode = RecordingEdge.ReceiveMode.HOLD;
            rig.running();
            rig.receive("held");
            NetBufferList held = rig.edge.held.get(0);
            expectThrown(Rule.NBL_FREE_WHILE_OUTSTANDING, () -> rig.ta().rxPool.free(held));
        }
    }

    @Test
    void freeingAPoolWithIndicatedNblsIsReported() {
        try (Rig rig = new Rig()) {
            rig.edge.receiveMode = RecordingEdge.ReceiveMode.HOLD;
            rig.running();
            rig.receive("held");
            NdisVerifierException e = expectThrown(Rule.NBL_POOL_OUTSTANDING,
                    () -> rig.ndis().NdisFreeNetBufferListPool(rig.ta().rxPool));
            assertThat(e.getMessage()).contains("pool=rx outstanding=1");
        }
    }

    @Test
    void theProtocolCannotSendWhatItDoesNotOwn() {
        try (Rig rig = new Rig()) {
            rig.running();
            NetBufferList nbl = rig.send("once");
            assertThatThrownBy(() -> rig.host().send(rig.adapter, nbl, 0, 0)).isInstanceOf(NdisException.class)
                    .hasMessageContaining("does not own");
            rig.transmitDone();
            assertClean(rig);
        }
    }

    @Test
    void theProtocolCannotFreeAChainHoldingAnNblItSentAndNothingIsFreed() {
        try (Rig rig = new Rig()) {
            rig.running();
            NetBufferListPool pool = rig.host().allocateSendPool(rig.adapter, 4, 128);
            NetBufferList[] nbls = new NetBufferList[3];
            assertThat(pool.allocate(nbls, 0, 3)).isEqualTo(3);
            nbls[1].firstNetBuffer().setDataLength(60);
            rig.host().send(rig.adapter, nbls[1], 0, 0);
            nbls[0].setNext(nbls[2]);
            nbls[2].setNext(nbls[1]);   // the sent one last: its own link stays the miniport's
            assertThatThrownBy(() -> pool.freeChain(nbls[0])).isInstanceOf(NdisException.class)
                    .hasMessageContaining("does not own");
            assertThat(pool.available()).as("a refused chain frees nothing").isEqualTo(1);
            rig.transmitDone();
        }
    }

    /**
     * The race the QEMU guest found: the miniport enabled its receiver in MiniportRestart, and its DPC on
     * another thread indicated a frame just as MiniportRestart returned, before NDIS recorded Running. The
     * indication waits for the restart's outcome: the frame is delivered and returned, nothing is
     * reported, and the next pause completes.
     */
    @Test
    void aDpcOnAnotherThreadRacingTheEndOfRestartIsDeliveredNotRejected() throws Exception {
        try (Rig rig = new Rig()) {
            rig.add();
            rig.ta().deliverFrame("raced".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            java.util.concurrent.CountDownLatch entered = new java.util.concurrent.CountDownLatch(1);
            Thread[] dpc = new Thread[1];
            rig.sw.duringRestart = () -> {
                dpc[0] = Thread.ofPlatform().start(() -> {
                    entered.countDown();
                    rig.ta().dpc(TestAdapter.VECTOR_RX);
                });
                try {
                    entered.await();
                    Thread.sleep(50);   // the DPC is inside the indication while MiniportRestart is still running
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            };
            assertThat(rig.host().restart(rig.adapter)).isEqualTo(NdisStatus.SUCCESS);
            dpc[0].join(5_000);
            assertThat(dpc[0].isAlive()).isFalse();
            assertThat(rig.edge.received).extracting(b -> new String(b, java.nio.charset.StandardCharsets.US_ASCII))
                    .containsExactly("raced");
            assertThat(rig.host().pause(rig.adapter)).isEqualTo(NdisStatus.SUCCESS);
            assertClean(rig);
        }
    }

    @Test
    void aProtocolEdgeThatThrowsIsNotBlamedOnTheMiniport() {
        try (Rig rig = new Rig().record()) {
            rig.load();
            MiniportAdapter a = rig.host().addAdapter(rig.driver, rig.device, new NdisProtocolEdge() {
                @Override
                public void receiveNetBufferLists(MiniportAdapter adapter, NetBufferList nbls, int port, int n,
                        int flags) {
                    throw new IllegalStateException("bug in the CLI");
                }

                @Override
                public void sendNetBufferListsComplete(MiniportAdapter adapter, NetBufferList nbls, int flags) {
                }
            });
            rig.adapter = a;
            rig.host().restart(a);
            rig.ta().deliverFrame(new byte[60]);
            rig.device.interrupts.fire(TestAdapter.VECTOR_RX);
            assertThatThrownBy(() -> rig.host().pollInterrupts(a)).isInstanceOf(NdisException.class)
                    .isNotInstanceOf(NdisVerifierException.class)
                    .hasMessageContaining("callback=ProtocolReceiveNetBufferLists").hasCauseInstanceOf(IllegalStateException.class);
            assertThat(rig.verifier().violations()).isEmpty();
            rig.host().returnNetBufferLists(a, rig.ta().rxNbls[0], 0);
        }
    }
}

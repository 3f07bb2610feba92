package io.nicup.ndis;

import static io.nicup.ndis.Violations.assertClean;
import static io.nicup.ndis.Violations.assertRecorded;
import static io.nicup.ndis.Violations.expectThrown;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.nicup.ndis.datapath.NetBufferList;
import io.nicup.ndis.datapath.NetBufferListPool;
import io.nicup.ndis.trace.Rule;
import org.junit.jupiter.api.Test;

/**
 * Each NDIS data-path call walks its chain once, checking and handing on together (docs/ndis-contract.md
 * §19); an NBL that breaks a rule part-way rolls the walk back, so the NBLs before it are where they were.
 */
class OneWalkDataPathTest {

    @Test
    void aSendRefusedPartWayLeavesTheNblsBeforeItWithTheProtocolAsTheyWere() {
        try (Rig rig = new Rig()) {
            rig.running();
            NetBufferList sent = rig.send("already sent");
            NetBufferList first = rig.frame("first");
            NetBufferList second = rig.frame("second");
            first.setStatus(NdisStatus.RESOURCES);          // what the protocol's last use left there
            first.setNext(second);
            second.setNext(sent);

            assertThatThrownBy(() -> rig.host().send(rig.adapter, first, 0, 0)).isInstanceOf(NdisException.class)
                    .hasMessageContaining("does not own");

            assertThat(first.owner()).isEqualTo(NetBufferList.ALLOCATED);
            assertThat(second.owner()).isEqualTo(NetBufferList.ALLOCATED);
            assertThat(first.status()).as("status put back").isEqualTo(NdisStatus.RESOURCES);
            assertThat(rig.adapter.counters().sends()).isEqualTo(1);
            assertThat(rig.ta().txDataIovas).as("the miniport saw only the first send").hasSize(1);

            second.setNext(null);
            rig.host().send(rig.adapter, first, 0, 0);      // the protocol still owns them: they can go
            rig.transmitDone();
            assertThat(rig.edge.completedStatuses).hasSize(3).containsOnly(NdisStatus.SUCCESS);
            assertThat(rig.adapter.counters().sendsOutstanding()).isZero();
            assertClean(rig);
        }
    }

    @Test
    void aSendToAPausedAdapterRefusedPartWayIsNotCompletedAndKeepsItsStatuses() {
        try (Rig rig = new Rig()) {
            rig.add();
            NetBufferList first = rig.frame("first");
            NetBufferList freed = rig.frame("freed");
            rig.sendPool().free(freed);
            first.setStatus(NdisStatus.FAILURE);
            first.setNext(freed);

            assertThatThrownBy(() -> rig.host().send(rig.adapter, first, 0, 0)).isInstanceOf(NdisException.class)
                    .hasMessageContaining("does not own");

            assertThat(first.status()).as("not PAUSED: NDIS completed nothing").isEqualTo(NdisStatus.FAILURE);
            assertThat(rig.edge.completionCalls).isZero();
            assertThat(rig.adapter.counters().sendsRejectedByNdis()).isZero();
            assertClean(rig);
        }
    }

    @Test
    void aReturnRefusedPartWayLeavesTheNblsBeforeItWithTheProtocol() {
        try (Rig rig = new Rig()) {
            rig.edge.receiveMode = RecordingEdge.ReceiveMode.HOLD;
            rig.running();
            rig.receive("held");
            NetBufferList held = rig.edge.held.get(0);
            NetBufferList stranger = rig.frame("never indicated");
            held.setNext(stranger);

            assertThatThrownBy(() -> rig.host().returnNetBufferLists(rig.adapter, held, 0))
                    .isInstanceOf(NdisException.class).hasMessageContaining("did not indicate");

            assertThat(rig.adapter.counters().receivesOutstanding()).isEqualTo(1);
            assertThat(rig.adapter.counters().returnedNbls()).isZero();
            held.setNext(null);
            rig.host().returnNetBufferLists(rig.adapter, held, 0);   // still the protocol's to return
            assertThat(rig.adapter.counters().receivesOutstanding()).isZero();
            assertThat(held.owner()).isEqualTo(NetBufferList.ALLOCATED);
            rig.edge.held.clear();
            assertClean(rig);
        }
    }

    @Test
    void anIndicationRefusedPartWayLeavesTheNblsBeforeItWithTheMiniport() {
        try (Rig rig = new Rig()) {
            rig.edge.receiveMode = RecordingEdge.ReceiveMode.HOLD;
            rig.running();
            rig.receive("held");
            NetBufferList held = rig.edge.held.get(0);
            NetBufferList free = null;
            for (NetBufferList nbl : rig.ta().rxNbls) {
                if (nbl != held && nbl.owner() == NetBufferList.ALLOCATED) {
                    free = nbl;
                    break;
                }
            }
            assertThat(free).isNotNull();
            NetBufferList first = free;
            first.firstNetBuffer().setDataLength(60);       // a well-formed frame: only the ownership is wrong
            first.setNext(held);

            expectThrown(Rule.RECEIVE_OWNERSHIP,
                    () -> rig.ndis().NdisMIndicateReceiveNetBufferLists(rig.ta().handle, first, 0, 2, 0));

            first.setNext(null);
            assertThat(first.owner()).as("nothing was delivered: the miniport's again").isEqualTo(NetBufferList.ALLOCATED);
            assertThat(rig.edge.indicationCounts).as("only the first indication").containsExactly(1);
            assertThat(rig.adapter.counters().receivedNbls()).isEqualTo(1);
        }
    }

    @Test
    void aCompletionWithAStrangerInTheMiddleDeliversTheOthersInOrderAndLeavesTheStrangersLink() {
        try (Rig rig = new Rig().record()) {
            rig.running();
            NetBufferList a = rig.send("a");
            NetBufferList b = rig.send("b");
            NetBufferList stranger = rig.ta().rxNbls[rig.ta().rxNbls.length - 1];
            NetBufferList strangerNext = stranger.next();
            a.setNext(stranger);
            stranger.setNext(b);
            b.setNext(null);

            rig.ndis().NdisMSendNetBufferListsComplete(rig.ta().handle, a, 0);

            assertRecorded(rig, Rule.SEND_COMPLETE_UNKNOWN);
            assertThat(rig.edge.completionCalls).isEqualTo(1);
            assertThat(rig.edge.completedStatuses).containsExactly(NdisStatus.SUCCESS, NdisStatus.SUCCESS);
            assertThat(stranger.next()).as("not NDIS's to relink").isSameAs(b);
            assertThat(rig.adapter.counters().sendsCompleted()).isEqualTo(2);
            assertThat(rig.adapter.counters().sendsOutstanding()).isZero();
            stranger.setNext(strangerNext);
        }
    }

    @Test
    void aMiniportFreeingAChainWithAnNblStillIndicatedFreesTheRestAndReportsThatOne() {
        try (Rig rig = new Rig().record()) {
            rig.edge.receiveMode = RecordingEdge.ReceiveMode.HOLD;
            rig.running();
            NetBufferListPool pool = rig.ndis().NdisAllocateNetBufferListPool(rig.ta().handle,
                    new io.nicup.ndis.datapath.NetBufferListPoolParameters(4, 1, 64, "extra"));
            NetBufferList[] nbls = new NetBufferList[3];
            assertThat(pool.allocate(nbls, 0, 3)).isEqualTo(3);
            nbls[1].setNext(null);
            rig.ndis().NdisMIndicateReceiveNetBufferLists(rig.ta().handle, nbls[1], 0, 1, 0);   // held by the protocol
            nbls[0].setNext(nbls[1]);
            nbls[1].setNext(nbls[2]);
            nbls[2].setNext(null);

            pool.freeChain(nbls[0]);

            assertRecorded(rig, Rule.NBL_FREE_WHILE_OUTSTANDING);
            assertThat(pool.available()).isEqualTo(3);
            assertThat(nbls[0].owner()).isEqualTo(NetBufferList.FREE);
            assertThat(nbls[2].owner()).isEqualTo(NetBufferList.FREE);
            assertThat(nbls[1].owner()).as("stays with the protocol").isNotEqualTo(NetBufferList.FREE);
        }
    }

    @Test
    void theProtocolFreeingAChainEndingInAnotherPoolsNblFreesNothingAndTheStackIsIntact() {
        try (Rig rig = new Rig()) {
            rig.running();
            NetBufferListPool pool = rig.host().allocateSendPool(rig.adapter, 4, 128);
            NetBufferListPool other = rig.host().allocateSendPool(rig.adapter, 4, 128);
            NetBufferList[] nbls = new NetBufferList[2];
            assertThat(pool.allocate(nbls, 0, 2)).isEqualTo(2);
            NetBufferList foreign = other.allocate();
            nbls[0].setNext(nbls[1]);
            nbls[1].setNext(foreign);

            assertThatThrownBy(() -> pool.freeChain(nbls[0])).isInstanceOf(NdisException.class)
                    .hasMessageContaining("does not belong");

            assertThat(pool.available()).isEqualTo(2);
            assertThat(nbls[0].owner()).isEqualTo(NetBufferList.ALLOCATED);
            assertThat(nbls[1].owner()).isEqualTo(NetBufferList.ALLOCATED);
            NetBufferList[] again = new NetBufferList[4];
            assertThat(pool.allocate(again, 0, 4)).as("the two left, nothing twice").isEqualTo(2);
            assertThat(again[0]).isNotIn(nbls[0], nbls[1]);
            assertThat(again[1]).isNotIn(nbls[0], nbls[1], again[0]);
            assertClean(rig);
        }
    }
}

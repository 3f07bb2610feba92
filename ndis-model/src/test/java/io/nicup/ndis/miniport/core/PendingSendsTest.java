package io.nicup.ndis.miniport.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.nicup.ndis.NdisStatus;
import io.nicup.ndis.TestNbls;
import io.nicup.ndis.datapath.NetBufferList;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class PendingSendsTest {

    private final NetBufferList[] nbl = TestNbls.of(5);
    private final PendingSends pending = new PendingSends();

    @Test
    void keepsTheOrderOfArrival() {
        add(0, 1, 2);
        assertThat(chain(pending.takeAll())).containsExactly(nbl[0], nbl[1], nbl[2]);
        assertThat(pending.isEmpty()).isTrue();
        assertThat(pending.takeAll()).isNull();
    }

    @Test
    void keepFromLeavesWhatTheRingDidNotTake() {
        add(0, 1, 2);
        nbl[0].setNext(null);                                // the ring took nbl[0] and unlinked it
        pending.keepFrom(nbl[1]);
        add(3);
        assertThat(chain(pending.first())).containsExactly(nbl[1], nbl[2], nbl[3]);
        pending.keepFrom(null);
        assertThat(pending.isEmpty()).isTrue();
        add(4);
        assertThat(chain(pending.first())).containsExactly(nbl[4]);
    }

    @Test
    void requeuedSendsGoFirstInTheirOldOrder() {
        add(2, 3);
        nbl[0].setNext(nbl[1]);
        pending.requeueFront(nbl[0], nbl[1]);
        add(4);
        assertThat(chain(pending.takeAll())).containsExactly(nbl[0], nbl[1], nbl[2], nbl[3], nbl[4]);
    }

    @Test
    void requeueIntoAnEmptyQueueSetsTheTail() {
        pending.requeueFront(nbl[0], nbl[0]);
        add(1);
        assertThat(chain(pending.takeAll())).containsExactly(nbl[0], nbl[1]);
    }

    @Test
    void cancelTakesOutEveryMatchAbortedMostRecentFirst() {
        add(0, 1, 2, 3);
        nbl[1].setCancelId(7);
        nbl[3].setCancelId(7);
        NetBufferList cancelled = pending.removeCancelled(7);
        assertThat(chain(cancelled)).containsExactly(nbl[3], nbl[1]);
        assertThat(nbl[1].status()).isEqualTo(NdisStatus.SEND_ABORTED);
        assertThat(nbl[3].status()).isEqualTo(NdisStatus.SEND_ABORTED);
        add(4);                                              // the tail moved back to nbl[2]
        assertThat(chain(pending.takeAll())).containsExactly(nbl[0], nbl[2], nbl[4]);
        assertThat(pending.removeCancelled(7)).isNull();
    }

    private void add(int... which) {
        for (int i : which) {
            nbl[i].setNext(null);
            pending.add(nbl[i]);
        }
    }

    private static List<NetBufferList> chain(NetBufferList head) {
        List<NetBufferList> out = new ArrayList<>();
        for (NetBufferList x = head; x != null; x = x.next()) {
            out.add(x);
        }
        return out;
    }
}

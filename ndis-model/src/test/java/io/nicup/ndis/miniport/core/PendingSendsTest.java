package io.nicup.ndis.miniport.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.nicup.ndis.NdisStatus;
import io.nicup.ndis.TestNbls;
import io.nicup.ndis.datapath.NetBufferList;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class PendingSendsTest {

    private final NetBufferList[] nbl = TestNbls.of(20);
    private final PendingSends pending = new PendingSends(4);

    @Test
    void keepsTheOrderOfArrival() {
        add(0, 1, 2);
        assertThat(chain(pending.takeAll())).containsExactly(nbl[0], nbl[1], nbl[2]);
        assertThat(pending.isEmpty()).isTrue();
        assertThat(pending.takeAll()).isNull();
    }

    @Test
    void readsWaitingSendsByIndexWithoutTheirNextPointers() {
        nbl[0].setNext(nbl[5]);                              // what the NDIS chain it came in left behind
        add(0, 1);
        assertThat(waiting()).containsExactly(nbl[0], nbl[1]);
        assertThat(pending.first()).isSameAs(nbl[0]);
        assertThat(nbl[0].next()).as("adding does not touch next").isSameAs(nbl[5]);
    }

    @Test
    void consumeLeavesWhatTheRingDidNotTake() {
        add(0, 1, 2);
        pending.consume(1);                                  // the ring took nbl[0]
        add(3);
        assertThat(waiting()).containsExactly(nbl[1], nbl[2], nbl[3]);
        pending.consume(3);
        assertThat(pending.isEmpty()).isTrue();
        assertThat(pending.first()).isNull();
        add(4);
        assertThat(waiting()).containsExactly(nbl[4]);
    }

    @Test
    void wrapsAroundTheEndOfItsArrayInOrder() {
        add(0, 1, 2);
        pending.consume(3);                                  // head at slot 3 of 4
        add(3, 4, 5, 6);                                     // slots 3, 0, 1, 2
        assertThat(pending.capacity()).as("full, not grown").isEqualTo(4);
        assertThat(waiting()).containsExactly(nbl[3], nbl[4], nbl[5], nbl[6]);
        pending.consume(2);
        add(7, 8);
        assertThat(chain(pending.takeAll())).containsExactly(nbl[5], nbl[6], nbl[7], nbl[8]);
    }

    @Test
    void growsOnlyPastANewHighWaterMarkAndKeepsTheOrder() {
        add(0, 1, 2);
        pending.consume(2);                                  // wrapped: head at slot 2
        add(3, 4, 5);
        assertThat(pending.capacity()).isEqualTo(4);
        add(6);                                              // 5 waiting: the first time more than 4
        assertThat(pending.capacity()).isEqualTo(8);
        assertThat(waiting()).containsExactly(nbl[2], nbl[3], nbl[4], nbl[5], nbl[6]);
        for (int round = 0; round < 10; round++) {           // steady state below the mark: no growth
            pending.consume(pending.size());
            add(10, 11, 12, 13, 14, 15, 16, 17);
            assertThat(pending.capacity()).isEqualTo(8);
        }
        assertThat(waiting()).containsExactly(nbl[10], nbl[11], nbl[12], nbl[13], nbl[14], nbl[15], nbl[16], nbl[17]);
    }

    @Test
    void reserveMakesRoomOnceAndNeverShrinks() {
        pending.reserve(10);
        assertThat(pending.capacity()).isEqualTo(16);
        pending.reserve(3);
        assertThat(pending.capacity()).isEqualTo(16);
    }

    @Test
    void requeuedSendsGoFirstInTheirOldOrder() {
        add(2, 3);
        pending.requeueFront(new NetBufferList[] {null, nbl[0], nbl[1]}, 1, 2);
        add(4);
        assertThat(chain(pending.takeAll())).containsExactly(nbl[0], nbl[1], nbl[2], nbl[3], nbl[4]);
    }

    @Test
    void requeueAcrossTheStartOfTheArrayAndPastItsCapacity() {
        add(2, 3, 4);                                        // head at slot 0: the requeue wraps backwards
        pending.requeueFront(new NetBufferList[] {nbl[0], nbl[1]}, 0, 2);
        assertThat(pending.capacity()).isEqualTo(8);
        add(5);
        assertThat(waiting()).containsExactly(nbl[0], nbl[1], nbl[2], nbl[3], nbl[4], nbl[5]);
    }

    @Test
    void requeueIntoAnEmptyQueue() {
        pending.requeueFront(new NetBufferList[] {nbl[0]}, 0, 1);
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
        add(4);                                              // after the ones kept
        assertThat(chain(pending.takeAll())).containsExactly(nbl[0], nbl[2], nbl[4]);
        assertThat(pending.removeCancelled(7)).isNull();
    }

    @Test
    void cancelKeepsTheOrderOfAWrappedQueue() {
        add(0, 1, 2);
        pending.consume(3);
        add(3, 4, 5, 6);                                     // slots 3, 0, 1, 2
        nbl[4].setCancelId(9);
        assertThat(chain(pending.removeCancelled(9))).containsExactly(nbl[4]);
        add(7, 8);
        assertThat(waiting()).containsExactly(nbl[3], nbl[5], nbl[6], nbl[7], nbl[8]);
    }

    private void add(int... which) {
        for (int i : which) {
            pending.add(nbl[i]);
        }
    }

    /** What waits, read by index as a family's staging does. */
    private List<NetBufferList> waiting() {
        List<NetBufferList> out = new ArrayList<>();
        for (int i = 0; i < pending.size(); i++) {
            out.add(pending.get(i));
        }
        return out;
    }

    private static List<NetBufferList> chain(NetBufferList head) {
        List<NetBufferList> out = new ArrayList<>();
        for (NetBufferList x = head; x != null; x = x.next()) {
            out.add(x);
        }
        return out;
    }
}

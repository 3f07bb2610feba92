package io.nicup.ndis.miniport.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.nicup.ndis.TestNbls;
import io.nicup.ndis.datapath.NetBufferList;
import io.nicup.ndis.datapath.NetBufferListInfo;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The return half of {@link RxLanes}: one walk of the chain MiniportReturnNetBufferLists gives sorts each NBL
 * into the array of the queue its RECEIVE_QUEUE names, and each queue gets back only its own, in order.
 */
class RxLanesTest {

    /** A ring that records each giveBack as the list of NBLs it got, in order. */
    private static final class RecordingQueue implements RxQueue {
        final int size;
        final List<List<NetBufferList>> calls = new ArrayList<>();
        final List<Boolean> reposts = new ArrayList<>();

        RecordingQueue(int size) {
            this.size = size;
        }

        @Override
        public int size() {
            return size;
        }

        @Override
        public int take(NetBufferList[] taken, int max, boolean indicate, boolean repost) {
            return 0;
        }

        @Override
        public int lastTaken() {
            return 0;
        }

        @Override
        public int lastPolled() {
            return 0;
        }

        @Override
        public void giveBack(NetBufferList[] returned, int count, boolean repost) {
            List<NetBufferList> call = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                call.add(returned[i]);
            }
            calls.add(call);
            reposts.add(repost);
        }

        @Override
        public long dropped() {
            return 0;
        }

        List<NetBufferList> all() {
            List<NetBufferList> all = new ArrayList<>();
            calls.forEach(all::addAll);
            return all;
        }
    }

    private final NetBufferList[] nbl = TestNbls.of(200);

    /** Links nbl[which...] into one chain, each marked with the queue {@code queueOf} names. */
    private NetBufferList chain(int[] which, int[] queueOf) {
        for (int i = 0; i < which.length; i++) {
            nbl[which[i]].setInfo(NetBufferListInfo.RECEIVE_QUEUE, queueOf[i]);
            nbl[which[i]].setNext(i + 1 < which.length ? nbl[which[i + 1]] : null);
        }
        return nbl[which[0]];
    }

    @Test
    void aReturnOfOneQueueIsOneCallWithEveryNblInOrder() {
        RecordingQueue[] q = {new RecordingQueue(256), new RecordingQueue(256)};
        RxLanes lanes = new RxLanes(null, null, q);
        lanes.giveBack(chain(new int[] {4, 5, 6, 7}, new int[] {1, 1, 1, 1}), true);
        assertThat(q[0].calls).isEmpty();
        assertThat(q[1].calls).containsExactly(List.of(nbl[4], nbl[5], nbl[6], nbl[7]));
        assertThat(q[1].reposts).containsExactly(true);
        assertThat(lanes.outstanding()).as("four fewer with the protocol").isEqualTo(-4);
    }

    @Test
    void aMixedChainGoesEachNblBackToItsOwnQueueInOrder() {
        RecordingQueue[] q = {new RecordingQueue(256), new RecordingQueue(256), new RecordingQueue(256)};
        RxLanes lanes = new RxLanes(null, null, q);
        int[] which = {0, 1, 2, 3, 4, 5, 6, 7, 8};
        int[] queueOf = {2, 2, 0, 0, 0, 1, 2, 2, 0};
        lanes.giveBack(chain(which, queueOf), false);
        assertThat(q[0].all()).containsExactly(nbl[2], nbl[3], nbl[4], nbl[8]);
        assertThat(q[1].all()).containsExactly(nbl[5]);
        assertThat(q[2].all()).containsExactly(nbl[0], nbl[1], nbl[6], nbl[7]);
        assertThat(q[0].calls).as("one call per run of a queue").containsExactly(
                List.of(nbl[2], nbl[3], nbl[4]), List.of(nbl[8]));
        assertThat(q[2].reposts).containsOnly(false);
        assertThat(lanes.outstanding()).isEqualTo(-9);
    }

    @Test
    void aChainLongerThanAQueuesArrayGoesBackOneFullArrayAtATime() {
        RecordingQueue[] q = {new RecordingQueue(8)};          // the array is RX_BATCH long, more than the ring
        RxLanes lanes = new RxLanes(null, null, q);
        int n = NdisDataPath.RX_BATCH * 2 + 5;
        int[] which = new int[n];
        int[] queueOf = new int[n];
        for (int i = 0; i < n; i++) {
            which[i] = i;
        }
        lanes.giveBack(chain(which, queueOf), true);
        assertThat(q[0].calls).extracting(List::size)
                .containsExactly(NdisDataPath.RX_BATCH, NdisDataPath.RX_BATCH, 5);
        List<NetBufferList> expected = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            expected.add(nbl[i]);
        }
        assertThat(q[0].all()).containsExactlyElementsOf(expected);
        assertThat(lanes.outstanding()).isEqualTo(-n);
    }

    @Test
    void aQueuesArrayIsAsLongAsItsRingWhenThatIsLonger() {
        RecordingQueue[] q = {new RecordingQueue(128), new RecordingQueue(128)};
        RxLanes lanes = new RxLanes(null, null, q);
        int n = 150;
        int[] which = new int[n];
        int[] queueOf = new int[n];
        for (int i = 0; i < n; i++) {
            which[i] = i;
            queueOf[i] = 1;
        }
        lanes.giveBack(chain(which, queueOf), true);
        assertThat(q[1].calls).extracting(List::size).containsExactly(128, 22);
    }
}

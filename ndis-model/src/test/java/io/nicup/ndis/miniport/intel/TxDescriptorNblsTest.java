package io.nicup.ndis.miniport.intel;

import static org.assertj.core.api.Assertions.assertThat;

import io.nicup.ndis.NdisStatus;
import io.nicup.ndis.TestNbls;
import io.nicup.ndis.datapath.NetBufferList;
import io.nicup.ndis.miniport.core.PendingSends;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * The NBL side of an Intel transmit ring with batches as arrays (docs/ndis-contract.md §19.6): staging reads the
 * pending sends by index and leaves their next pointers alone; completions, aborts and take-backs are written
 * into the caller's array in the order the data path links them.
 */
class TxDescriptorNblsTest {

    private final NetBufferList[] nbl = TestNbls.of(6);
    private final TxDescriptorNbls nbls = new TxDescriptorNbls(8);
    private final PendingSends pending = new PendingSends(4);

    /** Stages nbl[0..4] (one descriptor each) from slot 6, which wraps past the ring's end, leaving nbl[5]. */
    private int stageFive() {
        for (NetBufferList n : nbl) {
            pending.add(n);
        }
        return nbls.stage(pending, 6, 5);
    }

    @Test
    void stagesByIndexWholeNblsWhileTheyFitAndLeavesTheRestWaiting() {
        nbl[0].setNext(nbl[3]);                              // a stale link from the chain it came in
        assertThat(stageFive()).isEqualTo(5);
        assertThat(Arrays.copyOf(nbls.tags, 5)).containsExactly(6, 7, 0, 1, 2);
        assertThat(pending.size()).isEqualTo(1);
        assertThat(pending.first()).isSameAs(nbl[5]);
        assertThat(nbl[0].next()).as("staging does not touch next").isSameAs(nbl[3]);
    }

    @Test
    void completionsFillTheArrayInTheOrderTheDeviceWroteThemBack() {
        stageFive();
        int[] done = {6, 7, 0};
        System.arraycopy(done, 0, nbls.doneTags, 0, done.length);
        NetBufferList[] out = new NetBufferList[8];
        assertThat(nbls.completeCleaned(done.length, NdisStatus.SUCCESS, out)).isEqualTo(3);
        assertThat(nbls.lastCompleted()).isEqualTo(3);
        assertThat(Arrays.copyOf(out, 3)).containsExactly(nbl[0], nbl[1], nbl[2]);
        assertThat(nbl[2].status()).isEqualTo(NdisStatus.SUCCESS);
        assertThat(nbls.completeCleaned(done.length, NdisStatus.SUCCESS, out)).as("each completes once").isZero();
    }

    @Test
    void anAbortFillsTheArrayMostRecentFirstWithItsStatus() {
        stageFive();
        int[] drained = {6, 7, 0, 1, 2};
        System.arraycopy(drained, 0, nbls.doneTags, 0, drained.length);
        NetBufferList[] out = new NetBufferList[8];
        assertThat(nbls.abortDrained(drained.length, NdisStatus.FAILURE, out)).isEqualTo(5);
        assertThat(Arrays.copyOf(out, 5)).containsExactly(nbl[4], nbl[3], nbl[2], nbl[1], nbl[0]);
        assertThat(nbl[0].status()).isEqualTo(NdisStatus.FAILURE);
    }

    @Test
    void aTakeBackFillsTheArrayInSubmissionOrderSoTheyGoOutFirstAgain() {
        stageFive();
        int[] drained = {6, 7, 0, 1, 2};
        System.arraycopy(drained, 0, nbls.doneTags, 0, drained.length);
        NetBufferList[] out = new NetBufferList[8];
        int n = nbls.takeDrained(drained.length, out);
        pending.requeueFront(out, 0, n);
        assertThat(pending.size()).isEqualTo(6);
        for (int i = 0; i < 6; i++) {
            assertThat(pending.get(i)).as("waiting %d", i).isSameAs(nbl[i]);
        }
    }
}

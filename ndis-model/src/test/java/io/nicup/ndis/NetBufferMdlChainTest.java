package io.nicup.ndis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.nicup.ndis.adapter.MiniportAdapter;
import io.nicup.ndis.datapath.Mdl;
import io.nicup.ndis.datapath.NetBuffer;
import io.nicup.ndis.datapath.NetBufferList;
import io.nicup.ndis.datapath.NetBufferListPool;
import org.junit.jupiter.api.Test;

/**
 * NET_BUFFERs over MDL chains (docs/ndis-contract.md §16.1): DataOffset across the chain, CurrentMdl and
 * CurrentMdlOffset following it, the data read and written piece by piece, NBLs of several NET_BUFFERs from
 * one pool, and the pool's one-MDL shape back at every allocation.
 */
class NetBufferMdlChainTest {

    @Test
    void splitDataLiesInPiecesApartAndReadsBackWhole() {
        try (Rig rig = new Rig()) {
            MiniportAdapter a = rig.add();
            NetBuffer nb = rig.host().allocateSendPool(a, 1, 1, 512).allocate().firstNetBuffer();
            byte[] frame = frame(100);
            nb.split(7, 16, 30, 20, 50);
            nb.copyDataFrom(frame, 0, frame.length);
            assertThat(nb.contiguous()).isFalse();
            assertThat(nb.mdlCount()).isEqualTo(3);
            assertThat(nb.dataOffset()).isEqualTo(7);
            assertThat(nb.dataLength()).isEqualTo(100);
            assertThat(nb.currentMdl()).isSameAs(nb.mdlChain());
            assertThat(nb.mdlChain().byteCount()).as("backfill and the first piece").isEqualTo(37);
            Mdl second = nb.mdlChain().next();
            assertThat(second.iova()).as("16 bytes after the first piece").isEqualTo(nb.bufferIova() + 37 + 16);
            assertThat(second.next().iova()).isEqualTo(second.iova() + 20 + 16);
            assertThat(nb.toByteArray()).isEqualTo(frame);
            assertThat(nb.getByte(30)).isEqualTo(frame[30]);
            assertThat(nb.getByte(99)).isEqualTo(frame[99]);
        }
    }

    @Test
    void advanceAndRetreatMoveTheCurrentMdlAlongTheChain() {
        try (Rig rig = new Rig()) {
            MiniportAdapter a = rig.add();
            NetBuffer nb = rig.host().allocateSendPool(a, 1, 1, 512).allocate().firstNetBuffer();
            byte[] frame = frame(100);
            nb.split(4, 8, 30, 70);
            nb.copyDataFrom(frame, 0, frame.length);
            Mdl second = nb.mdlChain().next();
            nb.advanceDataStart(40);
            assertThat(nb.currentMdl()).isSameAs(second);
            assertThat(nb.currentMdlOffset()).isEqualTo(10);
            assertThat(nb.dataIova()).isEqualTo(second.iova() + 10);
            assertThat(nb.contiguous()).isTrue();
            assertThat(nb.toByteArray()).isEqualTo(java.util.Arrays.copyOfRange(frame, 40, 100));
            assertThat(nb.retreatDataStart(44)).isEqualTo(NdisStatus.SUCCESS);
            assertThat(nb.currentMdl()).isSameAs(nb.mdlChain());
            assertThat(nb.currentMdlOffset()).isZero();
            assertThat(nb.retreatDataStart(1)).as("no backfill left").isEqualTo(NdisStatus.RESOURCES);
        }
    }

    @Test
    void aDataOffsetAtTheEndOfAnMdlStartsInTheNext() {
        try (Rig rig = new Rig(); java.lang.foreign.Arena arena = java.lang.foreign.Arena.ofConfined()) {
            rig.add();
            Mdl first = new Mdl(arena.allocate(16), 0x1000);
            Mdl empty = new Mdl(arena.allocate(0), 0x2000);
            Mdl third = new Mdl(arena.allocate(64), 0x3000);
            first.setNext(empty);
            empty.setNext(third);
            NetBuffer nb = rig.host().allocateSendPool(rig.adapter, 1, 1, 64).allocate().firstNetBuffer();
            nb.attach(first, 16, 64);
            assertThat(nb.currentMdl()).as("past the empty MDL").isSameAs(third);
            assertThat(nb.dataIova()).isEqualTo(0x3000);
            assertThatThrownBy(() -> nb.attach(first, 17, 64)).isInstanceOf(IndexOutOfBoundsException.class);
        }
    }

    @Test
    void anNblTakesAsManyNetBuffersAsAskedAndTheNextAllocationHasThemAllAgain() {
        try (Rig rig = new Rig()) {
            MiniportAdapter a = rig.add();
            NetBufferListPool pool = rig.host().allocateSendPool(a, 1, 8, 256);
            NetBufferList nbl = pool.allocate(3);
            assertThat(nbl.netBufferCount()).isEqualTo(3);
            nbl.firstNetBuffer().split(0, 8, 20, 20);
            pool.free(nbl);
            NetBufferList again = pool.allocate();
            assertThat(again).isSameAs(nbl);
            assertThat(again.netBufferCount()).isEqualTo(8);
            assertThat(again.firstNetBuffer().contiguous()).as("one MDL again").isTrue();
            assertThat(again.firstNetBuffer().mdlCount()).isEqualTo(1);
            assertThat(again.firstNetBuffer().dataLength()).isEqualTo(256);
            assertThatThrownBy(() -> pool.allocate(9)).isInstanceOf(IllegalArgumentException.class);
        }
    }

    private static byte[] frame(int n) {
        byte[] f = new byte[n];
        for (int i = 0; i < n; i++) {
            f[i] = (byte) (i * 7 + 1);
        }
        return f;
    }
}

package io.nicup.ndis;

import static org.assertj.core.api.Assertions.assertThat;

import io.nicup.ndis.adapter.MiniportAdapter;
import io.nicup.ndis.datapath.NetBuffer;
import io.nicup.ndis.datapath.NetBufferList;
import io.nicup.ndis.datapath.NetBufferListPool;
import io.nicup.vfio.testing.Gen;
import io.nicup.vfio.testing.SeededTest;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** A pool never loses, duplicates or invents NBLs, and its data buffers never overlap. */
class NetBufferListPoolPropertyTest {

    @SeededTest(cases = 200)
    void allocationAndFreeingConserveTheNbls(Gen gen) {
        List<Integer> ops = gen.listOf(0, 200, () -> gen.between(0, 2));
        try (Rig rig = new Rig()) {
            MiniportAdapter a = rig.add();
            NetBufferListPool pool = rig.host().allocateSendPool(a, 8, 100);
            List<NetBufferList> held = new ArrayList<>();
            for (int op : ops) {
                if (op < 2) {
                    NetBufferList nbl = pool.allocate();
                    if (held.size() == 8) {
                        assertThat(nbl).as("exhausted pool").isNull();
                    } else {
                        assertThat(nbl).isNotNull();
                        assertThat(held).doesNotContain(nbl);
                        assertThat(nbl.firstNetBuffer().dataLength()).isEqualTo(100);
                        held.add(nbl);
                    }
                } else if (!held.isEmpty()) {
                    pool.free(held.remove(held.size() - 1));
                }
                assertThat(pool.available() + held.size()).isEqualTo(8);
            }
            Set<Long> iovas = new HashSet<>();
            for (NetBufferList nbl : held) {
                long iova = nbl.firstNetBuffer().dataIova();
                assertThat(iova % 64).isZero();
                assertThat(iovas.add(iova)).isTrue();
            }
        }
    }

    @SeededTest(cases = 100)
    void dataStaysInsideTheBuffer(Gen gen) {
        int offset = gen.between(0, 300);
        int length = gen.between(0, 300);
        int advance = gen.between(0, 300);
        try (Rig rig = new Rig()) {
            MiniportAdapter a = rig.add();
            NetBuffer nb = rig.host().allocateSendPool(a, 1, 256).allocate().firstNetBuffer();
            boolean fits = offset + length <= 256;
            try {
                nb.setData(offset, length);
                assertThat(fits).isTrue();
            } catch (IndexOutOfBoundsException e) {
                assertThat(fits).isFalse();
                return;
            }
            try {
                nb.advanceDataStart(advance);
                assertThat(nb.dataOffset()).isEqualTo(offset + advance);
                assertThat(nb.retreatDataStart(advance)).isEqualTo(NdisStatus.SUCCESS);
            } catch (IndexOutOfBoundsException e) {
                assertThat(advance).isGreaterThan(length);
            }
            assertThat(nb.dataOffset() + nb.dataLength()).isLessThanOrEqualTo(nb.capacity());
            assertThat(nb.dataIova()).isEqualTo(nb.bufferIova() + nb.dataOffset());
            assertThat(nb.retreatDataStart(nb.dataOffset() + 1)).isEqualTo(NdisStatus.RESOURCES);
        }
    }

    /** Batch allocation and chain freeing are the single-NBL calls in bulk: same NBLs, same accounting. */
    @SeededTest(cases = 200)
    void batchAllocationAndChainFreeingConserveTheNbls(Gen gen) {
        List<Integer> ops = gen.listOf(0, 60, () -> gen.between(-12, 12));
        try (Rig rig = new Rig()) {
            MiniportAdapter a = rig.add();
            NetBufferListPool pool = rig.host().allocateSendPool(a, 16, 100);
            List<NetBufferList> held = new ArrayList<>();
            NetBufferList[] out = new NetBufferList[16];
            for (int op : ops) {
                if (op >= 0) {
                    int got = pool.allocate(out, 0, op);
                    assertThat(got).isEqualTo(Math.min(op, 16 - held.size()));
                    for (int i = 0; i < got; i++) {
                        NetBufferList nbl = out[i];
                        assertThat(held).doesNotContain(nbl);
                        assertThat(nbl.firstNetBuffer().dataLength()).isEqualTo(100);
                        assertThat(nbl.next()).isNull();
                        assertThat(nbl.owner()).isEqualTo(NetBufferList.ALLOCATED);
                        held.add(nbl);
                    }
                } else if (!held.isEmpty()) {
                    // Free the last -op held NBLs as one chain.
                    int n = Math.min(-op, held.size());
                    List<NetBufferList> chain = held.subList(held.size() - n, held.size());
                    for (int i = 0; i < n; i++) {
                        chain.get(i).setNext(i + 1 < n ? chain.get(i + 1) : null);
                    }
                    pool.freeChain(chain.get(0));
                    for (NetBufferList nbl : chain) {
                        assertThat(nbl.owner()).isEqualTo(NetBufferList.FREE);
                    }
                    chain.clear();
                }
                assertThat(pool.available() + held.size()).isEqualTo(16);
            }
        }
    }
}

package io.nicup.ndis;

import static io.nicup.ndis.Violations.expectThrown;
import static org.assertj.core.api.Assertions.assertThat;

import io.nicup.ndis.datapath.Mdl;
import io.nicup.ndis.datapath.NetBuffer;
import io.nicup.ndis.datapath.NetBufferList;
import io.nicup.ndis.datapath.NetBufferListPool;
import io.nicup.ndis.datapath.NetBufferListPoolParameters;
import io.nicup.ndis.trace.NdisVerifierException;
import io.nicup.ndis.trace.Rule;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/**
 * The shape rules of an indicated NBL (docs/ndis-contract.md §16.2): one NET_BUFFER, with data, within its
 * MDL chain, CurrentMdl where DataOffset says. Each broken shape is reported and nothing reaches the
 * protocol; a well-formed NBL of several MDLs is delivered whole.
 */
class NetBufferRulesTest {

    @Test
    void aZeroLengthNetBufferIsReported() {
        NdisVerifierException e = indicateBroken(Rule.NB_ZERO_LENGTH, 1, nb -> nb.setDataLength(0));
        assertThat(e.getMessage()).contains("data_length=0");
    }

    @Test
    void anNblOfTwoNetBuffersIsReported() {
        NdisVerifierException e = indicateBroken(Rule.RECEIVE_ONE_NET_BUFFER, 2, nb -> { });
        assertThat(e.getMessage()).contains("net_buffers=2");
    }

    @Test
    void anMdlChainThatEndsBeforeTheDataIsReported() {
        NdisVerifierException e = indicateBroken(Rule.NB_BEYOND_MDL_CHAIN, 1, nb -> {
            Mdl first = nb.mdlChain();
            first.setNext(null);                              // the second piece unlinked after the attach
        });
        assertThat(e.getMessage()).contains("data_offset=10 data_length=100 mdls=1 mdl_bytes=64");
    }

    @Test
    void aCurrentMdlThatNoLongerHoldsTheDataOffsetIsReported() {
        NdisVerifierException e = indicateBroken(Rule.NB_CURRENT_MDL, 1, nb -> nb.mdlChain().adjustLength(8));
        assertThat(e.getMessage()).contains("data_offset=10 data_length=100 mdls=2 mdl_bytes=264 current_mdl=0"
                + " current_mdl_offset=10");
    }

    @Test
    void aWellFormedNetBufferOfTwoMdlsIsDeliveredWhole() {
        try (Rig rig = new Rig(); Arena arena = Arena.ofConfined()) {
            rig.running();
            NetBufferListPool pool = rig.ndis().NdisAllocateNetBufferListPool(rig.ta().handle,
                    NetBufferListPoolParameters.withoutData(1, "split-rx"));
            NetBufferList nbl = twoPieces(pool, arena, 1);
            byte[] frame = new byte[100];
            for (int i = 0; i < frame.length; i++) {
                frame[i] = (byte) i;
            }
            nbl.firstNetBuffer().copyDataFrom(frame, 0, frame.length);
            rig.ndis().NdisMIndicateReceiveNetBufferLists(rig.ta().handle, nbl, 0, 1,
                    io.nicup.ndis.datapath.NdisReceiveFlags.RESOURCES);
            assertThat(rig.edge.received).singleElement().isEqualTo(frame);
            rig.ndis().NdisFreeNetBufferListPool(pool);
        }
    }

    /** Indicates an NBL whose NET_BUFFER spans 64 + 256 bytes from offset 10 (100 bytes), after {@code breakIt}. */
    private static NdisVerifierException indicateBroken(Rule rule, int netBuffers, Consumer<NetBuffer> breakIt) {
        try (Rig rig = new Rig(); Arena arena = Arena.ofConfined()) {
            rig.running();
            NetBufferListPool pool = rig.ndis().NdisAllocateNetBufferListPool(rig.ta().handle,
                    new NetBufferListPoolParameters(1, netBuffers, 0, "broken-rx"));
            NetBufferList nbl = twoPieces(pool, arena, netBuffers);
            breakIt.accept(nbl.firstNetBuffer());
            NdisVerifierException e = expectThrown(rule, () -> rig.ndis().NdisMIndicateReceiveNetBufferLists(
                    rig.ta().handle, nbl, 0, 1, 0));
            assertThat(rig.edge.received).as("nothing delivered").isEmpty();
            rig.ndis().NdisFreeNetBufferListPool(pool);
            return e;
        }
    }

    private static NetBufferList twoPieces(NetBufferListPool pool, Arena arena, int netBuffers) {
        MemorySegment a = arena.allocate(64);
        MemorySegment b = arena.allocate(256);
        Mdl first = new Mdl(a, NetBuffer.NO_IOVA);
        first.setNext(new Mdl(b, NetBuffer.NO_IOVA));
        NetBufferList nbl = pool.allocate();
        nbl.firstNetBuffer().attach(first, 10, 100);
        assertThat(nbl.firstNetBuffer().contiguous()).isFalse();
        assertThat(nbl.netBufferCount()).isEqualTo(netBuffers);
        return nbl;
    }
}

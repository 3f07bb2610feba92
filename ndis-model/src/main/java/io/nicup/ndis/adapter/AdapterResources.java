package io.nicup.ndis.adapter;

import io.nicup.ndis.NdisInternal;
import io.nicup.ndis.datapath.NetBufferListPool;
import io.nicup.ndis.trace.NdisTrace;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * What one adapter holds: the ledger of everything the miniport acquired through NDIS (in acquisition
 * order, for the leak and release-order checks), the DMA and interrupt registrations the resource DDIs
 * consult, and the send pools NDIS allocated for the protocol side.
 */
@NdisInternal
public final class AdapterResources {

    public final ResourceLedger ledger = new ResourceLedger();
    volatile NdisDmaHandle dma;
    public volatile NdisInterruptHandle interrupt;
    public final List<NetBufferListPool> hostPools = new CopyOnWriteArrayList<>();

    /**
     * Empties the calling thread's free caches of the protocol-side pools onto their shared stacks (at
     * pause: docs/ndis-contract.md §19.3); a cache another live thread owns stays with it.
     */
    public void flushPoolCaches() {
        for (NetBufferListPool pool : hostPools) {
            pool.flushCache();
        }
    }

    /**
     * Releases whatever the adapter still holds, plus its protocol pools; each forced release is traced.
     *
     * @return what the miniport left behind
     */
    public List<ResourceLedger.Entry> forceRelease(NdisTrace trace, MiniportAdapter a) {
        List<ResourceLedger.Entry> left = ledger.releaseAll();
        for (ResourceLedger.Entry e : left) {
            trace.instant(NdisTrace.Kind.RELEASE, NdisTrace.Direction.NONE, e.name, a.driver().name(), a.name(),
                    NdisTrace.NO_STATUS, Map.of("forced", "true"));
        }
        for (NetBufferListPool pool : hostPools) {
            pool.close();
        }
        hostPools.clear();
        return left;
    }
}

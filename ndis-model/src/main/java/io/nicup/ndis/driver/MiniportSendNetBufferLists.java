package io.nicup.ndis.driver;

import io.nicup.ndis.Ndis;
import io.nicup.ndis.NdisStatus;
import io.nicup.ndis.datapath.NetBufferList;

/**
 * MiniportSendNetBufferLists: accept every NBL of the chain (queue what cannot be sent yet), keep the
 * NET_BUFFER order, and complete each NBL exactly once with
 * {@link Ndis#NdisMSendNetBufferListsComplete} (docs/ndis-contract.md §5). While Pausing, new sends are
 * completed with {@link NdisStatus#PAUSED}.
 */
@FunctionalInterface
public interface MiniportSendNetBufferLists<A> {

    void sendNetBufferLists(A miniportAdapterContext, NetBufferList netBufferLists, int portNumber, int sendFlags);
}

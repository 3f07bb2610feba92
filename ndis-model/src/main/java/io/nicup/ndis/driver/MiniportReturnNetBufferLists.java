package io.nicup.ndis.driver;

import io.nicup.ndis.datapath.NetBufferList;

/** MiniportReturnNetBufferLists: NDIS hands back NBLs the miniport indicated without the RESOURCES flag. */
@FunctionalInterface
public interface MiniportReturnNetBufferLists<A> {

    void returnNetBufferLists(A miniportAdapterContext, NetBufferList netBufferLists, int returnFlags);
}

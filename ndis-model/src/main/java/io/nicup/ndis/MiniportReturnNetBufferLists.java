package io.nicup.ndis;

/** MiniportReturnNetBufferLists: NDIS hands back NBLs the miniport indicated without the RESOURCES flag. */
@FunctionalInterface
public interface MiniportReturnNetBufferLists<A> {

    void returnNetBufferLists(A miniportAdapterContext, NetBufferList netBufferLists, int returnFlags);
}

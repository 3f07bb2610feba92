package io.nicup.ndis;

/** MiniportHaltEx: stops the adapter and releases everything, in reverse order (ndis-miniport.md §4). */
@FunctionalInterface
public interface MiniportHaltEx<A> {

    void haltEx(A miniportAdapterContext, HaltAction haltAction);
}

package io.nicup.ndis.driver;

import io.nicup.ndis.adapter.HaltAction;

/** MiniportHaltEx: stops the adapter and releases everything, in reverse order (docs/ndis-contract.md §4). */
@FunctionalInterface
public interface MiniportHaltEx<A> {

    void haltEx(A miniportAdapterContext, HaltAction haltAction);
}

package io.nicup.ndis.driver;

import io.nicup.ndis.adapter.InitParameters;
import io.nicup.ndis.adapter.NdisAdapterHandle;

/**
 * MiniportInitializeEx: initializes one adapter. Returns SUCCESS (the adapter is then Paused),
 * NOT_ACCEPTED, RESOURCES or FAILURE (docs/ndis-contract.md §2). On failure it has released everything it
 * acquired, in reverse order.
 */
@FunctionalInterface
public interface MiniportInitializeEx<D> {

    int initializeEx(NdisAdapterHandle miniportAdapterHandle, D miniportDriverContext, InitParameters initParameters);
}

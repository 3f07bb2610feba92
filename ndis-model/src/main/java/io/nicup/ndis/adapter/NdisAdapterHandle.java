package io.nicup.ndis.adapter;

import io.nicup.ndis.NdisInternal;

/**
 * MiniportAdapterHandle: NDIS's handle for one adapter, passed to MiniportInitializeEx and given back
 * in every NdisM* call about that adapter. Opaque to the miniport; it stays valid until MiniportHaltEx
 * returns, and any call with it afterwards is a reported violation.
 */
public final class NdisAdapterHandle {

    @NdisInternal
    public final MiniportAdapter adapter;

    NdisAdapterHandle(MiniportAdapter adapter) {
        this.adapter = adapter;
    }

    /** The adapter's name in traces (its PCI address). */
    public String name() {
        return adapter.name();
    }

    @Override
    public String toString() {
        return "NdisAdapterHandle{" + adapter.name() + "}";
    }
}

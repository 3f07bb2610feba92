package io.nicup.ndis.adapter;

import io.nicup.ndis.Ndis;

/**
 * NdisMiniportDmaHandle from {@link Ndis#NdisMRegisterScatterGatherDma}. While it is held, PCI bus
 * mastering of the device is on (nicup's stand-in for the bus driver enabling it at start); the
 * reciprocal {@link Ndis#NdisMDeregisterScatterGatherDma} turns it off.
 */
public final class NdisDmaHandle {

    final MiniportAdapter adapter;
    final ScatterGatherDmaDescription description;
    ResourceLedger.Entry entry;

    NdisDmaHandle(MiniportAdapter adapter, ScatterGatherDmaDescription description) {
        this.adapter = adapter;
        this.description = description;
    }

    public ScatterGatherDmaDescription description() {
        return description;
    }

    @Override
    public String toString() {
        return "NdisDmaHandle{" + adapter.name() + "}";
    }
}

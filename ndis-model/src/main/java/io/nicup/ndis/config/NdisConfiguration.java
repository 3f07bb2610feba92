package io.nicup.ndis.config;

import io.nicup.ndis.Ndis;
import io.nicup.ndis.adapter.MiniportAdapter;
import io.nicup.ndis.adapter.ResourceLedger;
import io.nicup.ndis.driver.LoadedDriver;
import io.nicup.vfio.PciAddress;

/**
 * A configuration handle from {@link Ndis#NdisOpenConfigurationEx}: a view of the registry path for one
 * adapter (its section, then {@code [*]}) or, opened with the driver handle, for the driver
 * ({@code [*]} only). Released with {@link Ndis#NdisCloseConfiguration}; an adapter's handle still open
 * when MiniportInitializeEx or MiniportHaltEx returns is a reported leak.
 */
public final class NdisConfiguration {

    final ParameterStore store;
    final PciAddress adapterAddress;
    final MiniportAdapter adapter;
    final LoadedDriver driver;
    ResourceLedger.Entry entry;
    volatile boolean closed;

    NdisConfiguration(ParameterStore store, PciAddress adapterAddress, MiniportAdapter adapter, LoadedDriver driver) {
        this.store = store;
        this.adapterAddress = adapterAddress;
        this.adapter = adapter;
        this.driver = driver;
    }

    @Override
    public String toString() {
        return "NdisConfiguration{" + store.source() + (adapterAddress == null ? "" : " [" + adapterAddress + "]") + "}";
    }
}

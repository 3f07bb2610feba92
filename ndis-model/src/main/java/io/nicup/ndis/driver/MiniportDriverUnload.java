package io.nicup.ndis.driver;

import io.nicup.ndis.Ndis;

/**
 * MiniportDriverUnload: runs after every adapter has been halted; releases the driver-wide resources
 * and calls {@link Ndis#NdisMDeregisterMiniportDriver} (docs/ndis-contract.md §4).
 */
@FunctionalInterface
public interface MiniportDriverUnload {

    void unload(DriverObject driverObject);
}

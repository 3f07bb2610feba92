package io.nicup.ndis.driver;

import io.nicup.ndis.Ndis;
import io.nicup.ndis.NdisStatus;
import io.nicup.ndis.config.RegistryPath;

/**
 * DriverEntry: the miniport's entry point. The host calls it once when it loads the driver.
 *
 * <p>It registers the characteristics with {@link Ndis#NdisMRegisterMiniportDriver} and does any
 * other driver-wide initialization. If that later initialization fails after registration succeeded, it
 * calls {@link Ndis#NdisMDeregisterMiniportDriver} before returning the failure (docs/ndis-contract.md §1.1).
 */
@FunctionalInterface
public interface MiniportDriverEntry {

    /** @return an NTSTATUS: {@link NdisStatus#SUCCESS} or an error */
    int driverEntry(DriverObject driverObject, RegistryPath registryPath);
}

package io.nicup.ndis.miniport.core;

import io.nicup.ndis.NdisHost;
import io.nicup.ndis.adapter.MiniportAdapter;
import io.nicup.ndis.config.RegistryPath;
import io.nicup.ndis.driver.DriverObject;
import io.nicup.ndis.driver.LoadedDriver;
import java.time.Duration;
import java.util.Optional;

/**
 * One instance of a NIC family's miniport driver, as the CLI and tests see it: its DriverEntry, why
 * an adapter's initialization failed, the link wait and the family's diagnostics. Everything NDIS calls
 * goes through the characteristics the driver registers in DriverEntry.
 */
public interface NicDriver {

    /** Driver name in traces and parameter files ("e82574"). */
    String name();

    /** DriverEntry: fills the characteristics and calls NdisMRegisterMiniportDriver. */
    int driverEntry(DriverObject driverObject, RegistryPath registryPath);

    /** Why the last MiniportInitializeEx of {@code adapter} failed on the hardware (a timeout, the NVM, the PHY). */
    Optional<InitFailure> initFailure(MiniportAdapter adapter);

    /**
     * The NVM image the last MiniportInitializeEx of {@code adapter} read and refused (a bad checksum), so
     * that it can be shown although the adapter never came up; empty otherwise.
     */
    default Optional<NvmImage> nvmAtInitFailure(MiniportAdapter adapter) {
        return Optional.empty();
    }

    /**
     * Waits until the device reports link up (device-clock time, running NDIS timers and polled
     * interrupts meanwhile); false when {@code timeout} passes first.
     */
    boolean awaitLink(NdisHost host, MiniportAdapter adapter, Duration timeout);

    /** The diagnostics of an initialized adapter of this driver. */
    NicDiagnostics diagnostics(NdisHost host, MiniportAdapter adapter);

    /** Loads this driver into {@code host} (DriverEntry runs). */
    default LoadedDriver load(NdisHost host, RegistryPath registryPath) {
        return host.loadDriver(name(), this::driverEntry, registryPath);
    }
}

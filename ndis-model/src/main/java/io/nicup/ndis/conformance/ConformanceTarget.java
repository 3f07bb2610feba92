package io.nicup.ndis.conformance;

import io.nicup.ndis.NdisHost;
import io.nicup.ndis.driver.LoadedDriver;
import io.nicup.ndis.miniport.core.NicDriver;
import io.nicup.vfio.PciDevice;
import java.util.Optional;

/**
 * The NIC a battery runs on: the host with the driver loaded, the device, and on a simulated NIC its wire.
 * No adapter is up: each check brings up its own.
 */
public record ConformanceTarget(NdisHost host, NicDriver driver, LoadedDriver loaded, PciDevice device,
        Optional<SimulatedWire> wire) {

    /** Whether the device runs on a virtual clock (a simulated NIC). */
    public boolean simulated() {
        return wire.isPresent();
    }
}

package io.nicup.ndis.conformance;

import io.nicup.ndis.NdisHost;
import io.nicup.ndis.driver.LoadedDriver;
import io.nicup.ndis.miniport.core.NicDriver;
import io.nicup.vfio.PciDevice;
import java.util.Optional;

/**
 * The NIC a battery runs on: the host with the driver loaded, the device, on a simulated NIC its wire, and
 * the link partner at the far end of its cable. No adapter is up: each check brings up its own.
 */
public record ConformanceTarget(NdisHost host, NicDriver driver, LoadedDriver loaded, PciDevice device,
        Optional<SimulatedWire> wire, LinkPartner partner) {

    /** The partner a simulated NIC's wire is, or none on real hardware. */
    public ConformanceTarget(NdisHost host, NicDriver driver, LoadedDriver loaded, PciDevice device,
            Optional<SimulatedWire> wire) {
        this(host, driver, loaded, device, wire, wire.map(LinkPartner::wire)
                .orElseGet(() -> LinkPartner.none(Optional.empty())));
    }

    /** Whether the device runs on a virtual clock (a simulated NIC). */
    public boolean simulated() {
        return wire.isPresent();
    }
}

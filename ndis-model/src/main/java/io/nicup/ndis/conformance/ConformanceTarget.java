package io.nicup.ndis.conformance;

import io.nicup.ndis.NdisHost;
import io.nicup.ndis.driver.LoadedDriver;
import io.nicup.ndis.miniport.core.NicDriver;
import io.nicup.vfio.PciDevice;
import java.util.Optional;

/**
 * The NIC a battery runs on: the host with the driver loaded, the device, on a simulated NIC its wire, the
 * link partner at the far end of its cable, and what takes the device off the bus when the user gave one
 * (docs/ndis-contract.md §22). No adapter is up: each check brings up its own.
 */
public record ConformanceTarget(NdisHost host, NicDriver driver, LoadedDriver loaded, PciDevice device,
        Optional<SimulatedWire> wire, LinkPartner partner, Optional<DeviceRemover> remover) {

    /** No way to take the device off the bus. */
    public ConformanceTarget(NdisHost host, NicDriver driver, LoadedDriver loaded, PciDevice device,
            Optional<SimulatedWire> wire, LinkPartner partner) {
        this(host, driver, loaded, device, wire, partner, Optional.empty());
    }

    /** The partner a simulated NIC's wire is, or none on real hardware. */
    public ConformanceTarget(NdisHost host, NicDriver driver, LoadedDriver loaded, PciDevice device,
            Optional<SimulatedWire> wire) {
        this(host, driver, loaded, device, wire, wire.map(LinkPartner::wire)
                .orElseGet(() -> LinkPartner.none(Optional.empty())));
    }

    /** The same NIC, taken off the bus by {@code remover} when a check asks. */
    public ConformanceTarget withRemover(DeviceRemover remover) {
        return new ConformanceTarget(host, driver, loaded, device, wire, partner, Optional.of(remover));
    }

    /** Whether the device runs on a virtual clock (a simulated NIC). */
    public boolean simulated() {
        return wire.isPresent();
    }
}

package io.nicup.vfio.linux;

import io.nicup.vfio.PciAddress;
import java.util.Optional;
import java.util.Set;

/**
 * A device of an IOMMU group ({@code /sys/kernel/iommu_groups/N/devices/*}) and its driver.
 *
 * @param device the device name as sysfs has it (a BDF for PCI devices)
 * @param driver the bound driver, empty when none
 */
public record GroupMember(String device, Optional<String> driver) {

    /**
     * Drivers that leave the group viable for VFIO: they declare {@code driver_managed_dma} (vfio-pci and
     * its variants, pci-stub, pcieport) so the kernel does not count them as DMA owners
     * (drivers/iommu/iommu.c {@code iommu_group_claim_dma_owner}; docs/hardware-reference.md A.6).
     */
    private static final Set<String> VIABLE_DRIVERS = Set.of("vfio-pci", "pci-stub", "pcieport");

    /** Whether this member lets the group be used through VFIO: no driver, or a VFIO-compatible one. */
    public boolean compatibleWithVfio() {
        return driver.isEmpty() || VIABLE_DRIVERS.contains(driver.get()) || driver.get().contains("vfio");
    }

    /** The PCI address, if the name is one. */
    public Optional<PciAddress> pciAddress() {
        try {
            return Optional.of(PciAddress.parse(device));
        } catch (RuntimeException e) {
            return Optional.empty();
        }
    }

    @Override
    public String toString() {
        return device + " (driver " + driver.orElse("none") + ")";
    }
}

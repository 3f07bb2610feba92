package io.nicup.vfio.linux;

/**
 * {@code struct vfio_device_info} as returned by {@code VFIO_DEVICE_GET_INFO}.
 *
 * @param flags {@code VFIO_DEVICE_FLAGS_*} ({@link VfioAbi#DEVICE_FLAGS_RESET}, {@link VfioAbi#DEVICE_FLAGS_PCI}, ...)
 */
public record DeviceInfo(int flags, int numRegions, int numIrqs) {

    /** {@code VFIO_DEVICE_RESET} is offered. */
    public boolean canReset() {
        return (flags & VfioAbi.DEVICE_FLAGS_RESET) != 0;
    }

    /** A vfio-pci device (region and IRQ indexes mean BARs/config and INTx/MSI/MSI-X). */
    public boolean isPci() {
        return (flags & VfioAbi.DEVICE_FLAGS_PCI) != 0;
    }

    @Override
    public String toString() {
        return "flags=0x" + Integer.toHexString(flags) + " num_regions=" + numRegions + " num_irqs=" + numIrqs
                + " reset=" + canReset() + " pci=" + isPci();
    }
}

package io.nicup.vfio.linux;

/**
 * {@code struct vfio_irq_info} as returned by {@code VFIO_DEVICE_GET_IRQ_INFO}.
 *
 * @param index INTX 0, MSI 1, MSIX 2, ERR 3, REQ 4 (linux/vfio.h l.621-628)
 * @param flags {@code VFIO_IRQ_INFO_*}: EVENTFD 1, MASKABLE 2, AUTOMASKED 4, NORESIZE 8
 * @param count vectors available; 0 when the device lacks this kind of interrupt
 */
public record IrqInfo(int index, int flags, int count) {

    public String name() {
        return VfioAbi.irqName(index);
    }

    public boolean eventfd() {
        return (flags & VfioAbi.IRQ_INFO_EVENTFD) != 0;
    }

    public boolean maskable() {
        return (flags & VfioAbi.IRQ_INFO_MASKABLE) != 0;
    }

    public boolean automasked() {
        return (flags & VfioAbi.IRQ_INFO_AUTOMASKED) != 0;
    }

    public boolean noresize() {
        return (flags & VfioAbi.IRQ_INFO_NORESIZE) != 0;
    }

    @Override
    public String toString() {
        return name() + " index=" + index + " count=" + count + " flags=0x" + Integer.toHexString(flags)
                + (eventfd() ? " eventfd" : "") + (maskable() ? " maskable" : "") + (automasked() ? " automasked" : "")
                + (noresize() ? " noresize" : "");
    }
}

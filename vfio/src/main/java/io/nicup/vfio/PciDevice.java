package io.nicup.vfio;

import java.util.List;

/**
 * One PCI function opened for exclusive use by a driver in this process: everything a NIC driver needs
 * from the bus and nothing Linux-specific. Implemented over VFIO ({@code io.nicup.vfio.linux}) and by
 * the simulated devices of {@code mock-device}.
 *
 * <p>The device owns every resource it hands out (register mappings, DMA regions, interrupt sets);
 * {@link #close()} releases whatever the driver left, in reverse order of acquisition, turns bus
 * mastering off and closes the underlying handles.
 */
public interface PciDevice extends AutoCloseable {

    PciAddress address();

    DeviceIdentity identity();

    ConfigSpace config();

    /** The BARs the device implements (size > 0). */
    List<BarInfo> bars();

    /**
     * The register space of memory BAR {@code index}, mapped on first use.
     *
     * @throws DeviceAccessException {@code NOT_FOUND} for a BAR the device does not implement,
     *     {@code UNSUPPORTED} for an I/O BAR or one that cannot be mapped
     */
    RegisterSpace bar(int index);

    DmaAllocator dma();

    Interrupts interrupts();

    DeviceClock clock();

    /** Turns PCI bus mastering (command register bit 2) on or off; DMA is impossible while off. */
    void setBusMaster(boolean enabled);

    /** Whether a function-level reset is offered ({@code VFIO_DEVICE_RESET}). */
    boolean canReset();

    /**
     * Resets the function through the bus.
     *
     * @throws DeviceAccessException {@code UNSUPPORTED} when {@link #canReset()} is false
     */
    void reset();

    /**
     * The kernel asking for the device back (a hot-unplug or an unbind): the driver stops, releases the device
     * and closes it; {@link RemovalRequest#NONE} for a device that cannot ask.
     */
    default RemovalRequest removalRequest() {
        return RemovalRequest.NONE;
    }

    /** A one-line description for traces ("vfio 0000:01:00.0", "mock 82574L"). */
    String description();

    @Override
    void close();
}

package io.nicup.mock;

import io.nicup.vfio.BarInfo;
import io.nicup.vfio.ConfigSpace;
import io.nicup.vfio.DeviceAccessException;
import io.nicup.vfio.DeviceAccessException.Reason;
import io.nicup.vfio.DeviceIdentity;
import io.nicup.vfio.DmaAllocator;
import io.nicup.vfio.InterruptSet;
import io.nicup.vfio.Interrupts;
import io.nicup.vfio.PciAddress;
import io.nicup.vfio.PciDevice;
import io.nicup.vfio.RegisterSpace;

import java.util.List;

/**
 * A simulated PCI function: the {@link PciDevice} a driver sees, plus the handles a test needs on the
 * other side — the {@link #wire()}, the {@link #clock()} that runs the device's events, the
 * {@link #model()} with its counters, and the simulated IOMMU's {@link #dmaFaults()}.
 *
 * <p>Everything runs in the caller's thread on virtual time; nothing happens between calls.
 */
public final class MockPciDevice implements PciDevice {

    private final MockSpec spec;
    private final PciAddress address;
    private final String description;
    private final VirtualClock clock;
    private final MockConfigSpace config;
    private final MockDmaAllocator dma;
    private final MockInterrupts interrupts;
    private final Wire wire;
    private final DeviceModel model;
    private boolean closed;
    private final MockRemovalRequest removalRequest = new MockRemovalRequest(() -> closed);

    public MockPciDevice(MockSpec spec, PciAddress address, String description, VirtualClock clock,
            MockConfigSpace config, MockDmaAllocator dma, MockInterrupts interrupts, Wire wire, DeviceModel model) {
        this.spec = spec;
        this.address = address;
        this.description = description;
        this.clock = clock;
        this.config = config;
        this.dma = dma;
        this.interrupts = interrupts;
        this.wire = wire;
        this.model = model;
    }

    @Override
    public PciAddress address() {
        return address;
    }

    @Override
    public DeviceIdentity identity() {
        return new DeviceIdentity(config.read16(MockConfigSpace.VENDOR_ID), config.read16(MockConfigSpace.DEVICE_ID),
                config.read16(MockConfigSpace.SUBSYSTEM_VENDOR_ID), config.read16(MockConfigSpace.SUBSYSTEM_ID),
                config.read32(MockConfigSpace.REVISION) >>> 8, config.read8(MockConfigSpace.REVISION));
    }

    @Override
    public ConfigSpace config() {
        checkOpen();
        return config;
    }

    @Override
    public List<BarInfo> bars() {
        return model.bars();
    }

    @Override
    public RegisterSpace bar(int index) {
        checkOpen();
        return model.bar(index);
    }

    @Override
    public DmaAllocator dma() {
        checkOpen();
        return dma;
    }

    @Override
    public Interrupts interrupts() {
        checkOpen();
        return interrupts;
    }

    /** The device's virtual clock (a {@link io.nicup.vfio.DeviceClock}). */
    @Override
    public VirtualClock clock() {
        return clock;
    }

    @Override
    public void setBusMaster(boolean enabled) {
        checkOpen();
        config.setCommandBits(MockConfigSpace.COMMAND_BUS_MASTER, enabled);
    }

    @Override
    public boolean canReset() {
        return true;
    }

    /** A function-level reset: the device and its config space return to power-on state (bus master off). */
    @Override
    public void reset() {
        checkOpen();
        model.functionReset();
    }

    @Override
    public MockRemovalRequest removalRequest() {
        return removalRequest;
    }

    @Override
    public String description() {
        return description;
    }

    /** Releases interrupts, then DMA regions (newest first), turns bus mastering off and stops the model. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        InterruptSet set = interrupts.armed();
        if (set != null) {
            set.close();
        }
        config.setCommandBits(MockConfigSpace.COMMAND_BUS_MASTER, false);
        dma.closeAll();
        model.close();
    }

    public boolean isClosed() {
        return closed;
    }

    // ------------------------------------------------------------------ the test's side

    /** The spec this device was opened from. */
    public MockSpec spec() {
        return spec;
    }

    /** The far end of the cable. */
    public Wire wire() {
        return wire;
    }

    /** The device model, with its counters and fault state. */
    public DeviceModel model() {
        return model;
    }

    /** The model as its concrete class, e.g. {@code model(E82574Model.class)}. */
    public <T extends DeviceModel> T model(Class<T> type) {
        if (!type.isInstance(model)) {
            throw new DeviceAccessException(Reason.INVALID_ARGUMENT,
                    "device model is " + model.getClass().getSimpleName() + ", not " + type.getSimpleName(),
                    "open a mock of that model");
        }
        return type.cast(model);
    }

    /** Makes the device vanish now, as the all-ones fault does; false for a model that cannot. */
    public boolean surpriseRemove() {
        if (model instanceof io.nicup.mock.intel.IntelModel intel) {
            intel.surpriseRemove();
            return true;
        }
        if (model instanceof io.nicup.mock.virtio.VirtioNetModel virtio) {
            virtio.surpriseRemove();
            return true;
        }
        return false;
    }

    /** DMA accesses the simulated IOMMU refused. */
    public List<DmaFault> dmaFaults() {
        return dma.faults();
    }

    /** The allocator with its device-side (IOMMU) view. */
    public MockDmaAllocator dmaAllocator() {
        return dma;
    }

    /** The raw config space (reads ignore a surprise removal). */
    public MockConfigSpace configSpace() {
        return config;
    }

    /** Accesses the model noted: unimplemented offsets, writes during reset, narrow accesses. */
    public List<RegisterAccess> notedAccesses() {
        return model.notedAccesses();
    }

    private void checkOpen() {
        if (closed) {
            throw new IllegalStateException("mock device closed: " + description);
        }
    }

    @Override
    public String toString() {
        return description + " (" + spec.text() + ")";
    }
}

package io.nicup.mock.virtio;

import io.nicup.mock.MockConfigSpace;
import io.nicup.mock.MockDmaAllocator;
import io.nicup.mock.ModelFactory;
import io.nicup.mock.VirtualClock;
import io.nicup.mock.Wire;
import io.nicup.vfio.PciAddress;

import java.util.Map;

/** Registers the virtio-net model as {@code mock:virtio-net}. */
public final class VirtioNetFactory extends ModelFactory<VirtioNetFault> {

    /** Where the device says it is unless the spec's {@code address} says otherwise. */
    public static final PciAddress DEFAULT_ADDRESS = new PciAddress(0, 0, 2, 0);

    public VirtioNetFactory() {
        super(VirtioNetModel.NAME, "virtio-net 1.x over modern virtio-pci (disable-legacy=on, iommu_platform=on), model after QEMU 7.2",
                VirtioNetFault.class, VirtioNetModel.DEFAULT_MAC, DEFAULT_ADDRESS);
    }

    @Override
    protected VirtioNetModel build(VirtualClock clock, MockConfigSpace config, MockDmaAllocator dma, Wire wire, byte[] mac,
            Map<VirtioNetFault, Long> faults) {
        return new VirtioNetModel(clock, config, dma, wire, mac, faults);
    }
}

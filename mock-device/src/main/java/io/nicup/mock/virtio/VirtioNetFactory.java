package io.nicup.mock.virtio;

import io.nicup.mock.FaultRequest;
import io.nicup.mock.MockConfigSpace;
import io.nicup.mock.MockDeviceFactory;
import io.nicup.mock.MockDevices;
import io.nicup.mock.MockDmaAllocator;
import io.nicup.mock.MockPciDevice;
import io.nicup.mock.MockSpec;
import io.nicup.mock.ModelFault;
import io.nicup.mock.VirtualClock;
import io.nicup.mock.Wire;
import io.nicup.vfio.PciAddress;
import java.util.EnumMap;
import java.util.Map;

/** Registers the virtio-net model as {@code mock:virtio-net}. */
public final class VirtioNetFactory implements MockDeviceFactory {

    /** Where the device says it is unless the spec's {@code address} says otherwise. */
    public static final PciAddress DEFAULT_ADDRESS = new PciAddress(0, 0, 2, 0);

    @Override
    public String model() {
        return VirtioNetModel.NAME;
    }

    @Override
    public String description() {
        return "virtio-net 1.x over modern virtio-pci (disable-legacy=on, iommu_platform=on), model after QEMU 7.2";
    }

    @Override
    public Map<String, String> faults() {
        return ModelFault.catalogue(VirtioNetFault.class);
    }

    @Override
    public Map<String, String> parameters() {
        return MockDevices.COMMON_PARAMETERS;
    }

    @Override
    public MockPciDevice open(MockSpec spec) {
        byte[] mac = spec.mac(VirtioNetModel.DEFAULT_MAC);
        PciAddress address = spec.address(DEFAULT_ADDRESS);
        Map<VirtioNetFault, Long> faults = new EnumMap<>(VirtioNetFault.class);
        for (FaultRequest request : spec.faults()) {
            VirtioNetFault fault = ModelFault.bySpecName(VirtioNetFault.class, VirtioNetModel.NAME, request.name());
            faults.put(fault, request.afterOr(fault.defaultAfter()));
        }
        VirtualClock clock = new VirtualClock();
        MockConfigSpace config = new MockConfigSpace();
        MockDmaAllocator dma = new MockDmaAllocator(clock);
        Wire wire = new Wire(clock);
        VirtioNetModel model = new VirtioNetModel(clock, config, dma, wire, mac, faults);
        String description = "mock " + VirtioNetModel.NAME + " " + MockSpec.formatMac(mac)
                + (faults.isEmpty() ? "" : " faults=" + spec.faults());
        return new MockPciDevice(spec, address, description, clock, config, dma, model.interrupts(), wire, model);
    }
}

package io.nicup.mock.e82576;

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

/** Registers the 82576 model as {@code mock:82576}. */
public final class E82576Factory implements MockDeviceFactory {

    /** Where the device says it is unless the spec's {@code address} says otherwise (behind its own root port, as run-guest places QEMU's igb). */
    public static final PciAddress DEFAULT_ADDRESS = new PciAddress(0, 1, 0, 0);

    @Override
    public String model() {
        return E82576Model.NAME;
    }

    @Override
    public String description() {
        return "Intel 82576 Gigabit Ethernet (igb), behavioural model after QEMU 8+ igb";
    }

    @Override
    public Map<String, String> faults() {
        return ModelFault.catalogue(E82576Fault.class);
    }

    @Override
    public Map<String, String> parameters() {
        return MockDevices.COMMON_PARAMETERS;
    }

    @Override
    public MockPciDevice open(MockSpec spec) {
        byte[] mac = spec.mac(E82576Model.DEFAULT_MAC);
        PciAddress address = spec.address(DEFAULT_ADDRESS);
        Map<E82576Fault, Long> faults = new EnumMap<>(E82576Fault.class);
        for (FaultRequest request : spec.faults()) {
            E82576Fault fault = ModelFault.bySpecName(E82576Fault.class, E82576Model.NAME, request.name());
            faults.put(fault, request.afterOr(fault.defaultAfter()));
        }
        VirtualClock clock = new VirtualClock();
        MockConfigSpace config = new MockConfigSpace();
        MockDmaAllocator dma = new MockDmaAllocator(clock);
        Wire wire = new Wire(clock);
        E82576Model model = new E82576Model(clock, config, dma, wire, mac, faults);
        String description = "mock " + E82576Model.NAME + " " + MockSpec.formatMac(mac)
                + (faults.isEmpty() ? "" : " faults=" + spec.faults());
        return new MockPciDevice(spec, address, description, clock, config, dma, model.interrupts(), wire, model);
    }
}

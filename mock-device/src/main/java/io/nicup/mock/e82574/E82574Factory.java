package io.nicup.mock.e82574;

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

/** Registers the 82574L model as {@code mock:82574L}. */
public final class E82574Factory implements MockDeviceFactory {

    /** Where the device says it is unless the spec's {@code address} says otherwise (QEMU q35 puts it at 00:01.0). */
    public static final PciAddress DEFAULT_ADDRESS = new PciAddress(0, 0, 1, 0);

    @Override
    public String model() {
        return E82574Model.NAME;
    }

    @Override
    public String description() {
        return "Intel 82574L Gigabit Ethernet (e1000e), behavioural model after QEMU 7.2";
    }

    @Override
    public Map<String, String> faults() {
        return ModelFault.catalogue(E82574Fault.class);
    }

    @Override
    public Map<String, String> parameters() {
        return MockDevices.COMMON_PARAMETERS;
    }

    @Override
    public MockPciDevice open(MockSpec spec) {
        return open(spec, new VirtualClock());
    }

    /**
     * Builds a device on {@code clock}: several NICs sharing one clock are one simulated machine, so a
     * single deterministic host can run them side by side.
     */
    public MockPciDevice open(MockSpec spec, VirtualClock clock) {
        byte[] mac = spec.mac(E82574Model.DEFAULT_MAC);
        PciAddress address = spec.address(DEFAULT_ADDRESS);
        Map<E82574Fault, Long> faults = new EnumMap<>(E82574Fault.class);
        for (FaultRequest request : spec.faults()) {
            E82574Fault fault = ModelFault.bySpecName(E82574Fault.class, E82574Model.NAME, request.name());
            faults.put(fault, request.afterOr(fault.defaultAfter()));
        }
        MockConfigSpace config = new MockConfigSpace();
        MockDmaAllocator dma = new MockDmaAllocator(clock);
        Wire wire = new Wire(clock);
        E82574Model model = new E82574Model(clock, config, dma, wire, mac, faults);
        String description = "mock " + E82574Model.NAME + " " + MockSpec.formatMac(mac)
                + (faults.isEmpty() ? "" : " faults=" + spec.faults());
        return new MockPciDevice(spec, address, description, clock, config, dma, model.interrupts(), wire, model);
    }
}

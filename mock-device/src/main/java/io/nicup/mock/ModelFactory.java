package io.nicup.mock;

import io.nicup.vfio.PciAddress;

import java.util.EnumMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * A {@link MockDeviceFactory} for a model built from its MAC address and its faults on a fresh
 * configuration space, DMA allocator and wire: every built-in model is one. A model's factory names
 * it, describes it and says how to construct it ({@link #build}); the spec's MAC, address and faults
 * are read here.
 *
 * @param <F> the model's fault enum
 */
public abstract class ModelFactory<F extends Enum<F> & ModelFault> implements MockDeviceFactory {

    private final String model;
    private final String description;
    private final Class<F> faultType;
    private final byte[] defaultMac;
    private final PciAddress defaultAddress;

    /**
     * @param defaultMac the MAC address unless the spec's {@code mac} says otherwise
     * @param defaultAddress where the device says it is unless the spec's {@code address} says otherwise
     */
    protected ModelFactory(String model, String description, Class<F> faultType, byte[] defaultMac,
            PciAddress defaultAddress) {
        this.model = model;
        this.description = description;
        this.faultType = faultType;
        this.defaultMac = defaultMac.clone();
        this.defaultAddress = defaultAddress;
    }

    /** Constructs the model on the device's plumbing. */
    protected abstract DeviceModel build(VirtualClock clock, MockConfigSpace config, MockDmaAllocator dma, Wire wire,
            byte[] mac, Map<F, Long> faults);

    /** Constructs the model with the spec's model-specific parameters at hand; by default they are none. */
    protected DeviceModel build(VirtualClock clock, MockConfigSpace config, MockDmaAllocator dma, Wire wire,
            byte[] mac, Map<F, Long> faults, MockSpec spec) {
        return build(clock, config, dma, wire, mac, faults);
    }

    @Override
    public String model() {
        return model;
    }

    @Override
    public String description() {
        return description;
    }

    /** The model's own faults, then the configuration-space faults every model takes ({@link ConfigFault}). */
    @Override
    public Map<String, String> faults() {
        Map<String, String> all = new java.util.LinkedHashMap<>(ModelFault.catalogue(faultType));
        all.putAll(ConfigFault.catalogue());
        all.put(MockRemovalRequest.FAULT, MockRemovalRequest.DESCRIPTION);
        return all;
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
        byte[] mac = spec.mac(defaultMac);
        PciAddress address = spec.address(defaultAddress);
        Map<F, Long> faults = new EnumMap<>(faultType);
        Set<String> configFaults = new HashSet<>();
        long removalRequestAfter = -1;
        for (FaultRequest request : spec.faults()) {
            if (request.name().equals(MockRemovalRequest.FAULT)) {
                removalRequestAfter = request.afterOr(0);
                continue;
            }
            if (ConfigFault.isConfigFault(request.name())) {
                configFaults.add(request.name());
                continue;
            }
            F fault = ModelFault.bySpecName(faultType, model, request.name());
            faults.put(fault, request.afterOr(fault.defaultAfter()));
        }
        MockConfigSpace config = new MockConfigSpace();
        MockDmaAllocator dma = new MockDmaAllocator(clock);
        Wire wire = new Wire(clock);
        DeviceModel device = build(clock, config, dma, wire, mac, faults, spec);
        ConfigFault.applyAll(configFaults, config, device.bars());
        String text = "mock " + model + " " + MockSpec.formatMac(mac)
                + (spec.faults().isEmpty() ? "" : " faults=" + spec.faults());
        MockPciDevice opened = new MockPciDevice(spec, address, text, clock, config, dma, device.interrupts(), wire, device);
        if (removalRequestAfter >= 0) {
            opened.removalRequest().raiseAfter(wire, removalRequestAfter);
        }
        return opened;
    }
}

package io.nicup.mock.e82576;

import io.nicup.mock.MockConfigSpace;
import io.nicup.mock.MockDmaAllocator;
import io.nicup.mock.ModelFactory;
import io.nicup.mock.VirtualClock;
import io.nicup.mock.Wire;
import io.nicup.vfio.PciAddress;

import java.util.Map;

/** Registers the 82576 model as {@code mock:82576}. */
public final class E82576Factory extends ModelFactory<E82576Fault> {

    /** Where the device says it is unless the spec's {@code address} says otherwise (behind its own root port, as run-guest places QEMU's igb). */
    public static final PciAddress DEFAULT_ADDRESS = new PciAddress(0, 1, 0, 0);

    public E82576Factory() {
        super(E82576Model.NAME, "Intel 82576 Gigabit Ethernet (igb), behavioural model after QEMU 8+ igb",
                E82576Fault.class, E82576Model.DEFAULT_MAC, DEFAULT_ADDRESS);
    }

    @Override
    protected E82576Model build(VirtualClock clock, MockConfigSpace config, MockDmaAllocator dma, Wire wire, byte[] mac,
            Map<E82576Fault, Long> faults) {
        return new E82576Model(clock, config, dma, wire, mac, faults);
    }
}

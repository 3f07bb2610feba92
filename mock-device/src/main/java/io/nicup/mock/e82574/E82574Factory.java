package io.nicup.mock.e82574;

import io.nicup.mock.MockConfigSpace;
import io.nicup.mock.MockDmaAllocator;
import io.nicup.mock.ModelFactory;
import io.nicup.mock.VirtualClock;
import io.nicup.mock.Wire;
import io.nicup.vfio.PciAddress;

import java.util.Map;

/** Registers the 82574L model as {@code mock:82574L}. */
public final class E82574Factory extends ModelFactory<E82574Fault> {

    /** Where the device says it is unless the spec's {@code address} says otherwise (QEMU q35 puts it at 00:01.0). */
    public static final PciAddress DEFAULT_ADDRESS = new PciAddress(0, 0, 1, 0);

    public E82574Factory() {
        super(E82574Model.NAME, "Intel 82574L Gigabit Ethernet (e1000e), behavioural model after QEMU 7.2",
                E82574Fault.class, E82574Model.DEFAULT_MAC, DEFAULT_ADDRESS);
    }

    @Override
    protected E82574Model build(VirtualClock clock, MockConfigSpace config, MockDmaAllocator dma, Wire wire, byte[] mac,
            Map<E82574Fault, Long> faults) {
        return new E82574Model(clock, config, dma, wire, mac, faults);
    }
}

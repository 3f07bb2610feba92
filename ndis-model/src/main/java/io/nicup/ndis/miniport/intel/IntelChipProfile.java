package io.nicup.ndis.miniport.intel;

import io.nicup.vfio.DeviceClock;
import io.nicup.vfio.RegisterSpace;
import java.util.function.BiFunction;

/**
 * What the one Intel miniport needs to know about a chip before it has an adapter: its PCI ID, its
 * names, where STATUS.LU is, and how to make the chip's {@link IntelChip} over a mapped BAR 0.
 *
 * @param vendorId PCI vendor ID (0x8086)
 * @param deviceId PCI device ID
 * @param model the model name users write ("82574L"), also the mock's
 * @param name driver name in traces and parameter files ("e82574")
 * @param description one line for listings
 * @param statusRegister offset of STATUS
 * @param linkUpBit STATUS.LU
 * @param chip makes the chip profile of one adapter over its BAR 0 and device clock
 * @param <C> the chip profile
 */
public record IntelChipProfile<C extends IntelChip>(int vendorId, int deviceId, String model, String name,
        String description, int statusRegister, int linkUpBit, BiFunction<RegisterSpace, DeviceClock, C> chip) {
}

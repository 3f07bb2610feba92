package io.nicup.vfio.linux;

import io.nicup.vfio.PciAddress;
import java.time.Instant;
import java.util.Optional;

/**
 * What {@link DeviceBinder#bind} found before taking a device for vfio-pci, kept in the state directory
 * so that {@code unbind --restore} in a later process can give the device back.
 *
 * @param originalDriver the driver the device had, empty when it had none
 * @param originalOverride the {@code driver_override} it had, empty when none
 * @param pid the process that bound it
 */
public record BindRecord(PciAddress address, Optional<String> originalDriver, Optional<String> originalOverride,
        long pid, Instant boundAt) {
}

package io.nicup.ndis.conformance;

/**
 * Takes the NIC off the bus from outside while nicup holds it (docs/ndis-contract.md §22): a command that
 * presses a hot-plug slot's attention button, unbinds the device, or asks QEMU for {@code device_del}. Returns
 * once the removal was asked for; the kernel then asks nicup for the device back through its request
 * interrupt ({@link io.nicup.vfio.RemovalRequest}).
 */
@FunctionalInterface
public interface DeviceRemover {

    /**
     * Asks for the device's removal.
     *
     * @throws DeviceRemoverException when it could not (the check fails with its message)
     */
    void remove();

    /** The removal could not be asked for: what was run and what it said. */
    final class DeviceRemoverException extends RuntimeException {

        public DeviceRemoverException(String message) {
            super(message);
        }
    }
}

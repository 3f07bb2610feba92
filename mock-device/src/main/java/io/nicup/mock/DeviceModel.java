package io.nicup.mock;

import io.nicup.vfio.BarInfo;
import io.nicup.vfio.RegisterSpace;

import java.util.List;

/**
 * A behavioural model of one NIC behind a {@link MockPciDevice}: its BARs and what happens on a reset.
 * Config space, DMA, interrupts, wire and clock are shared plumbing the model was built with.
 */
public interface DeviceModel {

    /** Model name as in the spec ({@code 82574L}). */
    String name();

    /** The implemented BARs (size &gt; 0). */
    List<BarInfo> bars();

    /**
     * The register space of memory BAR {@code index}.
     *
     * @throws io.nicup.vfio.DeviceAccessException NOT_FOUND for an absent BAR, UNSUPPORTED for an I/O BAR
     */
    RegisterSpace bar(int index);

    /** A function-level reset from the bus: device and config space back to power-on state. */
    void functionReset();

    /** Accesses the model noted (unimplemented offsets, writes during reset, ...), oldest first. */
    List<RegisterAccess> notedAccesses();

    /** The interrupt plumbing the model signals through. */
    MockInterrupts interrupts();

    /** The port LEDs over virtual time, or empty when the model has none (virtio-net). */
    default java.util.Optional<PortLeds> leds() {
        return java.util.Optional.empty();
    }

    /** The device is being closed: stop timers and DMA. */
    void close();
}

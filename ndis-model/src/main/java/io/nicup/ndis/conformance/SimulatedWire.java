package io.nicup.ndis.conformance;

import java.util.List;

/**
 * The far end of a simulated NIC's cable, for the checks that need frames from outside or a link to pull
 * (the CLI and tests adapt the mock device's wire to this). Absent on real hardware.
 */
public interface SimulatedWire {

    /** Puts a frame on the wire towards the NIC. */
    void inject(byte[] frame);

    /** The frames the NIC transmitted since the last call, oldest first. */
    List<byte[]> takeTransmitted();

    /** Brings the link partner up or down. */
    void setLink(boolean up);

    /**
     * Makes the NIC vanish from the bus now, as a surprise removal does (every read all-ones); false when
     * the simulation cannot.
     */
    default boolean remove() {
        return false;
    }

    /** Whether the NIC models IEEE 802.3x PAUSE frames (none of the simulated NICs does yet). */
    default boolean modelsFlowControl() {
        return false;
    }
}

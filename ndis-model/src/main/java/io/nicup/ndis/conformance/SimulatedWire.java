package io.nicup.ndis.conformance;

import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.function.Supplier;

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

    /**
     * A wire from a simulated NIC's own operations (method references to its wire and device).
     *
     * @param pollTransmitted the oldest frame transmitted and not yet taken, or null
     */
    static SimulatedWire of(Consumer<byte[]> inject, Supplier<byte[]> pollTransmitted, Consumer<Boolean> setLink,
            BooleanSupplier remove) {
        return new SimulatedWire() {
            @Override
            public void inject(byte[] frame) {
                inject.accept(frame);
            }

            @Override
            public List<byte[]> takeTransmitted() {
                List<byte[]> out = new ArrayList<>();
                for (byte[] f = pollTransmitted.get(); f != null; f = pollTransmitted.get()) {
                    out.add(f);
                }
                return out;
            }

            @Override
            public void setLink(boolean up) {
                setLink.accept(up);
            }

            @Override
            public boolean remove() {
                return remove.getAsBoolean();
            }
        };
    }
}

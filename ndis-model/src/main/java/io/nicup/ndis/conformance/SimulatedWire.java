package io.nicup.ndis.conformance;

import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
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

    /** A frame the NIC transmitted, and the device-clock time it left (-1 when the wire does not know). */
    record Transmitted(byte[] frame, long nanos) {
    }

    /** Whether the NIC models IEEE 802.3x PAUSE frames received from the wire. */
    default boolean modelsFlowControl() {
        return false;
    }

    /** Why there is no flow control to check, when {@link #modelsFlowControl()} is false. */
    default String noFlowControl() {
        return "the simulated NIC does not model IEEE 802.3x flow control";
    }

    /** {@link #takeTransmitted()} with the time each frame left, where the wire keeps it. */
    default List<Transmitted> takeTransmittedTimed() {
        return takeTransmitted().stream().map(f -> new Transmitted(f, -1)).toList();
    }

    /**
     * This wire for a NIC that honours PAUSE frames, with the device-clock time of each transmitted frame.
     *
     * @param oldestTransmittedAt the time the oldest frame not yet taken left, or -1 when none is waiting
     * @param pollTransmitted the oldest frame transmitted and not yet taken, or null
     */
    static SimulatedWire withFlowControl(SimulatedWire wire, LongSupplier oldestTransmittedAt,
            Supplier<byte[]> pollTransmitted) {
        return new Delegating(wire) {
            @Override
            public boolean modelsFlowControl() {
                return true;
            }

            @Override
            public List<Transmitted> takeTransmittedTimed() {
                List<Transmitted> out = new ArrayList<>();
                for (long at = oldestTransmittedAt.getAsLong(); ; at = oldestTransmittedAt.getAsLong()) {
                    byte[] f = pollTransmitted.get();
                    if (f == null) {
                        return out;
                    }
                    out.add(new Transmitted(f, at));
                }
            }
        };
    }

    /** This wire for a NIC without flow control, saying why ({@code reason}). */
    static SimulatedWire withoutFlowControl(SimulatedWire wire, String reason) {
        return new Delegating(wire) {
            @Override
            public String noFlowControl() {
                return reason;
            }
        };
    }

    /** A wire that passes everything to another one; the flow-control wrappers override what they add. */
    class Delegating implements SimulatedWire {
        private final SimulatedWire wire;

        Delegating(SimulatedWire wire) {
            this.wire = wire;
        }

        @Override
        public void inject(byte[] frame) {
            wire.inject(frame);
        }

        @Override
        public List<byte[]> takeTransmitted() {
            return wire.takeTransmitted();
        }

        @Override
        public void setLink(boolean up) {
            wire.setLink(up);
        }

        @Override
        public boolean remove() {
            return wire.remove();
        }

        @Override
        public boolean modelsFlowControl() {
            return wire.modelsFlowControl();
        }

        @Override
        public String noFlowControl() {
            return wire.noFlowControl();
        }

        @Override
        public List<Transmitted> takeTransmittedTimed() {
            return wire.takeTransmittedTimed();
        }
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

package io.nicup.vfio;

/** The interrupt sources of a device. */
public interface Interrupts {

    /** How many vectors the device offers in {@code mode}; 0 when it does not support it. */
    int maxVectors(InterruptMode mode);

    /**
     * Arms {@code count} vectors of {@code mode}, each bound to its own event. Only one mode can be
     * armed at a time; arming again without closing the previous set is an {@code INVALID_ARGUMENT} error.
     */
    InterruptSet enable(InterruptMode mode, int count);
}

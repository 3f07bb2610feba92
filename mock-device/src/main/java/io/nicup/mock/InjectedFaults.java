package io.nicup.mock;

import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;
import java.util.Set;

/**
 * The faults a model injects, each with its trigger count, and the frame counts that fire the ones
 * triggered by traffic. Every model counts alike: frames transmitted (in all and since the last reset),
 * frames received, and for link-flap the frames since the last drop. What a fault does when it fires
 * stays in the model.
 *
 * @param <F> the model's fault enum
 */
public final class InjectedFaults<F extends Enum<F>> {

    private final Map<F, Long> triggers;
    private long txFrames;
    private long txFramesSinceReset;
    private long rxFrames;
    private long framesSinceFlap;

    public InjectedFaults(Class<F> type, Map<F, Long> faults) {
        this.triggers = Collections.unmodifiableMap(faults.isEmpty() ? new EnumMap<>(type) : new EnumMap<>(faults));
    }

    /** Whether {@code fault} is injected. */
    public boolean has(F fault) {
        return triggers.containsKey(fault);
    }

    /** The faults injected. */
    public Set<F> injected() {
        return triggers.keySet();
    }

    /** A frame left the device (sent, looped or lost for want of a link). */
    public void transmitted() {
        txFrames++;
        txFramesSinceReset++;
    }

    /** A frame was delivered to the driver. */
    public void received() {
        rxFrames++;
    }

    /** The device was reset: tx-hang counts afresh. */
    public void deviceReset() {
        txFramesSinceReset = 0;
    }

    /** Whether a one-shot receive fault fires on the next received frame: not yet {@code done} and its count reached. */
    public boolean armedOnReceive(F fault, boolean done) {
        Long after = triggers.get(fault);
        return after != null && !done && rxFrames >= after;
    }

    /** Whether the frames transmitted since the last reset reached the trigger count of {@code fault}. */
    public boolean transmittedSinceReset(F fault) {
        Long after = triggers.get(fault);
        return after != null && txFramesSinceReset >= after;
    }

    /** Whether {@code count}, something the model counts itself (register reads), reached the trigger count of {@code fault}. */
    public boolean reached(F fault, long count) {
        Long after = triggers.get(fault);
        return after != null && count >= after;
    }

    /** Whether all frames, transmitted and received, reached the trigger count of {@code fault}. */
    public boolean allFrames(F fault) {
        Long after = triggers.get(fault);
        return after != null && txFrames + rxFrames >= after;
    }

    /**
     * Counts a frame towards {@code linkFlap}, to be called only while the link is up; true when the link
     * should drop now (every N frames, at least every frame).
     */
    public boolean flapDue(F linkFlap) {
        Long after = triggers.get(linkFlap);
        if (after == null) {
            return false;
        }
        framesSinceFlap++;
        if (framesSinceFlap >= Math.max(1, after)) {
            framesSinceFlap = 0;
            return true;
        }
        return false;
    }
}

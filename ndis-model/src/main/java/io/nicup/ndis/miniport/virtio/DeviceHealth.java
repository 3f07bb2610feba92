package io.nicup.ndis.miniport.virtio;

/**
 * What the driver knows about the device's health, shared by the parts of one adapter.
 *
 * <p>It may need a reset before it can be used again: it set DEVICE_NEEDS_RESET (virtio 1.2, 2.1.2),
 * reads all-ones, never used a control command, or a reset failed. Raised from a DPC, a control command
 * or MiniportResetEx; MiniportCheckForHangEx reports it, a successful MiniportResetEx clears it.
 *
 * <p>It may be gone: MiniportDevicePnPEventNotify(SurpriseRemoved) said so; its BARs read all-ones and
 * writes go nowhere, so nothing touches it again (no notify, no status, no ISR read).
 *
 * <p>While either holds, nothing is handed to the device: no sends, no returned receive buffers, no
 * control commands.
 */
final class DeviceHealth {

    private volatile boolean needsReset;
    private volatile String reason;
    private volatile boolean removed;
    private volatile String violation;

    /** Records why; the flag goes up after the reason, so a reader that sees it also sees why. */
    void requestReset(String why) {
        reason = why;
        needsReset = true;
    }

    /**
     * The device wrote a used element it had no right to write (a queue saw it): a reset is needed, and
     * the next MiniportCheckForHangEx writes {@code what} to the error log ({@link #takeViolation}).
     */
    void ringViolation(String what) {
        violation = what;
        requestReset("the device broke the virtqueue protocol: " + what);
    }

    /** The ring violation not yet logged, or null; each is returned once. */
    String takeViolation() {
        String v = violation;
        violation = null;
        return v;
    }

    /** The device was initialized again. */
    void resetDone() {
        needsReset = false;
        reason = null;
    }

    boolean needsReset() {
        return needsReset;
    }

    /** What was seen when the reset was asked for, or null. */
    String reason() {
        return reason;
    }

    void markRemoved() {
        removed = true;
    }

    boolean removed() {
        return removed;
    }

    /** Neither in need of a reset nor gone: descriptors and doorbells may go to it. */
    boolean usable() {
        return !needsReset && !removed;
    }
}

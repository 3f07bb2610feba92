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
 *
 * <p>Written by several threads at once: each receive queue's DPC runs on its own thread
 * (docs/ndis-contract.md §21), besides the transmit DPC, control commands and CheckForHang. The writers
 * hold this object's monitor (fault paths only, never per packet): a reason and its flag go up together,
 * and of two ring violations the first not yet logged is kept, not overwritten. Readers read the
 * volatile fields without it.
 */
final class DeviceHealth {

    private volatile boolean needsReset;
    private volatile String reason;
    private volatile boolean removed;
    private volatile String violation;

    /** Records why; the flag goes up after the reason, so a reader that sees it also sees why. */
    synchronized void requestReset(String why) {
        reason = why;
        needsReset = true;
    }

    /**
     * The device wrote a used element it had no right to write (a queue saw it): a reset is needed, and
     * the next MiniportCheckForHangEx writes {@code what} to the error log ({@link #takeViolation}).
     */
    synchronized void ringViolation(String what) {
        if (violation == null) {
            violation = what;
        }
        requestReset("the device broke the virtqueue protocol: " + what);
    }

    /** The ring violation not yet logged, or null; each is returned once. */
    synchronized String takeViolation() {
        String v = violation;
        violation = null;
        return v;
    }

    /** The device was initialized again. */
    synchronized void resetDone() {
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

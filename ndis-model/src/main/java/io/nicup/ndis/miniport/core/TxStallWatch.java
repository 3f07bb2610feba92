package io.nicup.ndis.miniport.core;

/**
 * The transmit half of MiniportCheckForHangEx (every 2 s): the device is hung when sends are in flight
 * and its progress mark (TDH on the Intel chips, the used index on virtio) has not moved since the
 * previous check, while nothing completed in between (Linux e1000 "Detected Hardware Unit Hang").
 * Guarded by the adapter's txLock.
 */
public final class TxStallWatch {

    private int lastMark = -1;
    private int stalledChecks;

    /** Sends completed: whatever the mark says, the device is not stuck. */
    public void progressed() {
        stalledChecks = 0;
    }

    /** Nothing in flight, or the device was reset: the next check starts over. */
    public void restart() {
        lastMark = -1;
        stalledChecks = 0;
    }

    /** A check with sends in flight and the device at {@code mark}: true when it is hung. */
    public boolean hung(int mark) {
        if (mark == lastMark) {
            stalledChecks++;
        } else {
            stalledChecks = 0;
        }
        lastMark = mark;
        return stalledChecks >= 1;
    }
}

package io.nicup.cli;

import io.nicup.vfio.PciDevice;

/**
 * Whether the device of a {@link Session} is still nicup's to drive. Two ways it leaves, handled apart
 * by the teardown: the hardware vanishes (its config space reads all-ones, so what it counted is
 * unknown), or the kernel asks for it back (docs/ndis-contract.md §22: it still answers, and the
 * kernel's remove waits until nicup releases it).
 */
final class DevicePresence {

    /** Loops that wait on traffic look at the device no more often than this, in device nanoseconds. */
    private static final long LATELY_NANOS = 100_000_000L;

    private final PciDevice device;
    private long lastPresenceCheck = Long.MIN_VALUE;
    private boolean gone;
    /** Set by the device's request listener, on whichever thread saw it (docs/ndis-contract.md §22). */
    private volatile boolean takenBack;

    /** Starts listening for the kernel's removal request on {@code device}. */
    DevicePresence(PciDevice device) {
        this.device = device;
        device.removalRequest().onRequest(() -> takenBack = true);
    }

    /**
     * Whether the device has vanished: its config space reads all-ones (PCI Local Bus Specification 3.0,
     * 6.2.1: 0xFFFF is never a vendor ID), as after a surprise removal. One config read.
     */
    boolean deviceGone() {
        return takenBack || vanished();
    }

    /**
     * Whether the hardware itself is gone (all-ones, a surprise removal), as opposed to a device the kernel
     * asked back, which answers until nicup releases it (docs/ndis-contract.md §22). One config read.
     */
    boolean vanished() {
        if (!gone) {
            try {
                gone = device.config().read16(0) == 0xFFFF;
            } catch (RuntimeException e) {
                gone = true;                                 // the config space itself is gone
            }
        }
        return gone;
    }

    /** What the last presence check found, without a new one, or the kernel's request: for the send loop. */
    boolean knownGone() {
        return gone || takenBack;
    }

    /**
     * Whether the kernel asked for the device back (a hot-unplug, an unbind; docs/ndis-contract.md §22): the
     * device is still present, and the kernel's remove waits until nicup closes it.
     */
    boolean takenBack() {
        return takenBack;
    }

    /**
     * The config space reads all-ones (or cannot be read): the hardware itself is gone. One config read,
     * remembered nowhere: the teardown asks afresh whether a device the kernel asked back is still there.
     */
    boolean readsAllOnes() {
        try {
            return device.config().read16(0) == 0xFFFF;
        } catch (RuntimeException e) {
            return true;
        }
    }

    /**
     * {@link #deviceGone()} at most every 100 ms of device time ({@code now}, on the device clock): a
     * config read per loop turn would slow the loops that wait on traffic.
     */
    boolean deviceGoneLately(long now) {
        if (lastPresenceCheck != Long.MIN_VALUE && now - lastPresenceCheck < LATELY_NANOS) {
            return gone;
        }
        lastPresenceCheck = now;
        return deviceGone();
    }
}

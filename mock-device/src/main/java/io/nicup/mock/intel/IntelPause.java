package io.nicup.mock.intel;

import java.util.function.IntSupplier;

/**
 * IEEE 802.3x flow control as the receiving MAC of both Intel chips does it (82574 datasheet "Flow Control",
 * 82576 datasheet "Flow Control", IEEE 802.3 Annex 31B; docs/hardware-reference.md B.14): a MAC control frame
 * (EtherType 0x8808) to 01:80:C2:00:00:01 with opcode 0x0001 carries pause_time in quanta of 512 bit times.
 * With CTRL.RFCE set the transmitter stops for that long at the current link speed, a new PAUSE restarts the
 * timer and pause_time 0 resumes at once; XOFFRXC counts a PAUSE with a time, XONRXC one with 0. A MAC
 * control frame is never passed to the host (RCTL.PMCF is 0 in both drivers and not modelled). With RFCE
 * clear the frame is dropped and nothing else happens. The {@code ignore-pause} fault counts the frame and
 * keeps transmitting.
 */
public final class IntelPause {

    /** The MAC control EtherType. */
    public static final int MAC_CONTROL = 0x8808;
    /** The PAUSE opcode. */
    public static final int OPCODE_PAUSE = 0x0001;
    /** The reserved multicast address PAUSE frames go to. */
    public static final byte[] PAUSE_ADDRESS = {0x01, (byte) 0x80, (byte) 0xC2, 0x00, 0x00, 0x01};
    /** Bit times in one pause quantum. */
    public static final int BITS_PER_QUANTUM = 512;
    /** CTRL.RFCE: honour received PAUSE frames (the same bit on both chips). */
    public static final int CTRL_RFCE = 0x0800_0000;
    /** XONRXC and XOFFRXC, in the statistics block both chips share. */
    public static final int XONRXC = 0x04048;
    public static final int XOFFRXC = 0x04050;
    /** STATUS.SPEED (bits 7:6): 00 10 Mb/s, 01 100 Mb/s, 1x 1000 Mb/s. */
    private static final int STATUS_SPEED_MASK = 0xC0;
    private static final int STATUS_SPEED_100 = 0x40;

    private final IntelCore core;
    private final Runnable resume;
    /** Device-clock time until which the transmitter is paused; none when not after now. */
    private long pausedUntil = Long.MIN_VALUE;
    private io.nicup.mock.VirtualClock.Event expiry;
    /** STATUS with the speed the link runs at (the chip resolves it from CTRL and the PHY). */
    private IntSupplier status;

    /** @param resume restarts the transmit queues when a pause ends */
    public IntelPause(IntelCore core, Runnable resume) {
        this.core = core;
        this.resume = resume;
        this.status = () -> core.reg(core.layout.status());
    }

    /** Where the link speed comes from: STATUS as the chip's register file resolves it. */
    public void readStatusFrom(IntSupplier status) {
        this.status = status;
    }

    /** Whether {@code frame} is a MAC control frame, which the MAC consumes (true) instead of receiving it. */
    public boolean consumed(byte[] frame, int length) {
        if (length < 14 || ((frame[12] & 0xFF) << 8 | frame[13] & 0xFF) != MAC_CONTROL) {
            return false;
        }
        if (length < 18 || !isPause(frame) || (core.reg(core.layout.ctrl()) & CTRL_RFCE) == 0) {
            return true;                                     // another control frame, or flow control off: dropped
        }
        int quanta = (frame[16] & 0xFF) << 8 | frame[17] & 0xFF;
        core.stats.increment(quanta == 0 ? XONRXC : XOFFRXC);
        if (!core.has(IntelFault.IGNORE_PAUSE)) {
            pause(quanta);
        }
        return true;
    }

    /** Whether the transmitter is paused now. */
    public boolean paused() {
        return core.clock.nanoTime() < pausedUntil;
    }

    /** A reset ends any pause. */
    public void reset() {
        pausedUntil = Long.MIN_VALUE;
        IntelCore.cancel(expiry);
        expiry = null;
    }

    /** The time {@code quanta} pause quanta take at the link speed STATUS reports. */
    public long pauseNanos(int quanta) {
        int speed = status.getAsInt() & STATUS_SPEED_MASK;
        long nanosPerBit = speed == 0 ? 100 : speed == STATUS_SPEED_100 ? 10 : 1;
        return (long) quanta * BITS_PER_QUANTUM * nanosPerBit;
    }

    private void pause(int quanta) {
        IntelCore.cancel(expiry);
        expiry = null;
        if (quanta == 0) {
            pausedUntil = Long.MIN_VALUE;
            resume.run();
            return;
        }
        long nanos = pauseNanos(quanta);
        pausedUntil = core.clock.nanoTime() + nanos;
        expiry = core.clock.schedule(nanos, core.name + "-pause-expired", () -> {
            expiry = null;
            resume.run();
        });
    }

    private static boolean isPause(byte[] f) {
        for (int i = 0; i < 6; i++) {
            if (f[i] != PAUSE_ADDRESS[i]) {
                return false;
            }
        }
        return ((f[14] & 0xFF) << 8 | f[15] & 0xFF) == OPCODE_PAUSE;
    }
}

package io.nicup.mock.e82574;

import static org.assertj.core.api.Assertions.assertThat;

import io.nicup.mock.intel.IntelPause;
import org.junit.jupiter.api.Test;

/**
 * IEEE 802.3x PAUSE frames from the wire on the 82574L (docs/hardware-reference.md B.14): with CTRL.RFCE the
 * transmitter stops for pause_time x 512 bit times at the link speed, pause_time 0 resumes it, XOFFRXC/XONRXC
 * count them and the host never sees them; without RFCE they are dropped and change nothing.
 */
class PauseFrameTest {

    /** 0xFFFF quanta x 512 bit times at 1 Gb/s (1 ns a bit). */
    static final long FULL_PAUSE_NANOS = 0xFFFFL * 512;

    /** A PAUSE frame as 802.3 Annex 31B lays it out: 01:80:C2:00:00:01, the sender, 0x8808, 0x0001, pause_time. */
    static byte[] pause(int quanta) {
        byte[] f = new byte[60];
        System.arraycopy(IntelPause.PAUSE_ADDRESS, 0, f, 0, 6);
        System.arraycopy(Frames.PEER, 0, f, 6, 6);
        f[12] = (byte) 0x88;
        f[13] = 0x08;
        f[14] = 0x00;
        f[15] = 0x01;
        f[16] = (byte) (quanta >>> 8);
        f[17] = (byte) quanta;
        return f;
    }

    @Test
    void aPauseWithRfceStopsTheTransmitterForItsQuantaAtTheLinkSpeed() {
        try (Fixture f = Fixture.open().up()) {
            linkAtGigabit(f, Regs.Ctrl.RFCE);
            long t0 = f.dev.clock().nanoTime();
            f.dev.wire().inject(pause(0xFFFF));
            byte[] frame = Frames.frame(Frames.PEER, 100, 1);
            f.drv.send(frame);
            assertThat(f.dev.wire().captured()).isEmpty();
            assertThat(f.model.transmitPaused()).isTrue();
            f.dev.clock().advance(FULL_PAUSE_NANOS - 1);
            assertThat(f.dev.wire().captured()).as("one nanosecond before the pause ends").isEmpty();
            f.dev.clock().advance(1);
            assertThat(f.dev.wire().oldestCapturedAt()).isEqualTo(t0 + FULL_PAUSE_NANOS);
            assertThat(f.dev.wire().pollCaptured()).isEqualTo(frame);
            assertThat(f.reg(Regs.XOFFRXC)).isEqualTo(1);
            assertThat(f.reg(Regs.XONRXC)).isZero();
            assertThat(f.reg(0x04074)).as("GPRC: the host never saw the PAUSE").isZero();
        }
    }

    @Test
    void aNewPauseRestartsTheTimerAndPauseTimeZeroResumesAtOnce() {
        try (Fixture f = Fixture.open().up()) {
            linkAtGigabit(f, Regs.Ctrl.RFCE);
            f.dev.wire().inject(pause(0xFFFF));
            f.drv.send(Frames.frame(Frames.PEER, 100, 1));
            f.dev.clock().advance(30_000_000L);
            f.dev.wire().inject(pause(0xFFFF));             // restarts: 33.55 ms from here
            f.dev.clock().advance(30_000_000L);
            assertThat(f.dev.wire().captured()).as("60 ms after the first PAUSE, 30 ms after the second").isEmpty();
            long t = f.dev.clock().nanoTime();
            f.dev.wire().inject(pause(0));
            assertThat(f.dev.wire().oldestCapturedAt()).isEqualTo(t);
            assertThat(f.dev.wire().captured()).hasSize(1);
            assertThat(f.reg(Regs.XOFFRXC)).isEqualTo(2);
            assertThat(f.reg(Regs.XONRXC)).isEqualTo(1);
        }
    }

    @Test
    void atOneHundredMegabitsAQuantumIsTenTimesLonger() {
        try (Fixture f = Fixture.open().up()) {
            f.drv.write(Regs.CTRL, f.reg(Regs.CTRL) | Regs.Ctrl.RFCE);
            assertThat(f.model.linkUp()).isTrue();
            f.drv.write(Regs.CTRL, (f.reg(Regs.CTRL) & ~Regs.Ctrl.SPD_SEL) | Regs.Ctrl.FRCSPD | Regs.Ctrl.SPD_100);
            assertThat(f.reg(Regs.STATUS) & Regs.Status.SPEED_MASK).isEqualTo(Regs.Status.SPEED_100);
            f.dev.wire().inject(pause(100));
            f.drv.send(Frames.frame(Frames.PEER, 100, 1));
            f.dev.clock().advance(100 * 512 * 10 - 1);      // 10 ns a bit
            assertThat(f.dev.wire().captured()).isEmpty();
            f.dev.clock().advance(1);
            assertThat(f.dev.wire().captured()).hasSize(1);
        }
    }

    @Test
    void withoutRfceAPauseIsDroppedAndTransmitGoesOn() {
        try (Fixture f = Fixture.open().up()) {
            linkAtGigabit(f, 0);
            f.dev.wire().inject(pause(0xFFFF));
            f.drv.send(Frames.frame(Frames.PEER, 100, 1));
            assertThat(f.dev.wire().captured()).hasSize(1);
            assertThat(f.reg(Regs.XOFFRXC)).isZero();
            assertThat(f.reg(0x04074)).as("GPRC").isZero();
        }
    }

    static void linkAtGigabit(Fixture f, int rfce) {
        f.drv.write(Regs.CTRL, f.reg(Regs.CTRL) | rfce);
        assertThat(f.model.linkUp()).isTrue();
        assertThat(f.reg(Regs.STATUS) & 0xC0).as("STATUS.SPEED 1000 Mb/s").isEqualTo(0x80);
    }
}

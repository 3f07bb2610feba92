package io.nicup.mock.e82576;

import static io.nicup.mock.e82576.Regs.*;
import static org.assertj.core.api.Assertions.assertThat;

import io.nicup.mock.intel.IntelPause;
import org.junit.jupiter.api.Test;

/** IEEE 802.3x PAUSE frames on the 82576, as on the 82574L (docs/hardware-reference.md B.14). */
class PauseFrameTest {

    static final byte[] MAC = Bench.MAC;
    static final byte[] PEER = Bench.PEER;
    /** 0xFFFF quanta x 512 bit times at 1 Gb/s. */
    static final long FULL_PAUSE_NANOS = 0xFFFFL * 512;

    static byte[] pause(int quanta) {
        byte[] f = new byte[60];
        System.arraycopy(IntelPause.PAUSE_ADDRESS, 0, f, 0, 6);
        System.arraycopy(PEER, 0, f, 6, 6);
        f[12] = (byte) 0x88;
        f[13] = 0x08;
        f[15] = 0x01;
        f[16] = (byte) (quanta >>> 8);
        f[17] = (byte) quanta;
        return f;
    }

    @Test
    void aPauseWithRfceHoldsTransmitForItsQuantaAndQuantaZeroReleasesIt() {
        try (Bench b = new Bench("")) {
            b.up(Bench.RCTL_ON);
            b.write(CTRL, b.read(CTRL) | IntelPause.CTRL_RFCE);
            long t0 = b.dev.clock().nanoTime();
            b.dev.wire().inject(pause(0xFFFF));
            byte[] first = Bench.frame(PEER, MAC, 100, 1);
            b.send(first, 0);
            b.advance(FULL_PAUSE_NANOS - 1);
            assertThat(b.dev.wire().captured()).isEmpty();
            b.advance(1);
            assertThat(b.dev.wire().oldestCapturedAt()).isEqualTo(t0 + FULL_PAUSE_NANOS);
            assertThat(b.dev.wire().pollCaptured()).isEqualTo(first);

            b.dev.wire().inject(pause(0xFFFF));
            b.send(Bench.frame(PEER, MAC, 100, 2), 0);
            b.advance(1_000_000);
            assertThat(b.dev.wire().captured()).isEmpty();
            long t1 = b.dev.clock().nanoTime();
            b.dev.wire().inject(pause(0));
            assertThat(b.dev.wire().oldestCapturedAt()).isEqualTo(t1);
            assertThat(b.read(IntelPause.XOFFRXC)).isEqualTo(2);
            assertThat(b.read(IntelPause.XONRXC)).isEqualTo(1);
            assertThat(b.receive()).as("a PAUSE never reaches the host").isNull();
        }
    }

    @Test
    void ignorePauseKeepsTransmitting() {
        try (Bench b = new Bench("&fault=ignore-pause")) {
            b.up(Bench.RCTL_ON);
            b.write(CTRL, b.read(CTRL) | IntelPause.CTRL_RFCE);
            b.dev.wire().inject(pause(0xFFFF));
            b.send(Bench.frame(PEER, MAC, 100, 1), 0);
            assertThat(b.dev.wire().captured()).hasSize(1);
            assertThat(b.read(IntelPause.XOFFRXC)).isEqualTo(1);
        }
    }
}

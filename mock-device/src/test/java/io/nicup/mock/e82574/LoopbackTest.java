package io.nicup.mock.e82574;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** PHY and MAC loopback (docs/hardware-reference.md B.5 recipe, B.6 [EMP]; Linux e1000_integrated_phy_loopback). */
class LoopbackTest {

    /** The Linux ethtool loopback RCTL: EN|BAM|SZ_2048|UPE|MPE|LPE|SBP|SECRC. */
    static final int ETHTOOL_RCTL = Regs.Rctl.EN | Regs.Rctl.BAM | Regs.Rctl.UPE | Regs.Rctl.MPE | Regs.Rctl.LPE
            | Regs.Rctl.SBP | Regs.Rctl.SECRC;

    private static void phyLoopback(Fixture f) {
        f.drv.writePhy(Phy.BMCR, 0x4140); // loopback, 1000 Mb/s, full duplex
        f.dev.clock().advance(250_000_000); // mdelay(250)
        int ctrl = f.reg(Regs.CTRL) & ~Regs.Ctrl.SPD_SEL;
        f.drv.write(Regs.CTRL, ctrl | Regs.Ctrl.FRCSPD | Regs.Ctrl.FRCDPX | Regs.Ctrl.SPD_1000 | Regs.Ctrl.FD);
    }

    @Test
    void shouldLoopABroadcastFrameBackLikeQemu() {
        try (Fixture f = Fixture.open().up(16, 16, MiniDriver.RCTL_DEFAULT)) {
            phyLoopback(f);
            byte[] frame = Frames.frame(Frames.BROADCAST, 75, 0);
            int slot = f.drv.send(frame);
            // [EMP] docs/hardware-reference.md B.6: TX DD; RX status DD|EOP, length 75; TDH = RDH = 1; nothing on the wire
            assertThat(f.drv.txStatus(slot) & TxDescriptor.STA_DD).isEqualTo(TxDescriptor.STA_DD);
            assertThat(f.drv.rxStatus(0)).isEqualTo(0x03);
            assertThat(f.drv.rxLength(0)).isEqualTo(75);
            assertThat(f.reg(Regs.TDH0)).isEqualTo(1);
            assertThat(f.reg(Regs.RDH0)).isEqualTo(1);
            assertThat(f.drv.receive()).isEqualTo(frame);
            assertThat(f.dev.wire().transmittedFrames()).isZero();
            assertThat(f.reg(Regs.GPTC)).isEqualTo(1);
            assertThat(f.reg(Regs.GPRC)).isEqualTo(1);
            assertThat(f.reg(Regs.GORCL)).isEqualTo(79);
            assertThat(f.reg(Regs.GOTCL)).isEqualTo(79);
        }
    }

    @Test
    void shouldPassEthtoolsLoopbackTest() {
        try (Fixture f = Fixture.open()) {
            f.drv.reset();
            f.dev.setBusMaster(true);
            f.drv.setupTx(256);
            f.drv.setupRx(256, ETHTOOL_RCTL);
            phyLoopback(f);
            // e1000_run_loopback_test: bursts of 64 frames of 1024 bytes, each checked
            for (int burst = 0; burst < 4; burst++) {
                for (int i = 0; i < 64; i++) {
                    f.drv.putTx(Frames.frame(Frames.BROADCAST, 1024, burst * 64 + i), MiniDriver.CMD_DEFAULT);
                }
                f.drv.kickTx();
                for (int i = 0; i < 64; i++) {
                    assertThat(f.drv.receive()).as("burst %d frame %d", burst, i)
                            .isEqualTo(Frames.frame(Frames.BROADCAST, 1024, burst * 64 + i));
                }
            }
            assertThat(f.drv.receive()).isNull();
        }
    }

    @Test
    void shouldStillFilterLoopedFrames() {
        try (Fixture f = Fixture.open().up(16, 16, Regs.Rctl.EN | Regs.Rctl.SECRC)) {
            phyLoopback(f);
            f.drv.send(Frames.frame(Frames.BROADCAST, 64, 0)); // no BAM
            assertThat(f.drv.receive()).isNull();
            f.drv.send(Frames.frame(Fixture.MAC, 64, 0));
            assertThat(f.drv.receive()).isNotNull();
        }
    }

    @Test
    void shouldShowLinkUpInPhyLoopbackEvenWithoutACable() {
        try (Fixture f = Fixture.open().up()) {
            f.dev.wire().setLink(false);
            assertThat(f.model.linkUp()).isFalse();
            phyLoopback(f);
            assertThat(f.model.linkUp()).isTrue();
            f.drv.send(Frames.frame(Frames.BROADCAST, 64, 0));
            assertThat(f.drv.receive()).isNotNull();
        }
    }

    @Test
    void shouldLoopInTheMacWithRctlLbm() {
        try (Fixture f = Fixture.open().up(16, 16, MiniDriver.RCTL_DEFAULT | Regs.Rctl.LBM_MAC)) {
            byte[] frame = Frames.frame(Frames.BROADCAST, 200, 1);
            f.drv.send(frame);
            assertThat(f.drv.receive()).isEqualTo(frame); // [EMP] docs/hardware-reference.md B.6: RCTL |= 0x40 delivers the frame
            assertThat(f.dev.wire().transmittedFrames()).isZero();
        }
    }

    @Test
    void shouldIgnoreTheWireWhileLooping() {
        try (Fixture f = Fixture.open().up(16, 16, MiniDriver.RCTL_DEFAULT | Regs.Rctl.LBM_MAC)) {
            f.dev.wire().inject(Frames.frame(Frames.BROADCAST, 64, 0));
            assertThat(f.drv.receive()).isNull();
            assertThat(f.model.counter(E82574Model.Counter.RX_IGNORED_IN_LOOPBACK)).isEqualTo(1);
        }
    }

    @Test
    void shouldTransmitOnTheWireAgainAfterLoopbackIsCleared() {
        try (Fixture f = Fixture.open().up()) {
            phyLoopback(f);
            f.drv.writePhy(Phy.BMCR, 0x1140 | Phy.BMCR_RESET);
            f.dev.clock().advance(Timing.AUTONEG_NANOS);
            f.drv.send(Frames.frame(Frames.BROADCAST, 64, 0));
            assertThat(f.dev.wire().transmittedFrames()).isEqualTo(1);
        }
    }
}

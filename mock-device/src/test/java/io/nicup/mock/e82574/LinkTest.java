package io.nicup.mock.e82574;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** STATUS.LU, speed and duplex from the PHY and the wire (docs/hardware-reference.md B.3, B.7.5; QEMU e1000e_get_status). */
class LinkTest {

    @Test
    void shouldDropLinkAndRaiseLscWhenTheCableIsPulled() {
        try (Fixture f = Fixture.open()) {
            f.drv.reset();
            f.dev.wire().setLink(false);
            assertThat(f.reg(Regs.STATUS) & Regs.Status.LU).isZero();
            assertThat(f.drv.readPhy(Phy.BMSR) & Phy.BMSR_LSTATUS).isZero();
            assertThat(f.reg(Regs.ICR) & Regs.Icr.LSC).isNotZero();
        }
    }

    @Test
    void shouldBringLinkBackOnlyAfterAutonegotiation() {
        try (Fixture f = Fixture.open()) {
            f.drv.reset();
            f.dev.wire().setLink(false);
            f.reg(Regs.ICR);
            f.dev.wire().setLink(true);
            assertThat(f.model.linkUp()).isFalse();
            f.dev.clock().advance(Timing.AUTONEG_NANOS - 1);
            assertThat(f.model.linkUp()).isFalse();
            f.dev.clock().advance(1);
            assertThat(f.reg(Regs.STATUS) & Regs.Status.LU).isNotZero();
            assertThat(f.reg(Regs.ICR) & Regs.Icr.LSC).isNotZero();
        }
    }

    @Test
    void shouldNotCompleteAutonegWhenTheCableGoesAgain() {
        try (Fixture f = Fixture.open()) {
            f.dev.wire().setLink(false);
            f.dev.wire().setLink(true);
            f.dev.wire().setLinkAfter(Timing.AUTONEG_NANOS / 2, false);
            f.dev.clock().advance(2 * Timing.AUTONEG_NANOS);
            assertThat(f.model.linkUp()).isFalse();
        }
    }

    @Test
    void shouldNeedCtrlSluForLinkUp() {
        try (Fixture f = Fixture.open()) {
            f.drv.write(Regs.CTRL, f.reg(Regs.CTRL) & ~Regs.Ctrl.SLU);
            assertThat(f.reg(Regs.STATUS) & Regs.Status.LU).isZero();
            f.drv.write(Regs.CTRL, f.reg(Regs.CTRL) | Regs.Ctrl.SLU);
            assertThat(f.reg(Regs.STATUS) & Regs.Status.LU).isNotZero();
        }
    }

    @Test
    void shouldReportForcedSpeedAndDuplex() {
        try (Fixture f = Fixture.open()) {
            assertThat(f.reg(Regs.STATUS) & (Regs.Status.SPEED_MASK | Regs.Status.FD))
                    .isEqualTo(Regs.Status.SPEED_1000 | Regs.Status.FD);
            int ctrl = f.reg(Regs.CTRL) & ~(Regs.Ctrl.SPD_SEL | Regs.Ctrl.FD);
            f.drv.write(Regs.CTRL, ctrl | Regs.Ctrl.FRCSPD | Regs.Ctrl.FRCDPX | Regs.Ctrl.SPD_100);
            assertThat(f.reg(Regs.STATUS) & (Regs.Status.SPEED_MASK | Regs.Status.FD))
                    .isEqualTo(Regs.Status.SPEED_100);
            f.drv.write(Regs.CTRL, ctrl | Regs.Ctrl.FRCSPD | Regs.Ctrl.FRCDPX | Regs.Ctrl.SPD_10 | Regs.Ctrl.FD);
            assertThat(f.reg(Regs.STATUS) & (Regs.Status.SPEED_MASK | Regs.Status.FD))
                    .isEqualTo(Regs.Status.SPEED_10 | Regs.Status.FD);
        }
    }

    @Test
    void shouldReportThePhysForcedSpeedWithoutAutoneg() {
        try (Fixture f = Fixture.open()) {
            f.drv.writePhy(Phy.BMCR, Phy.BMCR_SPEED_LSB); // 100 Mb/s, half duplex, autoneg off
            assertThat(f.reg(Regs.STATUS) & (Regs.Status.SPEED_MASK | Regs.Status.FD))
                    .isEqualTo(Regs.Status.SPEED_100);
            assertThat(f.model.linkUp()).isTrue();
        }
    }

    @Test
    void shouldClearGioMasterEnableWhenMasterIsDisabled() {
        try (Fixture f = Fixture.open()) {
            f.drv.write(Regs.CTRL, f.reg(Regs.CTRL) | Regs.Ctrl.GIO_MASTER_DISABLE);
            assertThat(f.reg(Regs.STATUS) & Regs.Status.GIO_MASTER_ENABLE).isZero();
        }
    }

    @Test
    void shouldLoseFramesInjectedWhileTheLinkIsDown() {
        try (Fixture f = Fixture.open()) {
            f.up();
            f.dev.wire().setLink(false);
            f.dev.wire().inject(Frames.frame(Frames.BROADCAST, 64, 0));
            assertThat(f.dev.wire().lostWhileDown()).isEqualTo(1);
            assertThat(f.drv.receive()).isNull();
        }
    }
}

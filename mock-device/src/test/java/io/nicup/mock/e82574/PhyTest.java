package io.nicup.mock.e82574;

import io.nicup.mock.intel.Mdic;
import io.nicup.vfio.InterruptMode;
import io.nicup.vfio.InterruptSet;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** MDIC and the PHY (docs/hardware-reference.md B.3, B.5, B.6; QEMU e1000e_set_mdic, e1000e_set_phy_ctrl). */
class PhyTest {

    @Test
    void shouldReadPhyIdentifiers() {
        try (Fixture f = Fixture.open()) {
            assertThat(f.drv.readPhy(Phy.ID1)).isEqualTo(0x0141);
            assertThat(f.drv.readPhy(Phy.ID2)).isEqualTo(0x0CB1);
        }
    }

    @Test
    void shouldReturnQemusBmcrReadValue() {
        try (Fixture f = Fixture.open()) {
            int v = f.drv.mdic(1, Phy.BMCR, Mdic.OP_READ, 0);
            assertThat(v).isEqualTo(0x18201140); // [EMP] docs/hardware-reference.md B.3
        }
    }

    @Test
    void shouldFailWithErrorForAnyPhyAddressButOne() {
        try (Fixture f = Fixture.open()) {
            f.drv.mdic(1, Phy.BMCR, Mdic.OP_READ, 0);
            int v = f.drv.mdic(2, Phy.BMCR, Mdic.OP_READ, 0);
            assertThat(v).isEqualTo(0x58201140); // [EMP] docs/hardware-reference.md B.3: previous value | ERROR | READY
            assertThat(v & Mdic.ERROR).isNotZero();
        }
    }

    @Test
    void shouldFailForRegistersThePageDoesNotHave() {
        try (Fixture f = Fixture.open()) {
            f.drv.writePhy(Phy.PAGE, 769); // Linux's BM page 769 is not modelled by QEMU (docs/hardware-reference.md B.5)
            assertThat(f.drv.mdic(1, 16, Mdic.OP_READ, 0) & Mdic.ERROR).isNotZero();
            f.drv.writePhy(Phy.PAGE, 2);
            assertThat(f.drv.readPhy(21)).isEqualTo(0x1046); // page 2 reg 21, MAC control 2
            f.drv.writePhy(21, 0x1046 & ~7 | 6);
            assertThat(f.drv.readPhy(21)).isEqualTo(0x1046);
            assertThat(f.drv.mdic(1, Phy.BMSR, Mdic.OP_WRITE, 0) & Mdic.ERROR).isNotZero(); // read-only
        }
    }

    @Test
    void shouldSetReadyOnlyAfterTheTransaction() {
        try (Fixture f = Fixture.open()) {
            f.drv.write(Regs.MDIC, Mdic.OP_READ | 1 << Mdic.PHY_SHIFT | Phy.ID1 << Mdic.REG_SHIFT);
            assertThat(f.reg(Regs.MDIC) & Mdic.READY).isZero();
            f.dev.clock().advance(Timing.MDIC_NANOS - 1);
            assertThat(f.reg(Regs.MDIC) & Mdic.READY).isZero();
            f.dev.clock().advance(1);
            assertThat(f.reg(Regs.MDIC)).isEqualTo(Mdic.READY | Mdic.OP_READ | 1 << 21 | 2 << 16 | 0x0141);
        }
    }

    @Test
    void shouldRaiseMdacWhenAskedTo() {
        try (Fixture f = Fixture.open()) {
            f.drv.reset();
            f.drv.mdic(1, Phy.ID1, Mdic.OP_READ | Mdic.INT_EN, 0);
            assertThat(f.reg(Regs.ICR) & Regs.Icr.MDAC).isNotZero();
        }
    }

    @Test
    void shouldDropLinkOnAutonegRestartAndBringItBackAfterHalfASecond() {
        try (Fixture f = Fixture.open()) {
            f.drv.reset();
            f.drv.write(Regs.IMS, Regs.Icr.LSC);
            InterruptSet irq = f.dev.interrupts().enable(InterruptMode.MSI, 1);
            assertThat(f.drv.readPhy(Phy.BMSR) & Phy.BMSR_ANEGCOMPLETE).isZero(); // QEMU: not yet negotiated
            long start = f.dev.clock().nanoTime();
            f.drv.writePhy(Phy.BMCR, Phy.BMCR_ANENABLE | Phy.BMCR_ANRESTART | 0x0140);
            assertThat(f.reg(Regs.STATUS) & Regs.Status.LU).isZero();
            assertThat(f.drv.readPhy(Phy.BMSR) & Phy.BMSR_LSTATUS).isZero();
            assertThat(irq.poll()).isEqualTo(1); // LSC for the drop
            assertThat(f.reg(Regs.ICR) & Regs.Icr.LSC).isNotZero();
            assertThat(f.drv.readPhy(Phy.BMCR) & Phy.BMCR_ANRESTART).isZero(); // self-clearing

            long fired = irq.await(2_000_000_000L);
            assertThat(fired).isEqualTo(1);
            long elapsed = f.dev.clock().nanoTime() - start;
            assertThat(elapsed).isBetween(Timing.AUTONEG_NANOS, Timing.AUTONEG_NANOS + Timing.MDIC_NANOS * 4);
            assertThat(f.reg(Regs.STATUS) & Regs.Status.LU).isNotZero();
            assertThat(f.reg(Regs.ICR) & Regs.Icr.LSC).isNotZero();
            int bmsr = f.drv.readPhy(Phy.BMSR);
            assertThat(bmsr & (Phy.BMSR_LSTATUS | Phy.BMSR_ANEGCOMPLETE))
                    .isEqualTo(Phy.BMSR_LSTATUS | Phy.BMSR_ANEGCOMPLETE);
            irq.close();
        }
    }

    @Test
    void shouldKeepLinkDownJustBeforeAutonegCompletes() {
        try (Fixture f = Fixture.open()) {
            f.drv.writePhy(Phy.BMCR, 0x1340);
            f.dev.clock().advance(Timing.AUTONEG_NANOS - Timing.MDIC_NANOS - 1);
            assertThat(f.model.linkUp()).isFalse();
            f.dev.clock().advance(Timing.MDIC_NANOS + 1);
            assertThat(f.model.linkUp()).isTrue();
        }
    }

    @Test
    void shouldRestartAutonegOnPhySoftReset() {
        try (Fixture f = Fixture.open()) {
            f.drv.writePhy(Phy.BMCR, f.drv.readPhy(Phy.BMCR) | Phy.BMCR_RESET);
            assertThat(f.drv.readPhy(Phy.BMCR) & Phy.BMCR_RESET).isZero();
            assertThat(f.model.linkUp()).isFalse();
            f.dev.clock().advance(Timing.AUTONEG_NANOS);
            assertThat(f.model.linkUp()).isTrue();
        }
    }
}

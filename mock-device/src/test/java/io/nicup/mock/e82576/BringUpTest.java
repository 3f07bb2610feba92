package io.nicup.mock.e82576;

import static io.nicup.mock.e82576.Regs.*;
import static org.assertj.core.api.Assertions.assertThat;

import io.nicup.mock.intel.Eerd;
import io.nicup.mock.intel.Mdic;
import io.nicup.mock.MockDevices;
import io.nicup.vfio.InterruptMode;
import org.junit.jupiter.api.Test;

/** The 82576 model from power-on to link: config space, software reset, NVM auto-read, EERD, the PHY. */
class BringUpTest {

    @Test
    void theConfigSpaceIsAnIntel82576WithMsixForTenVectors() {
        try (Bench b = new Bench("")) {
            assertThat(b.dev.identity().vendorId()).isEqualTo(0x8086);
            assertThat(b.dev.identity().deviceId()).isEqualTo(0x10C9);
            assertThat(b.dev.interrupts().maxVectors(InterruptMode.MSIX)).isEqualTo(10);
            assertThat(MockDevices.models()).contains("82576");
            assertThat(MockDevices.factory("82576").faults()).containsKeys("reset-stuck", "nvm-autoread-stuck",
                    "eerd-stuck", "mdic-error", "link-down", "link-flap", "tx-hang", "rx-length", "all-ones", "irq-storm",
                    "dma-fault");
        }
    }

    @Test
    void aSoftwareResetTakesTimeThenTheAutoReadLoadsTheMacAndSetsAutoRd() {
        try (Bench b = new Bench("")) {
            b.write(CTRL, Ctrl.RST);
            assertThat(b.read(CTRL) & Ctrl.RST).isNotZero();
            b.write(RCTL, Rctl.EN);
            assertThat(b.model.peek(RCTL)).as("writes during reset are ignored").isZero();
            assertThat(b.dev.notedAccesses()).anyMatch(a -> a.kind().equals("during-reset"));
            b.advance(Timing.SOFTWARE_RESET_NANOS);
            assertThat(b.read(CTRL) & Ctrl.RST).isZero();
            assertThat(b.read(EECD) & Eecd.AUTO_RD).isZero();
            assertThat(b.read(RAH0) & RAH_AV).isZero();
            b.advance(Timing.NVM_AUTO_READ_NANOS);
            assertThat(b.read(EECD) & Eecd.AUTO_RD).isNotZero();
            assertThat(b.read(RAL0)).isEqualTo(0x00000002);
            assertThat(b.read(RAH0)).isEqualTo(RAH_AV | 0x0100);
            assertThat(b.read(STATUS) & Status.LU).as("no link until autonegotiation is restarted").isZero();
        }
    }

    @Test
    void eerdReadsTheNvmWhoseWordsSumToBaba() {
        try (Bench b = new Bench("")) {
            int sum = 0;
            for (int w = 0; w < 64; w++) {
                b.write(EERD, w << 2 | Eerd.START);
                assertThat(b.read(EERD) & Eerd.DONE).isZero();
                b.advance(Timing.EERD_NANOS);
                int v = b.read(EERD);
                assertThat(v & Eerd.DONE).isNotZero();
                sum += v >>> 16;
            }
            assertThat(sum & 0xFFFF).isEqualTo(0xBABA);
        }
    }

    @Test
    void thePhyAnswersMdicAtAddressOneAndAutonegotiationBringsTheLinkUpIn500ms() {
        try (Bench b = new Bench("")) {
            assertThat(b.mdic(Mdic.OP_READ, Phy.ID1, 0) & 0xFFFF).isEqualTo(0x02A8);
            assertThat(b.mdic(Mdic.OP_READ, Phy.ID2, 0) & 0xFFFF).isEqualTo(0x0391);
            assertThat(b.mdic(Mdic.OP_READ, Phy.PAGE_SELECT, 0) & Mdic.ERROR).as("write-only").isNotZero();
            b.write(MDIC, Mdic.OP_READ | 2 << Mdic.PHY_SHIFT | Phy.ID1 << Mdic.REG_SHIFT);
            b.advance(Timing.MDIC_NANOS);
            assertThat(b.read(MDIC) & Mdic.ERROR).as("no PHY at address 2").isNotZero();
            b.write(CTRL, b.read(CTRL) | Ctrl.SLU);
            b.mdic(Mdic.OP_WRITE, Phy.BMCR, Phy.BMCR_ANENABLE | Phy.BMCR_ANRESTART);
            b.advance(Timing.AUTONEG_NANOS - 1_000_000);
            assertThat(b.read(STATUS) & Status.LU).isZero();
            b.advance(1_000_000);
            assertThat(b.read(STATUS) & (Status.LU | Status.SPEED_1000 | Status.FD))
                    .isEqualTo(Status.LU | Status.SPEED_1000 | Status.FD);
            assertThat(b.model.phyRegister(Phy.BMSR) & Phy.BMSR_ANEGCOMPLETE).isNotZero();
            assertThat(b.read(ICR) & Icr.LSC).isNotZero();
        }
    }
}

package io.nicup.mock.e82576;

import static io.nicup.mock.e82576.Bench.MAC;
import static io.nicup.mock.e82576.Bench.PEER;
import static io.nicup.mock.e82576.Bench.RCTL_ON;
import static io.nicup.mock.e82576.Bench.frame;
import static io.nicup.mock.e82576.Regs.*;
import static org.assertj.core.api.Assertions.assertThat;

import io.nicup.vfio.InterruptMode;
import io.nicup.vfio.InterruptSet;
import org.junit.jupiter.api.Test;

/** The 82576 model's interrupts: MSI-X routing through IVAR/IVAR_MISC with EIAC, and INTx from ICR and IMS. */
class InterruptTest {

    @Test
    void msixModeRoutesQueuesThroughIvarAndOtherCausesThroughIvarMiscWithEiacClearing() {
        try (Bench b = new Bench("")) {
            InterruptSet set = b.dev.interrupts().enable(InterruptMode.MSIX, 3);
            b.up(RCTL_ON);
            b.write(GPIE, Gpie.MSIX_MODE | Gpie.NSICR);
            b.write(IVAR0, (0x80 | 0) | (0x80 | 1) << 8);
            b.write(IVAR_MISC, (0x80 | 2) << 8);
            b.write(EIAC, 0b11);
            b.write(EIMS, 0b111);
            b.write(IMS, Icr.LSC);
            set.poll();
            b.dev.wire().inject(frame(MAC, PEER, 64, 1));
            assertThat(set.poll()).isEqualTo(0b001);
            assertThat(b.read(EICR) & 1).as("EIAC cleared the RX vector's bit").isZero();
            b.send(frame(PEER, MAC, 64, 2), 0);
            assertThat(set.poll()).isEqualTo(0b010);
            b.read(ICR);                                   // the LSC of the link coming up is pending: clear it
            b.write(ICS, Icr.LSC);
            assertThat(set.poll()).isEqualTo(0b100);
            assertThat(b.read(EICR) & 0b100).as("other is not in EIAC").isNotZero();
            assertThat(b.read(ICR) & Icr.LSC).isNotZero();
            assertThat(b.read(ICR)).as("NSICR: the read cleared it").isZero();
            b.write(EIMC, 0b111);
            b.write(EICS, 0b001);
            assertThat(set.poll()).as("masked").isZero();
        }
    }

    @Test
    void intxFollowsIcrAndImsOutsideMsixModeAndTheIcrReadClearsIt() {
        try (Bench b = new Bench("")) {
            InterruptSet set = b.dev.interrupts().enable(InterruptMode.INTX, 1);
            b.up(RCTL_ON);
            b.write(IMS, Icr.RXDW);
            b.dev.wire().inject(frame(MAC, PEER, 64, 1));
            assertThat(set.poll()).isEqualTo(1);
            assertThat(b.read(ICR) & (Icr.RXDW | Icr.INT_ASSERTED)).isEqualTo(Icr.RXDW | Icr.INT_ASSERTED);
            assertThat(b.read(ICR)).isZero();
            assertThat(b.dev.interrupts() instanceof io.nicup.mock.MockInterrupts m && !m.intxLevel()).isTrue();
        }
    }
}

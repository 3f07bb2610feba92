package io.nicup.mock.e82576;

import static io.nicup.mock.e82576.Bench.LE32;
import static io.nicup.mock.e82576.Bench.MAC;
import static io.nicup.mock.e82576.Bench.PEER;
import static io.nicup.mock.e82576.Bench.RCTL_ON;
import static io.nicup.mock.e82576.Bench.frame;
import static io.nicup.mock.e82576.Regs.*;
import static org.assertj.core.api.Assertions.assertThat;

import io.nicup.mock.intel.Eerd;
import io.nicup.mock.intel.Mdic;
import io.nicup.vfio.InterruptMode;
import io.nicup.vfio.InterruptSet;
import org.junit.jupiter.api.Test;

/** The 82576 model's basic faults (reset, NVM, PHY, link, rings, all-ones, interrupts, DMA), one test each. */
class FaultTest {


    @Test
    void resetStuckKeepsRstSet() {
        try (Bench b = new Bench("&fault=reset-stuck")) {
            b.reset();
            b.advance(100_000_000);
            assertThat(b.read(CTRL) & Ctrl.RST).isNotZero();
        }
    }

    @Test
    void nvmAutoreadStuckLeavesAutoRdClearRal0EmptyAndEerdSilent() {
        try (Bench b = new Bench("&fault=nvm-autoread-stuck")) {
            b.reset();
            b.advance(100_000_000);
            assertThat(b.read(EECD) & Eecd.AUTO_RD).isZero();
            assertThat(b.read(RAH0) & RAH_AV).isZero();
            b.write(EERD, Eerd.START);
            b.advance(10_000_000);
            assertThat(b.read(EERD) & Eerd.DONE).isZero();
        }
    }

    @Test
    void eerdStuckNeverCompletesButTheAutoReadDoes() {
        try (Bench b = new Bench("&fault=eerd-stuck")) {
            b.reset();
            assertThat(b.read(EECD) & Eecd.AUTO_RD).isNotZero();
            b.write(EERD, Eerd.START);
            b.advance(10_000_000);
            assertThat(b.read(EERD) & Eerd.DONE).isZero();
        }
    }

    @Test
    void mdicErrorFailsEveryPhyAccess() {
        try (Bench b = new Bench("&fault=mdic-error")) {
            assertThat(b.mdic(Mdic.OP_READ, Phy.ID1, 0) & (Mdic.READY | Mdic.ERROR)).isEqualTo(Mdic.READY | Mdic.ERROR);
        }
    }

    @Test
    void linkDownNeverBringsTheLinkUp() {
        try (Bench b = new Bench("&fault=link-down")) {
            b.reset();
            b.linkUp();
            b.advance(2_000_000_000L);
            assertThat(b.read(STATUS) & Status.LU).isZero();
        }
    }

    @Test
    void linkFlapDropsTheLinkAfterNFramesAndNegotiatesItBack() {
        try (Bench b = new Bench("&fault=link-flap@3")) {
            b.up(RCTL_ON);
            for (int i = 0; i < 3; i++) {
                b.send(frame(PEER, MAC, 64, i), 0);
            }
            assertThat(b.read(STATUS) & Status.LU).isZero();
            b.advance(Timing.LINK_FLAP_DOWN_NANOS + Timing.AUTONEG_NANOS);
            assertThat(b.read(STATUS) & Status.LU).isNotZero();
            assertThat(b.model.counter(E82576Model.Counter.LINK_FLAPS)).isEqualTo(1);
        }
    }

    @Test
    void txHangStopsTdhAfterNFramesUntilAReset() {
        try (Bench b = new Bench("&fault=tx-hang@2")) {
            b.up(RCTL_ON);
            for (int i = 0; i < 4; i++) {
                b.send(frame(PEER, MAC, 64, i), 0);
            }
            assertThat(b.dev.wire().captured()).hasSize(2);
            assertThat(b.read(0x3810)).isEqualTo(2);
            assertThat(b.model.txHung()).isTrue();
            b.reset();
            assertThat(b.model.txHung()).isFalse();
        }
    }

    @Test
    void rxLengthReportsMoreThanTheBufferForFrameNPlusOne() {
        try (Bench b = new Bench("&fault=rx-length@1")) {
            b.up(RCTL_ON);
            b.dev.wire().inject(frame(MAC, PEER, 64, 1));
            b.dev.wire().inject(frame(MAC, PEER, 64, 2));
            assertThat(b.rxRing.segment().get(LE32, 12) & 0xFFFF).isEqualTo(64);
            assertThat(b.rxRing.segment().get(LE32, 16 + 12) & 0xFFFF).isEqualTo(64 + 2048);
        }
    }

    @Test
    void allOnesMakesEveryReadAllOnesAfterNFrames() {
        try (Bench b = new Bench("&fault=all-ones@1")) {
            b.up(RCTL_ON);
            b.send(frame(PEER, MAC, 64, 1), 0);
            assertThat(b.read(STATUS)).isEqualTo(-1);
            assertThat(b.dev.configSpace().read16(0)).isEqualTo(0xFFFF);
        }
    }

    @Test
    void irqStormReSignalsLscOnTheOtherVectorEvery100us() {
        try (Bench b = new Bench("&fault=irq-storm@0")) {
            InterruptSet set = b.dev.interrupts().enable(InterruptMode.MSIX, 3);
            b.up(RCTL_ON);
            b.write(GPIE, Gpie.MSIX_MODE | Gpie.NSICR);
            b.write(IVAR_MISC, (0x80 | 2) << 8);
            b.write(EIMS, 0b100);
            b.write(IMS, Icr.LSC);
            long before = set.events(2);
            b.advance(10_000_000);
            assertThat(set.events(2) - before).isGreaterThanOrEqualTo(90);
            b.read(ICR);
            assertThat(b.read(ICR) & Icr.LSC).as("LSC sticks").isNotZero();
        }
    }

    @Test
    void dmaFaultWritesFrameNPlusOneOutsideEveryMappingAndTheIommuRefusesIt() {
        try (Bench b = new Bench("&fault=dma-fault@1")) {
            b.up(RCTL_ON);
            b.dev.wire().inject(frame(MAC, PEER, 64, 1));
            b.dev.wire().inject(frame(MAC, PEER, 64, 2));
            assertThat(b.dev.dmaFaults()).hasSize(1);
            assertThat(b.dev.dmaFaults().get(0).iova()).isEqualTo(E82576Model.DMA_FAULT_IOVA);
        }
    }
}

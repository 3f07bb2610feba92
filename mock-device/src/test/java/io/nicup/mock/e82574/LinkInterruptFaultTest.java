package io.nicup.mock.e82574;

import io.nicup.vfio.InterruptMode;
import io.nicup.vfio.InterruptSet;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Link and interrupt faults of the 82574 (link-down, link-flap, irq-storm), seen through the driver's eyes. */
class LinkInterruptFaultTest {

    @Test
    void linkDownShouldNeverBringTheLinkUp() {
        try (Fixture f = Fixture.open("&fault=link-down")) {
            assertThat(f.reg(Regs.STATUS) & Regs.Status.LU).isZero();
            f.drv.reset();
            f.drv.writePhy(Phy.BMCR, 0x1340);
            f.dev.wire().setLink(false);
            f.dev.wire().setLink(true);
            f.dev.clock().advance(10 * Timing.AUTONEG_NANOS);
            assertThat(f.reg(Regs.STATUS) & Regs.Status.LU).isZero();
            assertThat(f.drv.readPhy(Phy.BMSR) & Phy.BMSR_LSTATUS).isZero();
        }
    }

    @Test
    void linkFlapShouldDropTheLinkAfterNFramesAndBringItBack() {
        try (Fixture f = Fixture.open("&fault=link-flap&after=5").up()) {
            f.drv.write(Regs.IMS, Regs.Icr.LSC);
            InterruptSet irq = f.dev.interrupts().enable(InterruptMode.MSI, 1);
            for (int i = 0; i < 4; i++) {
                f.drv.send(Frames.frame(Frames.PEER, 64, i));
            }
            assertThat(f.model.linkUp()).isTrue();
            assertThat(irq.poll()).isZero();
            f.dev.wire().inject(Frames.frame(Fixture.MAC, 64, 0)); // the fifth frame
            assertThat(f.model.linkUp()).isFalse();
            assertThat(irq.poll()).isEqualTo(1);
            assertThat(f.reg(Regs.ICR) & Regs.Icr.LSC).isNotZero();
            f.drv.send(Frames.frame(Frames.PEER, 64, 99));
            assertThat(f.dev.wire().transmittedFrames()).isEqualTo(4); // lost while down
            long t0 = f.dev.clock().nanoTime();
            assertThat(irq.await(2_000_000_000L)).isEqualTo(1);
            assertThat(f.dev.clock().nanoTime() - t0).isEqualTo(Timing.LINK_FLAP_DOWN_NANOS + Timing.AUTONEG_NANOS);
            assertThat(f.model.linkUp()).isTrue();
            assertThat(f.model.counter(E82574Model.Counter.LINK_FLAPS)).isEqualTo(1);
            irq.close();
        }
    }

    @Test
    void irqStormShouldKeepFiringAnInterruptThatNeverClears() {
        try (Fixture f = Fixture.open("&fault=irq-storm")) {
            f.drv.write(Regs.IMS, Regs.Icr.LSC);
            InterruptSet irq = f.dev.interrupts().enable(InterruptMode.MSI, 1);
            for (int i = 0; i < 5; i++) {
                assertThat(irq.await(1_000_000)).isEqualTo(1);
                assertThat(f.reg(Regs.ICR) & Regs.Icr.LSC).isNotZero();
                assertThat(f.reg(Regs.ICR) & Regs.Icr.LSC).as("the cause never clears").isNotZero();
            }
            long before = irq.events(0);
            f.dev.clock().advance(10 * Timing.IRQ_STORM_PERIOD_NANOS);
            assertThat(irq.events(0) - before).isEqualTo(10);
            irq.close();
        }
    }

    @Test
    void irqStormShouldKeepFiringTheOtherVectorInMsixModeWhateverTheDriverClears() {
        try (Fixture f = Fixture.open("&fault=irq-storm")) {
            f.drv.write(Regs.IVAR, (Regs.Ivar.VALID | 2) << Regs.Ivar.OTHER_SHIFT);
            InterruptSet irq = f.dev.interrupts().enable(InterruptMode.MSIX, 5);
            f.drv.write(Regs.IMS, Regs.Icr.LSC | Regs.Icr.OTHER);
            long before = irq.events(2);
            for (int i = 0; i < 10; i++) {
                f.drv.write(Regs.ICR, Regs.Icr.LSC | Regs.Icr.OTHER);   // what an ISR does: write one to clear
                f.dev.clock().advance(Timing.IRQ_STORM_PERIOD_NANOS);
            }
            assertThat(irq.events(2) - before).as("one OTHER interrupt per storm period").isGreaterThanOrEqualTo(10);
            assertThat(f.reg(Regs.ICR) & Regs.Icr.LSC).as("the cause never clears").isNotZero();
            irq.close();
        }
    }

    @Test
    void irqStormShouldRefireIntxOnEveryAcknowledge() {
        try (Fixture f = Fixture.open("&fault=irq-storm")) {
            f.drv.write(Regs.IMS, Regs.Icr.LSC);
            InterruptSet irq = f.dev.interrupts().enable(InterruptMode.INTX, 1);
            for (int i = 0; i < 3; i++) {
                assertThat(irq.poll()).isEqualTo(1);
                f.reg(Regs.ICR);
                irq.acknowledge(0);
            }
            irq.close();
        }
    }
}

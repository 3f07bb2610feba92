package io.nicup.mock.e82574;

import io.nicup.vfio.DeviceAccessException;
import io.nicup.vfio.InterruptMode;
import io.nicup.vfio.InterruptSet;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** ICR/IMS/IMC/ICS, INTx, MSI and MSI-X routing (docs/hardware-reference.md B.3, B.6; QEMU 7.2 e1000e_core.c). */
class InterruptTest {

    @Test
    void shouldClearIcrOnReadInLegacyMode() {
        try (Fixture f = Fixture.open()) {
            f.drv.reset();
            f.drv.write(Regs.IMS, Regs.Icr.LSC);
            f.drv.write(Regs.ICS, Regs.Icr.LSC);
            assertThat(f.reg(Regs.ICS)).isEqualTo(Regs.Icr.LSC | Regs.Icr.INT_ASSERTED); // ICS reads ICR
            assertThat(f.reg(Regs.ICR)).isEqualTo(Regs.Icr.LSC | Regs.Icr.INT_ASSERTED);
            assertThat(f.reg(Regs.ICR)).isZero();
        }
    }

    @Test
    void shouldClearIcrByWritingOnes() {
        try (Fixture f = Fixture.open()) {
            f.drv.reset();
            f.drv.write(Regs.ICS, Regs.Icr.LSC | Regs.Icr.RXT0);
            f.drv.write(Regs.ICR, Regs.Icr.LSC);
            assertThat(f.model.peek(Regs.ICR) & ~Regs.Icr.INT_ASSERTED).isEqualTo(Regs.Icr.RXT0);
        }
    }

    @Test
    void shouldFireIntxOnlyForUnmaskedCausesAndAgainAfterAcknowledge() {
        try (Fixture f = Fixture.open()) {
            f.drv.reset();
            InterruptSet irq = f.dev.interrupts().enable(InterruptMode.INTX, 1);
            f.drv.write(Regs.ICS, Regs.Icr.RXT0);
            assertThat(irq.poll()).isZero(); // masked
            f.drv.write(Regs.IMS, Regs.Icr.RXT0);
            assertThat(irq.poll()).isEqualTo(1); // pending cause now unmasked
            f.drv.write(Regs.ICS, Regs.Icr.RXT0);
            assertThat(irq.poll()).isZero(); // line auto-masked until acknowledged
            irq.acknowledge(0);
            assertThat(irq.poll()).isEqualTo(1); // still asserted
            f.reg(Regs.ICR); // clears the cause
            irq.acknowledge(0);
            assertThat(irq.poll()).isZero();
            assertThat(irq.events(0)).isEqualTo(2);
            irq.close();
        }
    }

    @Test
    void shouldNotSignalIntxWhenDisabledInTheCommandRegister() {
        try (Fixture f = Fixture.open()) {
            f.drv.reset();
            InterruptSet irq = f.dev.interrupts().enable(InterruptMode.INTX, 1);
            f.dev.config().write16(4, f.dev.config().read16(4) | 0x400);
            f.drv.write(Regs.IMS, Regs.Icr.LSC);
            f.drv.write(Regs.ICS, Regs.Icr.LSC);
            assertThat(irq.poll()).isZero();
            irq.close();
        }
    }

    @Test
    void shouldPassEthtoolsInterruptTest() {
        // Linux e1000_intr_test, unshared case, bits 0-9 on an 82574 (not ICH)
        try (Fixture f = Fixture.open()) {
            f.drv.reset();
            InterruptSet irq = f.dev.interrupts().enable(InterruptMode.INTX, 1);
            int[] testIcr = {0};
            Runnable handler = () -> {
                if (irq.poll() != 0) {
                    testIcr[0] |= f.reg(Regs.ICR);
                    irq.acknowledge(0);
                }
            };
            f.drv.write(Regs.IMC, 0xFFFFFFFF);
            for (int i = 0; i < 10; i++) {
                int mask = 1 << i;
                testIcr[0] = 0;
                f.drv.write(Regs.IMC, mask);
                f.drv.write(Regs.ICS, mask);
                handler.run();
                assertThat(testIcr[0] & mask).as("masked bit %d must not interrupt", i).isZero();

                testIcr[0] = 0;
                f.drv.write(Regs.IMS, mask);
                f.drv.write(Regs.ICS, mask);
                handler.run();
                assertThat(testIcr[0] & mask).as("unmasked bit %d must interrupt", i).isNotZero();

                testIcr[0] = 0;
                f.drv.write(Regs.IMC, ~mask & 0x7FFF);
                f.drv.write(Regs.ICS, ~mask & 0x7FFF);
                handler.run();
                assertThat(testIcr[0]).as("other bits with bit %d set", i).isZero();
            }
            irq.close();
        }
    }

    @Test
    void shouldRouteQueueCausesThroughIvarToMsixVectors() {
        try (Fixture f = Fixture.open().up()) {
            InterruptSet irq = f.dev.interrupts().enable(InterruptMode.MSIX, 5);
            int v = Regs.Ivar.VALID;
            // RXQ0 -> 2, TXQ0 -> 3, OTHER -> 4 (Linux e1000_configure_msix uses 0, 1, 2)
            f.drv.write(Regs.IVAR, (v | 2) | (v | 3) << Regs.Ivar.TXQ0_SHIFT | (v | 4) << Regs.Ivar.OTHER_SHIFT);
            f.drv.write(Regs.IMS, Regs.Icr.RXQ0 | Regs.Icr.TXQ0 | Regs.Icr.OTHER | Regs.Icr.LSC);
            f.dev.wire().inject(Frames.frame(Fixture.MAC, 64, 0));
            assertThat(irq.poll()).isEqualTo(1L << 2);
            f.drv.send(Frames.frame(Frames.PEER, 64, 0));
            assertThat(irq.poll()).isEqualTo(1L << 3);
            f.dev.wire().setLink(false);
            assertThat(irq.poll()).isEqualTo(1L << 4);
            assertThat(f.reg(Regs.ICR) & (Regs.Icr.LSC | Regs.Icr.OTHER)).isEqualTo(Regs.Icr.LSC | Regs.Icr.OTHER);
            assertThat(irq.events(2)).isEqualTo(1);
            irq.close();
        }
    }

    @Test
    void shouldNotClearIcrOnReadInMsixModeButClearWithEiac() {
        try (Fixture f = Fixture.open().up()) {
            InterruptSet irq = f.dev.interrupts().enable(InterruptMode.MSIX, 5);
            f.drv.write(Regs.IVAR, Regs.Ivar.VALID | 0);
            f.drv.write(Regs.IMS, Regs.Icr.RXQ0);
            f.dev.wire().inject(Frames.frame(Fixture.MAC, 64, 0));
            assertThat(irq.poll()).isEqualTo(1);
            assertThat(f.reg(Regs.ICR) & Regs.Icr.RXQ0).isNotZero();
            assertThat(f.reg(Regs.ICR) & Regs.Icr.RXQ0).isNotZero(); // still there
            f.drv.write(Regs.ICR, Regs.Icr.RXQ0);
            // with EIAC the cause clears itself and IMS masks it (CTRL_EXT.IAME clear)
            f.drv.write(Regs.EIAC, Regs.Icr.RXQ0);
            f.dev.wire().inject(Frames.frame(Fixture.MAC, 64, 1));
            assertThat(irq.poll()).isEqualTo(1);
            assertThat(f.reg(Regs.ICR) & Regs.Icr.RXQ0).isZero();
            assertThat(f.reg(Regs.IMS) & Regs.Icr.RXQ0).isZero();
            irq.close();
        }
    }

    @Test
    void shouldNotDeliverAnInvalidIvarEntry() {
        try (Fixture f = Fixture.open().up()) {
            InterruptSet irq = f.dev.interrupts().enable(InterruptMode.MSIX, 5);
            f.drv.write(Regs.IVAR, 2); // no VALID bit
            f.drv.write(Regs.IMS, Regs.Icr.RXQ0);
            f.dev.wire().inject(Frames.frame(Fixture.MAC, 64, 0));
            assertThat(irq.poll()).isZero();
            irq.close();
        }
    }

    @Test
    void shouldSignalMsiOnceUntilTheCauseIsCleared() {
        try (Fixture f = Fixture.open().up()) {
            InterruptSet irq = f.dev.interrupts().enable(InterruptMode.MSI, 1);
            f.drv.write(Regs.IMS, Regs.Icr.RXT0);
            f.dev.wire().inject(Frames.frame(Fixture.MAC, 64, 0));
            f.dev.wire().inject(Frames.frame(Fixture.MAC, 64, 1));
            assertThat(irq.events(0)).isEqualTo(1); // QEMU e1000e_send_msi: only new causes
            f.reg(Regs.ICR);
            f.dev.wire().inject(Frames.frame(Fixture.MAC, 64, 2));
            assertThat(irq.events(0)).isEqualTo(2);
            irq.close();
        }
    }

    @Test
    void shouldSetMsixEnableInConfigSpaceWhileArmed() {
        try (Fixture f = Fixture.open()) {
            int cap = E82574Model.CAP_MSIX;
            assertThat(f.dev.config().read16(cap + 2) & 0x8000).isZero();
            InterruptSet irq = f.dev.interrupts().enable(InterruptMode.MSIX, 3);
            assertThat(f.dev.config().read16(cap + 2) & 0x8000).isNotZero();
            irq.close();
            assertThat(f.dev.config().read16(cap + 2) & 0x8000).isZero();
        }
    }

    @Test
    void shouldAdvanceVirtualTimeByTheTimeoutWhenNothingFires() {
        try (Fixture f = Fixture.open()) {
            InterruptSet irq = f.dev.interrupts().enable(InterruptMode.MSI, 1);
            long t0 = f.dev.clock().nanoTime();
            assertThat(irq.await(1_000_000)).isZero();
            assertThat(f.dev.clock().nanoTime() - t0).isEqualTo(1_000_000);
            irq.close();
        }
    }

    @Test
    void shouldRejectArmingTwiceAndBadCounts() {
        try (Fixture f = Fixture.open()) {
            assertThat(f.dev.interrupts().maxVectors(InterruptMode.MSIX)).isEqualTo(5);
            assertThat(f.dev.interrupts().maxVectors(InterruptMode.MSI)).isEqualTo(1);
            assertThat(f.dev.interrupts().maxVectors(InterruptMode.INTX)).isEqualTo(1);
            assertThatThrownBy(() -> f.dev.interrupts().enable(InterruptMode.MSIX, 6))
                    .isInstanceOf(DeviceAccessException.class)
                    .hasMessageContaining("count=6");
            InterruptSet irq = f.dev.interrupts().enable(InterruptMode.MSI, 1);
            assertThatThrownBy(() -> f.dev.interrupts().enable(InterruptMode.INTX, 1))
                    .isInstanceOfSatisfying(DeviceAccessException.class,
                            e -> assertThat(e.reason()).isEqualTo(DeviceAccessException.Reason.INVALID_ARGUMENT));
            irq.close();
            f.dev.interrupts().enable(InterruptMode.INTX, 1).close();
        }
    }

    @Test
    void shouldStoreItrAndEitr() {
        try (Fixture f = Fixture.open()) {
            f.drv.write(Regs.ITR, 0x1F4);
            f.drv.write(Regs.EITR0 + 8, 1);
            assertThat(f.reg(Regs.ITR)).isEqualTo(0x1F4);
            assertThat(f.reg(Regs.EITR0 + 8)).isEqualTo(1);
        }
    }

    @Test
    void shouldMaskImsByIamOnIcrReadWithIame() {
        try (Fixture f = Fixture.open()) {
            f.drv.reset();
            f.drv.write(Regs.CTRL_EXT, Regs.CtrlExt.IAME);
            f.drv.write(Regs.IAM, Regs.Icr.RXT0);
            f.drv.write(Regs.IMS, Regs.Icr.RXT0 | Regs.Icr.LSC);
            f.drv.write(Regs.ICS, Regs.Icr.RXT0);
            f.reg(Regs.ICR);
            assertThat(f.reg(Regs.IMS)).isEqualTo(Regs.Icr.LSC);
        }
    }
}

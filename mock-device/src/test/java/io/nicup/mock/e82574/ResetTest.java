package io.nicup.mock.e82574;

import io.nicup.mock.RegisterAccess;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Power-on values and CTRL.RST (docs/hardware-reference.md B.1 [EMP], B.3, B.10). */
class ResetTest {

    @Test
    void shouldShowQemuPowerOnValues() {
        try (Fixture f = Fixture.open()) {
            assertThat(f.reg(Regs.STATUS)).isEqualTo(0x80283); // [EMP] docs/hardware-reference.md B.1
            assertThat(f.reg(Regs.CTRL)).isEqualTo(0x140241); // [EMP] docs/hardware-reference.md B.1
            assertThat(f.reg(Regs.EECD)).isEqualTo(0x300); // docs/hardware-reference.md B.3: PRES | AUTO_RD
            assertThat(f.reg(Regs.TARC0)).isEqualTo(0x403); // docs/hardware-reference.md B.3 / B.7.2
            assertThat(f.reg(Regs.TIPG)).isEqualTo(0x00602008); // docs/hardware-reference.md B.3
            // RAL0/RAH0 hold the permanent MAC with AV ([EMP] docs/hardware-reference.md B.5 step 9 for 52:54:00:12:34:56)
            assertThat(f.reg(Regs.RAL0)).isEqualTo(0x00000002);
            assertThat(f.reg(Regs.RAH0)).isEqualTo(0x80000100);
            assertThat(f.drv.readPhy(Phy.BMCR)).isEqualTo(0x1140);
        }
    }

    @Test
    void shouldMatchQemuRal0ForItsDefaultMac() {
        try (var dev = io.nicup.mock.MockDevices.open("mock:82574L")) {
            assertThat(dev.bar(0).read32(Regs.RAL0)).isEqualTo(0x12005452); // [EMP] docs/hardware-reference.md B.5
            assertThat(dev.bar(0).read32(Regs.RAH0)).isEqualTo(0x80005634);
        }
    }

    @Test
    void shouldKeepRstSetForAShortTimeThenSetAutoReadLater() {
        try (Fixture f = Fixture.open()) {
            f.drv.write(Regs.CTRL, f.reg(Regs.CTRL) | Regs.Ctrl.RST);
            assertThat(f.reg(Regs.CTRL) & Regs.Ctrl.RST).isNotZero();
            assertThat(f.reg(Regs.EECD) & Regs.Eecd.AUTO_RD).isZero();
            f.dev.clock().advance(Timing.SOFTWARE_RESET_NANOS - 1);
            assertThat(f.reg(Regs.CTRL) & Regs.Ctrl.RST).isNotZero();
            f.dev.clock().advance(1);
            assertThat(f.reg(Regs.CTRL)).isEqualTo(0x140241);
            assertThat(f.reg(Regs.EECD) & Regs.Eecd.AUTO_RD).isZero();
            f.dev.clock().advance(Timing.NVM_AUTO_READ_NANOS);
            assertThat(f.reg(Regs.EECD)).isEqualTo(0x300);
        }
    }

    @Test
    void shouldResetWhatQemu722Resets() {
        try (Fixture f = Fixture.open()) {
            f.drv.write(Regs.RDLEN0, 0x400);
            f.drv.write(Regs.RCTL, 0x8002);
            f.drv.write(Regs.TCTL, 0x2);
            f.drv.write(Regs.TIPG, 0x1234);
            f.drv.write(Regs.IMS, 0x9D);
            f.drv.write(Regs.TDBAL0, 0x1000);
            f.drv.setRar(0, Frames.mac("02:aa:bb:cc:dd:ee"));
            f.drv.writePhy(Phy.BMCR, 0x4140);
            f.drv.reset();
            // [EMP] docs/hardware-reference.md B.10: RDLEN 0x400->0, RCTL 0x8002->0, TIPG->0x602008, IMS->0, RAL0/RAH0 permanent, BMCR 0x1140
            assertThat(f.reg(Regs.RDLEN0)).isZero();
            assertThat(f.reg(Regs.RCTL)).isZero();
            assertThat(f.reg(Regs.TCTL)).isZero();
            assertThat(f.reg(Regs.TIPG)).isEqualTo(0x602008);
            assertThat(f.reg(Regs.IMS)).isZero();
            assertThat(f.reg(Regs.TDBAL0)).isZero();
            assertThat(f.reg(Regs.RAL0)).isEqualTo(0x00000002);
            assertThat(f.reg(Regs.RAH0)).isEqualTo(0x80000100);
            assertThat(f.drv.readPhy(Phy.BMCR)).isEqualTo(0x1140);
            assertThat(f.reg(Regs.STATUS)).isEqualTo(0x80283);
        }
    }

    @Test
    void shouldIgnoreAndNoteWritesWhileRstIsSet() {
        try (Fixture f = Fixture.open()) {
            f.drv.write(Regs.CTRL, Regs.Ctrl.RST);
            f.drv.write(Regs.IMS, 0x4);
            assertThat(f.reg(Regs.IMS)).isZero();
            assertThat(f.model.counter(E82574Model.Counter.WRITES_DURING_RESET)).isEqualTo(1);
            assertThat(f.dev.notedAccesses()).extracting(RegisterAccess::kind, RegisterAccess::offset)
                    .containsExactly(org.assertj.core.groups.Tuple.tuple("during-reset", (long) Regs.IMS));
            f.dev.clock().advance(Timing.SOFTWARE_RESET_NANOS);
            f.drv.write(Regs.IMS, 0x4);
            assertThat(f.reg(Regs.IMS)).isEqualTo(0x4);
        }
    }

    @Test
    void shouldResetStatisticsButKeepPbaOnSoftwareReset() {
        try (Fixture f = Fixture.open()) {
            f.up();
            f.drv.write(Regs.PBA, 0x00100010);
            f.drv.send(Frames.frame(Frames.BROADCAST, 100, 0));
            assertThat(f.model.peek(Regs.GPTC)).isEqualTo(1);
            f.drv.reset();
            assertThat(f.reg(Regs.GPTC)).isZero();
            assertThat(f.reg(Regs.PBA)).isEqualTo(0x00100010);
        }
    }

    @Test
    void shouldResetSynchronouslyOnFunctionLevelResetKeepingConfigSpace() {
        try (Fixture f = Fixture.open()) {
            f.up();
            assertThat(f.dev.canReset()).isTrue();
            f.dev.reset();
            assertThat(f.reg(Regs.RCTL)).isZero();
            assertThat(f.reg(Regs.EECD)).isEqualTo(0x300);
            assertThat(f.reg(Regs.CTRL) & Regs.Ctrl.RST).isZero();
            // the kernel restores config space around a VFIO reset: bus mastering stays on
            assertThat(f.dev.config().read16(4) & 0x4).isEqualTo(0x4);
        }
    }
}

package io.nicup.mock.e82574;

import io.nicup.mock.intel.Mdic;
import io.nicup.vfio.RegisterTimeoutException;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Register, reset, NVM and PHY-access faults of the 82574, seen through the driver's eyes. */
class RegisterFaultTest {

    @Test
    void resetStuckShouldKeepRstSetForever() {
        try (Fixture f = Fixture.open("&fault=reset-stuck")) {
            assertThatThrownBy(f.drv::reset).isInstanceOfSatisfying(RegisterTimeoutException.class,
                    e -> assertThat(e.register()).isEqualTo("CTRL.RST"));
            f.dev.clock().advance(10_000_000_000L);
            assertThat(f.reg(Regs.CTRL) & Regs.Ctrl.RST).isNotZero();
            f.drv.write(Regs.IMS, 4);
            assertThat(f.reg(Regs.IMS)).isZero();
        }
    }

    @Test
    void nvmAutoreadStuckShouldNeverSetAutoRd() {
        try (Fixture f = Fixture.open("&fault=nvm-autoread-stuck")) {
            assertThat(f.reg(Regs.EECD)).isEqualTo(Regs.Eecd.PRES);
            assertThatThrownBy(f.drv::reset).isInstanceOfSatisfying(RegisterTimeoutException.class,
                    e -> assertThat(e.register()).isEqualTo("EECD.AUTO_RD"));
            assertThat(f.reg(Regs.CTRL) & Regs.Ctrl.RST).isZero(); // the reset itself finished
        }
    }

    @Test
    void nvmChecksumShouldMissBaba() {
        try (Fixture f = Fixture.open("&fault=nvm-checksum")) {
            int sum = 0;
            for (int i = 0; i <= Nvm.CHECKSUM_WORD; i++) {
                sum += f.drv.readNvm(i);
            }
            assertThat(sum & 0xFFFF).isNotEqualTo(0xBABA);
            assertThat(f.drv.macFromNvm()).isEqualTo(Fixture.MAC); // the MAC itself is intact
        }
    }

    @Test
    void eerdStuckShouldNeverSetDone() {
        try (Fixture f = Fixture.open("&fault=eerd-stuck")) {
            assertThatThrownBy(() -> f.drv.readNvm(0)).isInstanceOf(RegisterTimeoutException.class)
                    .hasMessageContaining("EERD.DONE");
        }
    }

    @Test
    void mdicErrorShouldFailEveryPhyAccess() {
        try (Fixture f = Fixture.open("&fault=mdic-error")) {
            int v = f.drv.mdic(1, Phy.ID1, Mdic.OP_READ, 0);
            assertThat(v & (Mdic.ERROR | Mdic.READY)).isEqualTo(Mdic.ERROR | Mdic.READY);
            assertThatThrownBy(() -> f.drv.writePhy(Phy.BMCR, 0x1340)).isInstanceOf(IllegalStateException.class);
        }
    }

    @Test
    void mdicStuckShouldNeverSetReady() {
        try (Fixture f = Fixture.open("&fault=mdic-stuck")) {
            assertThatThrownBy(() -> f.drv.readPhy(Phy.ID1)).isInstanceOf(RegisterTimeoutException.class)
                    .hasMessageContaining("MDIC.READY");
        }
    }

    @Test
    void allOnesShouldMakeEveryReadAllOnesAtOnce() {
        try (Fixture f = Fixture.open("&fault=all-ones")) {
            assertThat(f.reg(Regs.STATUS)).isEqualTo(0xFFFFFFFF);
            assertThat(f.dev.bar(0).read64(Regs.CTRL)).isEqualTo(-1L);
            assertThat(f.dev.bar(0).read16(Regs.CTRL)).isEqualTo((short) -1);
            assertThat(f.dev.config().read32(0)).isEqualTo(0xFFFFFFFF);
            assertThat(f.dev.config().read8(0x34)).isEqualTo(0xFF);
            assertThat(f.dev.identity().vendorId()).isEqualTo(0xFFFF);
            assertThatThrownBy(f.drv::reset).isInstanceOf(RegisterTimeoutException.class);
        }
    }

    @Test
    void allOnesAfterNFramesShouldBeASurpriseRemovalMidTraffic() {
        try (Fixture f = Fixture.open("&fault=all-ones&after=10").up()) {
            for (int i = 0; i < 9; i++) {
                f.drv.send(Frames.frame(Frames.PEER, 64, i));
            }
            assertThat(f.reg(Regs.STATUS)).isNotEqualTo(0xFFFFFFFF);
            f.dev.wire().inject(Frames.frame(Fixture.MAC, 64, 0));
            assertThat(f.reg(Regs.STATUS)).isEqualTo(0xFFFFFFFF);
            assertThat(f.reg(Regs.TDH0)).isEqualTo(0xFFFFFFFF);
            f.drv.send(Frames.frame(Frames.PEER, 64, 0));
            assertThat(f.dev.wire().transmittedFrames()).isEqualTo(9);
            assertThat(f.model.removed()).isTrue();
        }
    }

    @Test
    void registersAllOnesShouldAnswerAllOnesFromReadNPlusOneWhileConfigSpaceStays() {
        try (Fixture f = Fixture.open("&fault=registers-all-ones@3")) {
            long before = f.model.registerReads();
            assertThat(before).as("the fixture read nothing yet").isZero();
            for (int i = 0; i < 3; i++) {
                assertThat(f.reg(Regs.STATUS)).isNotEqualTo(0xFFFFFFFF);
            }
            assertThat(f.reg(Regs.STATUS)).isEqualTo(0xFFFFFFFF);
            assertThat(f.reg(Regs.CTRL)).isEqualTo(0xFFFFFFFF);
            assertThat(f.dev.identity().vendorId()).as("not a surprise removal").isEqualTo(0x8086);
            assertThat(f.model.removed()).isFalse();
        }
    }

    @Test
    void registersRandomShouldAnswerTheSameRandomValuesOnEveryRun() {
        int[] first = new int[8];
        int[] second = new int[8];
        try (Fixture f = Fixture.open("&fault=registers-random@2")) {
            for (int i = 0; i < first.length; i++) {
                first[i] = f.reg(Regs.STATUS);
            }
        }
        try (Fixture f = Fixture.open("&fault=registers-random@2")) {
            for (int i = 0; i < second.length; i++) {
                second[i] = f.reg(Regs.STATUS);
            }
        }
        assertThat(first).containsExactly(second);
        assertThat(first[0]).as("the first two reads are true").isEqualTo(first[1]);
        assertThat(java.util.Arrays.stream(first, 2, 8).distinct().count()).as("garbage from read 3 on").isGreaterThan(3);
    }

    @Test
    void resetLosesRarShouldDropDirectedFramesAfterAResetThatFollowsTraffic() {
        try (Fixture f = Fixture.open("&fault=reset-loses-rar").up()) {    // the bring-up's CTRL.RST: no frame yet
            f.dev.wire().inject(Frames.frame(Fixture.MAC, 100, 0));
            assertThat(f.drv.rxLength(0)).as("directed, before the reset").isEqualTo(100);
            f.up();                                                         // CTRL.RST after one frame
            f.drv.setRar(0, Fixture.MAC);
            assertThat(f.reg(Regs.ral(0) + 4) & 0x80000000).as("RAH0.AV reads back").isNotZero();
            f.dev.wire().inject(Frames.frame(Fixture.MAC, 100, 1));
            f.dev.wire().inject(Frames.frame(Frames.BROADCAST, 100, 2));
            assertThat(f.drv.rxData(0, 100)).as("only the broadcast arrives").isEqualTo(Frames.frame(Frames.BROADCAST, 100, 2));
            assertThat(f.drv.rxLength(1)).isZero();
        }
    }
}

package io.nicup.mock.e82574;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Statistics registers: clear on read, 64-bit octet counters (docs/hardware-reference.md B.6 "read_clr4"/"read_clr8"). */
class StatisticsTest {

    @Test
    void shouldClearCountersOnRead() {
        try (Fixture f = Fixture.open().up()) {
            f.drv.send(Frames.frame(Frames.PEER, 100, 0));
            f.dev.wire().inject(Frames.frame(Fixture.MAC, 100, 0));
            for (int reg : new int[] {Regs.GPTC, Regs.TPT, Regs.GPRC, Regs.TPR, Regs.PTC127, Regs.PRC127}) {
                assertThat(f.reg(reg)).as("first read of 0x%x", reg).isEqualTo(1);
                assertThat(f.reg(reg)).as("second read of 0x%x", reg).isZero(); // [EMP] docs/hardware-reference.md B.6: second GPRC read 0
            }
        }
    }

    @Test
    void shouldClearBothHalvesOnlyWhenTheHighHalfIsRead() {
        try (Fixture f = Fixture.open().up()) {
            f.dev.wire().inject(Frames.frame(Fixture.MAC, 100, 0));
            assertThat(f.reg(Regs.GORCL)).isEqualTo(104);
            assertThat(f.reg(Regs.GORCL)).isEqualTo(104); // reading the low half does not clear
            assertThat(f.reg(Regs.GORCH)).isZero();
            assertThat(f.reg(Regs.GORCL)).isZero(); // reading the high half cleared both
            for (int lo : new int[] {Regs.TORL, Regs.GOTCL, Regs.TOTL}) {
                assertThat(f.reg(lo + 4)).isZero();
                assertThat(f.reg(lo)).isZero();
            }
        }
    }

    @Test
    void shouldSumOctetsAcrossBothHalves() {
        try (Fixture f = Fixture.open()) {
            f.drv.reset();
            f.dev.setBusMaster(true);
            f.drv.setupTx(64);
            f.drv.setupRx(8, MiniDriver.RCTL_DEFAULT | Regs.Rctl.LPE);
            for (int i = 0; i < 40; i++) {
                f.drv.send(Frames.frame(Frames.PEER, 14000, i));
            }
            long lo = f.reg(Regs.GOTCL) & 0xFFFFFFFFL;
            long hi = f.reg(Regs.GOTCH) & 0xFFFFFFFFL;
            assertThat(hi << 32 | lo).isEqualTo(40L * 14004);
        }
    }

    @Test
    void shouldReadZeroForErrorCountersThatNothingIncrements() {
        try (Fixture f = Fixture.open().up()) {
            f.drv.send(Frames.frame(Frames.PEER, 100, 0));
            f.dev.wire().inject(Frames.frame(Fixture.MAC, 100, 0));
            for (int reg : new int[] {Regs.CRCERRS, Regs.ALGNERRC, Regs.SYMERRS, Regs.RXERRC, Regs.MPC, Regs.COLC,
                Regs.RNBC, Regs.RUC, Regs.ROC, Regs.RJC}) {
                assertThat(f.reg(reg)).as("register 0x%x", reg).isZero();
            }
            assertThat(f.dev.notedAccesses()).isEmpty(); // all implemented
        }
    }

    @Test
    void shouldIgnoreWritesToStatistics() {
        try (Fixture f = Fixture.open()) {
            f.drv.write(Regs.GPRC, 5);
            assertThat(f.reg(Regs.GPRC)).isZero();
        }
    }
}

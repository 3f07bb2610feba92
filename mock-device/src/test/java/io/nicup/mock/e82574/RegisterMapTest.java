package io.nicup.mock.e82574;

import io.nicup.mock.RegisterAccess;
import io.nicup.vfio.RegisterSpace;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The BAR0 map: unimplemented offsets, widths, masks; Linux ethtool's register test (e1000_reg_test). */
class RegisterMapTest {

    @Test
    void shouldReadZeroAndIgnoreWritesAtUnimplementedOffsetsAndNoteThem() {
        try (Fixture f = Fixture.open()) {
            int offset = 0x8F00; // HICR: not modelled by QEMU either
            f.drv.write(offset, 0x1234);
            assertThat(f.reg(offset)).isZero();
            assertThat(f.dev.notedAccesses())
                    .extracting(RegisterAccess::kind, RegisterAccess::offset, RegisterAccess::write, RegisterAccess::value)
                    .containsExactly(
                            org.assertj.core.groups.Tuple.tuple("unimplemented", (long) offset, true, 0x1234L),
                            org.assertj.core.groups.Tuple.tuple("unimplemented", (long) offset, false, 0L));
            assertThat(f.model.counter(E82574Model.Counter.UNIMPLEMENTED_ACCESSES)).isEqualTo(2);
        }
    }

    @Test
    void shouldRejectOutOfRangeAndUnalignedAccesses() {
        try (Fixture f = Fixture.open()) {
            RegisterSpace bar = f.dev.bar(0);
            assertThat(bar.size()).isEqualTo(128 * 1024);
            assertThatThrownBy(() -> bar.read32(128 * 1024)).isInstanceOf(IndexOutOfBoundsException.class);
            assertThatThrownBy(() -> bar.read32(-4)).isInstanceOf(IndexOutOfBoundsException.class);
            assertThatThrownBy(() -> bar.read32(2)).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> bar.write64(4, 0)).isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void shouldSplitSixtyFourBitAccessesLowDwordFirst() {
        try (Fixture f = Fixture.open()) {
            RegisterSpace bar = f.dev.bar(0);
            bar.write64(Regs.TDBAL0, 0x0000_0001_2345_6780L);
            assertThat(f.reg(Regs.TDBAL0)).isEqualTo(0x23456780);
            assertThat(f.reg(Regs.TDBAH0)).isEqualTo(1);
            assertThat(bar.read64(Regs.TDBAL0)).isEqualTo(0x0000_0001_2345_6780L);
        }
    }

    @Test
    void shouldNoteNarrowAccesses() {
        try (Fixture f = Fixture.open()) {
            RegisterSpace bar = f.dev.bar(0);
            bar.write16(Regs.TIPG + 2, (short) 0x0011);
            assertThat(f.reg(Regs.TIPG)).isEqualTo(0x00112008);
            assertThat(bar.read16(Regs.TIPG)).isEqualTo((short) 0x2008);
            assertThat(f.dev.notedAccesses()).extracting(RegisterAccess::kind).containsExactly("narrow", "narrow");
        }
    }

    @Test
    void shouldKeepStatusReadOnly() {
        try (Fixture f = Fixture.open()) {
            int toggle = 0xFFFFF833; // e1000_reg_test default mask
            int value = f.reg(Regs.STATUS) & toggle;
            f.drv.write(Regs.STATUS, toggle);
            assertThat(f.reg(Regs.STATUS) & toggle).isEqualTo(value);
        }
    }

    private static void patternTest(MiniDriver d, int reg, int mask, int write) {
        for (int pattern : new int[] {0x5A5A5A5A, 0xA5A5A5A5, 0x00000000, 0xFFFFFFFF}) {
            d.write(reg, pattern & write);
            assertThat(d.read(reg)).as("pattern 0x%08x at 0x%05x", pattern, reg).isEqualTo(pattern & write & mask);
        }
    }

    private static void setAndCheck(MiniDriver d, int reg, int mask, int write) {
        d.write(reg, write & mask);
        assertThat(d.read(reg) & mask).as("set/check 0x%05x", reg).isEqualTo(write & mask);
    }

    @Test
    void shouldPassEthtoolsRegisterTest() {
        try (Fixture f = Fixture.open()) {
            MiniDriver d = f.drv;
            d.reset();
            patternTest(d, Regs.FCAL, 0xFFFFFFFF, 0xFFFFFFFF);
            patternTest(d, Regs.FCAH, 0x0000FFFF, 0xFFFFFFFF);
            patternTest(d, Regs.FCT, 0x0000FFFF, 0xFFFFFFFF);
            patternTest(d, Regs.VET, 0x0000FFFF, 0xFFFFFFFF);
            patternTest(d, Regs.RDTR, 0x0000FFFF, 0xFFFFFFFF);
            patternTest(d, Regs.RDBAH0, 0xFFFFFFFF, 0xFFFFFFFF);
            patternTest(d, Regs.RDLEN0, 0x000FFF80, 0x000FFFFF);
            patternTest(d, Regs.RDH0, 0x0000FFFF, 0x0000FFFF);
            patternTest(d, Regs.RDT0, 0x0000FFFF, 0x0000FFFF);
            patternTest(d, Regs.FCRTH, 0x0000FFF8, 0x0000FFF8);
            patternTest(d, Regs.FCTTV, 0x0000FFFF, 0x0000FFFF);
            patternTest(d, Regs.TIPG, 0x3FFFFFFF, 0x3FFFFFFF);
            patternTest(d, Regs.TDBAH0, 0xFFFFFFFF, 0xFFFFFFFF);
            patternTest(d, Regs.TDLEN0, 0x000FFF80, 0x000FFFFF);
            setAndCheck(d, Regs.RCTL, 0xFFFFFFFF, 0x00000000);
            setAndCheck(d, Regs.RCTL, 0x06DFB3FE, 0x003FFFFB);
            setAndCheck(d, Regs.TCTL, 0xFFFFFFFF, 0x00000000);
            setAndCheck(d, Regs.RCTL, 0x06DFB3FE, 0xFFFFFFFF);
            patternTest(d, Regs.RDBAL0, 0xFFFFFFF0, 0xFFFFFFFF);
            patternTest(d, Regs.TXCW, 0xC000FFFF, 0x0000FFFF);
            patternTest(d, Regs.TDBAL0, 0xFFFFFFF0, 0xFFFFFFFF);
            patternTest(d, Regs.TIDV, 0x0000FFFF, 0x0000FFFF);
            for (int i = 0; i < 15; i++) { // E1000_RAR_ENTRIES for the 82571 family
                patternTest(d, Regs.rah(i), 0x8003FFFF, 0xFFFFFFFF);
            }
            for (int i = 0; i < Regs.MTA_ENTRIES; i++) {
                patternTest(d, Regs.mta(i), 0xFFFFFFFF, 0xFFFFFFFF);
            }
            assertThat(f.dev.notedAccesses()).isEmpty();
        }
    }

    @Test
    void shouldReadZeroFromTheFlashBarAndKeepTheMsixTable() {
        try (Fixture f = Fixture.open()) {
            f.dev.bar(1).write32(0x100, 5);
            assertThat(f.dev.bar(1).read32(0x100)).isZero();
            f.dev.bar(3).write32(0x10, 0xFEE00000);
            assertThat(f.dev.bar(3).read32(0x10)).isEqualTo(0xFEE00000);
            assertThat(f.dev.bar(3).read32(0x2000)).isZero();
        }
    }

    @Test
    void shouldTakeTheSwsmSemaphoreOnRead() {
        try (Fixture f = Fixture.open()) {
            f.drv.write(Regs.SWSM, 0);
            assertThat(f.reg(Regs.SWSM) & 1).isZero();
            assertThat(f.reg(Regs.SWSM) & 1).isEqualTo(1);
        }
    }
}

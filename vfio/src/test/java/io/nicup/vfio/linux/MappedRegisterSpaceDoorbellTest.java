package io.nicup.vfio.linux;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The doorbell write of a mapped BAR: a release store with the same value, bounds and alignment as write32. */
class MappedRegisterSpaceDoorbellTest {

    private static final ValueLayout.OfInt LE32 = ValueLayout.JAVA_INT.withOrder(ByteOrder.LITTLE_ENDIAN);

    @Test
    void aDoorbellStoresTheValueLittleEndianWhereWrite32Would() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment bar = arena.allocate(0x4000, 4096);
            MappedRegisterSpace regs = new MappedRegisterSpace(bar);

            regs.writeDoorbell32(0x3818, 0x0102_0304);

            assertThat(bar.get(LE32, 0x3818)).isEqualTo(0x0102_0304);
            assertThat(bar.get(ValueLayout.JAVA_BYTE, 0x3818)).isEqualTo((byte) 0x04);
            assertThat(regs.read32(0x3818)).isEqualTo(0x0102_0304);
        }
    }

    @Test
    void aDoorbellOutsideTheBarOrMisalignedIsRefusedLikeAnyWrite() {
        try (Arena arena = Arena.ofConfined()) {
            MappedRegisterSpace regs = new MappedRegisterSpace(arena.allocate(0x100, 4096));

            assertThatThrownBy(() -> regs.writeDoorbell32(0x100, 1)).isInstanceOf(IndexOutOfBoundsException.class);
            assertThatThrownBy(() -> regs.writeDoorbell32(0x12, 1)).isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void aSparseBarForwardsADoorbellToTheMappedAreaThatHoldsIt() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment area = arena.allocate(0x1000, 4096);
            RegionInfo region = new RegionInfo(0, 0, 0x4000, 0, List.of(), List.of());
            SparseRegisterSpace regs = new SparseRegisterSpace(null, -1, region,
                    List.of(new SparseRegisterSpace.Area(0x3000, new MappedRegisterSpace(area))));

            regs.writeDoorbell32(0x3818, 42);

            assertThat(area.get(LE32, 0x818)).isEqualTo(42);
            assertThatThrownBy(() -> regs.writeDoorbell32(0x4000, 1)).isInstanceOf(IndexOutOfBoundsException.class);
        }
    }
}

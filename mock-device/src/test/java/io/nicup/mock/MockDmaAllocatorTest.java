package io.nicup.mock;

import io.nicup.vfio.DeviceAccessException;
import io.nicup.vfio.DmaRegion;
import org.junit.jupiter.api.Test;

import java.lang.foreign.ValueLayout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class MockDmaAllocatorTest {

    private final VirtualClock clock = new VirtualClock();
    private final MockDmaAllocator dma = new MockDmaAllocator(clock);

    @Test
    void shouldHandOutZeroedPageAlignedRegionsAtFakeIovas() {
        DmaRegion a = dma.allocate("a", 100, 16);
        DmaRegion b = dma.allocate("b", 5000, 128);
        assertThat(a.iova()).isEqualTo(MockDmaAllocator.IOVA_BASE);
        assertThat(a.size()).isEqualTo(4096);
        assertThat(b.iova() % 4096).isZero();
        assertThat(b.iova()).isGreaterThan(a.iova() + a.size()); // a guard page between
        assertThat(b.size()).isEqualTo(8192);
        assertThat(a.iova()).isNotEqualTo(a.segment().address());
        assertThat(a.segment().address() % 4096).isZero();
        for (long i = 0; i < b.size(); i++) {
            assertThat(b.segment().get(ValueLayout.JAVA_BYTE, i)).isZero();
        }
        assertThat(dma.liveRegions()).isEqualTo(2);
        assertThat(a.purpose()).isEqualTo("a");
    }

    @Test
    void shouldTranslateDeviceAccessesByIova() {
        DmaRegion r = dma.allocate("r", 4096, 64);
        r.segment().set(ValueLayout.JAVA_INT_UNALIGNED.withOrder(java.nio.ByteOrder.LITTLE_ENDIAN), 8, 0x11223344);
        assertThat(dma.read32(r.iova() + 8, "t")).isEqualTo(0x11223344);
        assertThat(dma.write64(r.iova() + 16, 0x0102030405060708L, "t")).isTrue();
        assertThat(r.segment().get(ValueLayout.JAVA_BYTE, 16)).isEqualTo((byte) 0x08);
        byte[] buf = new byte[4];
        assertThat(dma.read(r.iova() + 8, buf, 0, 4, "t")).isTrue();
        assertThat(buf).containsExactly(0x44, 0x33, 0x22, 0x11);
        assertThat(dma.faults()).isEmpty();
    }

    @Test
    void shouldRecordAnIommuFaultAndDoNothingOutsideAnyRegion() {
        DmaRegion r = dma.allocate("r", 4096, 64);
        clock.advance(7);
        byte[] src = {1, 2, 3, 4, 5, 6, 7, 8};
        assertThat(dma.write(r.iova() + 4090, src, 0, 8, "rx-buffer")).isFalse(); // runs into the guard page
        assertThat(dma.read64(r.iova() - 8, "tx-descriptor")).isZero();
        assertThat(r.segment().get(ValueLayout.JAVA_BYTE, 4090)).isZero();
        assertThat(dma.faults()).containsExactly(new DmaFault(r.iova() + 4090, 8, true, "rx-buffer", 7),
                new DmaFault(r.iova() - 8, 8, false, "tx-descriptor", 7));
        assertThat(dma.faultCount()).isEqualTo(2);
    }

    @Test
    void shouldUnmapOnCloseAndFreeTheMemory() {
        DmaRegion r = dma.allocate("r", 4096, 64);
        long iova = r.iova();
        r.close();
        r.close(); // idempotent
        assertThat(dma.liveRegions()).isZero();
        assertThat(dma.isMapped(iova, 4)).isFalse();
        assertThat(dma.write32(iova, 1, "late")).isFalse();
        assertThat(dma.faultCount()).isEqualTo(1);
        assertThatThrownBy(() -> r.segment().get(ValueLayout.JAVA_BYTE, 0)).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void shouldCloseEverythingNewestFirst() {
        DmaRegion a = dma.allocate("a", 1, 1);
        DmaRegion b = dma.allocate("b", 1, 1);
        dma.closeAll();
        assertThat(dma.liveRegions()).isZero();
        assertThat(a.segment().scope().isAlive()).isFalse();
        assertThat(b.segment().scope().isAlive()).isFalse();
    }

    @Test
    void shouldRejectBadArgumentsAndEnforceLimits() {
        assertThatThrownBy(() -> dma.allocate("x", 0, 64)).isInstanceOfSatisfying(DeviceAccessException.class,
                e -> assertThat(e.reason()).isEqualTo(DeviceAccessException.Reason.INVALID_ARGUMENT));
        assertThatThrownBy(() -> dma.allocate("x", 64, 3)).isInstanceOf(DeviceAccessException.class);
        assertThatThrownBy(() -> dma.allocate("x", 64, 8192)).isInstanceOf(DeviceAccessException.class);
        MockDmaAllocator small = new MockDmaAllocator(clock, 8192, 3);
        small.allocate("a", 4096, 64);
        assertThatThrownBy(() -> small.allocate("b", 8192, 64)).isInstanceOfSatisfying(DeviceAccessException.class, e -> {
            assertThat(e.reason()).isEqualTo(DeviceAccessException.Reason.RESOURCE_LIMIT);
            assertThat(e.getMessage()).contains("purpose=b");
        });
        small.allocate("b", 1, 1);
        MockDmaAllocator few = new MockDmaAllocator(clock, 1 << 20, 1);
        few.allocate("a", 1, 1);
        assertThatThrownBy(() -> few.allocate("b", 1, 1)).isInstanceOfSatisfying(DeviceAccessException.class,
                e -> assertThat(e.getMessage()).contains("mapping count"));
        assertThat(dma.hugePages()).isFalse();
        assertThat(dma.fallbackReason()).isNotEmpty();
        assertThat(dma.pageSize()).isEqualTo(4096);
    }
}

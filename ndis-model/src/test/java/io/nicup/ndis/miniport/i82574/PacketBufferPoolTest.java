package io.nicup.ndis.miniport.i82574;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.nicup.ndis.miniport.core.FastPathChecks;
import io.nicup.ndis.miniport.core.PacketBufferPool;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class PacketBufferPoolTest {

    private final ArenaDmaRegion region = new ArenaDmaRegion("rx-buffers", 8 * 2048, 4096, 0x4000_0000L);

    @AfterEach
    void close() {
        region.close();
    }

    @Test
    void fastPathChecksAreOnUnderTheUnitTests() {
        assertThat(FastPathChecks.ENABLED).isTrue();
    }

    @Test
    void shouldCarveTheRegionIntoBuffersAndMapIndexesToIovasAndSlices() {
        PacketBufferPool pool = new PacketBufferPool(region);
        assertThat(pool.capacity()).isEqualTo(8);
        assertThat(pool.bufferSize()).isEqualTo(2048);
        assertThat(pool.iova(0)).isEqualTo(0x4000_0000L);
        assertThat(pool.iova(5)).isEqualTo(0x4000_0000L + 5 * 2048);
        assertThat(pool.segment(5).address()).isEqualTo(region.segment().address() + 5 * 2048);
        assertThat(pool.segment(5).byteSize()).isEqualTo(2048);
        assertThat(pool.segment(5)).isSameAs(pool.segment(5));
        assertThat(pool.indexOf(pool.iova(3) + 100)).isEqualTo(3);
        assertThat(pool.indexOf(0x4000_0000L + 8 * 2048)).isEqualTo(PacketBufferPool.NONE);
        assertThat(pool.indexOf(0x3FFF_FFFFL)).isEqualTo(PacketBufferPool.NONE);
    }

    @Test
    void shouldHandOutEveryBufferOnceAndReturnNoneWhenEmpty() {
        PacketBufferPool pool = new PacketBufferPool(region);
        int[] got = new int[8];
        assertThat(pool.allocate()).isZero();
        assertThat(pool.allocate(got, 0, 10)).isEqualTo(7);
        assertThat(got).startsWith(1, 2, 3, 4, 5, 6, 7);
        assertThat(pool.available()).isZero();
        assertThat(pool.allocate()).isEqualTo(PacketBufferPool.NONE);
        assertThat(pool.allocate(got, 0, 4)).isZero();

        pool.free(got, 0, 7);
        pool.free(0);
        assertThat(pool.available()).isEqualTo(8);
    }

    @Test
    void shouldCatchDoubleFreeAndForeignIndexesWithFastPathChecks() {
        PacketBufferPool pool = new PacketBufferPool(region);
        int b = pool.allocate();
        pool.free(b);
        assertThatThrownBy(() -> pool.free(b)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("freed twice").hasMessageContaining("index=0");
        assertThatThrownBy(() -> pool.free(8)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("index=8");
    }

    @Test
    void shouldRejectBufferSizesTheDeviceCannotUseAndRegionsTooSmall() {
        assertThatThrownBy(() -> new PacketBufferPool(region, 1536, 4)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("bufferSize=1536");
        assertThatThrownBy(() -> new PacketBufferPool(region, 2048, 9)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("capacity=9");
    }

    @Test
    void shouldRejectARegionAtIovaZero() {
        try (ArenaDmaRegion zero = new ArenaDmaRegion("rx-buffers", 4096, 4096, 0)) {
            assertThatThrownBy(() -> new PacketBufferPool(zero)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("IOVA 0");
        }
    }
}

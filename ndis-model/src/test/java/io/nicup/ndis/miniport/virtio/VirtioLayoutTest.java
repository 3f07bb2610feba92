package io.nicup.ndis.miniport.virtio;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import org.junit.jupiter.api.Test;

/** Every layout against the byte offsets of the virtio 1.2 structs (docs/hardware-reference.md C.1, C.2, C.5, C.6). */
class VirtioLayoutTest {

    @Test
    void commonCfgHasTheSpecOffsetsAndIs56Bytes() {
        assertThat(new int[] {CommonCfg.DEVICE_FEATURE_SELECT, CommonCfg.DEVICE_FEATURE, CommonCfg.DRIVER_FEATURE_SELECT,
            CommonCfg.DRIVER_FEATURE, CommonCfg.CONFIG_MSIX_VECTOR, CommonCfg.NUM_QUEUES, CommonCfg.DEVICE_STATUS,
            CommonCfg.CONFIG_GENERATION, CommonCfg.QUEUE_SELECT, CommonCfg.QUEUE_SIZE, CommonCfg.QUEUE_MSIX_VECTOR,
            CommonCfg.QUEUE_ENABLE, CommonCfg.QUEUE_NOTIFY_OFF, CommonCfg.QUEUE_DESC, CommonCfg.QUEUE_DRIVER,
            CommonCfg.QUEUE_DEVICE})
                .containsExactly(0, 4, 8, 12, 16, 18, 20, 21, 22, 24, 26, 28, 30, 32, 40, 48);
        assertThat(CommonCfg.SIZE).isEqualTo(56);
    }

    @Test
    void pciCapHasTheSpecOffsetsAndTheNotifyCapIs20Bytes() {
        assertThat(VirtioPciCap.LAYOUT.byteSize()).isEqualTo(16);
        assertThat(new int[] {VirtioPciCap.CAP_NEXT, VirtioPciCap.CAP_LEN, VirtioPciCap.CFG_TYPE, VirtioPciCap.BAR,
            VirtioPciCap.OFFSET, VirtioPciCap.LENGTH, VirtioPciCap.NOTIFY_OFF_MULTIPLIER})
                .containsExactly(1, 2, 3, 4, 8, 12, 16);
        assertThat(VirtioPciCap.NOTIFY_CAP_LEN).isEqualTo(20);
    }

    @Test
    void netHeaderIs12BytesWithNumBuffersLast() {
        assertThat(NetHeader.BYTES).isEqualTo(12);
        assertThat(NetHeader.NUM_BUFFERS).isEqualTo(10);
        assertThat(new int[] {NetConfig.MAC, NetConfig.STATUS, NetConfig.MAX_VIRTQUEUE_PAIRS, NetConfig.MTU})
                .containsExactly(0, 6, 8, 10);
    }

    @Test
    void virtqPartsHaveTheSpecSizesAndAlignments() {
        assertThat(Virtq.DESC_BYTES).isEqualTo(16);
        assertThat(Virtq.DESC.byteOffset(java.lang.foreign.MemoryLayout.PathElement.groupElement("len"))).isEqualTo(8);
        assertThat(Virtq.DESC.byteOffset(java.lang.foreign.MemoryLayout.PathElement.groupElement("flags"))).isEqualTo(12);
        assertThat(Virtq.DESC.byteOffset(java.lang.foreign.MemoryLayout.PathElement.groupElement("next"))).isEqualTo(14);
        assertThat(Virtq.USED_ELEM_BYTES).isEqualTo(8);
        assertThat(Virtq.AVAIL_RING).isEqualTo(4);
        // qsz 256: desc 4096, avail 6 + 512 = 518 at 4096, used 6 + 2048 = 2054 at align4(4614) = 4616
        assertThat(Virtq.availOffset(256)).isEqualTo(4096);
        assertThat(Virtq.availBytes(256)).isEqualTo(518);
        assertThat(Virtq.usedOffset(256)).isEqualTo(4616);
        assertThat(Virtq.usedBytes(256)).isEqualTo(2054);
        assertThat(Virtq.areaBytes(256)).isEqualTo(6670);
        for (int q = 1; q <= Virtq.MAX_SIZE; q <<= 1) {
            assertThat(Virtq.usedOffset(q) % Virtq.USED_ALIGN).isZero();
            assertThat(Virtq.availOffset(q) % Virtq.AVAIL_ALIGN).isZero();
        }
    }

    @Test
    void aDescriptorIsWrittenLittleEndianWhereTheDeviceReadsIt() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment area = arena.allocate(Virtq.areaBytes(8), 16);
            SplitRing ring = new SplitRing(area, 0x1_0000_0000L, 8);
            ring.setDesc(3, 0x1122_3344_5566_7788L, 0x0A0B0C0D, Virtq.DESC_F_NEXT | Virtq.DESC_F_WRITE, 5);
            var le64 = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
            assertThat(area.get(le64, 48)).isEqualTo(0x1122_3344_5566_7788L);
            assertThat(area.get(ValueLayout.JAVA_BYTE, 48)).isEqualTo((byte) 0x88);
            assertThat(area.get(Virtq.LE32, 56)).isEqualTo(0x0A0B0C0D);
            assertThat(area.get(Virtq.LE16, 60)).isEqualTo((short) 3);
            assertThat(area.get(Virtq.LE16, 62)).isEqualTo((short) 5);
            ring.publish(3);
            assertThat(area.get(Virtq.LE16, Virtq.availOffset(8) + Virtq.AVAIL_IDX)).as("not visible before commit")
                    .isZero();
            ring.commit();
            assertThat(area.get(Virtq.LE16, Virtq.availOffset(8) + Virtq.AVAIL_RING)).isEqualTo((short) 3);
            assertThat(area.get(Virtq.LE16, Virtq.availOffset(8) + Virtq.AVAIL_IDX)).isEqualTo((short) 1);
            assertThat(ring.descIova()).isEqualTo(0x1_0000_0000L);
            assertThat(ring.usedIova()).isEqualTo(0x1_0000_0000L + Virtq.usedOffset(8));
        }
    }

    @Test
    void aRingRefusesASizeThatIsNotAPowerOfTwoOrAMisalignedArea() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment area = arena.allocate(Virtq.areaBytes(256), 16);
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> new SplitRing(area, 0x1000, 100))
                    .hasMessageContaining("power of two");
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> new SplitRing(area, 0x1008, 256))
                    .hasMessageContaining("misaligned");
        }
    }
}

package io.nicup.vfio.linux;

import static java.lang.foreign.MemoryLayout.PathElement.groupElement;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.ValueLayout;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Sizes and offsets against docs/hardware-reference.md A.2 (computed with gcc from linux/vfio.h 6.1), ioctl numbers against A.1. */
class VfioAbiTest {

    private static long off(StructLayout l, String field) {
        return l.byteOffset(groupElement(field));
    }

    @Test
    void ioctlNumbersMatchTheDocumentedTable() {
        assertThat(VfioAbi.VFIO_GET_API_VERSION).isEqualTo(0x3B64);
        assertThat(VfioAbi.VFIO_CHECK_EXTENSION).isEqualTo(0x3B65);
        assertThat(VfioAbi.VFIO_SET_IOMMU).isEqualTo(0x3B66);
        assertThat(VfioAbi.VFIO_GROUP_GET_STATUS).isEqualTo(0x3B67);
        assertThat(VfioAbi.VFIO_GROUP_SET_CONTAINER).isEqualTo(0x3B68);
        assertThat(VfioAbi.VFIO_GROUP_UNSET_CONTAINER).isEqualTo(0x3B69);
        assertThat(VfioAbi.VFIO_GROUP_GET_DEVICE_FD).isEqualTo(0x3B6A);
        assertThat(VfioAbi.VFIO_DEVICE_GET_INFO).isEqualTo(0x3B6B);
        assertThat(VfioAbi.VFIO_DEVICE_GET_REGION_INFO).isEqualTo(0x3B6C);
        assertThat(VfioAbi.VFIO_DEVICE_GET_IRQ_INFO).isEqualTo(0x3B6D);
        assertThat(VfioAbi.VFIO_DEVICE_SET_IRQS).isEqualTo(0x3B6E);
        assertThat(VfioAbi.VFIO_DEVICE_RESET).isEqualTo(0x3B6F);
        assertThat(VfioAbi.VFIO_IOMMU_GET_INFO).isEqualTo(0x3B70);
        assertThat(VfioAbi.VFIO_IOMMU_MAP_DMA).isEqualTo(0x3B71);
        assertThat(VfioAbi.VFIO_IOMMU_UNMAP_DMA).isEqualTo(0x3B72);
    }

    @Test
    void iommuTypeIdsMatchTheHeader() {
        assertThat(VfioAbi.VFIO_TYPE1_IOMMU).isEqualTo(1);
        assertThat(VfioAbi.VFIO_TYPE1v2_IOMMU).isEqualTo(3);
        assertThat(VfioAbi.VFIO_NOIOMMU_IOMMU).isEqualTo(8);
        assertThat(VfioAbi.iommuTypeName(3)).isEqualTo("TYPE1v2");
    }

    @Test
    void groupStatusIsEightBytesWithFlagsAtFour() {
        assertThat(VfioStructs.GROUP_STATUS.byteSize()).isEqualTo(8);
        assertThat(off(VfioStructs.GROUP_STATUS, "argsz")).isZero();
        assertThat(off(VfioStructs.GROUP_STATUS, "flags")).isEqualTo(4);
    }

    @Test
    void deviceInfoIsTwentyBytesAsInThe61Headers() {
        StructLayout l = VfioStructs.DEVICE_INFO;
        assertThat(l.byteSize()).isEqualTo(20);
        assertThat(off(l, "flags")).isEqualTo(4);
        assertThat(off(l, "num_regions")).isEqualTo(8);
        assertThat(off(l, "num_irqs")).isEqualTo(12);
        assertThat(off(l, "cap_offset")).isEqualTo(16);
    }

    @Test
    void regionInfoIsThirtyTwoBytesWithSizeAtSixteenAndOffsetAtTwentyFour() {
        StructLayout l = VfioStructs.REGION_INFO;
        assertThat(l.byteSize()).isEqualTo(32);
        assertThat(off(l, "flags")).isEqualTo(4);
        assertThat(off(l, "index")).isEqualTo(8);
        assertThat(off(l, "cap_offset")).isEqualTo(12);
        assertThat(off(l, "size")).isEqualTo(16);
        assertThat(off(l, "offset")).isEqualTo(24);
    }

    @Test
    void capabilityHeaderAndSparseMmapCapabilityHaveTheHeaderLayout() {
        assertThat(VfioStructs.INFO_CAP_HEADER.byteSize()).isEqualTo(8);
        assertThat(off(VfioStructs.INFO_CAP_HEADER, "id")).isZero();
        assertThat(off(VfioStructs.INFO_CAP_HEADER, "version")).isEqualTo(2);
        assertThat(off(VfioStructs.INFO_CAP_HEADER, "next")).isEqualTo(4);
        assertThat(VfioStructs.REGION_CAP_SPARSE_MMAP_LAYOUT.byteSize()).isEqualTo(16);
        assertThat(off(VfioStructs.REGION_CAP_SPARSE_MMAP_LAYOUT, "nr_areas")).isEqualTo(8);
        assertThat(VfioStructs.SPARSE_MMAP_AREA.byteSize()).isEqualTo(16);
        assertThat(off(VfioStructs.SPARSE_MMAP_AREA, "size")).isEqualTo(8);
    }

    @Test
    void irqInfoIsSixteenBytesAndIrqSetHasItsDataAtTwenty() {
        assertThat(VfioStructs.IRQ_INFO.byteSize()).isEqualTo(16);
        assertThat(off(VfioStructs.IRQ_INFO, "index")).isEqualTo(8);
        assertThat(off(VfioStructs.IRQ_INFO, "count")).isEqualTo(12);
        assertThat(VfioStructs.IRQ_SET.byteSize()).isEqualTo(20);
        assertThat(off(VfioStructs.IRQ_SET, "start")).isEqualTo(12);
        assertThat(off(VfioStructs.IRQ_SET, "count")).isEqualTo(16);
    }

    @Test
    void iommuType1InfoIsTwentyFourBytesWithPaddingAfterCapOffset() {
        StructLayout l = VfioStructs.IOMMU_TYPE1_INFO;
        assertThat(l.byteSize()).isEqualTo(24);
        assertThat(off(l, "iova_pgsizes")).isEqualTo(8);
        assertThat(off(l, "cap_offset")).isEqualTo(16);
        assertThat(VfioStructs.IOMMU_CAP_IOVA_RANGE_LAYOUT.byteSize()).isEqualTo(16);
        assertThat(off(VfioStructs.IOMMU_CAP_IOVA_RANGE_LAYOUT, "nr_iovas")).isEqualTo(8);
        assertThat(VfioStructs.IOVA_RANGE.byteSize()).isEqualTo(16);
        assertThat(off(VfioStructs.IOMMU_CAP_DMA_AVAIL_LAYOUT, "avail")).isEqualTo(8);
        assertThat(VfioStructs.IOMMU_CAP_DMA_AVAIL_LAYOUT.byteSize()).isEqualTo(12);
    }

    @Test
    void dmaMapIsThirtyTwoBytesAndDmaUnmapTwentyFour() {
        assertThat(VfioStructs.DMA_MAP.byteSize()).isEqualTo(32);
        assertThat(off(VfioStructs.DMA_MAP, "vaddr")).isEqualTo(8);
        assertThat(off(VfioStructs.DMA_MAP, "iova")).isEqualTo(16);
        assertThat(off(VfioStructs.DMA_MAP, "size")).isEqualTo(24);
        assertThat(VfioStructs.DMA_UNMAP.byteSize()).isEqualTo(24);
        assertThat(off(VfioStructs.DMA_UNMAP, "iova")).isEqualTo(8);
        assertThat(off(VfioStructs.DMA_UNMAP, "size")).isEqualTo(16);
    }

    @Test
    void unmapFlagBitZeroIsDirtyBitmapNotRead() {
        assertThat(VfioAbi.DMA_UNMAP_FLAG_GET_DIRTY_BITMAP).isEqualTo(1);
        assertThat(VfioAbi.DMA_MAP_FLAG_READ).isEqualTo(1);
    }

    @Test
    void regionInfoWithASparseMmapCapabilityParsesItsAreas() {
        try (Arena a = Arena.ofConfined()) {
            // fixed part 32 bytes, then a TYPE cap (id 2, 16 bytes) at 32 chaining to SPARSE_MMAP at 48
            MemorySegment buf = a.allocate(48 + 16 + 2 * 16, 8);
            VfioStructs.REGION_INFO_ARGSZ.set(buf, 0L, (int) buf.byteSize());
            VfioStructs.REGION_INFO_FLAGS.set(buf, 0L, 1 | 2 | 4 | 8);
            VfioStructs.REGION_INFO_INDEX.set(buf, 0L, 3);
            VfioStructs.REGION_INFO_CAP_OFFSET.set(buf, 0L, 32);
            VfioStructs.REGION_INFO_SIZE.set(buf, 0L, 0x4000L);
            VfioStructs.REGION_INFO_OFFSET.set(buf, 0L, 3L << 40);
            VfioStructs.CAP_ID.set(buf, 32L, (short) 2);
            VfioStructs.CAP_NEXT.set(buf, 32L, 48);
            VfioStructs.CAP_ID.set(buf, 48L, (short) 1);
            VfioStructs.CAP_NEXT.set(buf, 48L, 0);
            VfioStructs.SPARSE_NR_AREAS.set(buf, 48L, 2);
            VfioStructs.SPARSE_AREA_OFFSET.set(buf, 64L, 0L);
            VfioStructs.SPARSE_AREA_SIZE.set(buf, 64L, 0x1000L);
            VfioStructs.SPARSE_AREA_OFFSET.set(buf, 80L, 0x3000L);
            VfioStructs.SPARSE_AREA_SIZE.set(buf, 80L, 0x1000L);

            RegionInfo r = VfioInfoBuffers.parseRegionInfo(buf);

            assertThat(r.index()).isEqualTo(3);
            assertThat(r.size()).isEqualTo(0x4000);
            assertThat(r.offset()).isEqualTo(3L << 40);
            assertThat(r.capabilityIds()).containsExactly(2, 1);
            assertThat(r.hasSparseMmap()).isTrue();
            assertThat(r.sparseAreas()).containsExactly(new SparseArea(0, 0x1000), new SparseArea(0x3000, 0x1000));
            assertThat(r.name()).isEqualTo("BAR3");
        }
    }

    @Test
    void iommuInfoParsesPageSizesIovaRangesAndDmaAvail() {
        try (Arena a = Arena.ofConfined()) {
            // 24 fixed, IOVA_RANGE at 24 (16 + 2 ranges of 16), DMA_AVAIL at 72 (12, padded to 16)
            MemorySegment buf = a.allocate(88, 8);
            VfioStructs.IOMMU_INFO_FLAGS.set(buf, 0L, 3);
            VfioStructs.IOMMU_INFO_PGSIZES.set(buf, 0L, 0x4020_1000L);
            VfioStructs.IOMMU_INFO_CAP_OFFSET.set(buf, 0L, 24);
            VfioStructs.CAP_ID.set(buf, 24L, (short) 1);
            VfioStructs.CAP_NEXT.set(buf, 24L, 72);
            VfioStructs.IOVA_RANGE_NR_IOVAS.set(buf, 24L, 2);
            VfioStructs.IOVA_RANGE_START.set(buf, 40L, 0L);
            VfioStructs.IOVA_RANGE_END.set(buf, 40L, 0xFEDF_FFFFL);
            VfioStructs.IOVA_RANGE_START.set(buf, 56L, 0xFEF0_0000L);
            VfioStructs.IOVA_RANGE_END.set(buf, 56L, (1L << 48) - 1);
            VfioStructs.CAP_ID.set(buf, 72L, (short) 3);
            VfioStructs.DMA_AVAIL_AVAIL.set(buf, 72L, 65535);

            IommuInfo info = VfioInfoBuffers.parseIommuInfo(buf);

            assertThat(info.minPageSize()).isEqualTo(4096);
            assertThat(info.ranges()).containsExactly(new IovaRange(0, 0xFEDF_FFFFL),
                    new IovaRange(0xFEF0_0000L, (1L << 48) - 1));
            assertThat(info.dmaAvailable()).isEqualTo(65535);
            assertThat(info.toString()).contains("page_sizes=4K,2M,1G").contains("dma_avail=65535");
        }
    }

    @Test
    void iommuInfoParsesRangesThatTheKernelPacksAtAnOffsetThatIsNotEightByteAligned() {
        // As a 6.1 kernel returns it in the QEMU guest: MIGRATION (32 bytes) at 24, DMA_AVAIL (12) at 56,
        // IOVA_RANGE at 68 with its u64 ranges from 84: 116 bytes in all.
        try (Arena a = Arena.ofConfined()) {
            MemorySegment buf = a.allocate(116, 8);
            VfioStructs.IOMMU_INFO_FLAGS.set(buf, 0L, 3);
            VfioStructs.IOMMU_INFO_PGSIZES.set(buf, 0L, 0x4020_1000L);
            VfioStructs.IOMMU_INFO_CAP_OFFSET.set(buf, 0L, 24);
            VfioStructs.CAP_ID.set(buf, 24L, (short) 2);
            VfioStructs.CAP_NEXT.set(buf, 24L, 56);
            VfioStructs.CAP_ID.set(buf, 56L, (short) 3);
            VfioStructs.CAP_NEXT.set(buf, 56L, 68);
            VfioStructs.DMA_AVAIL_AVAIL.set(buf, 56L, 65000);
            VfioStructs.CAP_ID.set(buf, 68L, (short) 1);
            VfioStructs.IOVA_RANGE_NR_IOVAS.set(buf, 68L, 2);
            buf.set(java.lang.foreign.ValueLayout.JAVA_LONG_UNALIGNED, 84, 0L);
            buf.set(java.lang.foreign.ValueLayout.JAVA_LONG_UNALIGNED, 92, 0xFEDF_FFFFL);
            buf.set(java.lang.foreign.ValueLayout.JAVA_LONG_UNALIGNED, 100, 0xFEF0_0000L);
            buf.set(java.lang.foreign.ValueLayout.JAVA_LONG_UNALIGNED, 108, (1L << 39) - 1);

            IommuInfo info = VfioInfoBuffers.parseIommuInfo(buf);

            assertThat(info.ranges()).containsExactly(new IovaRange(0, 0xFEDF_FFFFL),
                    new IovaRange(0xFEF0_0000L, (1L << 39) - 1));
            assertThat(info.dmaAvailable()).isEqualTo(65000);
        }
    }

    @Test
    void iommuInfoWithoutCapabilitiesCoversTheWholeSpaceAndSaysAvailIsUnknown() {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment buf = a.allocate(24, 8);
            VfioStructs.IOMMU_INFO_FLAGS.set(buf, 0L, 1);
            VfioStructs.IOMMU_INFO_PGSIZES.set(buf, 0L, 0x1000L);
            IommuInfo info = VfioInfoBuffers.parseIommuInfo(buf);
            assertThat(info.ranges()).containsExactly(new IovaRange(0, -1L));
            assertThat(info.dmaAvailable()).isEqualTo(-1);
        }
    }

    @Test
    void aCapabilityChainThatLoopsIsRejectedInsteadOfWalkedForever() {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment buf = a.allocate(64, 8);
            VfioStructs.REGION_INFO_FLAGS.set(buf, 0L, 8);
            VfioStructs.REGION_INFO_CAP_OFFSET.set(buf, 0L, 32);
            VfioStructs.CAP_ID.set(buf, 32L, (short) 2);
            VfioStructs.CAP_NEXT.set(buf, 32L, 32);
            assertThatThrownBy(() -> VfioInfoBuffers.parseRegionInfo(buf)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("malformed VFIO capability chain");
        }
    }

    @Test
    void aSparseCapabilityClaimingMoreAreasThanTheBufferHoldsIsRejected() {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment buf = a.allocate(48, 8);
            VfioStructs.REGION_INFO_FLAGS.set(buf, 0L, 8);
            VfioStructs.REGION_INFO_CAP_OFFSET.set(buf, 0L, 32);
            VfioStructs.CAP_ID.set(buf, 32L, (short) 1);
            VfioStructs.SPARSE_NR_AREAS.set(buf, 32L, 1000);
            assertThatThrownBy(() -> VfioInfoBuffers.parseRegionInfo(buf)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("nr_areas=1000");
        }
    }

    @Test
    void irqSetCarriesTheEventfdsAfterTheFixedPart() {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment s = VfioInfoBuffers.irqSet(a, 2, VfioAbi.IRQ_SET_DATA_EVENTFD | VfioAbi.IRQ_SET_ACTION_TRIGGER, 0, 3,
                    new int[] {7, 8, -1});
            assertThat(s.byteSize()).isEqualTo(32);
            assertThat((int) VfioStructs.IRQ_SET_ARGSZ.get(s, 0L)).isEqualTo(32);
            assertThat((int) VfioStructs.IRQ_SET_FLAGS.get(s, 0L)).isEqualTo(0x24);
            assertThat((int) VfioStructs.IRQ_SET_INDEX.get(s, 0L)).isEqualTo(2);
            assertThat((int) VfioStructs.IRQ_SET_COUNT.get(s, 0L)).isEqualTo(3);
            assertThat(List.of(s.get(ValueLayout.JAVA_INT, 20), s.get(ValueLayout.JAVA_INT, 24),
                    s.get(ValueLayout.JAVA_INT, 28))).containsExactly(7, 8, -1);
        }
    }

    @Test
    void regionAndIrqIndexesHaveTheirHeaderNames() {
        assertThat(VfioAbi.PCI_CONFIG_REGION_INDEX).isEqualTo(7);
        assertThat(VfioAbi.regionName(7)).isEqualTo("CONFIG");
        assertThat(VfioAbi.regionName(6)).isEqualTo("ROM");
        assertThat(VfioAbi.irqName(VfioAbi.PCI_MSIX_IRQ_INDEX)).isEqualTo("MSIX");
        assertThat(VfioAbi.PCI_MSIX_IRQ_INDEX).isEqualTo(2);
    }
}

package io.nicup.vfio.linux;

import java.util.List;

/**
 * {@code struct vfio_iommu_type1_info} with its capabilities, as returned by {@code VFIO_IOMMU_GET_INFO}.
 *
 * @param flags PGSIZES 1, CAPS 2
 * @param pageSizes bitmap of the IOMMU page sizes ({@code iova_pgsizes}); the lowest set bit is the smallest
 * @param ranges the valid IOVA ranges (capability IOVA_RANGE, id 1); when the kernel gives none, one range
 *     over the whole 64-bit space
 * @param dmaAvailable how many more DMA mappings the container accepts (capability DMA_AVAIL, id 3), or
 *     -1 when the kernel does not say
 */
public record IommuInfo(int flags, long pageSizes, List<IovaRange> ranges, int dmaAvailable) {

    public IommuInfo {
        ranges = List.copyOf(ranges);
    }

    /** The smallest IOMMU page size: every IOVA, size and address must be a multiple of it (docs/hardware-reference.md A.5). */
    public long minPageSize() {
        return pageSizes == 0 ? 4096 : Long.lowestOneBit(pageSizes);
    }

    @Override
    public String toString() {
        StringBuilder sizes = new StringBuilder();
        for (int bit = 0; bit < 64; bit++) {
            if ((pageSizes & (1L << bit)) != 0) {
                if (!sizes.isEmpty()) {
                    sizes.append(',');
                }
                long s = 1L << bit;
                sizes.append(s >= 1L << 30 ? (s >> 30) + "G" : s >= 1L << 20 ? (s >> 20) + "M" : (s >> 10) + "K");
            }
        }
        return "page_sizes=" + sizes + " iova_ranges=" + ranges + " dma_avail="
                + (dmaAvailable < 0 ? "unknown" : Integer.toString(dmaAvailable));
    }
}

package io.nicup.vfio.linux;

import io.nicup.vfio.DeviceAccessException;
import io.nicup.vfio.DeviceAccessException.Reason;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Hands out I/O virtual addresses for DMA mappings: inside the IOMMU's valid IOVA ranges, aligned to at
 * least its smallest page size, never more live mappings than the container accepts ({@code dma_avail}),
 * and lowest address first, so that allocations stay below 2^39 when they can (IOMMUs with a narrow
 * address width, as ixy.rs PR #26 found; below {@link #PREFERRED_LIMIT}). IOVAs below {@link #FLOOR}
 * are never used, so that a zero (or small) address in a descriptor is a visible bug rather than a DMA
 * into live memory. Thread-safe.
 */
public final class IovaAllocator {

    /** The lowest IOVA handed out (docs/hardware-reference.md E used 0x100000). */
    public static final long FLOOR = 0x10_0000;
    /** Allocations go here first: 39 bits covers every IOMMU seen in the field. */
    public static final long PREFERRED_LIMIT = 1L << 39;

    private final RangeAllocator space = new RangeAllocator();
    private final long pageSize;
    private final int mappingLimit;
    private final Map<Long, Long> live = new HashMap<>();
    private final List<IovaRange> ranges;

    /**
     * @param ranges valid ranges, inclusive ends, unsigned (as the IOVA_RANGE capability gives them)
     * @param pageSize the IOMMU's smallest page size, a power of two
     * @param mappingLimit how many mappings may be live at once; negative for no limit
     */
    public IovaAllocator(List<IovaRange> ranges, long pageSize, int mappingLimit) {
        if (pageSize <= 0 || Long.bitCount(pageSize) != 1) {
            throw new IllegalArgumentException("page size must be a power of two: pageSize=" + pageSize);
        }
        this.pageSize = pageSize;
        this.mappingLimit = mappingLimit < 0 ? Integer.MAX_VALUE : mappingLimit;
        this.ranges = List.copyOf(ranges);
        for (IovaRange r : ranges) {
            if (r.start() < 0) {
                continue; // starts above 2^63: not used
            }
            long start = RangeAllocator.alignUp(Math.max(r.start(), FLOOR), pageSize);
            // inclusive end, unsigned; clamp to the signed range and make it exclusive
            long endInclusive = r.end() < 0 ? Long.MAX_VALUE - 1 : Math.min(r.end(), Long.MAX_VALUE - 1);
            long end = (endInclusive + 1) & -pageSize;
            if (start >= 0 && end > start) {
                space.addFree(start, end);
            }
        }
    }

    public static IovaAllocator forIommu(IommuInfo info) {
        return new IovaAllocator(info.ranges(), info.minPageSize(), info.dmaAvailable());
    }

    /**
     * Takes an IOVA range for a mapping of {@code size} bytes.
     *
     * @param alignment a power of two; raised to the page size if smaller
     * @throws DeviceAccessException {@code RESOURCE_LIMIT} when the mapping count or the IOVA space is exhausted
     */
    public synchronized long allocate(long size, long alignment) {
        if (size <= 0 || alignment <= 0 || Long.bitCount(alignment) != 1) {
            throw new DeviceAccessException(Reason.INVALID_ARGUMENT,
                    "bad IOVA request: size=" + size + " alignment=" + alignment,
                    "size must be positive and alignment a power of two");
        }
        if (live.size() >= mappingLimit) {
            throw new DeviceAccessException(Reason.RESOURCE_LIMIT, "DMA mapping limit reached: live_mappings="
                    + live.size() + " limit=" + mappingLimit,
                    "raise the vfio_iommu_type1 module parameter dma_entry_limit, or allocate fewer, larger regions");
        }
        long rounded = RangeAllocator.alignUp(size, pageSize);
        long iova = space.allocate(rounded, Math.max(alignment, pageSize));
        if (iova == RangeAllocator.NO_SPACE) {
            throw new DeviceAccessException(Reason.RESOURCE_LIMIT, String.format(
                    "IOVA space exhausted: size=0x%x largest_free=0x%x ranges=%s", rounded, space.largestFree(), ranges),
                    "free DMA regions that are no longer needed, or allocate smaller ones");
        }
        live.put(iova, rounded);
        return iova;
    }

    /** Returns the range starting at {@code iova}, which {@link #allocate} handed out. */
    public synchronized void free(long iova) {
        Long size = live.remove(iova);
        if (size == null) {
            throw new IllegalStateException(String.format("IOVA 0x%x was not allocated (double free?)", iova));
        }
        space.free(iova, size);
    }

    public long pageSize() {
        return pageSize;
    }

    public synchronized int liveMappings() {
        return live.size();
    }

    public synchronized long freeBytes() {
        return space.freeBytes();
    }

    public int mappingLimit() {
        return mappingLimit;
    }
}

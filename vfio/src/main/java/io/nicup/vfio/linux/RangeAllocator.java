package io.nicup.vfio.linux;

import java.util.Map;
import java.util.TreeMap;

/**
 * First-fit allocation of aligned sub-ranges from a set of free half-open ranges {@code [start, end)},
 * lowest address first, with coalescing on free. Addresses are non-negative longs. Not thread-safe.
 * Used for IOVA space ({@link IovaAllocator}) and for carving small DMA regions out of a page.
 */
final class RangeAllocator {

    /** Returned by {@link #allocate} when no free range fits. */
    static final long NO_SPACE = -1;

    private final TreeMap<Long, Long> free = new TreeMap<>();

    /** Adds {@code [start, end)} to the free space; it must not overlap free space already there. */
    void addFree(long start, long end) {
        if (end > start) {
            release(start, end);
        }
    }

    /**
     * The lowest {@code alignment}-aligned address with {@code size} free bytes, now taken; or
     * {@link #NO_SPACE}.
     *
     * @param alignment a power of two
     */
    long allocate(long size, long alignment) {
        if (size <= 0 || alignment <= 0 || Long.bitCount(alignment) != 1) {
            throw new IllegalArgumentException("size=" + size + " alignment=" + alignment);
        }
        for (Map.Entry<Long, Long> e : free.entrySet()) {
            long start = e.getKey();
            long end = e.getValue();
            long aligned = alignUp(start, alignment);
            if (aligned < start || aligned >= end || end - aligned < size) {
                continue;
            }
            free.remove(start);
            if (aligned > start) {
                free.put(start, aligned);
            }
            if (aligned + size < end) {
                free.put(aligned + size, end);
            }
            return aligned;
        }
        return NO_SPACE;
    }

    /** Returns {@code [start, start + size)} to the free space. */
    void free(long start, long size) {
        release(start, start + size);
    }

    private void release(long start, long end) {
        Map.Entry<Long, Long> below = free.floorEntry(start);
        if (below != null && below.getValue() > start) {
            throw new IllegalStateException(String.format("double free: [0x%x,0x%x) overlaps free [0x%x,0x%x)", start,
                    end, below.getKey(), below.getValue()));
        }
        Map.Entry<Long, Long> above = free.ceilingEntry(start);
        if (above != null && above.getKey() < end) {
            throw new IllegalStateException(String.format("double free: [0x%x,0x%x) overlaps free [0x%x,0x%x)", start,
                    end, above.getKey(), above.getValue()));
        }
        long s = start;
        long e = end;
        if (below != null && below.getValue() == start) {
            s = below.getKey();
            free.remove(below.getKey());
        }
        if (above != null && above.getKey() == end) {
            e = above.getValue();
            free.remove(above.getKey());
        }
        free.put(s, e);
    }

    long freeBytes() {
        long sum = 0;
        for (Map.Entry<Long, Long> e : free.entrySet()) {
            sum += e.getValue() - e.getKey();
        }
        return sum;
    }

    long largestFree() {
        long max = 0;
        for (Map.Entry<Long, Long> e : free.entrySet()) {
            max = Math.max(max, e.getValue() - e.getKey());
        }
        return max;
    }

    /** Whether {@code [start, start + size)} is entirely free. */
    boolean isFree(long start, long size) {
        Map.Entry<Long, Long> e = free.floorEntry(start);
        return e != null && e.getValue() - start >= size;
    }

    static long alignUp(long value, long alignment) {
        return (value + alignment - 1) & -alignment;
    }
}

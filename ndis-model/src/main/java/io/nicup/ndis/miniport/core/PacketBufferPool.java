package io.nicup.ndis.miniport.core;

import io.nicup.vfio.DmaRegion;
import java.lang.foreign.MemorySegment;

/**
 * Fixed-size packet buffers carved out of one {@link DmaRegion}, handed out by index from a free stack.
 * Buffer {@code i} occupies bytes {@code [i * bufferSize, (i + 1) * bufferSize)} of the region; its
 * device address is {@link #iova(int)} and its CPU view {@link #segment(int)}, a slice made once at
 * construction. Allocating and freeing touch only an {@code int[]}: nothing is allocated per packet.
 *
 * <p>The pool does not own the region: whoever allocated it closes it, after the rings using the
 * buffers have been stopped. Not thread-safe: one pool per queue pair (or external locking).
 */
public final class PacketBufferPool {

    /** Buffer size the driver uses by default; ixy's too. An RCTL buffer size of both Intel chips. */
    public static final int DEFAULT_BUFFER_SIZE = 2048;
    /** Returned by {@link #allocate()} when the pool is empty. */
    public static final int NONE = -1;

    private static final int MIN_BUFFER_SIZE = 256;
    private static final int MAX_BUFFER_SIZE = 16384;

    private final DmaRegion region;
    private final long baseIova;
    private final int bufferSize;
    private final int shift;
    private final int capacity;
    private final MemorySegment[] segments;
    private final int[] stack;
    private int top;
    /** Only maintained with {@link FastPathChecks#ENABLED}: which buffers are in the pool. */
    private final boolean[] inPool;

    /** A pool of {@link #DEFAULT_BUFFER_SIZE}-byte buffers filling {@code region}. */
    public PacketBufferPool(DmaRegion region) {
        this(region, DEFAULT_BUFFER_SIZE, (int) Math.min(Integer.MAX_VALUE, region.size() / DEFAULT_BUFFER_SIZE));
    }

    /**
     * @param bufferSize a power of two from 256 to 16384 (the range of the Intel chips' RCTL/SRRCTL buffer sizes)
     * @param capacity number of buffers, at least 1; {@code capacity * bufferSize} must fit in the region
     */
    public PacketBufferPool(DmaRegion region, int bufferSize, int capacity) {
        if (bufferSize < MIN_BUFFER_SIZE || bufferSize > MAX_BUFFER_SIZE || Integer.bitCount(bufferSize) != 1) {
            throw new IllegalArgumentException("buffer size must be a power of two from " + MIN_BUFFER_SIZE + " to "
                    + MAX_BUFFER_SIZE + ": bufferSize=" + bufferSize);
        }
        if (capacity < 1 || (long) capacity * bufferSize > region.size()) {
            throw new IllegalArgumentException("buffers do not fit the DMA region: capacity=" + capacity + ", bufferSize="
                    + bufferSize + ", size=" + region.size() + ", region=" + region.purpose());
        }
        if (region.iova() == 0) {
            // The device skips an RX descriptor whose buffer address is 0 (docs/hardware-reference.md B.4).
            throw new IllegalArgumentException("buffer region at IOVA 0: the 82574L treats buffer address 0 as no buffer: region="
                    + region.purpose());
        }
        this.region = region;
        this.baseIova = region.iova();
        this.bufferSize = bufferSize;
        this.shift = Integer.numberOfTrailingZeros(bufferSize);
        this.capacity = capacity;
        this.segments = new MemorySegment[capacity];
        this.stack = new int[capacity];
        this.inPool = new boolean[FastPathChecks.ENABLED ? capacity : 0];
        MemorySegment memory = region.segment();
        for (int i = 0; i < capacity; i++) {
            segments[i] = memory.asSlice((long) i << shift, bufferSize);
            // Lowest index on top: buffers are handed out in address order from a fresh pool.
            stack[i] = capacity - 1 - i;
            if (FastPathChecks.ENABLED) {
                inPool[i] = true;
            }
        }
        this.top = capacity;
    }

    /** One free buffer's index, or {@link #NONE} when the pool is empty. */
    public int allocate() {
        if (top == 0) {
            return NONE;
        }
        int index = stack[--top];
        if (FastPathChecks.ENABLED) {
            inPool[index] = false;
        }
        return index;
    }

    /** Up to {@code max} buffers into {@code indexes[offset..]}; returns how many (0 when empty). */
    public int allocate(int[] indexes, int offset, int max) {
        int n = Math.min(max, top);
        int t = top;
        for (int i = 0; i < n; i++) {
            int index = stack[--t];
            indexes[offset + i] = index;
            if (FastPathChecks.ENABLED) {
                inPool[index] = false;
            }
        }
        top = t;
        return n;
    }

    /** Gives buffer {@code index} back. */
    public void free(int index) {
        if (FastPathChecks.ENABLED) {
            checkFree(index);
        }
        stack[top++] = index;
    }

    /** Gives {@code count} buffers back from {@code indexes[offset..]}. */
    public void free(int[] indexes, int offset, int count) {
        int t = top;
        for (int i = 0; i < count; i++) {
            int index = indexes[offset + i];
            if (FastPathChecks.ENABLED) {
                checkFree(index);
            }
            stack[t++] = index;
        }
        top = t;
    }

    private void checkFree(int index) {
        if (index < 0 || index >= capacity) {
            throw new IllegalArgumentException("not a buffer of this pool: index=" + index + ", capacity=" + capacity
                    + ", region=" + region.purpose());
        }
        if (inPool[index]) {
            throw new IllegalStateException("buffer freed twice: index=" + index + ", region=" + region.purpose());
        }
        inPool[index] = true;
    }

    /** The device address of buffer {@code index}. */
    public long iova(int index) {
        if (FastPathChecks.ENABLED && (index < 0 || index >= capacity)) {
            throw new IllegalArgumentException("not a buffer of this pool: index=" + index + ", capacity=" + capacity);
        }
        return baseIova + ((long) index << shift);
    }

    /** The CPU view of buffer {@code index} ({@link #bufferSize()} bytes), made once. */
    public MemorySegment segment(int index) {
        return segments[index];
    }

    /**
     * The index of the buffer at device address {@code iova} (any address inside the buffer), or
     * {@link #NONE} when it is not in this pool: for fault checks on addresses a device reports.
     */
    public int indexOf(long iova) {
        long offset = iova - baseIova;
        if (offset < 0 || offset >= (long) capacity << shift) {
            return NONE;
        }
        return (int) (offset >>> shift);
    }

    public int bufferSize() {
        return bufferSize;
    }

    /** Number of buffers in the pool, free or not. */
    public int capacity() {
        return capacity;
    }

    /** Number of free buffers. */
    public int available() {
        return top;
    }

    public DmaRegion region() {
        return region;
    }

    @Override
    public String toString() {
        return "PacketBufferPool[region=" + region.purpose() + ", bufferSize=" + bufferSize + ", capacity=" + capacity
                + ", available=" + top + "]";
    }
}

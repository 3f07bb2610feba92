package io.nicup.ndis.miniport.i82574;

import io.nicup.vfio.DmaRegion;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/**
 * A {@link DmaRegion} for tests: zeroed native memory from its own arena, with a made-up IOVA that is
 * deliberately different from the CPU address (so a driver that confuses the two is caught).
 */
final class ArenaDmaRegion implements DmaRegion {

    private final Arena arena = Arena.ofShared();
    private final MemorySegment segment;
    private final long iova;
    private final String purpose;
    private boolean closed;

    ArenaDmaRegion(String purpose, long size, long alignment, long iova) {
        this.segment = arena.allocate(size, alignment);
        this.segment.fill((byte) 0);
        this.iova = iova;
        this.purpose = purpose;
    }

    @Override
    public MemorySegment segment() {
        return segment;
    }

    @Override
    public long iova() {
        return iova;
    }

    @Override
    public long size() {
        return segment.byteSize();
    }

    @Override
    public String purpose() {
        return purpose;
    }

    /** The CPU view of {@code length} bytes at device address {@code address}, or null outside the region. */
    MemorySegment atIova(long address, long length) {
        long offset = address - iova;
        if (offset < 0 || offset + length > segment.byteSize()) {
            return null;
        }
        return segment.asSlice(offset, length);
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            arena.close();
        }
    }
}

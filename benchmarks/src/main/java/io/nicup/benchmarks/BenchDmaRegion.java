package io.nicup.benchmarks;

import io.nicup.vfio.DmaRegion;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/** Zeroed native memory standing in for DMA memory; the IOVA is the virtual address (as in ixy with VFIO). */
final class BenchDmaRegion implements DmaRegion {

    private final MemorySegment segment;
    private final String purpose;

    BenchDmaRegion(Arena arena, String purpose, long size, long alignment) {
        this.segment = arena.allocate(size, alignment);
        this.segment.fill((byte) 0);
        this.purpose = purpose;
    }

    @Override
    public MemorySegment segment() {
        return segment;
    }

    @Override
    public long iova() {
        return segment.address();
    }

    @Override
    public long size() {
        return segment.byteSize();
    }

    @Override
    public String purpose() {
        return purpose;
    }

    @Override
    public void close() {
        // The fixture's arena owns the memory.
    }
}

package io.nicup.ndis.miniport.core;

import io.nicup.ndis.adapter.SharedMemory;
import io.nicup.vfio.DmaRegion;
import java.lang.foreign.MemorySegment;

/**
 * A non-owning {@link DmaRegion} view of NDIS shared memory, for the rings and the buffer pools of the
 * miniports: they are written against {@link DmaRegion}, while an NDIS miniport gets its DMA memory from
 * NdisMAllocateSharedMemory and must give it back with NdisMFreeSharedMemory.
 */
public final class SharedMemoryRegion implements DmaRegion {

    private final SharedMemory memory;

    public SharedMemoryRegion(SharedMemory memory) {
        this.memory = memory;
    }

    @Override
    public MemorySegment segment() {
        return memory.segment();
    }

    @Override
    public long iova() {
        return memory.physicalAddress();
    }

    @Override
    public long size() {
        return memory.length();
    }

    @Override
    public String purpose() {
        return memory.purpose();
    }

    @Override
    public void close() {
        // NdisMFreeSharedMemory frees it.
    }
}

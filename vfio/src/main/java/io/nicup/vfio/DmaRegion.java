package io.nicup.vfio;

import java.lang.foreign.MemorySegment;

/**
 * Memory the device can reach by DMA: pinned, zeroed before the device sees it, and mapped at
 * {@link #iova()} in the device's I/O address space. The region is the single owner of the memory and
 * of its mapping: {@link #close()} unmaps it from the IOMMU and then frees it, after which
 * {@link #segment()} is no longer accessible.
 */
public interface DmaRegion extends AutoCloseable {

    /** The CPU's view of the memory. */
    MemorySegment segment();

    /** The device's view: the address to program into descriptors and ring base registers. */
    long iova();

    /** Bytes usable, at least what was asked for. */
    long size();

    /** What it is for ("tx-ring", "rx-buffers", ...): named in traces and leak reports. */
    String purpose();

    /** Unmaps and frees. Idempotent. */
    @Override
    void close();
}

package io.nicup.ndis.adapter;

import io.nicup.ndis.Ndis;
import io.nicup.ndis.datapath.NetBuffer;
import io.nicup.vfio.DmaRegion;
import java.lang.foreign.MemorySegment;

/**
 * Memory shared between CPU and NIC, from {@link Ndis#NdisMAllocateSharedMemory}: descriptor rings and
 * packet buffers. {@link #segment()} is the CPU's view (VirtualAddress), {@link #physicalAddress()} the
 * device's (PhysicalAddress: the IOVA to program into ring base registers and descriptors). Zeroed when
 * allocated; freed with {@link Ndis#NdisMFreeSharedMemory}, after which the segment is inaccessible.
 */
public final class SharedMemory {

    final MiniportAdapter adapter;
    final DmaRegion region;
    private final boolean cached;
    ResourceLedger.Entry entry;

    SharedMemory(MiniportAdapter adapter, DmaRegion region, boolean cached) {
        this.adapter = adapter;
        this.region = region;
        this.cached = cached;
    }

    public MemorySegment segment() {
        return region.segment();
    }

    public long physicalAddress() {
        return region.iova();
    }

    /** Device address of byte {@code offset}. */
    public long physicalAddress(long offset) {
        if (offset < 0 || offset > region.size()) {
            throw new IndexOutOfBoundsException("offset=" + offset + " length=" + region.size());
        }
        return region.iova() + offset;
    }

    /** A view of part of the memory (for a NET_BUFFER, {@link NetBuffer#attach}). */
    public MemorySegment slice(long offset, long length) {
        return region.segment().asSlice(offset, length);
    }

    public long length() {
        return region.size();
    }

    public boolean cached() {
        return cached;
    }

    public String purpose() {
        return region.purpose();
    }

    @Override
    public String toString() {
        return "SharedMemory{" + purpose() + " " + length() + " bytes @0x" + Long.toHexString(physicalAddress()) + "}";
    }
}

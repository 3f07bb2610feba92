package io.nicup.ndis.miniport.intel;

import io.nicup.vfio.DmaRegion;
import java.lang.foreign.MemorySegment;

/** Validation of descriptor ring geometry shared by {@link TxDescriptorRing} and {@link RxDescriptorRing}. */
public final class RingGeometry {

    private RingGeometry() {
    }

    /** Smallest ring the rings accept. */
    public static final int MIN_DESCRIPTORS = 64;
    /** Largest ring the rings accept. */
    public static final int MAX_DESCRIPTORS = 4096;
    /** Ring base alignment (TDBAL/RDBAL) and length granularity (TDLEN/RDLEN) of the 82574L and the 82576. */
    public static final int RING_ALIGNMENT = 128;

    public static int checkCount(String ring, int count) {
        if (count < MIN_DESCRIPTORS || count > MAX_DESCRIPTORS || Integer.bitCount(count) != 1) {
            throw new IllegalArgumentException("descriptor count must be a power of two from " + MIN_DESCRIPTORS
                    + " to " + MAX_DESCRIPTORS + ": ring=" + ring + ", count=" + count);
        }
        return count;
    }

    /** The first {@code count * 16} bytes of {@code region}, checked for size and alignment. */
    public static MemorySegment ringSegment(String ring, DmaRegion region, int count, int descriptorBytes) {
        long bytes = (long) count * descriptorBytes;
        if (region.size() < bytes) {
            throw new IllegalArgumentException("DMA region too small for the ring: ring=" + ring + ", count=" + count
                    + ", needed=" + bytes + ", size=" + region.size() + ", region=" + region.purpose());
        }
        if ((region.iova() & (RING_ALIGNMENT - 1)) != 0) {
            throw new IllegalArgumentException("ring base must be " + RING_ALIGNMENT + "-byte aligned in IOVA space: ring="
                    + ring + ", iova=0x" + Long.toHexString(region.iova()) + ", region=" + region.purpose());
        }
        MemorySegment segment = region.segment();
        if ((segment.address() & (descriptorBytes - 1)) != 0) {
            throw new IllegalArgumentException("ring memory must be " + descriptorBytes + "-byte aligned: ring=" + ring
                    + ", address=0x" + Long.toHexString(segment.address()) + ", region=" + region.purpose());
        }
        return segment.asSlice(0, bytes);
    }
}

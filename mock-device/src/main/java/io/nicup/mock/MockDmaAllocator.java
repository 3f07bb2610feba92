package io.nicup.mock;

import io.nicup.vfio.DeviceAccessException;
import io.nicup.vfio.DeviceAccessException.Reason;
import io.nicup.vfio.DeviceClock;
import io.nicup.vfio.DmaAllocator;
import io.nicup.vfio.DmaRegion;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * DMA memory for a mock device, together with the simulated IOMMU that translates the device's
 * addresses.
 *
 * <p>Each region is zeroed off-heap memory owned by its own {@link Arena}, mapped at a fake I/O
 * virtual address: IOVAs start at {@link #IOVA_BASE}, are page aligned, never equal the CPU address,
 * and consecutive regions are separated by one unmapped guard page, so that a device access running
 * off the end of a buffer is an IOMMU fault rather than a silent write into the neighbour.
 *
 * <pre>
 *   IOVA_BASE                        +size (rounded to pages)  +1 guard page
 *   |&lt;------ region 0 (mapped) ------&gt;|&lt;-- unmapped --&gt;|&lt;------ region 1 ------&gt;| ...
 * </pre>
 *
 * <p>The device side ({@link #read}, {@link #write} and the little-endian scalar helpers) refuses any
 * access that is not entirely inside one live region: the access does nothing and a {@link DmaFault}
 * is recorded ({@link #faults()}).
 *
 * <p>Limits stand in for {@code RLIMIT_MEMLOCK} and the IOMMU's mapping count: exceeding them is a
 * {@code RESOURCE_LIMIT} error as on VFIO.
 */
public final class MockDmaAllocator implements DmaAllocator {

    /** First I/O virtual address handed out (not an address the CPU could use). */
    public static final long IOVA_BASE = 0x1_0000_0000L;
    /** Simulated page size: no hugepages. */
    public static final long PAGE_SIZE = 4096;
    /** Default total size limit, like a 256 MiB locked-memory limit. */
    public static final long DEFAULT_LIMIT_BYTES = 256L << 20;
    /** Default mapping-count limit (vfio_iommu_type1 dma_entry_limit). */
    public static final int DEFAULT_LIMIT_REGIONS = 65535;
    /** Faults kept for inspection; later ones are only counted. */
    public static final int FAULTS_KEPT = 1024;

    private static final ValueLayout.OfLong LE64 = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfInt LE32 = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfShort LE16 = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    private final DeviceClock clock;
    private final long limitBytes;
    private final int limitRegions;
    /** Live regions in allocation order, which is also IOVA order. */
    private final List<Region> regions = new ArrayList<>();
    private final List<DmaFault> faults = new ArrayList<>();
    private long faultCount;
    private long nextIova = IOVA_BASE;
    private long liveBytes;
    private Region lastHit;

    public MockDmaAllocator(DeviceClock clock) {
        this(clock, DEFAULT_LIMIT_BYTES, DEFAULT_LIMIT_REGIONS);
    }

    public MockDmaAllocator(DeviceClock clock, long limitBytes, int limitRegions) {
        this.clock = clock;
        this.limitBytes = limitBytes;
        this.limitRegions = limitRegions;
    }

    @Override
    public DmaRegion allocate(String purpose, long size, long alignment) {
        if (size <= 0) {
            throw new DeviceAccessException(Reason.INVALID_ARGUMENT,
                    "DMA allocation size must be positive: purpose=" + purpose + " size=" + size,
                    "ask for at least one byte");
        }
        if (alignment <= 0 || Long.bitCount(alignment) != 1 || alignment > PAGE_SIZE) {
            throw new DeviceAccessException(Reason.INVALID_ARGUMENT,
                    "DMA alignment must be a power of two up to the page size: purpose=" + purpose
                            + " alignment=" + alignment + " pageSize=" + PAGE_SIZE,
                    "use an alignment between 1 and " + PAGE_SIZE);
        }
        long rounded = (size + PAGE_SIZE - 1) & -PAGE_SIZE;
        if (rounded < size || liveBytes + rounded > limitBytes) {
            throw new DeviceAccessException(Reason.RESOURCE_LIMIT,
                    "DMA memory limit exceeded: purpose=" + purpose + " size=" + size + " live=" + liveBytes
                            + " limit=" + limitBytes,
                    "free DMA regions that are no longer needed (the mock's limit stands in for RLIMIT_MEMLOCK)");
        }
        if (regions.size() >= limitRegions) {
            throw new DeviceAccessException(Reason.RESOURCE_LIMIT,
                    "IOMMU mapping count exhausted: purpose=" + purpose + " mappings=" + regions.size()
                            + " limit=" + limitRegions,
                    "allocate fewer, larger regions (the mock's limit stands in for dma_entry_limit)");
        }
        Arena arena = Arena.ofShared();
        MemorySegment segment;
        try {
            segment = arena.allocate(rounded, PAGE_SIZE);
        } catch (OutOfMemoryError e) {
            arena.close();
            throw new DeviceAccessException(Reason.RESOURCE_LIMIT,
                    "out of memory for DMA region: purpose=" + purpose + " size=" + size, "free memory", e);
        }
        segment.fill((byte) 0);
        Region r = new Region(purpose, nextIova, rounded, arena, segment);
        nextIova += rounded + PAGE_SIZE;
        liveBytes += rounded;
        regions.add(r);
        return r;
    }

    @Override
    public long pageSize() {
        return PAGE_SIZE;
    }

    @Override
    public boolean hugePages() {
        return false;
    }

    @Override
    public String fallbackReason() {
        return "mock device: simulated 4 KiB pages";
    }

    @Override
    public int liveRegions() {
        return regions.size();
    }

    /** Live regions, oldest first. */
    public List<DmaRegion> regions() {
        return List.copyOf(regions);
    }

    /** Releases every live region, newest first. */
    public void closeAll() {
        for (int i = regions.size() - 1; i >= 0; i--) {
            regions.get(i).close();
        }
    }

    // ------------------------------------------------------------------ device side (the simulated IOMMU)

    /** The first {@value #FAULTS_KEPT} IOMMU faults, oldest first. */
    public List<DmaFault> faults() {
        return Collections.unmodifiableList(faults);
    }

    /** Every IOMMU fault so far, including those not kept. */
    public long faultCount() {
        return faultCount;
    }

    /** Copies {@code length} bytes at {@code iova} into {@code dst}; on a fault fills zeros and returns false. */
    public boolean read(long iova, byte[] dst, int dstOffset, int length, String context) {
        Region r = find(iova, length, false, context);
        if (r == null) {
            java.util.Arrays.fill(dst, dstOffset, dstOffset + length, (byte) 0);
            return false;
        }
        MemorySegment.copy(r.segment, ValueLayout.JAVA_BYTE, iova - r.iova, dst, dstOffset, length);
        return true;
    }

    /** Copies {@code length} bytes from {@code src} to {@code iova}; on a fault writes nothing and returns false. */
    public boolean write(long iova, byte[] src, int srcOffset, int length, String context) {
        Region r = find(iova, length, true, context);
        if (r == null) {
            return false;
        }
        MemorySegment.copy(src, srcOffset, r.segment, ValueLayout.JAVA_BYTE, iova - r.iova, length);
        return true;
    }

    /** A little-endian 64-bit read; 0 on a fault. */
    public long read64(long iova, String context) {
        Region r = find(iova, 8, false, context);
        return r == null ? 0 : r.segment.get(LE64, iova - r.iova);
    }

    /** A little-endian 32-bit read; 0 on a fault. */
    public int read32(long iova, String context) {
        Region r = find(iova, 4, false, context);
        return r == null ? 0 : r.segment.get(LE32, iova - r.iova);
    }

    public boolean write64(long iova, long value, String context) {
        Region r = find(iova, 8, true, context);
        if (r != null) {
            r.segment.set(LE64, iova - r.iova, value);
        }
        return r != null;
    }

    public boolean write32(long iova, int value, String context) {
        Region r = find(iova, 4, true, context);
        if (r != null) {
            r.segment.set(LE32, iova - r.iova, value);
        }
        return r != null;
    }

    public boolean write16(long iova, short value, String context) {
        Region r = find(iova, 2, true, context);
        if (r != null) {
            r.segment.set(LE16, iova - r.iova, value);
        }
        return r != null;
    }

    public boolean write8(long iova, byte value, String context) {
        Region r = find(iova, 1, true, context);
        if (r != null) {
            r.segment.set(ValueLayout.JAVA_BYTE, iova - r.iova, value);
        }
        return r != null;
    }

    /** Whether {@code [iova, iova+length)} lies inside one live region. Records nothing. */
    public boolean isMapped(long iova, long length) {
        return lookup(iova, length) != null;
    }

    /** Records a fault the device model detected itself (for example an address it cannot even form). */
    public void recordFault(long iova, long length, boolean write, String context) {
        faultCount++;
        if (faults.size() < FAULTS_KEPT) {
            faults.add(new DmaFault(iova, length, write, context, clock.nanoTime()));
        }
    }

    private Region find(long iova, long length, boolean write, String context) {
        Region r = lookup(iova, length);
        if (r == null) {
            recordFault(iova, length, write, context);
        }
        return r;
    }

    private Region lookup(long iova, long length) {
        Region hit = lastHit;
        if (hit != null && hit.contains(iova, length)) {
            return hit;
        }
        int lo = 0;
        int hi = regions.size() - 1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            Region r = regions.get(mid);
            if (iova < r.iova) {
                hi = mid - 1;
            } else if (iova >= r.iova + r.size) {
                lo = mid + 1;
            } else {
                if (r.contains(iova, length)) {
                    lastHit = r;
                    return r;
                }
                return null;
            }
        }
        return null;
    }

    private final class Region implements DmaRegion {
        final String purpose;
        final long iova;
        final long size;
        final Arena arena;
        final MemorySegment segment;
        boolean closed;

        Region(String purpose, long iova, long size, Arena arena, MemorySegment segment) {
            this.purpose = purpose;
            this.iova = iova;
            this.size = size;
            this.arena = arena;
            this.segment = segment;
        }

        boolean contains(long address, long length) {
            return length >= 0 && address >= iova && address - iova <= size - length;
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
            return size;
        }

        @Override
        public String purpose() {
            return purpose;
        }

        @Override
        public void close() {
            if (closed) {
                return;
            }
            closed = true;
            regions.remove(this);
            if (lastHit == this) {
                lastHit = null;
            }
            liveBytes -= size;
            arena.close();
        }

        @Override
        public String toString() {
            return String.format("dma region %s iova=0x%x size=%d", purpose, iova, size);
        }
    }
}

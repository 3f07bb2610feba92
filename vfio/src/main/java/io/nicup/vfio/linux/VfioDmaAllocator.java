package io.nicup.vfio.linux;

import io.nicup.vfio.DeviceAccessException;
import io.nicup.vfio.DeviceAccessException.Reason;
import io.nicup.vfio.DmaAllocator;
import io.nicup.vfio.DmaRegion;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;

/**
 * DMA memory for one VFIO device: pinned, zeroed, mapped in the container's IOMMU.
 *
 * <p>Memory comes in chunks, each one {@code mmap} and one {@code VFIO_IOMMU_MAP_DMA}: 2 MiB hugepages
 * (MAP_HUGETLB|MAP_HUGE_2MB) when the host has free ones, else 4 KiB anonymous shared pages, with the
 * reason given by {@link #fallbackReason()}. A request of at most one page is carved (first fit, aligned)
 * out of a shared page-sized chunk, so that only the memory the rings and buffers need is mapped and the
 * mapping count stays low; a larger request gets a chunk of its own, rounded up to whole pages. The
 * IOVA of a chunk comes from the {@link IovaAllocator} and is aligned to the chunk's page size.
 *
 * <p>Each {@link DmaRegion} has its own arena, so its segment becomes inaccessible when it is closed.
 * A chunk is unmapped from the IOMMU and then {@code munmap}ped when its last region closes. Before a
 * chunk is pinned its size is checked against RLIMIT_MEMLOCK (unless the process has CAP_IPC_LOCK), so
 * the limit is reported with its remedy instead of an ENOMEM from the kernel. Thread-safe.
 */
public final class VfioDmaAllocator implements DmaAllocator, AutoCloseable {

    static final long HUGE_PAGE = 2L << 20;
    static final long SMALL_PAGE = 4096;

    private final VfioKernel kernel;
    private final VfioContainer container;
    private final IovaAllocator iovas;
    private final MemlockLimit memlock;
    private final boolean memlockCharged;
    private final boolean huge;
    private final String fallbackReason;
    private final long pageSize;
    private final List<Chunk> chunks = new ArrayList<>();
    private final List<Region> regions = new ArrayList<>();
    private long pinnedBytes;
    private boolean closed;

    /**
     * @param memlockCharged whether pinned memory counts against {@code memlock} (false with CAP_IPC_LOCK)
     * @param tryHugePages try 2 MiB hugepages first; when false the fallback reason says it was not asked for
     */
    public VfioDmaAllocator(VfioKernel kernel, VfioContainer container, IovaAllocator iovas, MemlockLimit memlock,
            boolean memlockCharged, boolean tryHugePages) {
        this.kernel = kernel;
        this.container = container;
        this.iovas = iovas;
        this.memlock = memlock;
        this.memlockCharged = memlockCharged;
        String reason = "";
        boolean h = false;
        if (!tryHugePages) {
            reason = "hugepages not requested";
        } else {
            try {
                long probe = kernel.mmapAnonymous(HUGE_PAGE, true);
                kernel.munmap(probe, HUGE_PAGE);
                h = true;
            } catch (NativeCallException e) {
                reason = "no free 2 MiB hugepages (mmap MAP_HUGETLB failed: errno=" + e.errnoName()
                        + "); using 4 KiB pages. Reserve some with `echo 64 > /proc/sys/vm/nr_hugepages` or boot with"
                        + " hugepages=64";
            }
        }
        this.huge = h;
        this.fallbackReason = reason;
        this.pageSize = Math.max(h ? HUGE_PAGE : SMALL_PAGE, iovas.pageSize());
    }

    @Override
    public synchronized DmaRegion allocate(String purpose, long size, long alignment) {
        if (closed) {
            throw new IllegalStateException("DMA allocator closed");
        }
        if (size <= 0 || alignment <= 0 || Long.bitCount(alignment) != 1 || alignment > pageSize) {
            throw new DeviceAccessException(Reason.INVALID_ARGUMENT, "bad DMA request: purpose=" + purpose + " size="
                    + size + " alignment=" + alignment + " page_size=" + pageSize,
                    "size must be positive and alignment a power of two of at most the page size");
        }
        if (size <= pageSize) {
            for (Chunk c : chunks) {
                if (c.shared) {
                    long off = c.space.allocate(size, alignment);
                    if (off != RangeAllocator.NO_SPACE) {
                        return newRegion(purpose, c, off, size);
                    }
                }
            }
            Chunk c = newChunk(pageSize, true);
            return newRegion(purpose, c, c.space.allocate(size, alignment), size);
        }
        Chunk c = newChunk(RangeAllocator.alignUp(size, pageSize), false);
        return newRegion(purpose, c, c.space.allocate(size, alignment), size);
    }

    private Chunk newChunk(long bytes, boolean shared) {
        if (memlockCharged && !memlock.allows(pinnedBytes, bytes)) {
            throw new DeviceAccessException(Reason.RESOURCE_LIMIT, "locked-memory limit too low: need=" + bytes
                    + " pinned=" + pinnedBytes + " limit=" + memlock.current(),
                    "raise it with `ulimit -l` (e.g. `ulimit -l unlimited`) / limits.conf memlock (or LimitMEMLOCK="
                            + " for a systemd unit), current=" + memlock.describe());
        }
        long addr = kernel.mmapAnonymous(bytes, huge);
        long iova;
        try {
            iova = iovas.allocate(bytes, pageSize);
        } catch (RuntimeException e) {
            unmapQuietly(addr, bytes, e);
            throw e;
        }
        try {
            container.mapDma(addr, iova, bytes);
        } catch (RuntimeException e) {
            iovas.free(iova);
            unmapQuietly(addr, bytes, e);
            throw e;
        }
        Chunk c = new Chunk(addr, bytes, iova, shared);
        chunks.add(c);
        pinnedBytes += bytes;
        return c;
    }

    private void unmapQuietly(long addr, long bytes, RuntimeException primary) {
        try {
            kernel.munmap(addr, bytes);
        } catch (RuntimeException e) {
            primary.addSuppressed(e);
        }
    }

    @SuppressWarnings("restricted") // FFM by design: this module talks to the kernel
    private Region newRegion(String purpose, Chunk c, long offset, long size) {
        Arena arena = Arena.ofShared();
        MemorySegment seg = MemorySegment.ofAddress(c.address + offset).reinterpret(size, arena, null);
        seg.fill((byte) 0);
        Region r = new Region(purpose, c, offset, size, arena, seg);
        c.live++;
        regions.add(r);
        return r;
    }

    private synchronized void release(Region r) {
        regions.remove(r);
        r.arena.close();
        Chunk c = r.chunk;
        c.space.free(r.offset, r.size);
        c.live--;
        if (c.live == 0) {
            chunks.remove(c);
            pinnedBytes -= c.size;
            RuntimeException first = null;
            try {
                container.unmapDma(c.iova, c.size);
            } catch (RuntimeException e) {
                first = e;
            }
            // The IOVA is reused only if the unmap worked; the memory is freed either way.
            if (first == null) {
                iovas.free(c.iova);
            }
            try {
                kernel.munmap(c.address, c.size);
            } catch (RuntimeException e) {
                if (first == null) {
                    first = e;
                } else {
                    first.addSuppressed(e);
                }
            }
            if (first != null) {
                throw first;
            }
        }
    }

    @Override
    public long pageSize() {
        return pageSize;
    }

    @Override
    public boolean hugePages() {
        return huge;
    }

    @Override
    public String fallbackReason() {
        return fallbackReason;
    }

    @Override
    public synchronized int liveRegions() {
        return regions.size();
    }

    /** Chunks currently mapped in the IOMMU (each is one DMA mapping). */
    public synchronized int mappedChunks() {
        return chunks.size();
    }

    /** Bytes currently pinned and mapped. */
    public synchronized long pinnedBytes() {
        return pinnedBytes;
    }

    /** Closes every region still open (most recent first). */
    @Override
    public void close() {
        List<Region> left;
        synchronized (this) {
            closed = true;
            left = new ArrayList<>(regions);
        }
        RuntimeException first = null;
        for (int i = left.size() - 1; i >= 0; i--) {
            try {
                left.get(i).close();
            } catch (RuntimeException e) {
                if (first == null) {
                    first = e;
                } else {
                    first.addSuppressed(e);
                }
            }
        }
        if (first != null) {
            throw first;
        }
    }

    private static final class Chunk {
        final long address;
        final long size;
        final long iova;
        final boolean shared;
        final RangeAllocator space = new RangeAllocator();
        int live;

        Chunk(long address, long size, long iova, boolean shared) {
            this.address = address;
            this.size = size;
            this.iova = iova;
            this.shared = shared;
            space.addFree(0, size);
        }
    }

    private final class Region implements DmaRegion {
        final String purpose;
        final Chunk chunk;
        final long offset;
        final long size;
        final Arena arena;
        final MemorySegment segment;
        private boolean closed;

        Region(String purpose, Chunk chunk, long offset, long size, Arena arena, MemorySegment segment) {
            this.purpose = purpose;
            this.chunk = chunk;
            this.offset = offset;
            this.size = size;
            this.arena = arena;
            this.segment = segment;
        }

        @Override
        public MemorySegment segment() {
            return segment;
        }

        @Override
        public long iova() {
            return chunk.iova + offset;
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
            synchronized (VfioDmaAllocator.this) {
                if (closed) {
                    return;
                }
                closed = true;
            }
            release(this);
        }

        @Override
        public String toString() {
            return String.format("dma region purpose=%s iova=0x%x size=0x%x", purpose, iova(), size);
        }
    }
}

package io.nicup.vfio.linux;

import static io.nicup.vfio.linux.VfioAbi.*;
import static io.nicup.vfio.linux.VfioStructs.*;
import static java.lang.foreign.ValueLayout.JAVA_INT;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;

/**
 * Pure functions over the buffers VFIO's ioctls fill and take ({@code VfioStructs}' layouts): the info structs
 * with their capability chains, checked so that a malformed buffer can never make a walk loop or read outside
 * it, and {@code vfio_irq_set} built for VFIO_DEVICE_SET_IRQS.
 */
public final class VfioInfoBuffers {

    private VfioInfoBuffers() {
    }

    /** Most capabilities a chain may have before it is taken as corrupt (a loop). */
    private static final int MAX_CAPS = 64;

    /** One capability found in an info buffer: its id, version and where its header starts. */
    public record Capability(int id, int version, long offset) {
    }

    /**
     * Walks a capability chain starting at {@code first} (0 = none). Offsets must lie after the fixed part
     * ({@code minOffset}), inside {@code buf}, and be 4-byte aligned; anything else ends the walk with an
     * exception, so a malformed chain can never loop or read outside the buffer.
     */
    public static List<Capability> capabilities(MemorySegment buf, long first, long minOffset) {
        List<Capability> caps = new ArrayList<>();
        long off = first;
        while (off != 0) {
            if (caps.size() == MAX_CAPS || off < minOffset || off + INFO_CAP_HEADER.byteSize() > buf.byteSize()
                    || (off & 3) != 0) {
                throw new IllegalArgumentException("malformed VFIO capability chain: offset=" + off + " buffer="
                        + buf.byteSize() + " caps_seen=" + caps.size());
            }
            int id = Short.toUnsignedInt((short) CAP_ID.get(buf, off));
            int version = Short.toUnsignedInt((short) CAP_VERSION.get(buf, off));
            caps.add(new Capability(id, version, off));
            off = Integer.toUnsignedLong((int) CAP_NEXT.get(buf, off));
        }
        return caps;
    }

    /** Parses a {@code vfio_device_info} buffer. */
    public static DeviceInfo parseDeviceInfo(MemorySegment buf) {
        return new DeviceInfo((int) DEVICE_INFO_FLAGS.get(buf, 0L), (int) DEVICE_INFO_NUM_REGIONS.get(buf, 0L),
                (int) DEVICE_INFO_NUM_IRQS.get(buf, 0L));
    }

    /** Parses a {@code vfio_region_info} buffer and its capability chain (when the CAPS flag is set). */
    public static RegionInfo parseRegionInfo(MemorySegment buf) {
        int flags = (int) REGION_INFO_FLAGS.get(buf, 0L);
        int index = (int) REGION_INFO_INDEX.get(buf, 0L);
        long size = (long) REGION_INFO_SIZE.get(buf, 0L);
        long offset = (long) REGION_INFO_OFFSET.get(buf, 0L);
        List<Integer> ids = new ArrayList<>();
        List<SparseArea> areas = new ArrayList<>();
        long first = Integer.toUnsignedLong((int) REGION_INFO_CAP_OFFSET.get(buf, 0L));
        if ((flags & REGION_FLAG_CAPS) != 0 && first != 0) {
            for (Capability cap : capabilities(buf, first, REGION_INFO.byteSize())) {
                ids.add(cap.id());
                if (cap.id() == REGION_CAP_SPARSE_MMAP) {
                    areas.addAll(parseSparseAreas(buf, cap.offset()));
                }
            }
        }
        return new RegionInfo(index, flags, size, offset, ids, areas);
    }

    private static List<SparseArea> parseSparseAreas(MemorySegment buf, long capOffset) {
        long headerEnd = capOffset + REGION_CAP_SPARSE_MMAP_LAYOUT.byteSize();
        checkInside(buf, headerEnd, "sparse mmap capability");
        long n = Integer.toUnsignedLong((int) SPARSE_NR_AREAS.get(buf, capOffset));
        long end = headerEnd + n * SPARSE_MMAP_AREA.byteSize();
        checkInside(buf, end, "sparse mmap areas nr_areas=" + n);
        List<SparseArea> areas = new ArrayList<>();
        for (long i = 0; i < n; i++) {
            long a = headerEnd + i * SPARSE_MMAP_AREA.byteSize();
            areas.add(new SparseArea((long) SPARSE_AREA_OFFSET.get(buf, a), (long) SPARSE_AREA_SIZE.get(buf, a)));
        }
        return areas;
    }

    /** Parses a {@code vfio_irq_info} buffer. */
    public static IrqInfo parseIrqInfo(MemorySegment buf) {
        return new IrqInfo((int) IRQ_INFO_INDEX.get(buf, 0L), (int) IRQ_INFO_FLAGS.get(buf, 0L),
                (int) IRQ_INFO_COUNT.get(buf, 0L));
    }

    /** Parses a {@code vfio_iommu_type1_info} buffer with its IOVA_RANGE and DMA_AVAIL capabilities. */
    public static IommuInfo parseIommuInfo(MemorySegment buf) {
        int flags = (int) IOMMU_INFO_FLAGS.get(buf, 0L);
        long pageSizes = (flags & IOMMU_INFO_FLAG_PGSIZES) != 0 ? (long) IOMMU_INFO_PGSIZES.get(buf, 0L) : 0;
        List<IovaRange> ranges = new ArrayList<>();
        int avail = -1;
        long first = Integer.toUnsignedLong((int) IOMMU_INFO_CAP_OFFSET.get(buf, 0L));
        if ((flags & IOMMU_INFO_FLAG_CAPS) != 0 && first != 0) {
            for (Capability cap : capabilities(buf, first, IOMMU_TYPE1_INFO.byteSize())) {
                if (cap.id() == IOMMU_CAP_IOVA_RANGE) {
                    long headerEnd = cap.offset() + IOMMU_CAP_IOVA_RANGE_LAYOUT.byteSize();
                    checkInside(buf, headerEnd, "iova range capability");
                    long n = Integer.toUnsignedLong((int) IOVA_RANGE_NR_IOVAS.get(buf, cap.offset()));
                    checkInside(buf, headerEnd + n * IOVA_RANGE.byteSize(), "iova ranges nr_iovas=" + n);
                    for (long i = 0; i < n; i++) {
                        long r = headerEnd + i * IOVA_RANGE.byteSize();
                        ranges.add(new IovaRange((long) IOVA_RANGE_START.get(buf, r), (long) IOVA_RANGE_END.get(buf, r)));
                    }
                } else if (cap.id() == IOMMU_CAP_DMA_AVAIL) {
                    checkInside(buf, cap.offset() + IOMMU_CAP_DMA_AVAIL_LAYOUT.byteSize(), "dma avail capability");
                    avail = (int) Math.min(Integer.MAX_VALUE,
                            Integer.toUnsignedLong((int) DMA_AVAIL_AVAIL.get(buf, cap.offset())));
                }
            }
        }
        if (ranges.isEmpty()) {
            ranges.add(new IovaRange(0, -1L));
        }
        return new IommuInfo(flags, pageSizes, ranges, avail);
    }

    private static void checkInside(MemorySegment buf, long end, String what) {
        if (end > buf.byteSize()) {
            throw new IllegalArgumentException("malformed VFIO capability: " + what + " ends at " + end
                    + " beyond buffer=" + buf.byteSize());
        }
    }

    /**
     * A {@code vfio_irq_set} with {@code fds} as eventfd data ({@code DATA_EVENTFD | ACTION_TRIGGER} when
     * {@code flags} says so), or with no data when {@code fds} is null.
     */
    public static MemorySegment irqSet(Arena arena, int index, int flags, int start, int count, int[] fds) {
        long size = IRQ_SET.byteSize() + (fds == null ? 0 : 4L * fds.length);
        MemorySegment s = arena.allocate(size, 8);
        IRQ_SET_ARGSZ.set(s, 0L, (int) size);
        IRQ_SET_FLAGS.set(s, 0L, flags);
        IRQ_SET_INDEX.set(s, 0L, index);
        IRQ_SET_START.set(s, 0L, start);
        IRQ_SET_COUNT.set(s, 0L, count);
        if (fds != null) {
            for (int i = 0; i < fds.length; i++) {
                s.set(JAVA_INT, IRQ_SET.byteSize() + 4L * i, fds[i]);
            }
        }
        return s;
    }
}

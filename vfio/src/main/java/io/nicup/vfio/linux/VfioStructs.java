package io.nicup.vfio.linux;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static java.lang.foreign.ValueLayout.JAVA_LONG_UNALIGNED;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

import java.lang.foreign.MemoryLayout;
import java.lang.foreign.StructLayout;
import java.lang.invoke.VarHandle;

/**
 * The struct layouts of {@code linux/vfio.h} (x86-64 and aarch64, little-endian), each with its C
 * declaration, a byte ruler and a {@code static final} handle per field; {@link VfioAbi} holds the ioctl
 * numbers and constants they are used with, {@link VfioInfoBuffers} parses the info structs and their
 * capability chains. Line numbers refer to {@code /usr/include/linux/vfio.h} of Debian's linux-libc-dev 6.1
 * (docs/hardware-reference.md A); sizes and offsets are asserted against the documented values in
 * {@code VfioAbiTest}.
 */
final class VfioStructs {

    private VfioStructs() {
    }

    private static VarHandle field(StructLayout layout, String name) {
        return layout.varHandle(MemoryLayout.PathElement.groupElement(name));
    }

    /**
     * vfio.h l.146.
     * {@snippet lang=c :
     * struct vfio_group_status {
     *     __u32 argsz;
     *     __u32 flags;   // VFIO_GROUP_FLAGS_VIABLE 1, _CONTAINER_SET 2
     * };
     * }
     * <pre>
     *  0       4       8
     *  +-------+-------+
     *  | argsz | flags |
     *  +-------+-------+
     * </pre>
     */
    static final StructLayout GROUP_STATUS = MemoryLayout.structLayout(
            JAVA_INT.withName("argsz"), JAVA_INT.withName("flags")).withName("vfio_group_status");
    static final VarHandle GROUP_STATUS_ARGSZ = field(GROUP_STATUS, "argsz");
    static final VarHandle GROUP_STATUS_FLAGS = field(GROUP_STATUS, "flags");

    /**
     * vfio.h l.205 (6.1 headers: 20 bytes; newer headers add {@code __u32 pad} for 24, and either argsz
     * works because the kernel copies only {@code minsz}).
     * {@snippet lang=c :
     * struct vfio_device_info {
     *     __u32 argsz;
     *     __u32 flags;        // VFIO_DEVICE_FLAGS_RESET 1, _PCI 2, ... _CAPS 0x80
     *     __u32 num_regions;
     *     __u32 num_irqs;
     *     __u32 cap_offset;
     * };
     * }
     * <pre>
     *  0       4       8             12         16           20
     *  +-------+-------+-------------+----------+------------+
     *  | argsz | flags | num_regions | num_irqs | cap_offset |
     *  +-------+-------+-------------+----------+------------+
     * </pre>
     */
    static final StructLayout DEVICE_INFO = MemoryLayout.structLayout(
            JAVA_INT.withName("argsz"), JAVA_INT.withName("flags"), JAVA_INT.withName("num_regions"),
            JAVA_INT.withName("num_irqs"), JAVA_INT.withName("cap_offset")).withName("vfio_device_info");
    static final VarHandle DEVICE_INFO_ARGSZ = field(DEVICE_INFO, "argsz");
    static final VarHandle DEVICE_INFO_FLAGS = field(DEVICE_INFO, "flags");
    static final VarHandle DEVICE_INFO_NUM_REGIONS = field(DEVICE_INFO, "num_regions");
    static final VarHandle DEVICE_INFO_NUM_IRQS = field(DEVICE_INFO, "num_irqs");

    /**
     * vfio.h l.255.
     * {@snippet lang=c :
     * struct vfio_region_info {
     *     __u32 argsz;
     *     __u32 flags;        // READ 1, WRITE 2, MMAP 4, CAPS 8
     *     __u32 index;
     *     __u32 cap_offset;   // from the start of this struct
     *     __u64 size;
     *     __u64 offset;       // in the device fd
     * };
     * }
     * <pre>
     *  0       4       8       12           16              24              32
     *  +-------+-------+-------+------------+---------------+---------------+
     *  | argsz | flags | index | cap_offset |  size (u64)   | offset (u64)  |
     *  +-------+-------+-------+------------+---------------+---------------+
     * </pre>
     */
    static final StructLayout REGION_INFO = MemoryLayout.structLayout(
            JAVA_INT.withName("argsz"), JAVA_INT.withName("flags"), JAVA_INT.withName("index"),
            JAVA_INT.withName("cap_offset"), JAVA_LONG.withName("size"), JAVA_LONG.withName("offset"))
            .withName("vfio_region_info");
    static final VarHandle REGION_INFO_ARGSZ = field(REGION_INFO, "argsz");
    static final VarHandle REGION_INFO_FLAGS = field(REGION_INFO, "flags");
    static final VarHandle REGION_INFO_INDEX = field(REGION_INFO, "index");
    static final VarHandle REGION_INFO_CAP_OFFSET = field(REGION_INFO, "cap_offset");
    static final VarHandle REGION_INFO_SIZE = field(REGION_INFO, "size");
    static final VarHandle REGION_INFO_OFFSET = field(REGION_INFO, "offset");

    /**
     * vfio.h l.73-84: every capability starts with this header; offsets are from the start of the info buffer.
     * {@snippet lang=c :
     * struct vfio_info_cap_header {
     *     __u16 id;
     *     __u16 version;
     *     __u32 next;     // offset of the next capability, 0 = end
     * };
     * }
     * <pre>
     *  0    2         4      8
     *  +----+---------+------+
     *  | id | version | next |
     *  +----+---------+------+
     * </pre>
     */
    static final StructLayout INFO_CAP_HEADER = MemoryLayout.structLayout(
            JAVA_SHORT.withName("id"), JAVA_SHORT.withName("version"), JAVA_INT.withName("next"))
            .withName("vfio_info_cap_header");
    static final VarHandle CAP_ID = field(INFO_CAP_HEADER, "id");
    static final VarHandle CAP_VERSION = field(INFO_CAP_HEADER, "version");
    static final VarHandle CAP_NEXT = field(INFO_CAP_HEADER, "next");

    /**
     * vfio.h, region capability SPARSE_MMAP (id 1); {@code areas[]} follows.
     * {@snippet lang=c :
     * struct vfio_region_sparse_mmap_area { __u64 offset; __u64 size; };
     * struct vfio_region_info_cap_sparse_mmap {
     *     struct vfio_info_cap_header header;
     *     __u32 nr_areas;
     *     __u32 reserved;
     *     struct vfio_region_sparse_mmap_area areas[];
     * };
     * }
     * <pre>
     *  0        8          12         16                 32
     *  +--------+----------+----------+-----------------+---
     *  | header | nr_areas | reserved | areas[0] off,sz | ...
     *  +--------+----------+----------+-----------------+---
     * </pre>
     */
    static final StructLayout REGION_CAP_SPARSE_MMAP_LAYOUT = MemoryLayout.structLayout(
            INFO_CAP_HEADER.withName("header"), JAVA_INT.withName("nr_areas"), JAVA_INT.withName("reserved"))
            .withName("vfio_region_info_cap_sparse_mmap");
    static final VarHandle SPARSE_NR_AREAS = field(REGION_CAP_SPARSE_MMAP_LAYOUT, "nr_areas");
    static final StructLayout SPARSE_MMAP_AREA = MemoryLayout.structLayout(
            JAVA_LONG_UNALIGNED.withName("offset"), JAVA_LONG_UNALIGNED.withName("size"))
            .withName("vfio_region_sparse_mmap_area");
    static final VarHandle SPARSE_AREA_OFFSET = field(SPARSE_MMAP_AREA, "offset");
    static final VarHandle SPARSE_AREA_SIZE = field(SPARSE_MMAP_AREA, "size");

    /**
     * vfio.h l.515.
     * {@snippet lang=c :
     * struct vfio_irq_info {
     *     __u32 argsz;
     *     __u32 flags;   // EVENTFD 1, MASKABLE 2, AUTOMASKED 4, NORESIZE 8
     *     __u32 index;
     *     __u32 count;
     * };
     * }
     * <pre>
     *  0       4       8       12      16
     *  +-------+-------+-------+-------+
     *  | argsz | flags | index | count |
     *  +-------+-------+-------+-------+
     * </pre>
     */
    static final StructLayout IRQ_INFO = MemoryLayout.structLayout(
            JAVA_INT.withName("argsz"), JAVA_INT.withName("flags"), JAVA_INT.withName("index"),
            JAVA_INT.withName("count")).withName("vfio_irq_info");
    static final VarHandle IRQ_INFO_ARGSZ = field(IRQ_INFO, "argsz");
    static final VarHandle IRQ_INFO_FLAGS = field(IRQ_INFO, "flags");
    static final VarHandle IRQ_INFO_INDEX = field(IRQ_INFO, "index");
    static final VarHandle IRQ_INFO_COUNT = field(IRQ_INFO, "count");

    /**
     * vfio.h l.565: the fixed part; {@code data[]} follows at offset 20 (for eventfds: {@code count} s32 fds,
     * -1 de-assigns, so {@code argsz = 20 + 4 * count}).
     * {@snippet lang=c :
     * struct vfio_irq_set {
     *     __u32 argsz;
     *     __u32 flags;   // DATA_NONE 1, DATA_BOOL 2, DATA_EVENTFD 4, ACTION_MASK 8, _UNMASK 0x10, _TRIGGER 0x20
     *     __u32 index;
     *     __u32 start;
     *     __u32 count;
     *     __u8  data[];
     * };
     * }
     * <pre>
     *  0       4       8       12      16      20
     *  +-------+-------+-------+-------+-------+------------
     *  | argsz | flags | index | start | count | data[] ...
     *  +-------+-------+-------+-------+-------+------------
     * </pre>
     */
    static final StructLayout IRQ_SET = MemoryLayout.structLayout(
            JAVA_INT.withName("argsz"), JAVA_INT.withName("flags"), JAVA_INT.withName("index"),
            JAVA_INT.withName("start"), JAVA_INT.withName("count")).withName("vfio_irq_set");
    static final VarHandle IRQ_SET_ARGSZ = field(IRQ_SET, "argsz");
    static final VarHandle IRQ_SET_FLAGS = field(IRQ_SET, "flags");
    static final VarHandle IRQ_SET_INDEX = field(IRQ_SET, "index");
    static final VarHandle IRQ_SET_START = field(IRQ_SET, "start");
    static final VarHandle IRQ_SET_COUNT = field(IRQ_SET, "count");

    /**
     * vfio.h l.1145 (4 bytes of tail padding after cap_offset, so 24 bytes).
     * {@snippet lang=c :
     * struct vfio_iommu_type1_info {
     *     __u32 argsz;
     *     __u32 flags;          // PGSIZES 1, CAPS 2
     *     __u64 iova_pgsizes;   // bitmap of page sizes
     *     __u32 cap_offset;
     *     // 4 bytes padding
     * };
     * }
     * <pre>
     *  0       4       8                    16           20      24
     *  +-------+-------+--------------------+------------+-------+
     *  | argsz | flags | iova_pgsizes (u64) | cap_offset |  pad  |
     *  +-------+-------+--------------------+------------+-------+
     * </pre>
     */
    static final StructLayout IOMMU_TYPE1_INFO = MemoryLayout.structLayout(
            JAVA_INT.withName("argsz"), JAVA_INT.withName("flags"), JAVA_LONG.withName("iova_pgsizes"),
            JAVA_INT.withName("cap_offset"), MemoryLayout.paddingLayout(4)).withName("vfio_iommu_type1_info");
    static final VarHandle IOMMU_INFO_ARGSZ = field(IOMMU_TYPE1_INFO, "argsz");
    static final VarHandle IOMMU_INFO_FLAGS = field(IOMMU_TYPE1_INFO, "flags");
    static final VarHandle IOMMU_INFO_PGSIZES = field(IOMMU_TYPE1_INFO, "iova_pgsizes");
    static final VarHandle IOMMU_INFO_CAP_OFFSET = field(IOMMU_TYPE1_INFO, "cap_offset");

    /**
     * IOMMU capability IOVA_RANGE (id 1); {@code iova_ranges[]} follows, both ends inclusive.
     * {@snippet lang=c :
     * struct vfio_iova_range { __u64 start; __u64 end; };
     * struct vfio_iommu_type1_info_cap_iova_range {
     *     struct vfio_info_cap_header header;
     *     __u32 nr_iovas;
     *     __u32 reserved;
     *     struct vfio_iova_range iova_ranges[];
     * };
     * }
     * <pre>
     *  0        8          12         16                   32
     *  +--------+----------+----------+-------------------+---
     *  | header | nr_iovas | reserved | ranges[0] start,end | ...
     *  +--------+----------+----------+-------------------+---
     * </pre>
     */
    static final StructLayout IOMMU_CAP_IOVA_RANGE_LAYOUT = MemoryLayout.structLayout(
            INFO_CAP_HEADER.withName("header"), JAVA_INT.withName("nr_iovas"), JAVA_INT.withName("reserved"))
            .withName("vfio_iommu_type1_info_cap_iova_range");
    static final VarHandle IOVA_RANGE_NR_IOVAS = field(IOMMU_CAP_IOVA_RANGE_LAYOUT, "nr_iovas");
    /*
     * Capability payloads are packed one after the other with no 8-byte alignment: on a 6.1 kernel the
     * 12-byte DMA_AVAIL capability puts the IOVA_RANGE capability at offset 68 and its u64 ranges at 84.
     * Their u64 fields are therefore read as unaligned (seen in the QEMU guest, VfioHilTest).
     */
    static final StructLayout IOVA_RANGE = MemoryLayout.structLayout(
            JAVA_LONG_UNALIGNED.withName("start"), JAVA_LONG_UNALIGNED.withName("end"))
            .withName("vfio_iova_range");
    static final VarHandle IOVA_RANGE_START = field(IOVA_RANGE, "start");
    static final VarHandle IOVA_RANGE_END = field(IOVA_RANGE, "end");

    /**
     * IOMMU capability DMA_AVAIL (id 3).
     * {@snippet lang=c :
     * struct vfio_iommu_type1_info_dma_avail {
     *     struct vfio_info_cap_header header;
     *     __u32 avail;
     * };
     * }
     * <pre>
     *  0        8       12
     *  +--------+-------+
     *  | header | avail |
     *  +--------+-------+
     * </pre>
     */
    static final StructLayout IOMMU_CAP_DMA_AVAIL_LAYOUT = MemoryLayout.structLayout(
            INFO_CAP_HEADER.withName("header"), JAVA_INT.withName("avail"))
            .withName("vfio_iommu_type1_info_dma_avail");
    static final VarHandle DMA_AVAIL_AVAIL = field(IOMMU_CAP_DMA_AVAIL_LAYOUT, "avail");

    /**
     * vfio.h l.1230.
     * {@snippet lang=c :
     * struct vfio_iommu_type1_dma_map {
     *     __u32 argsz;
     *     __u32 flags;   // READ 1, WRITE 2, VADDR 4
     *     __u64 vaddr;
     *     __u64 iova;
     *     __u64 size;
     * };
     * }
     * <pre>
     *  0       4       8             16            24            32
     *  +-------+-------+-------------+-------------+-------------+
     *  | argsz | flags | vaddr (u64) | iova (u64)  | size (u64)  |
     *  +-------+-------+-------------+-------------+-------------+
     * </pre>
     */
    static final StructLayout DMA_MAP = MemoryLayout.structLayout(
            JAVA_INT.withName("argsz"), JAVA_INT.withName("flags"), JAVA_LONG.withName("vaddr"),
            JAVA_LONG.withName("iova"), JAVA_LONG.withName("size")).withName("vfio_iommu_type1_dma_map");
    static final VarHandle DMA_MAP_ARGSZ = field(DMA_MAP, "argsz");
    static final VarHandle DMA_MAP_FLAGS = field(DMA_MAP, "flags");
    static final VarHandle DMA_MAP_VADDR = field(DMA_MAP, "vaddr");
    static final VarHandle DMA_MAP_IOVA = field(DMA_MAP, "iova");
    static final VarHandle DMA_MAP_SIZE = field(DMA_MAP, "size");

    /**
     * vfio.h l.1277 (the fixed part; {@code data[]} at 24 is used only with GET_DIRTY_BITMAP).
     * {@snippet lang=c :
     * struct vfio_iommu_type1_dma_unmap {
     *     __u32 argsz;
     *     __u32 flags;   // 0 here; GET_DIRTY_BITMAP 1, UNMAP_ALL 2, VADDR 4
     *     __u64 iova;
     *     __u64 size;    // written back: bytes unmapped
     *     __u8  data[];
     * };
     * }
     * <pre>
     *  0       4       8            16           24
     *  +-------+-------+------------+------------+
     *  | argsz | flags | iova (u64) | size (u64) |
     *  +-------+-------+------------+------------+
     * </pre>
     */
    static final StructLayout DMA_UNMAP = MemoryLayout.structLayout(
            JAVA_INT.withName("argsz"), JAVA_INT.withName("flags"), JAVA_LONG.withName("iova"),
            JAVA_LONG.withName("size")).withName("vfio_iommu_type1_dma_unmap");
    static final VarHandle DMA_UNMAP_ARGSZ = field(DMA_UNMAP, "argsz");
    static final VarHandle DMA_UNMAP_FLAGS = field(DMA_UNMAP, "flags");
    static final VarHandle DMA_UNMAP_IOVA = field(DMA_UNMAP, "iova");
    static final VarHandle DMA_UNMAP_SIZE = field(DMA_UNMAP, "size");
}

package io.nicup.vfio.linux;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static java.lang.foreign.ValueLayout.JAVA_LONG_UNALIGNED;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

import java.lang.foreign.MemoryLayout;
import java.lang.foreign.StructLayout;
import java.lang.invoke.VarHandle;

/**
 * The VFIO user ABI: ioctl numbers, constants and struct layouts of {@code linux/vfio.h} (x86-64 and
 * aarch64, little-endian); {@link VfioInfoBuffers} parses the info structs and their capability chains.
 * Line numbers refer to {@code /usr/include/linux/vfio.h} of Debian's linux-libc-dev 6.1 (reference
 * section A); sizes and offsets are asserted against the documented values in {@code VfioAbiTest}.
 */
public final class VfioAbi {

    private VfioAbi() {
    }

    // ---------------------------------------------------------------------------------------------
    // ioctl numbers: _IO(VFIO_TYPE, VFIO_BASE + n), no size encoded (vfio.h l.59-71).

    /** {@code VFIO_TYPE (';')}, vfio.h l.70. */
    public static final int VFIO_TYPE = ';';
    /** {@code VFIO_BASE 100}, vfio.h l.71. */
    public static final int VFIO_BASE = 100;

    /** {@code _IO(type, nr)} from asm-generic/ioctl.h: direction 0, size 0, so just {@code type << 8 | nr}. */
    static long io(int nr) {
        return ((long) VFIO_TYPE << 8) | (VFIO_BASE + nr);
    }

    /** vfio.h l.111; returns {@link #VFIO_API_VERSION}. */
    public static final long VFIO_GET_API_VERSION = io(0);
    /** vfio.h l.120; argument: extension id by value. */
    public static final long VFIO_CHECK_EXTENSION = io(1);
    /** vfio.h l.133; argument: IOMMU type by value. */
    public static final long VFIO_SET_IOMMU = io(2);
    /** vfio.h l.152; {@code struct vfio_group_status *}. */
    public static final long VFIO_GROUP_GET_STATUS = io(3);
    /** vfio.h l.166; pointer to an int holding the container fd. */
    public static final long VFIO_GROUP_SET_CONTAINER = io(4);
    /** vfio.h l.181. */
    public static final long VFIO_GROUP_UNSET_CONTAINER = io(5);
    /** vfio.h l.193; pointer to a NUL-terminated BDF; returns the device fd. */
    public static final long VFIO_GROUP_GET_DEVICE_FD = io(6);
    /** vfio.h l.220. */
    public static final long VFIO_DEVICE_GET_INFO = io(7);
    /** vfio.h l.267. */
    public static final long VFIO_DEVICE_GET_REGION_INFO = io(8);
    /** vfio.h l.525. */
    public static final long VFIO_DEVICE_GET_IRQ_INFO = io(9);
    /** vfio.h l.579. */
    public static final long VFIO_DEVICE_SET_IRQS = io(10);
    /** vfio.h l.592. */
    public static final long VFIO_DEVICE_RESET = io(11);
    /** vfio.h l.1214 (container fd). */
    public static final long VFIO_IOMMU_GET_INFO = io(12);
    /** vfio.h l.1241. */
    public static final long VFIO_IOMMU_MAP_DMA = io(13);
    /** vfio.h l.1288; the unmapped size is written back. */
    public static final long VFIO_IOMMU_UNMAP_DMA = io(14);

    /** {@code VFIO_API_VERSION 0}, vfio.h. */
    public static final int VFIO_API_VERSION = 0;

    // Extension / IOMMU type ids, vfio.h l.25-56.
    public static final int VFIO_TYPE1_IOMMU = 1;
    public static final int VFIO_SPAPR_TCE_IOMMU = 2;
    public static final int VFIO_TYPE1v2_IOMMU = 3;
    public static final int VFIO_DMA_CC_IOMMU = 4;
    public static final int VFIO_EEH = 5;
    public static final int VFIO_TYPE1_NESTING_IOMMU = 6;
    public static final int VFIO_SPAPR_TCE_v2_IOMMU = 7;
    /** No-IOMMU mode: nicup refuses it (no isolation, no DMA translation). */
    public static final int VFIO_NOIOMMU_IOMMU = 8;
    public static final int VFIO_UNMAP_ALL = 9;
    public static final int VFIO_UPDATE_VADDR = 10;

    /** The name of an IOMMU type for messages ({@code "TYPE1v2"}). */
    public static String iommuTypeName(int type) {
        return switch (type) {
            case VFIO_TYPE1_IOMMU -> "TYPE1";
            case VFIO_TYPE1v2_IOMMU -> "TYPE1v2";
            case VFIO_NOIOMMU_IOMMU -> "NOIOMMU";
            case VFIO_SPAPR_TCE_IOMMU -> "SPAPR_TCE";
            case VFIO_SPAPR_TCE_v2_IOMMU -> "SPAPR_TCE_v2";
            case VFIO_TYPE1_NESTING_IOMMU -> "TYPE1_NESTING";
            default -> "type" + type;
        };
    }

    // ---------------------------------------------------------------------------------------------
    // Flags and indexes.

    /** {@code VFIO_GROUP_FLAGS_VIABLE}, vfio.h l.146-150. */
    public static final int GROUP_FLAGS_VIABLE = 1;
    public static final int GROUP_FLAGS_CONTAINER_SET = 2;

    /** {@code VFIO_DEVICE_FLAGS_*}, vfio.h l.205-219. */
    public static final int DEVICE_FLAGS_RESET = 1;
    public static final int DEVICE_FLAGS_PCI = 2;
    public static final int DEVICE_FLAGS_PLATFORM = 4;
    public static final int DEVICE_FLAGS_AMBA = 8;
    public static final int DEVICE_FLAGS_CCW = 0x10;
    public static final int DEVICE_FLAGS_AP = 0x20;
    public static final int DEVICE_FLAGS_FSL_MC = 0x40;
    public static final int DEVICE_FLAGS_CAPS = 0x80;

    /** {@code VFIO_REGION_INFO_FLAG_*}, vfio.h l.255-266. */
    public static final int REGION_FLAG_READ = 1;
    public static final int REGION_FLAG_WRITE = 2;
    public static final int REGION_FLAG_MMAP = 4;
    public static final int REGION_FLAG_CAPS = 8;

    /** Region capability ids: SPARSE_MMAP 1, TYPE 2, MSIX_MAPPABLE 3 (vfio.h, after l.267). */
    public static final int REGION_CAP_SPARSE_MMAP = 1;
    public static final int REGION_CAP_TYPE = 2;
    public static final int REGION_CAP_MSIX_MAPPABLE = 3;

    /** PCI region indexes, vfio.h l.600-619. */
    public static final int PCI_BAR0_REGION_INDEX = 0;
    public static final int PCI_BAR5_REGION_INDEX = 5;
    public static final int PCI_ROM_REGION_INDEX = 6;
    public static final int PCI_CONFIG_REGION_INDEX = 7;
    public static final int PCI_VGA_REGION_INDEX = 8;
    public static final int PCI_NUM_REGIONS = 9;

    /** {@code VFIO_IRQ_INFO_*}, vfio.h l.515-524. */
    public static final int IRQ_INFO_EVENTFD = 1;
    public static final int IRQ_INFO_MASKABLE = 2;
    public static final int IRQ_INFO_AUTOMASKED = 4;
    public static final int IRQ_INFO_NORESIZE = 8;

    /** {@code VFIO_IRQ_SET_*}, vfio.h l.565-578. */
    public static final int IRQ_SET_DATA_NONE = 1;
    public static final int IRQ_SET_DATA_BOOL = 2;
    public static final int IRQ_SET_DATA_EVENTFD = 4;
    public static final int IRQ_SET_ACTION_MASK = 8;
    public static final int IRQ_SET_ACTION_UNMASK = 0x10;
    public static final int IRQ_SET_ACTION_TRIGGER = 0x20;

    /** PCI IRQ indexes, vfio.h l.621-628. */
    public static final int PCI_INTX_IRQ_INDEX = 0;
    public static final int PCI_MSI_IRQ_INDEX = 1;
    public static final int PCI_MSIX_IRQ_INDEX = 2;
    public static final int PCI_ERR_IRQ_INDEX = 3;
    public static final int PCI_REQ_IRQ_INDEX = 4;
    public static final int PCI_NUM_IRQS = 5;

    /** {@code VFIO_IOMMU_INFO_*}, vfio.h l.1145-1150. */
    public static final int IOMMU_INFO_FLAG_PGSIZES = 1;
    public static final int IOMMU_INFO_FLAG_CAPS = 2;
    /** IOMMU capability ids: IOVA_RANGE 1, MIGRATION 2, DMA_AVAIL 3. */
    public static final int IOMMU_CAP_IOVA_RANGE = 1;
    public static final int IOMMU_CAP_MIGRATION = 2;
    public static final int IOMMU_CAP_DMA_AVAIL = 3;

    /** {@code VFIO_DMA_MAP_FLAG_*}, vfio.h l.1230-1240: READ and/or WRITE required. */
    public static final int DMA_MAP_FLAG_READ = 1;
    public static final int DMA_MAP_FLAG_WRITE = 2;
    public static final int DMA_MAP_FLAG_VADDR = 4;
    /**
     * {@code VFIO_DMA_UNMAP_FLAG_*}, vfio.h l.1277-1287. Bit 0 is GET_DIRTY_BITMAP, not READ: unmap passes
     * {@code flags = 0} (ixy passes map flags here by mistake).
     */
    public static final int DMA_UNMAP_FLAG_GET_DIRTY_BITMAP = 1;
    public static final int DMA_UNMAP_FLAG_ALL = 2;
    public static final int DMA_UNMAP_FLAG_VADDR = 4;

    public static String regionName(int index) {
        if (index >= PCI_BAR0_REGION_INDEX && index <= PCI_BAR5_REGION_INDEX) {
            return "BAR" + index;
        }
        return switch (index) {
            case PCI_ROM_REGION_INDEX -> "ROM";
            case PCI_CONFIG_REGION_INDEX -> "CONFIG";
            case PCI_VGA_REGION_INDEX -> "VGA";
            default -> "REGION" + index;
        };
    }

    public static String irqName(int index) {
        return switch (index) {
            case PCI_INTX_IRQ_INDEX -> "INTX";
            case PCI_MSI_IRQ_INDEX -> "MSI";
            case PCI_MSIX_IRQ_INDEX -> "MSIX";
            case PCI_ERR_IRQ_INDEX -> "ERR";
            case PCI_REQ_IRQ_INDEX -> "REQ";
            default -> "IRQ" + index;
        };
    }

    // ---------------------------------------------------------------------------------------------
    // Struct layouts.

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
    public static final StructLayout GROUP_STATUS = MemoryLayout.structLayout(
            JAVA_INT.withName("argsz"), JAVA_INT.withName("flags")).withName("vfio_group_status");
    public static final VarHandle GROUP_STATUS_ARGSZ = field(GROUP_STATUS, "argsz");
    public static final VarHandle GROUP_STATUS_FLAGS = field(GROUP_STATUS, "flags");

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
    public static final StructLayout DEVICE_INFO = MemoryLayout.structLayout(
            JAVA_INT.withName("argsz"), JAVA_INT.withName("flags"), JAVA_INT.withName("num_regions"),
            JAVA_INT.withName("num_irqs"), JAVA_INT.withName("cap_offset")).withName("vfio_device_info");
    public static final VarHandle DEVICE_INFO_ARGSZ = field(DEVICE_INFO, "argsz");
    public static final VarHandle DEVICE_INFO_FLAGS = field(DEVICE_INFO, "flags");
    public static final VarHandle DEVICE_INFO_NUM_REGIONS = field(DEVICE_INFO, "num_regions");
    public static final VarHandle DEVICE_INFO_NUM_IRQS = field(DEVICE_INFO, "num_irqs");

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
    public static final StructLayout REGION_INFO = MemoryLayout.structLayout(
            JAVA_INT.withName("argsz"), JAVA_INT.withName("flags"), JAVA_INT.withName("index"),
            JAVA_INT.withName("cap_offset"), JAVA_LONG.withName("size"), JAVA_LONG.withName("offset"))
            .withName("vfio_region_info");
    public static final VarHandle REGION_INFO_ARGSZ = field(REGION_INFO, "argsz");
    public static final VarHandle REGION_INFO_FLAGS = field(REGION_INFO, "flags");
    public static final VarHandle REGION_INFO_INDEX = field(REGION_INFO, "index");
    public static final VarHandle REGION_INFO_CAP_OFFSET = field(REGION_INFO, "cap_offset");
    public static final VarHandle REGION_INFO_SIZE = field(REGION_INFO, "size");
    public static final VarHandle REGION_INFO_OFFSET = field(REGION_INFO, "offset");

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
    public static final StructLayout INFO_CAP_HEADER = MemoryLayout.structLayout(
            JAVA_SHORT.withName("id"), JAVA_SHORT.withName("version"), JAVA_INT.withName("next"))
            .withName("vfio_info_cap_header");
    public static final VarHandle CAP_ID = field(INFO_CAP_HEADER, "id");
    public static final VarHandle CAP_VERSION = field(INFO_CAP_HEADER, "version");
    public static final VarHandle CAP_NEXT = field(INFO_CAP_HEADER, "next");

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
    public static final StructLayout REGION_CAP_SPARSE_MMAP_LAYOUT = MemoryLayout.structLayout(
            INFO_CAP_HEADER.withName("header"), JAVA_INT.withName("nr_areas"), JAVA_INT.withName("reserved"))
            .withName("vfio_region_info_cap_sparse_mmap");
    public static final VarHandle SPARSE_NR_AREAS = field(REGION_CAP_SPARSE_MMAP_LAYOUT, "nr_areas");
    public static final StructLayout SPARSE_MMAP_AREA = MemoryLayout.structLayout(
            JAVA_LONG_UNALIGNED.withName("offset"), JAVA_LONG_UNALIGNED.withName("size"))
            .withName("vfio_region_sparse_mmap_area");
    public static final VarHandle SPARSE_AREA_OFFSET = field(SPARSE_MMAP_AREA, "offset");
    public static final VarHandle SPARSE_AREA_SIZE = field(SPARSE_MMAP_AREA, "size");

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
    public static final StructLayout IRQ_INFO = MemoryLayout.structLayout(
            JAVA_INT.withName("argsz"), JAVA_INT.withName("flags"), JAVA_INT.withName("index"),
            JAVA_INT.withName("count")).withName("vfio_irq_info");
    public static final VarHandle IRQ_INFO_ARGSZ = field(IRQ_INFO, "argsz");
    public static final VarHandle IRQ_INFO_FLAGS = field(IRQ_INFO, "flags");
    public static final VarHandle IRQ_INFO_INDEX = field(IRQ_INFO, "index");
    public static final VarHandle IRQ_INFO_COUNT = field(IRQ_INFO, "count");

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
    public static final StructLayout IRQ_SET = MemoryLayout.structLayout(
            JAVA_INT.withName("argsz"), JAVA_INT.withName("flags"), JAVA_INT.withName("index"),
            JAVA_INT.withName("start"), JAVA_INT.withName("count")).withName("vfio_irq_set");
    public static final VarHandle IRQ_SET_ARGSZ = field(IRQ_SET, "argsz");
    public static final VarHandle IRQ_SET_FLAGS = field(IRQ_SET, "flags");
    public static final VarHandle IRQ_SET_INDEX = field(IRQ_SET, "index");
    public static final VarHandle IRQ_SET_START = field(IRQ_SET, "start");
    public static final VarHandle IRQ_SET_COUNT = field(IRQ_SET, "count");

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
    public static final StructLayout IOMMU_TYPE1_INFO = MemoryLayout.structLayout(
            JAVA_INT.withName("argsz"), JAVA_INT.withName("flags"), JAVA_LONG.withName("iova_pgsizes"),
            JAVA_INT.withName("cap_offset"), MemoryLayout.paddingLayout(4)).withName("vfio_iommu_type1_info");
    public static final VarHandle IOMMU_INFO_ARGSZ = field(IOMMU_TYPE1_INFO, "argsz");
    public static final VarHandle IOMMU_INFO_FLAGS = field(IOMMU_TYPE1_INFO, "flags");
    public static final VarHandle IOMMU_INFO_PGSIZES = field(IOMMU_TYPE1_INFO, "iova_pgsizes");
    public static final VarHandle IOMMU_INFO_CAP_OFFSET = field(IOMMU_TYPE1_INFO, "cap_offset");

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
    public static final StructLayout IOMMU_CAP_IOVA_RANGE_LAYOUT = MemoryLayout.structLayout(
            INFO_CAP_HEADER.withName("header"), JAVA_INT.withName("nr_iovas"), JAVA_INT.withName("reserved"))
            .withName("vfio_iommu_type1_info_cap_iova_range");
    public static final VarHandle IOVA_RANGE_NR_IOVAS = field(IOMMU_CAP_IOVA_RANGE_LAYOUT, "nr_iovas");
    /*
     * Capability payloads are packed one after the other with no 8-byte alignment: on a 6.1 kernel the
     * 12-byte DMA_AVAIL capability puts the IOVA_RANGE capability at offset 68 and its u64 ranges at 84.
     * Their u64 fields are therefore read as unaligned (seen in the QEMU guest, VfioHilTest).
     */
    public static final StructLayout IOVA_RANGE = MemoryLayout.structLayout(
            JAVA_LONG_UNALIGNED.withName("start"), JAVA_LONG_UNALIGNED.withName("end"))
            .withName("vfio_iova_range");
    public static final VarHandle IOVA_RANGE_START = field(IOVA_RANGE, "start");
    public static final VarHandle IOVA_RANGE_END = field(IOVA_RANGE, "end");

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
    public static final StructLayout IOMMU_CAP_DMA_AVAIL_LAYOUT = MemoryLayout.structLayout(
            INFO_CAP_HEADER.withName("header"), JAVA_INT.withName("avail"))
            .withName("vfio_iommu_type1_info_dma_avail");
    public static final VarHandle DMA_AVAIL_AVAIL = field(IOMMU_CAP_DMA_AVAIL_LAYOUT, "avail");

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
    public static final StructLayout DMA_MAP = MemoryLayout.structLayout(
            JAVA_INT.withName("argsz"), JAVA_INT.withName("flags"), JAVA_LONG.withName("vaddr"),
            JAVA_LONG.withName("iova"), JAVA_LONG.withName("size")).withName("vfio_iommu_type1_dma_map");
    public static final VarHandle DMA_MAP_ARGSZ = field(DMA_MAP, "argsz");
    public static final VarHandle DMA_MAP_FLAGS = field(DMA_MAP, "flags");
    public static final VarHandle DMA_MAP_VADDR = field(DMA_MAP, "vaddr");
    public static final VarHandle DMA_MAP_IOVA = field(DMA_MAP, "iova");
    public static final VarHandle DMA_MAP_SIZE = field(DMA_MAP, "size");

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
    public static final StructLayout DMA_UNMAP = MemoryLayout.structLayout(
            JAVA_INT.withName("argsz"), JAVA_INT.withName("flags"), JAVA_LONG.withName("iova"),
            JAVA_LONG.withName("size")).withName("vfio_iommu_type1_dma_unmap");
    public static final VarHandle DMA_UNMAP_ARGSZ = field(DMA_UNMAP, "argsz");
    public static final VarHandle DMA_UNMAP_FLAGS = field(DMA_UNMAP, "flags");
    public static final VarHandle DMA_UNMAP_IOVA = field(DMA_UNMAP, "iova");
    public static final VarHandle DMA_UNMAP_SIZE = field(DMA_UNMAP, "size");
}

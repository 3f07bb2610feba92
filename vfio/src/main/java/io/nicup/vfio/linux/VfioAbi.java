package io.nicup.vfio.linux;

/**
 * The VFIO user ABI: ioctl numbers, constants, flags and indexes of {@code linux/vfio.h} (x86-64 and
 * aarch64, little-endian); {@code VfioStructs} holds the struct layouts they are used with, and
 * {@link VfioInfoBuffers} parses the info structs and their capability chains.
 * Line numbers refer to {@code /usr/include/linux/vfio.h} of Debian's linux-libc-dev 6.1
 * (docs/hardware-reference.md A); the ioctl numbers are asserted against the documented values in
 * {@code VfioAbiTest}.
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
}

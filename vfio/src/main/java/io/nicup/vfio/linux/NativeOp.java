package io.nicup.vfio.linux;

/**
 * The native operations this package performs, named as in the kernel headers so that a failure message
 * can be searched for. {@link VfioErrors} maps (operation, errno) to a reason and a remedy.
 */
public enum NativeOp {
    /** {@code open("/dev/vfio/vfio")}. */
    OPEN_CONTAINER("open(/dev/vfio/vfio)"),
    /** {@code open("/dev/vfio/N")}. */
    OPEN_GROUP("open(/dev/vfio/N)"),
    /** Any other {@code open(2)}. */
    OPEN("open"),
    CLOSE("close"),
    GET_API_VERSION("VFIO_GET_API_VERSION"),
    CHECK_EXTENSION("VFIO_CHECK_EXTENSION"),
    SET_IOMMU("VFIO_SET_IOMMU"),
    IOMMU_GET_INFO("VFIO_IOMMU_GET_INFO"),
    MAP_DMA("VFIO_IOMMU_MAP_DMA"),
    UNMAP_DMA("VFIO_IOMMU_UNMAP_DMA"),
    GROUP_GET_STATUS("VFIO_GROUP_GET_STATUS"),
    GROUP_SET_CONTAINER("VFIO_GROUP_SET_CONTAINER"),
    GROUP_GET_DEVICE_FD("VFIO_GROUP_GET_DEVICE_FD"),
    DEVICE_GET_INFO("VFIO_DEVICE_GET_INFO"),
    DEVICE_GET_REGION_INFO("VFIO_DEVICE_GET_REGION_INFO"),
    DEVICE_GET_IRQ_INFO("VFIO_DEVICE_GET_IRQ_INFO"),
    DEVICE_SET_IRQS("VFIO_DEVICE_SET_IRQS"),
    DEVICE_RESET("VFIO_DEVICE_RESET"),
    /** {@code mmap} of a device region (a BAR). */
    MMAP_REGION("mmap(region)"),
    /** {@code mmap} of anonymous memory for DMA. */
    MMAP_ANONYMOUS("mmap(anonymous)"),
    MUNMAP("munmap"),
    MADVISE("madvise"),
    PREAD("pread"),
    PWRITE("pwrite"),
    READ("read"),
    WRITE("write"),
    EVENTFD("eventfd"),
    POLL("poll"),
    MEMFD_CREATE("memfd_create"),
    GETRLIMIT("getrlimit");

    private final String cName;

    NativeOp(String cName) {
        this.cName = cName;
    }

    /** The name as in the C headers or man pages. */
    public String cName() {
        return cName;
    }
}

package io.nicup.vfio;

/**
 * Allocates DMA memory for one device. Every region is zeroed before it is mapped for the device.
 */
public interface DmaAllocator {

    /**
     * Allocates, zeroes, pins and maps {@code size} bytes aligned (in both CPU and IOVA space) to
     * {@code alignment}, a power of two of at most the page size.
     *
     * @throws DeviceAccessException with {@code RESOURCE_LIMIT} when the locked-memory limit, the IOMMU's
     *     mapping count or the IOVA space is exhausted (the message says which and how to raise it)
     */
    DmaRegion allocate(String purpose, long size, long alignment);

    /** Page size backing the allocations: 2 MiB with hugepages, else 4 KiB. */
    long pageSize();

    /** Whether allocations come from hugepages; when not, {@link #fallbackReason()} says why. */
    boolean hugePages();

    /** Why hugepages are not used (empty when they are). */
    String fallbackReason();

    /** Regions currently allocated and not closed. */
    int liveRegions();
}

package io.nicup.vfio.linux;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.Path;

/**
 * Everything this package asks of the kernel for one VFIO device: the VFIO ioctls, the file and memory
 * calls around them. {@link FfmVfioKernel} is the real one; tests use a double that records the calls
 * and injects failures, so that the open/close sequence of {@link VfioPciDevice} and its error mapping
 * can be checked without {@code /dev/vfio}.
 *
 * <p>Every method throws a {@link NativeCallException} (built by {@link VfioErrors}) on failure;
 * none returns an error code. The methods are thread-safe.
 */
public interface VfioKernel {

    /** Opens a VFIO character device read/write with O_CLOEXEC; {@code op} says which kind (container or group). */
    int open(Path path, NativeOp op);

    void close(int fd);

    /** {@code VFIO_GET_API_VERSION}. */
    int apiVersion(int containerFd);

    /** {@code VFIO_CHECK_EXTENSION}: 0 when not supported, &gt; 0 when supported. */
    int checkExtension(int containerFd, int extension);

    /** {@code VFIO_SET_IOMMU}; only after a group is attached. */
    void setIommu(int containerFd, int type);

    /** {@code VFIO_IOMMU_GET_INFO} with capabilities. */
    IommuInfo iommuInfo(int containerFd);

    /** {@code VFIO_IOMMU_MAP_DMA} with READ|WRITE. */
    void mapDma(int containerFd, long vaddr, long iova, long size);

    /** {@code VFIO_IOMMU_UNMAP_DMA} with flags 0; returns the bytes unmapped. */
    long unmapDma(int containerFd, long iova, long size);

    /** {@code VFIO_GROUP_GET_STATUS}: the flags ({@link VfioAbi#GROUP_FLAGS_VIABLE}, ...). */
    int groupStatus(int groupFd);

    /** {@code VFIO_GROUP_SET_CONTAINER}. */
    void setContainer(int groupFd, int containerFd);

    /** {@code VFIO_GROUP_GET_DEVICE_FD}: a new fd for device {@code bdf} ("0000:01:00.0"). */
    int deviceFd(int groupFd, String bdf);

    /** {@code VFIO_DEVICE_GET_INFO}. */
    DeviceInfo deviceInfo(int deviceFd);

    /** {@code VFIO_DEVICE_GET_REGION_INFO} with capabilities. */
    RegionInfo regionInfo(int deviceFd, int index);

    /** {@code VFIO_DEVICE_GET_IRQ_INFO}. */
    IrqInfo irqInfo(int deviceFd, int index);

    /**
     * {@code VFIO_DEVICE_SET_IRQS}; {@code eventfds} is the data for {@code DATA_EVENTFD} (one per vector,
     * -1 de-assigns) or null for {@code DATA_NONE}.
     */
    void setIrqs(int deviceFd, int index, int flags, int start, int count, int[] eventfds);

    /** {@code VFIO_DEVICE_RESET}. */
    void reset(int deviceFd);

    /**
     * Maps {@code size} bytes of a device region at file offset {@code offset} (MAP_SHARED, read/write).
     * The returned segment is bound to {@code scope}; the caller closes the scope, then calls
     * {@link #munmap(long, long)}.
     */
    MemorySegment mmapRegion(int deviceFd, long offset, long size, Arena scope);

    /**
     * Maps {@code size} bytes of zeroed anonymous shared memory, from 2 MiB hugepages when {@code hugePages}
     * (MAP_HUGETLB|MAP_HUGE_2MB), not inherited by child processes (MADV_DONTFORK).
     *
     * @return the address
     */
    long mmapAnonymous(long size, boolean hugePages);

    void munmap(long address, long size);

    /** Reads exactly {@code dst.byteSize()} bytes at {@code offset}; a short read is an EIO failure. */
    void pread(int fd, MemorySegment dst, long offset);

    /** Writes exactly {@code src.byteSize()} bytes at {@code offset}; a short write is an EIO failure. */
    void pwrite(int fd, MemorySegment src, long offset);

    /** This process's locked-memory limit. */
    MemlockLimit memlockLimit();
}

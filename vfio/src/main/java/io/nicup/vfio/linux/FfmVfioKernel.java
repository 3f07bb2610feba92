package io.nicup.vfio.linux;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Path;

/**
 * The real {@link VfioKernel}: VFIO ioctls and file/memory calls through {@link LibC}. Stateless and
 * thread-safe: every call allocates its struct buffers and errno capture in a temporary confined arena.
 */
public final class FfmVfioKernel implements VfioKernel {

    /** Hugepage size for MAP_HUGE_2MB. */
    static final long HUGE_PAGE = 2L << 20;

    @Override
    public int open(Path path, NativeOp op) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment state = LibC.newCallState(a);
            int fd = LibC.open(state, a.allocateFrom(path.toString()), LibC.O_RDWR | LibC.O_CLOEXEC, 0);
            if (fd < 0) {
                throw VfioErrors.failure(op, LibC.errno(state), path.toString(), null);
            }
            return fd;
        }
    }

    @Override
    public void close(int fd) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment state = LibC.newCallState(a);
            if (LibC.close(state, fd) != 0 && LibC.errno(state) != Errno.EINTR) {
                throw VfioErrors.failure(NativeOp.CLOSE, LibC.errno(state), "fd=" + fd, null);
            }
        }
    }

    private static int ioctl(NativeOp op, int fd, long request, long arg, String target) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment state = LibC.newCallState(a);
            int r = LibC.ioctl(state, fd, request, arg);
            if (r < 0) {
                throw VfioErrors.failure(op, LibC.errno(state), target, "fd=" + fd);
            }
            return r;
        }
    }

    private static int ioctl(NativeOp op, MemorySegment state, int fd, long request, MemorySegment arg,
            String target, String detail) {
        int r = LibC.ioctl(state, fd, request, arg);
        if (r < 0) {
            throw VfioErrors.failure(op, LibC.errno(state), target, detail == null ? "fd=" + fd : "fd=" + fd + " " + detail);
        }
        return r;
    }

    @Override
    public int apiVersion(int containerFd) {
        return ioctl(NativeOp.GET_API_VERSION, containerFd, VfioAbi.VFIO_GET_API_VERSION, 0, "/dev/vfio/vfio");
    }

    @Override
    public int checkExtension(int containerFd, int extension) {
        return ioctl(NativeOp.CHECK_EXTENSION, containerFd, VfioAbi.VFIO_CHECK_EXTENSION, extension,
                "extension=" + VfioAbi.iommuTypeName(extension));
    }

    @Override
    public void setIommu(int containerFd, int type) {
        ioctl(NativeOp.SET_IOMMU, containerFd, VfioAbi.VFIO_SET_IOMMU, type, "type=" + VfioAbi.iommuTypeName(type));
    }

    @Override
    public IommuInfo iommuInfo(int containerFd) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment state = LibC.newCallState(a);
            int size = (int) VfioStructs.IOMMU_TYPE1_INFO.byteSize();
            MemorySegment buf = a.allocate(size, 8);
            VfioStructs.IOMMU_INFO_ARGSZ.set(buf, 0L, size);
            ioctl(NativeOp.IOMMU_GET_INFO, state, containerFd, VfioAbi.VFIO_IOMMU_GET_INFO, buf, null, null);
            int needed = (int) VfioStructs.IOMMU_INFO_ARGSZ.get(buf, 0L);
            if (needed > size) {
                // vfio.h l.92-99: the capabilities did not fit; argsz now says how much is needed.
                buf = a.allocate(needed, 8);
                VfioStructs.IOMMU_INFO_ARGSZ.set(buf, 0L, needed);
                ioctl(NativeOp.IOMMU_GET_INFO, state, containerFd, VfioAbi.VFIO_IOMMU_GET_INFO, buf, null, null);
            }
            return VfioInfoBuffers.parseIommuInfo(buf);
        }
    }

    @Override
    public void mapDma(int containerFd, long vaddr, long iova, long size) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment state = LibC.newCallState(a);
            MemorySegment m = a.allocate(VfioStructs.DMA_MAP);
            VfioStructs.DMA_MAP_ARGSZ.set(m, 0L, (int) VfioStructs.DMA_MAP.byteSize());
            VfioStructs.DMA_MAP_FLAGS.set(m, 0L, VfioAbi.DMA_MAP_FLAG_READ | VfioAbi.DMA_MAP_FLAG_WRITE);
            VfioStructs.DMA_MAP_VADDR.set(m, 0L, vaddr);
            VfioStructs.DMA_MAP_IOVA.set(m, 0L, iova);
            VfioStructs.DMA_MAP_SIZE.set(m, 0L, size);
            ioctl(NativeOp.MAP_DMA, state, containerFd, VfioAbi.VFIO_IOMMU_MAP_DMA, m, null,
                    String.format("vaddr=0x%x iova=0x%x size=0x%x", vaddr, iova, size));
        }
    }

    @Override
    public long unmapDma(int containerFd, long iova, long size) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment state = LibC.newCallState(a);
            MemorySegment u = a.allocate(VfioStructs.DMA_UNMAP);
            VfioStructs.DMA_UNMAP_ARGSZ.set(u, 0L, (int) VfioStructs.DMA_UNMAP.byteSize());
            VfioStructs.DMA_UNMAP_FLAGS.set(u, 0L, 0); // not READ|WRITE: bit 0 is GET_DIRTY_BITMAP (docs/hardware-reference.md A.2)
            VfioStructs.DMA_UNMAP_IOVA.set(u, 0L, iova);
            VfioStructs.DMA_UNMAP_SIZE.set(u, 0L, size);
            ioctl(NativeOp.UNMAP_DMA, state, containerFd, VfioAbi.VFIO_IOMMU_UNMAP_DMA, u, null,
                    String.format("iova=0x%x size=0x%x", iova, size));
            return (long) VfioStructs.DMA_UNMAP_SIZE.get(u, 0L);
        }
    }

    @Override
    public int groupStatus(int groupFd) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment state = LibC.newCallState(a);
            MemorySegment s = a.allocate(VfioStructs.GROUP_STATUS);
            VfioStructs.GROUP_STATUS_ARGSZ.set(s, 0L, (int) VfioStructs.GROUP_STATUS.byteSize());
            ioctl(NativeOp.GROUP_GET_STATUS, state, groupFd, VfioAbi.VFIO_GROUP_GET_STATUS, s, null, null);
            return (int) VfioStructs.GROUP_STATUS_FLAGS.get(s, 0L);
        }
    }

    @Override
    public void setContainer(int groupFd, int containerFd) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment state = LibC.newCallState(a);
            // The kernel does get_user(fd, (int __user *)arg): a pointer to an int (docs/hardware-reference.md A.1).
            MemorySegment fd = a.allocateFrom(ValueLayout.JAVA_INT, containerFd);
            ioctl(NativeOp.GROUP_SET_CONTAINER, state, groupFd, VfioAbi.VFIO_GROUP_SET_CONTAINER, fd, null,
                    "container_fd=" + containerFd);
        }
    }

    @Override
    public int deviceFd(int groupFd, String bdf) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment state = LibC.newCallState(a);
            return ioctl(NativeOp.GROUP_GET_DEVICE_FD, state, groupFd, VfioAbi.VFIO_GROUP_GET_DEVICE_FD,
                    a.allocateFrom(bdf), bdf, null);
        }
    }

    @Override
    public DeviceInfo deviceInfo(int deviceFd) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment state = LibC.newCallState(a);
            MemorySegment s = a.allocate(VfioStructs.DEVICE_INFO);
            VfioStructs.DEVICE_INFO_ARGSZ.set(s, 0L, (int) VfioStructs.DEVICE_INFO.byteSize());
            ioctl(NativeOp.DEVICE_GET_INFO, state, deviceFd, VfioAbi.VFIO_DEVICE_GET_INFO, s, null, null);
            return VfioInfoBuffers.parseDeviceInfo(s);
        }
    }

    @Override
    public RegionInfo regionInfo(int deviceFd, int index) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment state = LibC.newCallState(a);
            int size = (int) VfioStructs.REGION_INFO.byteSize();
            MemorySegment buf = regionInfoBuffer(a, size, index);
            String target = VfioAbi.regionName(index);
            ioctl(NativeOp.DEVICE_GET_REGION_INFO, state, deviceFd, VfioAbi.VFIO_DEVICE_GET_REGION_INFO, buf, target,
                    null);
            int needed = (int) VfioStructs.REGION_INFO_ARGSZ.get(buf, 0L);
            if (needed > size) {
                buf = regionInfoBuffer(a, needed, index);
                ioctl(NativeOp.DEVICE_GET_REGION_INFO, state, deviceFd, VfioAbi.VFIO_DEVICE_GET_REGION_INFO, buf,
                        target, null);
            }
            return VfioInfoBuffers.parseRegionInfo(buf);
        }
    }

    private static MemorySegment regionInfoBuffer(Arena a, int size, int index) {
        MemorySegment buf = a.allocate(size, 8);
        VfioStructs.REGION_INFO_ARGSZ.set(buf, 0L, size);
        VfioStructs.REGION_INFO_INDEX.set(buf, 0L, index);
        return buf;
    }

    @Override
    public IrqInfo irqInfo(int deviceFd, int index) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment state = LibC.newCallState(a);
            MemorySegment s = a.allocate(VfioStructs.IRQ_INFO);
            VfioStructs.IRQ_INFO_ARGSZ.set(s, 0L, (int) VfioStructs.IRQ_INFO.byteSize());
            VfioStructs.IRQ_INFO_INDEX.set(s, 0L, index);
            ioctl(NativeOp.DEVICE_GET_IRQ_INFO, state, deviceFd, VfioAbi.VFIO_DEVICE_GET_IRQ_INFO, s,
                    VfioAbi.irqName(index), null);
            return VfioInfoBuffers.parseIrqInfo(s);
        }
    }

    @Override
    public void setIrqs(int deviceFd, int index, int flags, int start, int count, int[] eventfds) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment state = LibC.newCallState(a);
            MemorySegment s = VfioInfoBuffers.irqSet(a, index, flags, start, count, eventfds);
            ioctl(NativeOp.DEVICE_SET_IRQS, state, deviceFd, VfioAbi.VFIO_DEVICE_SET_IRQS, s, VfioAbi.irqName(index),
                    "flags=0x" + Integer.toHexString(flags) + " start=" + start + " count=" + count);
        }
    }

    @Override
    public void reset(int deviceFd) {
        ioctl(NativeOp.DEVICE_RESET, deviceFd, VfioAbi.VFIO_DEVICE_RESET, 0, null);
    }

    @SuppressWarnings("restricted") // FFM by design: this module talks to the kernel
    @Override
    public MemorySegment mmapRegion(int deviceFd, long offset, long size, Arena scope) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment state = LibC.newCallState(a);
            long addr = LibC.mmap(state, 0, size, LibC.PROT_READ | LibC.PROT_WRITE, LibC.MAP_SHARED, deviceFd, offset);
            if (addr == LibC.MAP_FAILED) {
                throw VfioErrors.failure(NativeOp.MMAP_REGION, LibC.errno(state), null,
                        String.format("fd=%d offset=0x%x size=0x%x", deviceFd, offset, size));
            }
            return MemorySegment.ofAddress(addr).reinterpret(size, scope, null);
        }
    }

    @Override
    public long mmapAnonymous(long size, boolean hugePages) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment state = LibC.newCallState(a);
            int flags = LibC.MAP_SHARED | LibC.MAP_ANONYMOUS | (hugePages ? LibC.MAP_HUGETLB | LibC.MAP_HUGE_2MB : 0);
            long addr = LibC.mmap(state, 0, size, LibC.PROT_READ | LibC.PROT_WRITE, flags, -1, 0);
            if (addr == LibC.MAP_FAILED) {
                throw VfioErrors.failure(NativeOp.MMAP_ANONYMOUS, LibC.errno(state), null,
                        String.format("size=0x%x hugepages=%b", size, hugePages));
            }
            // DMA memory must not become copy-on-write in a forked child (e.g. modprobe).
            if (LibC.madvise(state, addr, size, LibC.MADV_DONTFORK) != 0) {
                int errno = LibC.errno(state);
                LibC.munmap(state, addr, size);
                throw VfioErrors.failure(NativeOp.MADVISE, errno, null, "advice=MADV_DONTFORK");
            }
            return addr;
        }
    }

    @Override
    public void munmap(long address, long size) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment state = LibC.newCallState(a);
            if (LibC.munmap(state, address, size) != 0) {
                throw VfioErrors.failure(NativeOp.MUNMAP, LibC.errno(state), null,
                        String.format("address=0x%x size=0x%x", address, size));
            }
        }
    }

    @Override
    public void pread(int fd, MemorySegment dst, long offset) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment state = LibC.newCallState(a);
            long n = LibC.pread(state, fd, dst, offset);
            if (n != dst.byteSize()) {
                throw VfioErrors.failure(NativeOp.PREAD, n < 0 ? LibC.errno(state) : Errno.EIO, null,
                        String.format("fd=%d offset=0x%x length=%d got=%d", fd, offset, dst.byteSize(), n));
            }
        }
    }

    @Override
    public void pwrite(int fd, MemorySegment src, long offset) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment state = LibC.newCallState(a);
            long n = LibC.pwrite(state, fd, src, offset);
            if (n != src.byteSize()) {
                throw VfioErrors.failure(NativeOp.PWRITE, n < 0 ? LibC.errno(state) : Errno.EIO, null,
                        String.format("fd=%d offset=0x%x length=%d wrote=%d", fd, offset, src.byteSize(), n));
            }
        }
    }

    @Override
    public MemlockLimit memlockLimit() {
        return MemlockLimit.query();
    }
}

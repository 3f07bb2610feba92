package io.nicup.vfio.linux;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A {@link VfioKernel} test double: a vfio-pci 82574L-like device (BAR0 128 KiB mmap-able, BAR2 I/O,
 * BAR3 MSI-X 16 KiB, config 4 KiB, INTx/MSI/MSI-X 1/1/5), an IOMMU with 4 KiB/2 MiB/1 GiB pages below
 * 2^39, memory from arenas, a call log, fd tracking and failure injection by call name.
 */
final class FakeVfioKernel implements VfioKernel {

    static final long CONFIG_OFFSET = 7L << 40;

    /** Every call in order, e.g. {@code "open /tmp/x/dev/vfio/vfio -> 3"}, {@code "close 3 (container)"}. */
    final List<String> log = new ArrayList<>();
    /** Open fds and what they are. */
    final Map<Integer, String> openFds = new LinkedHashMap<>();
    /** Injected failures: call name to errno. */
    final Map<String, Integer> failures = new HashMap<>();
    /** Live DMA mappings: iova to size. */
    final TreeMap<Long, Long> dmaMappings = new TreeMap<>();
    /** Live anonymous or region mappings: address to arena. */
    final Map<Long, Arena> mappings = new HashMap<>();
    /** Every SET_IRQS: {index, flags, start, count, fds...}. */
    final List<int[]> irqSets = new ArrayList<>();

    int apiVersion = 0;
    List<Integer> extensions = List.of(VfioAbi.VFIO_TYPE1_IOMMU, VfioAbi.VFIO_TYPE1v2_IOMMU);
    int groupFlags = VfioAbi.GROUP_FLAGS_VIABLE;
    IommuInfo iommu = new IommuInfo(3, (1L << 12) | (1L << 21) | (1L << 30),
            List.of(new IovaRange(0, 0xFEDF_FFFFL), new IovaRange(0xFEF0_0000L, (1L << 39) - 1)), 65535);
    DeviceInfo device = new DeviceInfo(VfioAbi.DEVICE_FLAGS_RESET | VfioAbi.DEVICE_FLAGS_PCI, 9, 5);
    final Map<Integer, RegionInfo> regions = new HashMap<>();
    final Map<Integer, IrqInfo> irqs = new HashMap<>();
    final Arena memory = Arena.ofShared();
    final MemorySegment config = memory.allocate(4096, 8);
    final Map<Integer, MemorySegment> barMemory = new HashMap<>();
    MemlockLimit memlock = new MemlockLimit(MemlockLimit.UNLIMITED, MemlockLimit.UNLIMITED);
    boolean hugePagesAvailable = false;
    int setIommuType = -1;
    int resets;
    private int nextFd = 3;

    FakeVfioKernel() {
        int rw = VfioAbi.REGION_FLAG_READ | VfioAbi.REGION_FLAG_WRITE;
        regions.put(0, RegionInfo.of(0, rw | VfioAbi.REGION_FLAG_MMAP, 128 << 10, 0L));
        regions.put(1, RegionInfo.of(1, rw | VfioAbi.REGION_FLAG_MMAP, 128 << 10, 1L << 40));
        regions.put(2, RegionInfo.of(2, rw, 32, 2L << 40));
        regions.put(3, new RegionInfo(3, rw | VfioAbi.REGION_FLAG_MMAP | VfioAbi.REGION_FLAG_CAPS, 16 << 10, 3L << 40,
                List.of(VfioAbi.REGION_CAP_SPARSE_MMAP), List.of(new SparseArea(0x2000, 0x2000))));
        regions.put(4, RegionInfo.of(4, 0, 0, 4L << 40));
        regions.put(5, RegionInfo.of(5, 0, 0, 5L << 40));
        regions.put(6, RegionInfo.of(6, VfioAbi.REGION_FLAG_READ, 0, 6L << 40));
        regions.put(7, RegionInfo.of(7, rw, 4096, CONFIG_OFFSET));
        regions.put(8, RegionInfo.of(8, 0, 0, 8L << 40));
        int ev = VfioAbi.IRQ_INFO_EVENTFD;
        irqs.put(0, new IrqInfo(0, ev | VfioAbi.IRQ_INFO_MASKABLE | VfioAbi.IRQ_INFO_AUTOMASKED, 1));
        irqs.put(1, new IrqInfo(1, ev | VfioAbi.IRQ_INFO_NORESIZE, 1));
        irqs.put(2, new IrqInfo(2, ev | VfioAbi.IRQ_INFO_NORESIZE, 5));
        irqs.put(3, new IrqInfo(3, ev, 1));
        irqs.put(4, new IrqInfo(4, ev, 1));
        // 82574L identity and BARs as vfio-pci shows them (BAR values virtualised: flags only matter here)
        config.set(java.lang.foreign.ValueLayout.JAVA_SHORT_UNALIGNED, 0x00, (short) 0x8086);
        config.set(java.lang.foreign.ValueLayout.JAVA_SHORT_UNALIGNED, 0x02, (short) 0x10d3);
        config.set(java.lang.foreign.ValueLayout.JAVA_INT_UNALIGNED, 0x08, 0x0200_0000);
        config.set(java.lang.foreign.ValueLayout.JAVA_INT_UNALIGNED, 0x10, 0xfebc_0000);
        config.set(java.lang.foreign.ValueLayout.JAVA_INT_UNALIGNED, 0x14, 0xfeba_0000);
        config.set(java.lang.foreign.ValueLayout.JAVA_INT_UNALIGNED, 0x18, 0x0000_c001);
        config.set(java.lang.foreign.ValueLayout.JAVA_INT_UNALIGNED, 0x1c, 0xfebf_0000);
        config.set(java.lang.foreign.ValueLayout.JAVA_SHORT_UNALIGNED, 0x2c, (short) 0x8086);
        config.set(java.lang.foreign.ValueLayout.JAVA_SHORT_UNALIGNED, 0x04, (short) 0x0007);
    }

    void failOn(String call, int errno) {
        failures.put(call, errno);
    }

    private void maybeFail(String call, NativeOp op, String target) {
        Integer errno = failures.get(call);
        if (errno != null) {
            log.add(call + " FAILED " + Errno.name(errno));
            throw VfioErrors.failure(op, errno, target, "injected=true");
        }
    }

    private int newFd(String what) {
        int fd = nextFd++;
        openFds.put(fd, what);
        return fd;
    }

    private void checkFd(int fd, String kind) {
        String what = openFds.get(fd);
        if (what == null || !what.startsWith(kind)) {
            throw VfioErrors.failure(NativeOp.CLOSE, Errno.EBADF, "fd=" + fd, "expected=" + kind);
        }
    }

    @Override
    public synchronized int open(Path path, NativeOp op) {
        String key = op == NativeOp.OPEN_CONTAINER ? "open-container" : "open-group";
        maybeFail(key, op, path.toString());
        int fd = newFd(op == NativeOp.OPEN_CONTAINER ? "container" : "group " + path.getFileName());
        log.add("open " + path.getFileName() + " -> " + fd);
        return fd;
    }

    @Override
    public synchronized void close(int fd) {
        String what = openFds.remove(fd);
        log.add("close " + fd + " (" + what + ")");
        if (what == null) {
            throw VfioErrors.failure(NativeOp.CLOSE, Errno.EBADF, "fd=" + fd, null);
        }
        maybeFail("close", NativeOp.CLOSE, "fd=" + fd);
    }

    @Override
    public synchronized int apiVersion(int containerFd) {
        checkFd(containerFd, "container");
        maybeFail("apiVersion", NativeOp.GET_API_VERSION, null);
        return apiVersion;
    }

    @Override
    public synchronized int checkExtension(int containerFd, int extension) {
        checkFd(containerFd, "container");
        maybeFail("checkExtension", NativeOp.CHECK_EXTENSION, null);
        return extensions.contains(extension) ? 1 : 0;
    }

    @Override
    public synchronized void setIommu(int containerFd, int type) {
        checkFd(containerFd, "container");
        maybeFail("setIommu", NativeOp.SET_IOMMU, null);
        log.add("setIommu " + VfioAbi.iommuTypeName(type));
        setIommuType = type;
    }

    @Override
    public synchronized IommuInfo iommuInfo(int containerFd) {
        checkFd(containerFd, "container");
        maybeFail("iommuInfo", NativeOp.IOMMU_GET_INFO, null);
        return iommu;
    }

    @Override
    public synchronized void mapDma(int containerFd, long vaddr, long iova, long size) {
        checkFd(containerFd, "container");
        maybeFail("mapDma", NativeOp.MAP_DMA, null);
        long page = iommu.minPageSize();
        if (size == 0 || iova % page != 0 || size % page != 0 || vaddr % page != 0) {
            throw VfioErrors.failure(NativeOp.MAP_DMA, Errno.EINVAL, null, "unaligned");
        }
        var below = dmaMappings.floorEntry(iova + size - 1);
        if (below != null && below.getKey() + below.getValue() > iova) {
            throw VfioErrors.failure(NativeOp.MAP_DMA, Errno.EEXIST, null, "overlap");
        }
        dmaMappings.put(iova, size);
        log.add(String.format("mapDma iova=0x%x size=0x%x", iova, size));
    }

    @Override
    public synchronized long unmapDma(int containerFd, long iova, long size) {
        checkFd(containerFd, "container");
        maybeFail("unmapDma", NativeOp.UNMAP_DMA, null);
        Long s = dmaMappings.get(iova);
        if (s == null || s != size) {
            throw VfioErrors.failure(NativeOp.UNMAP_DMA, Errno.EINVAL, null, "no such mapping");
        }
        dmaMappings.remove(iova);
        log.add(String.format("unmapDma iova=0x%x size=0x%x", iova, size));
        return size;
    }

    @Override
    public synchronized int groupStatus(int groupFd) {
        checkFd(groupFd, "group");
        maybeFail("groupStatus", NativeOp.GROUP_GET_STATUS, null);
        return groupFlags;
    }

    @Override
    public synchronized void setContainer(int groupFd, int containerFd) {
        checkFd(groupFd, "group");
        checkFd(containerFd, "container");
        maybeFail("setContainer", NativeOp.GROUP_SET_CONTAINER, null);
        log.add("setContainer " + groupFd + " " + containerFd);
    }

    @Override
    public synchronized int deviceFd(int groupFd, String bdf) {
        checkFd(groupFd, "group");
        maybeFail("deviceFd", NativeOp.GROUP_GET_DEVICE_FD, bdf);
        if (setIommuType < 0) {
            throw VfioErrors.failure(NativeOp.GROUP_GET_DEVICE_FD, Errno.EINVAL, bdf, "no iommu set");
        }
        int fd = newFd("device " + bdf);
        log.add("deviceFd " + bdf + " -> " + fd);
        return fd;
    }

    @Override
    public synchronized DeviceInfo deviceInfo(int deviceFd) {
        checkFd(deviceFd, "device");
        maybeFail("deviceInfo", NativeOp.DEVICE_GET_INFO, null);
        return device;
    }

    @Override
    public synchronized RegionInfo regionInfo(int deviceFd, int index) {
        checkFd(deviceFd, "device");
        maybeFail("regionInfo", NativeOp.DEVICE_GET_REGION_INFO, null);
        RegionInfo r = regions.get(index);
        if (r == null) {
            throw VfioErrors.failure(NativeOp.DEVICE_GET_REGION_INFO, Errno.EINVAL, null, "index=" + index);
        }
        return r;
    }

    @Override
    public synchronized IrqInfo irqInfo(int deviceFd, int index) {
        checkFd(deviceFd, "device");
        maybeFail("irqInfo", NativeOp.DEVICE_GET_IRQ_INFO, null);
        IrqInfo i = irqs.get(index);
        if (i == null) {
            throw VfioErrors.failure(NativeOp.DEVICE_GET_IRQ_INFO, Errno.EINVAL, null, "index=" + index);
        }
        return i;
    }

    @Override
    public synchronized void setIrqs(int deviceFd, int index, int flags, int start, int count, int[] eventfds) {
        checkFd(deviceFd, "device");
        maybeFail("setIrqs", NativeOp.DEVICE_SET_IRQS, null);
        int[] rec = new int[4 + (eventfds == null ? 0 : eventfds.length)];
        rec[0] = index;
        rec[1] = flags;
        rec[2] = start;
        rec[3] = count;
        if (eventfds != null) {
            System.arraycopy(eventfds, 0, rec, 4, eventfds.length);
        }
        irqSets.add(rec);
        log.add("setIrqs index=" + index + " flags=0x" + Integer.toHexString(flags) + " count=" + count);
    }

    @Override
    public synchronized void reset(int deviceFd) {
        checkFd(deviceFd, "device");
        maybeFail("reset", NativeOp.DEVICE_RESET, null);
        resets++;
        log.add("reset");
    }

    @SuppressWarnings("restricted") // FFM by design: this module talks to the kernel
    @Override
    public synchronized MemorySegment mmapRegion(int deviceFd, long offset, long size, Arena scope) {
        checkFd(deviceFd, "device");
        maybeFail("mmapRegion", NativeOp.MMAP_REGION, null);
        int index = (int) (offset >>> 40);
        long within = offset & ((1L << 40) - 1);
        MemorySegment bar = barMemory.computeIfAbsent(index, i -> memory.allocate(regions.get(i).size(), 4096));
        MemorySegment slice = bar.asSlice(within, size);
        // track as a mapping so that munmap can be checked
        mappings.put(slice.address(), null);
        log.add(String.format("mmapRegion %s offset=0x%x size=0x%x", VfioAbi.regionName(index), within, size));
        return MemorySegment.ofAddress(slice.address()).reinterpret(size, scope, null);
    }

    @Override
    public synchronized long mmapAnonymous(long size, boolean hugePages) {
        maybeFail(hugePages ? "mmapAnonymousHuge" : "mmapAnonymous", NativeOp.MMAP_ANONYMOUS, null);
        if (hugePages && !hugePagesAvailable) {
            throw VfioErrors.failure(NativeOp.MMAP_ANONYMOUS, Errno.ENOMEM, null, "hugepages=0");
        }
        Arena a = Arena.ofShared();
        MemorySegment s = a.allocate(size, hugePages ? 2 << 20 : 4096);
        s.fill((byte) 0x5A); // dirty on purpose: the allocator must zero what it hands out
        mappings.put(s.address(), a);
        log.add(String.format("mmapAnonymous size=0x%x huge=%b", size, hugePages));
        return s.address();
    }

    @Override
    public synchronized void munmap(long address, long size) {
        if (!mappings.containsKey(address)) {
            throw VfioErrors.failure(NativeOp.MUNMAP, Errno.EINVAL, null, "not mapped");
        }
        Arena a = mappings.remove(address);
        if (a != null) {
            a.close();
        }
        log.add(String.format("munmap size=0x%x", size));
    }

    @Override
    public synchronized void pread(int fd, MemorySegment dst, long offset) {
        checkFd(fd, "device");
        maybeFail("pread", NativeOp.PREAD, null);
        MemorySegment src = source(offset, dst.byteSize());
        MemorySegment.copy(src, 0, dst, 0, dst.byteSize());
    }

    @Override
    public synchronized void pwrite(int fd, MemorySegment src, long offset) {
        checkFd(fd, "device");
        maybeFail("pwrite", NativeOp.PWRITE, null);
        MemorySegment dst = source(offset, src.byteSize());
        MemorySegment.copy(src, 0, dst, 0, src.byteSize());
        log.add(String.format("pwrite offset=0x%x len=%d", offset, src.byteSize()));
    }

    private MemorySegment source(long offset, long len) {
        int index = (int) (offset >>> 40);
        long within = offset & ((1L << 40) - 1);
        MemorySegment m = index == 7 ? config
                : barMemory.computeIfAbsent(index, i -> memory.allocate(regions.get(i).size(), 4096));
        if (within + len > m.byteSize()) {
            throw VfioErrors.failure(NativeOp.PREAD, Errno.EINVAL, null, "beyond region");
        }
        return m.asSlice(within, len);
    }

    @Override
    public MemlockLimit memlockLimit() {
        return memlock;
    }

    int configByte(int offset) {
        return Byte.toUnsignedInt(config.get(JAVA_BYTE, offset));
    }

    /** Calls logged since (and including) the first entry starting with {@code prefix}. */
    List<String> logFrom(String prefix) {
        for (int i = 0; i < log.size(); i++) {
            if (log.get(i).startsWith(prefix)) {
                return log.subList(i, log.size());
            }
        }
        return List.of();
    }
}

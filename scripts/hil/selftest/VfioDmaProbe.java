// scripts/hil/selftest/VfioDmaProbe.java — harness self-test, run INSIDE a HIL guest (not project code).
//
// Usage (guest, as root, device already bound to vfio-pci):
//   java --enable-native-access=ALL-UNNAMED scripts/hil/selftest/VfioDmaProbe.java BDF [MIB]
//
// Proves the guest is usable for VFIO type1 DMA: opens the container and the device's group, checks
// viability, attaches, selects TYPE1v2, maps a 4 MiB hugetlbfs buffer (/dev/hugepages) and an
// anonymous buffer of MIB MiB (default 16, i.e. more than the default 8 MiB RLIMIT_MEMLOCK: root
// pins through CAP_IPC_LOCK), unmaps both, opens the device fd and prints its region/IRQ counts.
// Exit 0 ok; 3 group not viable (prints the errno of GROUP_SET_CONTAINER); 1 other failure.
// Ioctl numbers and struct layouts: docs/hardware-reference.md, A.1/A.2.

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;
import java.nio.file.Files;
import java.nio.file.Path;

public final class VfioDmaProbe {
    static final int GET_API_VERSION = 0x3B64, CHECK_EXTENSION = 0x3B65, SET_IOMMU = 0x3B66,
            GROUP_GET_STATUS = 0x3B67, GROUP_SET_CONTAINER = 0x3B68, GROUP_GET_DEVICE_FD = 0x3B6A,
            DEVICE_GET_INFO = 0x3B6B, IOMMU_MAP_DMA = 0x3B71, IOMMU_UNMAP_DMA = 0x3B72;
    static final int TYPE1v2 = 3;
    static final int O_RDWR = 2, O_CREAT = 0x40;
    static final int PROT_RW = 3, MAP_SHARED = 1, MAP_PRIVATE = 2, MAP_ANONYMOUS = 0x20, MAP_POPULATE = 0x8000;

    static final Linker LINKER = Linker.nativeLinker();
    static final StructLayout CCS = Linker.Option.captureStateLayout();
    static final VarHandle ERRNO = CCS.varHandle(MemoryLayout.PathElement.groupElement("errno"));
    static final Arena ARENA = Arena.ofAuto();
    static final MemorySegment STATE = ARENA.allocate(CCS);

    static MethodHandle fn(String name, FunctionDescriptor fd, Linker.Option... opts) {
        return LINKER.downcallHandle(LINKER.defaultLookup().find(name).orElseThrow(), fd, opts);
    }

    static final Linker.Option ERR = Linker.Option.captureCallState("errno");
    static final MethodHandle OPEN = fn("open", FunctionDescriptor.of(ValueLayout.JAVA_INT,
            ValueLayout.ADDRESS, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT), ERR, Linker.Option.firstVariadicArg(2));
    static final MethodHandle IOCTL_L = fn("ioctl", FunctionDescriptor.of(ValueLayout.JAVA_INT,
            ValueLayout.JAVA_INT, ValueLayout.JAVA_LONG, ValueLayout.JAVA_LONG), ERR, Linker.Option.firstVariadicArg(2));
    static final MethodHandle IOCTL_P = fn("ioctl", FunctionDescriptor.of(ValueLayout.JAVA_INT,
            ValueLayout.JAVA_INT, ValueLayout.JAVA_LONG, ValueLayout.ADDRESS), ERR, Linker.Option.firstVariadicArg(2));
    static final MethodHandle MMAP = fn("mmap", FunctionDescriptor.of(ValueLayout.ADDRESS, ValueLayout.ADDRESS,
            ValueLayout.JAVA_LONG, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT,
            ValueLayout.JAVA_LONG), ERR);
    static final MethodHandle FTRUNCATE = fn("ftruncate", FunctionDescriptor.of(ValueLayout.JAVA_INT,
            ValueLayout.JAVA_INT, ValueLayout.JAVA_LONG), ERR);

    static int errno() {
        return (int) ERRNO.get(STATE, 0L);
    }

    static int check(String what, int rc) {
        if (rc < 0) {
            throw new IllegalStateException(what + " failed: errno " + errno());
        }
        return rc;
    }

    static int open(String path, int flags) throws Throwable {
        return check("open " + path, (int) OPEN.invokeExact(STATE, ARENA.allocateFrom(path), flags, 0600));
    }

    static int ioctl(int fd, int req, long arg) throws Throwable {
        return (int) IOCTL_L.invokeExact(STATE, fd, (long) req, arg);
    }

    static int ioctl(int fd, int req, MemorySegment arg) throws Throwable {
        return (int) IOCTL_P.invokeExact(STATE, fd, (long) req, arg);
    }

    static MemorySegment mmap(long size, int flags, int fd) throws Throwable {
        MemorySegment p = (MemorySegment) MMAP.invokeExact(STATE, MemorySegment.NULL, size, PROT_RW, flags, fd, 0L);
        if (p.address() == -1L) {
            throw new IllegalStateException("mmap " + size + " failed: errno " + errno());
        }
        return p.reinterpret(size);
    }

    static void map(int container, MemorySegment buf, long iova, String what) throws Throwable {
        MemorySegment m = ARENA.allocate(32);
        m.set(ValueLayout.JAVA_INT, 0, 32);
        m.set(ValueLayout.JAVA_INT, 4, 3); // READ | WRITE
        m.set(ValueLayout.JAVA_LONG, 8, buf.address());
        m.set(ValueLayout.JAVA_LONG, 16, iova);
        m.set(ValueLayout.JAVA_LONG, 24, buf.byteSize());
        check("MAP_DMA " + what, ioctl(container, IOMMU_MAP_DMA, m));
        MemorySegment u = ARENA.allocate(24);
        u.set(ValueLayout.JAVA_INT, 0, 24);
        u.set(ValueLayout.JAVA_INT, 4, 0);
        u.set(ValueLayout.JAVA_LONG, 8, iova);
        u.set(ValueLayout.JAVA_LONG, 16, buf.byteSize());
        check("UNMAP_DMA " + what, ioctl(container, IOMMU_UNMAP_DMA, u));
        System.out.printf("probe: MAP_DMA+UNMAP_DMA %s: %d KiB at iova 0x%x ok (unmapped %d KiB)%n",
                what, buf.byteSize() >> 10, iova, u.get(ValueLayout.JAVA_LONG, 16) >> 10);
    }

    public static void main(String[] args) throws Throwable {
        String bdf = args[0];
        long anonMib = args.length > 1 ? Long.parseLong(args[1]) : 16;
        String group = Files.readSymbolicLink(Path.of("/sys/bus/pci/devices", bdf, "iommu_group")).getFileName().toString();
        int container = open("/dev/vfio/vfio", O_RDWR);
        System.out.printf("probe: api version %d, TYPE1v2 extension %d%n",
                ioctl(container, GET_API_VERSION, 0L), ioctl(container, CHECK_EXTENSION, TYPE1v2));
        int groupFd = open("/dev/vfio/" + group, O_RDWR);
        MemorySegment st = ARENA.allocate(8);
        st.set(ValueLayout.JAVA_INT, 0, 8);
        check("GROUP_GET_STATUS", ioctl(groupFd, GROUP_GET_STATUS, st));
        boolean viable = (st.get(ValueLayout.JAVA_INT, 4) & 1) != 0;
        System.out.printf("probe: group %d viable=%b%n", Integer.parseInt(group), viable);
        MemorySegment cfd = ARENA.allocate(ValueLayout.JAVA_INT);
        cfd.set(ValueLayout.JAVA_INT, 0, container);
        int rc = ioctl(groupFd, GROUP_SET_CONTAINER, cfd);
        if (!viable) {
            System.out.printf("probe: GROUP_SET_CONTAINER on a non-viable group -> rc %d errno %d%n", rc, rc < 0 ? errno() : 0);
            System.exit(3);
        }
        check("GROUP_SET_CONTAINER", rc);
        check("SET_IOMMU(TYPE1v2)", ioctl(container, SET_IOMMU, TYPE1v2));

        int hfd = open("/dev/hugepages/nicup-hil-probe", O_RDWR | O_CREAT);
        check("ftruncate", (int) FTRUNCATE.invokeExact(STATE, hfd, 4L << 20));
        map(container, mmap(4L << 20, MAP_SHARED | MAP_POPULATE, hfd), 0x10000000L, "hugetlbfs 2x2MiB");
        Files.delete(Path.of("/dev/hugepages/nicup-hil-probe"));
        map(container, mmap(anonMib << 20, MAP_PRIVATE | MAP_ANONYMOUS | MAP_POPULATE, -1), 0x20000000L,
                "anonymous " + anonMib + " MiB");

        int dev = check("GROUP_GET_DEVICE_FD", ioctl(groupFd, GROUP_GET_DEVICE_FD, ARENA.allocateFrom(bdf)));
        MemorySegment info = ARENA.allocate(20);
        info.set(ValueLayout.JAVA_INT, 0, 20);
        check("DEVICE_GET_INFO", ioctl(dev, DEVICE_GET_INFO, info));
        System.out.printf("probe: device %s flags 0x%x regions %d irqs %d%n", bdf,
                info.get(ValueLayout.JAVA_INT, 4), info.get(ValueLayout.JAVA_INT, 8), info.get(ValueLayout.JAVA_INT, 12));
        System.out.println("probe: OK");
    }
}

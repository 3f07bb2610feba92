package io.nicup.vfio.linux;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;

/**
 * The C library calls this package makes, as FFM downcalls. Each handle is built once at class
 * initialisation; a missing symbol fails there with an {@link UnsatisfiedLinkError} naming it.
 *
 * <p>Every call captures {@code errno} into a call-state segment that the caller owns (allocate it with
 * {@link #newCallState(Arena)} in the arena of the object that makes the calls, or in a temporary arena)
 * and reads with {@link #errno(MemorySegment)}. The wrappers return the raw C result ({@code -1} or
 * {@code MAP_FAILED} on failure) so that the caller decides which exception to throw; {@code EINTR} is
 * retried inside the wrappers where a retry is safe (everything except {@code close} and {@code poll},
 * whose caller must recompute the timeout).
 *
 * <p>Assumes an LP64 Linux ({@code long} and {@code size_t} are 64 bits), x86-64 or aarch64. Flag values
 * are from the asm-generic UAPI headers named beside each constant.
 */
public final class LibC {

    // fcntl.h (asm-generic/fcntl.h)
    public static final int O_RDONLY = 0;
    public static final int O_WRONLY = 1;
    public static final int O_RDWR = 2;
    public static final int O_NONBLOCK = 0x800;   // 00004000
    public static final int O_CLOEXEC = 0x80000;  // 02000000

    // asm-generic/mman-common.h, linux/mman.h
    public static final int PROT_READ = 1;
    public static final int PROT_WRITE = 2;
    public static final int MAP_SHARED = 0x01;
    public static final int MAP_PRIVATE = 0x02;
    public static final int MAP_ANONYMOUS = 0x20;
    public static final int MAP_HUGETLB = 0x40000;
    /** asm-generic/hugetlb_encode.h: {@code HUGETLB_FLAG_ENCODE_SHIFT 26}, 2 MiB = 21 << 26. */
    public static final int MAP_HUGE_2MB = 21 << 26;
    public static final int MADV_DONTFORK = 10;
    public static final long MAP_FAILED = -1L;

    // linux/memfd.h
    public static final int MFD_CLOEXEC = 0x1;
    public static final int MFD_HUGETLB = 0x4;
    public static final int MFD_HUGE_2MB = 21 << 26;

    // sys/eventfd.h (EFD_CLOEXEC = O_CLOEXEC, EFD_NONBLOCK = O_NONBLOCK)
    public static final int EFD_CLOEXEC = O_CLOEXEC;
    public static final int EFD_NONBLOCK = O_NONBLOCK;

    // asm-generic/poll.h
    public static final short POLLIN = 0x1;
    public static final short POLLERR = 0x8;
    public static final short POLLHUP = 0x10;
    public static final short POLLNVAL = 0x20;

    // asm-generic/resource.h
    public static final int RLIMIT_MEMLOCK = 8;
    /** {@code RLIM_INFINITY} is {@code ~0UL}. */
    public static final long RLIM_INFINITY = -1L;

    /**
     * {@snippet lang=c :
     * struct pollfd { int fd; short events; short revents; };   // poll.h
     * }
     * <pre>
     *  0        4        6        8
     *  +--------+--------+--------+
     *  |   fd   | events |revents |
     *  +--------+--------+--------+
     * </pre>
     */
    public static final StructLayout POLLFD = MemoryLayout.structLayout(
            JAVA_INT.withName("fd"), JAVA_SHORT.withName("events"), JAVA_SHORT.withName("revents"))
            .withName("pollfd");
    public static final VarHandle POLLFD_FD = field(POLLFD, "fd");
    public static final VarHandle POLLFD_EVENTS = field(POLLFD, "events");
    public static final VarHandle POLLFD_REVENTS = field(POLLFD, "revents");

    /**
     * {@snippet lang=c :
     * struct rlimit { rlim_t rlim_cur; rlim_t rlim_max; };   // sys/resource.h, rlim_t = unsigned long
     * }
     * <pre>
     *  0          8          16
     *  +----------+----------+
     *  | rlim_cur | rlim_max |
     *  +----------+----------+
     * </pre>
     */
    public static final StructLayout RLIMIT = MemoryLayout.structLayout(
            JAVA_LONG.withName("rlim_cur"), JAVA_LONG.withName("rlim_max")).withName("rlimit");
    public static final VarHandle RLIMIT_CUR = field(RLIMIT, "rlim_cur");
    public static final VarHandle RLIMIT_MAX = field(RLIMIT, "rlim_max");

    private static final Linker LINKER = Linker.nativeLinker();
    private static final SymbolLookup LIBC = LINKER.defaultLookup();
    private static final StructLayout CALL_STATE = Linker.Option.captureStateLayout();
    private static final VarHandle ERRNO = CALL_STATE.varHandle(MemoryLayout.PathElement.groupElement("errno"));
    private static final Linker.Option CAPTURE_ERRNO = Linker.Option.captureCallState("errno");
    private static final Linker.Option VARIADIC_AFTER_2 = Linker.Option.firstVariadicArg(2);

    /** {@code int open(const char *path, int flags, ...)}: mode is variadic. */
    private static final MethodHandle OPEN = downcall("open",
            FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT), VARIADIC_AFTER_2);
    private static final MethodHandle CLOSE = downcall("close", FunctionDescriptor.of(JAVA_INT, JAVA_INT));
    /** {@code int ioctl(int fd, unsigned long request, ...)} with a pointer argument. */
    private static final MethodHandle IOCTL_PTR = downcall("ioctl",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_LONG, ADDRESS), VARIADIC_AFTER_2);
    /** {@code ioctl} with an integer argument passed by value (CHECK_EXTENSION, SET_IOMMU) or none. */
    private static final MethodHandle IOCTL_LONG = downcall("ioctl",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_LONG, JAVA_LONG), VARIADIC_AFTER_2);
    private static final MethodHandle MMAP = downcall("mmap",
            FunctionDescriptor.of(ADDRESS, ADDRESS, JAVA_LONG, JAVA_INT, JAVA_INT, JAVA_INT, JAVA_LONG));
    private static final MethodHandle MUNMAP = downcall("munmap",
            FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_LONG));
    private static final MethodHandle MADVISE = downcall("madvise",
            FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_LONG, JAVA_INT));
    private static final MethodHandle PREAD = downcall("pread",
            FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG, JAVA_LONG));
    private static final MethodHandle PWRITE = downcall("pwrite",
            FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG, JAVA_LONG));
    private static final MethodHandle READ = downcall("read",
            FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG));
    private static final MethodHandle WRITE = downcall("write",
            FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG));
    private static final MethodHandle EVENTFD = downcall("eventfd",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT));
    /** {@code int poll(struct pollfd *fds, nfds_t nfds, int timeout)}, nfds_t = unsigned long. */
    private static final MethodHandle POLL = downcall("poll",
            FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_LONG, JAVA_INT));
    private static final MethodHandle MEMFD_CREATE = downcall("memfd_create",
            FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT));
    private static final MethodHandle GETRLIMIT = downcall("getrlimit",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS));
    private static final MethodHandle GETPID = downcall("getpid", FunctionDescriptor.of(JAVA_INT));

    private LibC() {
    }

    @SuppressWarnings("restricted") // FFM by design: this module talks to the kernel
    private static MethodHandle downcall(String name, FunctionDescriptor descriptor, Linker.Option... extra) {
        MemorySegment symbol = LIBC.find(name)
                .orElseThrow(() -> new UnsatisfiedLinkError("C library symbol not found: " + name));
        Linker.Option[] options = new Linker.Option[extra.length + 1];
        options[0] = CAPTURE_ERRNO;
        System.arraycopy(extra, 0, options, 1, extra.length);
        return LINKER.downcallHandle(symbol, descriptor, options);
    }

    private static VarHandle field(StructLayout layout, String name) {
        return layout.varHandle(MemoryLayout.PathElement.groupElement(name));
    }

    /** A segment to capture errno into, owned by {@code arena}. */
    public static MemorySegment newCallState(Arena arena) {
        return arena.allocate(CALL_STATE);
    }

    /** The errno captured by the last call made with {@code callState}. */
    public static int errno(MemorySegment callState) {
        return (int) ERRNO.get(callState, 0L);
    }

    private static boolean interrupted(long result, MemorySegment state) {
        return result == -1 && errno(state) == Errno.EINTR;
    }

    private static IllegalStateException unexpected(Throwable t) {
        if (t instanceof RuntimeException r) {
            throw r;
        }
        if (t instanceof Error e) {
            throw e;
        }
        return new IllegalStateException("downcall failed: " + t, t);
    }

    /** {@code open(path, flags, mode)}; {@code path} is a NUL-terminated string. */
    public static int open(MemorySegment state, MemorySegment path, int flags, int mode) {
        try {
            int r;
            do {
                r = (int) OPEN.invokeExact(state, path, flags, mode);
            } while (interrupted(r, state));
            return r;
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    /** {@code close(fd)}; never retried (Linux releases the descriptor even when interrupted). */
    public static int close(MemorySegment state, int fd) {
        try {
            return (int) CLOSE.invokeExact(state, fd);
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    /** {@code ioctl(fd, request, arg)} with a pointer argument. */
    public static int ioctl(MemorySegment state, int fd, long request, MemorySegment arg) {
        try {
            int r;
            do {
                r = (int) IOCTL_PTR.invokeExact(state, fd, request, arg);
            } while (interrupted(r, state));
            return r;
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    /** {@code ioctl(fd, request, arg)} with an integer argument by value (0 when the ioctl takes none). */
    public static int ioctl(MemorySegment state, int fd, long request, long arg) {
        try {
            int r;
            do {
                r = (int) IOCTL_LONG.invokeExact(state, fd, request, arg);
            } while (interrupted(r, state));
            return r;
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    /** {@code mmap}; returns the address, or {@link #MAP_FAILED}. */
    public static long mmap(MemorySegment state, long addr, long length, int prot, int flags, int fd, long offset) {
        try {
            MemorySegment r = (MemorySegment) MMAP.invokeExact(state, MemorySegment.ofAddress(addr), length, prot,
                    flags, fd, offset);
            return r.address();
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    public static int munmap(MemorySegment state, long addr, long length) {
        try {
            return (int) MUNMAP.invokeExact(state, MemorySegment.ofAddress(addr), length);
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    public static int madvise(MemorySegment state, long addr, long length, int advice) {
        try {
            return (int) MADVISE.invokeExact(state, MemorySegment.ofAddress(addr), length, advice);
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    /** {@code pread(fd, buf, buf.byteSize(), offset)}. */
    public static long pread(MemorySegment state, int fd, MemorySegment buf, long offset) {
        try {
            long r;
            do {
                r = (long) PREAD.invokeExact(state, fd, buf, buf.byteSize(), offset);
            } while (interrupted(r, state));
            return r;
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    /** {@code pwrite(fd, buf, buf.byteSize(), offset)}. */
    public static long pwrite(MemorySegment state, int fd, MemorySegment buf, long offset) {
        try {
            long r;
            do {
                r = (long) PWRITE.invokeExact(state, fd, buf, buf.byteSize(), offset);
            } while (interrupted(r, state));
            return r;
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    /** {@code read(fd, buf, buf.byteSize())}. */
    public static long read(MemorySegment state, int fd, MemorySegment buf) {
        try {
            long r;
            do {
                r = (long) READ.invokeExact(state, fd, buf, buf.byteSize());
            } while (interrupted(r, state));
            return r;
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    /** {@code write(fd, buf, buf.byteSize())}. */
    public static long write(MemorySegment state, int fd, MemorySegment buf) {
        try {
            long r;
            do {
                r = (long) WRITE.invokeExact(state, fd, buf, buf.byteSize());
            } while (interrupted(r, state));
            return r;
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    public static int eventfd(MemorySegment state, int initval, int flags) {
        try {
            return (int) EVENTFD.invokeExact(state, initval, flags);
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    /**
     * {@code poll(fds, nfds, timeoutMillis)}. Not retried on EINTR: the caller recomputes the timeout.
     *
     * @param fds an array of {@link #POLLFD}
     */
    public static int poll(MemorySegment state, MemorySegment fds, long nfds, int timeoutMillis) {
        try {
            return (int) POLL.invokeExact(state, fds, nfds, timeoutMillis);
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    public static int memfdCreate(MemorySegment state, MemorySegment name, int flags) {
        try {
            return (int) MEMFD_CREATE.invokeExact(state, name, flags);
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    /** {@code getrlimit(resource, rlim)}; {@code rlim} has the {@link #RLIMIT} layout. */
    public static int getrlimit(MemorySegment state, int resource, MemorySegment rlim) {
        try {
            return (int) GETRLIMIT.invokeExact(state, resource, rlim);
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    public static int getpid(MemorySegment state) {
        try {
            return (int) GETPID.invokeExact(state);
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }
}

package io.nicup.vfio.linux;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/**
 * The locked-memory limit ({@code RLIMIT_MEMLOCK}) that VFIO charges pinned DMA memory to, unless the
 * process has CAP_IPC_LOCK (docs/hardware-reference.md A.5).
 *
 * @param current soft limit in bytes, {@link #UNLIMITED} for {@code RLIM_INFINITY}
 * @param max hard limit in bytes, {@link #UNLIMITED} for {@code RLIM_INFINITY}
 */
public record MemlockLimit(long current, long max) {

    public static final long UNLIMITED = LibC.RLIM_INFINITY;

    public boolean unlimited() {
        return current == UNLIMITED;
    }

    /** Whether {@code bytes} more can be pinned on top of {@code alreadyPinned}. */
    public boolean allows(long alreadyPinned, long bytes) {
        return unlimited() || Long.compareUnsigned(alreadyPinned + bytes, current) <= 0;
    }

    /** {@code "8388608 bytes (8192 KiB)"} or {@code "unlimited"}. */
    public String describe() {
        return unlimited() ? "unlimited" : current + " bytes (" + current / 1024 + " KiB)";
    }

    /** This process's limit, through {@code getrlimit(RLIMIT_MEMLOCK)}. */
    public static MemlockLimit query() {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment state = LibC.newCallState(a);
            MemorySegment rlim = a.allocate(LibC.RLIMIT);
            if (LibC.getrlimit(state, LibC.RLIMIT_MEMLOCK, rlim) != 0) {
                throw VfioErrors.failure(NativeOp.GETRLIMIT, LibC.errno(state), "RLIMIT_MEMLOCK", null);
            }
            return new MemlockLimit((long) LibC.RLIMIT_CUR.get(rlim, 0L), (long) LibC.RLIMIT_MAX.get(rlim, 0L));
        }
    }

    /** The current limit described for a message, or {@code "unknown"} if it cannot be read. */
    static String describeCurrent() {
        try {
            return query().describe();
        } catch (RuntimeException | LinkageError e) {
            return "unknown";
        }
    }
}

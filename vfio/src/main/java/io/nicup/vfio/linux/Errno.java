package io.nicup.vfio.linux;

/**
 * Linux errno numbers and their symbolic names. Values from asm-generic/errno-base.h and
 * asm-generic/errno.h (the numbers listed in docs/hardware-reference.md A.6, plus the ones the rest of this
 * package meets); identical on x86-64 and aarch64. No {@code strerror}: the name is what people search for.
 */
public final class Errno {

    public static final int EPERM = 1;
    public static final int ENOENT = 2;
    public static final int ESRCH = 3;
    public static final int EINTR = 4;
    public static final int EIO = 5;
    public static final int ENXIO = 6;
    public static final int E2BIG = 7;
    public static final int EBADF = 9;
    public static final int EAGAIN = 11;
    public static final int ENOMEM = 12;
    public static final int EACCES = 13;
    public static final int EFAULT = 14;
    public static final int EBUSY = 16;
    public static final int EEXIST = 17;
    public static final int ENODEV = 19;
    public static final int ENOTDIR = 20;
    public static final int EINVAL = 22;
    public static final int ENFILE = 23;
    public static final int EMFILE = 24;
    public static final int ENOTTY = 25;
    public static final int EFBIG = 27;
    public static final int ENOSPC = 28;
    public static final int EROFS = 30;
    public static final int ENOSYS = 38;
    public static final int EOVERFLOW = 75;
    public static final int EBADFD = 77;
    public static final int EOPNOTSUPP = 95;
    public static final int ETIMEDOUT = 110;

    private static final String[] NAMES = new String[111];

    static {
        NAMES[EPERM] = "EPERM";
        NAMES[ENOENT] = "ENOENT";
        NAMES[ESRCH] = "ESRCH";
        NAMES[EINTR] = "EINTR";
        NAMES[EIO] = "EIO";
        NAMES[ENXIO] = "ENXIO";
        NAMES[E2BIG] = "E2BIG";
        NAMES[EBADF] = "EBADF";
        NAMES[EAGAIN] = "EAGAIN";
        NAMES[ENOMEM] = "ENOMEM";
        NAMES[EACCES] = "EACCES";
        NAMES[EFAULT] = "EFAULT";
        NAMES[EBUSY] = "EBUSY";
        NAMES[EEXIST] = "EEXIST";
        NAMES[ENODEV] = "ENODEV";
        NAMES[ENOTDIR] = "ENOTDIR";
        NAMES[EINVAL] = "EINVAL";
        NAMES[ENFILE] = "ENFILE";
        NAMES[EMFILE] = "EMFILE";
        NAMES[ENOTTY] = "ENOTTY";
        NAMES[EFBIG] = "EFBIG";
        NAMES[ENOSPC] = "ENOSPC";
        NAMES[EROFS] = "EROFS";
        NAMES[ENOSYS] = "ENOSYS";
        NAMES[EOVERFLOW] = "EOVERFLOW";
        NAMES[EBADFD] = "EBADFD";
        NAMES[EOPNOTSUPP] = "EOPNOTSUPP";
        NAMES[ETIMEDOUT] = "ETIMEDOUT";
    }

    private Errno() {
    }

    /** The symbolic name ({@code "EBUSY"}), or {@code "errno<N>"} for a number not in the table. */
    public static String name(int errno) {
        if (errno > 0 && errno < NAMES.length && NAMES[errno] != null) {
            return NAMES[errno];
        }
        return "errno" + errno;
    }
}

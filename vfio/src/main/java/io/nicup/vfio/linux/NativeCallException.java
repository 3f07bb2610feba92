package io.nicup.vfio.linux;

import io.nicup.vfio.DeviceAccessException;

/**
 * A native call failed with an errno. Carries the operation, the errno number and name, and (through
 * {@link DeviceAccessException}) the reason and the remedy chosen by {@link VfioErrors}. The message is
 * one line of {@code key=value} pairs, e.g.
 * {@code native call failed: op=VFIO_IOMMU_MAP_DMA errno=12 errno_name=ENOMEM iova=0x100000 size=0x200000}.
 */
public final class NativeCallException extends DeviceAccessException {

    private final NativeOp operation;
    private final int errno;

    public NativeCallException(NativeOp operation, int errno, Reason reason, String detail, String remedy) {
        super(reason, message(operation, errno, detail), remedy);
        this.operation = operation;
        this.errno = errno;
    }

    private static String message(NativeOp op, int errno, String detail) {
        String base = "native call failed: op=" + op.cName() + " errno=" + errno + " errno_name="
                + Errno.name(errno);
        return detail == null || detail.isBlank() ? base : base + " " + detail;
    }

    public NativeOp operation() {
        return operation;
    }

    public int errno() {
        return errno;
    }

    public String errnoName() {
        return Errno.name(errno);
    }
}

package io.nicup.vfio;

/**
 * Every failure of the device-access layer. The {@link Reason} lets the caller (only the CLI chooses
 * exit codes) classify it; the message is one line of {@code key=value} detail and {@link #remedy()}
 * says what the user can do about it.
 */
public class DeviceAccessException extends RuntimeException {

    /** What kind of failure this is, coarse enough to map to an exit code. */
    public enum Reason {
        /** A malformed or out-of-range argument (BDF, size, index). */
        INVALID_ARGUMENT,
        /** No such device, region, file or capability. */
        NOT_FOUND,
        /** The device or the platform lacks the feature asked for. */
        UNSUPPORTED,
        /** Not allowed: not root, no access to /dev/vfio/N, capability missing. */
        PERMISSION,
        /** Somebody else holds the device or its group. */
        BUSY,
        /** VFIO or IOMMU set-up: no /dev/vfio, IOMMU off, group not viable, not bound to vfio-pci. */
        VFIO_SETUP,
        /** A resource limit: locked memory, DMA mapping count, IOVA space. */
        RESOURCE_LIMIT,
        /** The device misbehaved: a register never reached its state, reads all-ones. */
        HARDWARE,
        /** Any other failure of the operating system. */
        SYSTEM
    }

    private final Reason reason;
    private final String remedy;

    public DeviceAccessException(Reason reason, String message, String remedy) {
        this(reason, message, remedy, null);
    }

    public DeviceAccessException(Reason reason, String message, String remedy, Throwable cause) {
        super(message, cause);
        this.reason = reason;
        this.remedy = remedy == null ? "" : remedy;
    }

    public Reason reason() {
        return reason;
    }

    /** What the user can do; empty when there is nothing useful to say. */
    public String remedy() {
        return remedy;
    }
}

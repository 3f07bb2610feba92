package io.nicup.cli;

/**
 * The exit codes of {@code nicup}, one place for all of them. README.md lists the same table; a test
 * keeps the two in agreement.
 */
public enum ExitCode {
    OK(0, "success"),
    INTERNAL(1, "internal error: a bug in nicup (rerun with --verbose and report the stack trace)"),
    USAGE(2, "usage: bad arguments or malformed input (BDF, MAC, parameter file, pcap)"),
    NOT_FOUND(3, "device not found"),
    NOT_SUPPORTED(4, "device or feature not supported"),
    PERMISSION(5, "permission denied (not root, no access to /dev/vfio/N)"),
    BUSY(6, "device or IOMMU group in use by another process"),
    VFIO_SETUP(7, "IOMMU/VFIO set-up: no IOMMU, vfio-pci missing, device not bound, group not viable, limits"),
    HARDWARE(8, "hardware failure: the device did not respond as documented, or initialization failed"),
    SELFTEST_FAILED(9, "a self-test or verification failed"),
    ENVIRONMENT(10, "environment: no JDK 25, build failed, a required tool is missing"),
    INCOMPLETE(11, "incomplete: the run ended before it got what was asked (recv: fewer frames than --count)"),
    INTERRUPTED(130, "interrupted (SIGINT/SIGTERM): teardown completed");

    private final int code;
    private final String meaning;

    ExitCode(int code, String meaning) {
        this.code = code;
        this.meaning = meaning;
    }

    public int code() {
        return code;
    }

    public String meaning() {
        return meaning;
    }
}

package io.nicup.ndis.miniport.virtio;

/** The device_status bits (virtio 1.2, 2.1; docs/hardware-reference.md C.3). */
public final class DeviceStatus {

    public static final int ACKNOWLEDGE = 0x01;
    public static final int DRIVER = 0x02;
    public static final int DRIVER_OK = 0x04;
    public static final int FEATURES_OK = 0x08;
    public static final int DEVICE_NEEDS_RESET = 0x40;
    public static final int FAILED = 0x80;

    /** Bits 4 and 5: reserved, set by no driver and no device (docs/hardware-reference.md C.8). */
    public static final int RESERVED = 0x30;

    private DeviceStatus() {
    }

    /**
     * What a read of device_status says that cannot be true, given {@code written}, the value the driver
     * wrote last: a bit the driver set that is gone (only a reset clears bits, 2.1.1), or a bit it never
     * set other than DEVICE_NEEDS_RESET, the device's own (docs/hardware-reference.md C.8); null when
     * the read is consistent.
     */
    public static String contradiction(int read, int written) {
        int lost = written & ~read;
        int foreign = read & ~written & ~DEVICE_NEEDS_RESET;
        if (lost == 0 && foreign == 0) {
            return null;
        }
        return String.format("device_status=0x%02X (%s) but the driver wrote 0x%02X (%s):%s%s", read, decode(read),
                written, decode(written), lost == 0 ? "" : String.format(" lost=0x%02X", lost),
                foreign == 0 ? "" : String.format(" never_set=0x%02X", foreign));
    }

    /** "ACKNOWLEDGE DRIVER FEATURES_OK DRIVER_OK" for dumps and messages. */
    public static String decode(int status) {
        StringBuilder sb = new StringBuilder();
        append(sb, status, ACKNOWLEDGE, "ACKNOWLEDGE");
        append(sb, status, DRIVER, "DRIVER");
        append(sb, status, FEATURES_OK, "FEATURES_OK");
        append(sb, status, DRIVER_OK, "DRIVER_OK");
        append(sb, status, DEVICE_NEEDS_RESET, "DEVICE_NEEDS_RESET");
        append(sb, status, FAILED, "FAILED");
        return sb.isEmpty() ? "reset" : sb.toString();
    }

    private static void append(StringBuilder sb, int v, int bit, String name) {
        if ((v & bit) != 0) {
            sb.append(sb.isEmpty() ? "" : " ").append(name);
        }
    }
}

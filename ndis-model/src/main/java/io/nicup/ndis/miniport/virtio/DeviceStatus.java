package io.nicup.ndis.miniport.virtio;

/** The device_status bits (virtio 1.2, 2.1; docs/hardware-reference.md C.3). */
public final class DeviceStatus {

    public static final int ACKNOWLEDGE = 0x01;
    public static final int DRIVER = 0x02;
    public static final int DRIVER_OK = 0x04;
    public static final int FEATURES_OK = 0x08;
    public static final int DEVICE_NEEDS_RESET = 0x40;
    public static final int FAILED = 0x80;

    private DeviceStatus() {
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

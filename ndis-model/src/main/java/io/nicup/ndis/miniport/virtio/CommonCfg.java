package io.nicup.ndis.miniport.virtio;

import java.lang.foreign.MemoryLayout;
import java.lang.foreign.StructLayout;
import java.lang.foreign.ValueLayout;

/**
 * {@code struct virtio_pci_common_cfg} (virtio 1.2, 4.1.4.3; docs/hardware-reference.md C.2): the offsets of its fields
 * in the COMMON_CFG structure. The structure lives in a BAR, so it is accessed through
 * {@link io.nicup.vfio.RegisterSpace} with exactly the width of each field (8-bit for u8, 16-bit for
 * u16, 32-bit for u32 and for each half of a u64, low half first: 4.1.3.1); QEMU decodes by exact
 * offset, so a wider access returns only the first field (docs/hardware-reference.md C.2, measured).
 *
 * <pre>
 *  0x00 ┌──────────────────────────────┬──────────────────────────────┐
 *       │ device_feature_select  le32  │ device_feature         le32  │
 *  0x08 ├──────────────────────────────┼──────────────────────────────┤
 *       │ driver_feature_select  le32  │ driver_feature         le32  │
 *  0x10 ├───────────────┬──────────────┼───────────┬──────────────────┤
 *       │ msix_config16 │ num_queues16 │ status u8 │ generation u8    │ queue_select le16 @0x16
 *  0x18 ├───────────────┼──────────────┼───────────┴──┬───────────────┤
 *       │ queue_size 16 │ q_msix_vec16 │ queue_enable │ q_notify_off  │
 *  0x20 ├──────────────────────────────┴──────────────┴───────────────┤
 *       │ queue_desc   le64  (descriptor table)                       │
 *  0x28 │ queue_driver le64  (available ring)                         │
 *  0x30 │ queue_device le64  (used ring)                              │
 *  0x38 └─────────────────────────────────────────────────────────────┘
 * </pre>
 */
public final class CommonCfg {

    public static final StructLayout LAYOUT = MemoryLayout.structLayout(
            ValueLayout.JAVA_INT.withName("device_feature_select"),
            ValueLayout.JAVA_INT.withName("device_feature"),
            ValueLayout.JAVA_INT.withName("driver_feature_select"),
            ValueLayout.JAVA_INT.withName("driver_feature"),
            ValueLayout.JAVA_SHORT.withName("config_msix_vector"),
            ValueLayout.JAVA_SHORT.withName("num_queues"),
            ValueLayout.JAVA_BYTE.withName("device_status"),
            ValueLayout.JAVA_BYTE.withName("config_generation"),
            ValueLayout.JAVA_SHORT.withName("queue_select"),
            ValueLayout.JAVA_SHORT.withName("queue_size"),
            ValueLayout.JAVA_SHORT.withName("queue_msix_vector"),
            ValueLayout.JAVA_SHORT.withName("queue_enable"),
            ValueLayout.JAVA_SHORT.withName("queue_notify_off"),
            ValueLayout.JAVA_LONG.withName("queue_desc"),
            ValueLayout.JAVA_LONG.withName("queue_driver"),
            ValueLayout.JAVA_LONG.withName("queue_device"));

    public static final int DEVICE_FEATURE_SELECT = off("device_feature_select");
    public static final int DEVICE_FEATURE = off("device_feature");
    public static final int DRIVER_FEATURE_SELECT = off("driver_feature_select");
    public static final int DRIVER_FEATURE = off("driver_feature");
    public static final int CONFIG_MSIX_VECTOR = off("config_msix_vector");
    public static final int NUM_QUEUES = off("num_queues");
    public static final int DEVICE_STATUS = off("device_status");
    public static final int CONFIG_GENERATION = off("config_generation");
    public static final int QUEUE_SELECT = off("queue_select");
    public static final int QUEUE_SIZE = off("queue_size");
    public static final int QUEUE_MSIX_VECTOR = off("queue_msix_vector");
    public static final int QUEUE_ENABLE = off("queue_enable");
    public static final int QUEUE_NOTIFY_OFF = off("queue_notify_off");
    public static final int QUEUE_DESC = off("queue_desc");
    public static final int QUEUE_DRIVER = off("queue_driver");
    public static final int QUEUE_DEVICE = off("queue_device");
    /** 56 bytes. */
    public static final int SIZE = (int) LAYOUT.byteSize();

    /** "No vector" for config_msix_vector and queue_msix_vector (VIRTIO_MSI_NO_VECTOR, 4.1.5.1.2). */
    public static final int NO_VECTOR = 0xFFFF;

    private static int off(String name) {
        return (int) LAYOUT.byteOffset(MemoryLayout.PathElement.groupElement(name));
    }

    private CommonCfg() {
    }
}

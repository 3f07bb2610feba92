package io.nicup.ndis.miniport.virtio;

import java.lang.foreign.MemoryLayout;
import java.lang.foreign.StructLayout;
import java.lang.foreign.ValueLayout;

/**
 * {@code struct virtio_net_config} (virtio 1.2, 5.1.4; docs/hardware-reference.md C.2), the network device's part of the
 * DEVICE_CFG structure. Fields exist only with their feature: {@code mac} with VIRTIO_NET_F_MAC,
 * {@code status} with VIRTIO_NET_F_STATUS, {@code max_virtqueue_pairs} with MQ or RSS, {@code mtu} with MTU,
 * the RSS limits with RSS or HASH_REPORT.
 *
 * <pre>
 *  0      6          8                      10     12       16       17          18            20          24
 *  ┌──────┬──────────┬──────────────────────┬──────┬────────┬────────┬───────────┬─────────────┬───────────┐
 *  │mac[6]│status 16 │ max_virtqueue_pairs  │ mtu  │speed 32│duplex 8│rss_max_key│rss_max_indir│supported_ │
 *  │      │          │                      │      │        │        │_size 8    │_table_len 16│hash_types │
 *  └──────┴──────────┴──────────────────────┴──────┴────────┴────────┴───────────┴─────────────┴───────────┘
 * </pre>
 */
public final class NetConfig {

    public static final StructLayout LAYOUT = MemoryLayout.structLayout(
            MemoryLayout.sequenceLayout(6, ValueLayout.JAVA_BYTE).withName("mac"),
            ValueLayout.JAVA_SHORT_UNALIGNED.withName("status"),
            ValueLayout.JAVA_SHORT_UNALIGNED.withName("max_virtqueue_pairs"),
            ValueLayout.JAVA_SHORT_UNALIGNED.withName("mtu"),
            ValueLayout.JAVA_INT_UNALIGNED.withName("speed"),
            ValueLayout.JAVA_BYTE.withName("duplex"),
            ValueLayout.JAVA_BYTE.withName("rss_max_key_size"),
            ValueLayout.JAVA_SHORT_UNALIGNED.withName("rss_max_indirection_table_length"),
            ValueLayout.JAVA_INT_UNALIGNED.withName("supported_hash_types"));

    public static final int MAC = off("mac");
    public static final int STATUS = off("status");
    public static final int MAX_VIRTQUEUE_PAIRS = off("max_virtqueue_pairs");
    public static final int MTU = off("mtu");
    /** With RSS or HASH_REPORT (docs/hardware-reference.md C.10): 17, 18, 20. */
    public static final int RSS_MAX_KEY_SIZE = off("rss_max_key_size");
    public static final int RSS_MAX_TABLE_LENGTH = off("rss_max_indirection_table_length");
    public static final int SUPPORTED_HASH_TYPES = off("supported_hash_types");

    /** status bits (5.1.4). */
    public static final int S_LINK_UP = 1;
    public static final int S_ANNOUNCE = 2;

    private static int off(String name) {
        return (int) LAYOUT.byteOffset(MemoryLayout.PathElement.groupElement(name));
    }

    private NetConfig() {
    }
}

package io.nicup.ndis.miniport.virtio;

import java.lang.foreign.MemoryLayout;
import java.lang.foreign.StructLayout;
import java.lang.foreign.ValueLayout;

/**
 * {@code struct virtio_net_hdr} as VERSION_1 defines it: 12 bytes, {@code num_buffers} included even
 * without MRG_RXBUF (virtio 1.2, 5.1.6; docs/hardware-reference.md C.6). It precedes every frame: on transmit the driver
 * sends it zeroed (no checksum offload, GSO_NONE); on receive the device writes it in front of the frame
 * in the same buffer.
 *
 * <pre>
 *  0       1          2          4          6            8             10           12
 *  ┌───────┬──────────┬──────────┬──────────┬────────────┬─────────────┬────────────┐
 *  │ flags │ gso_type │ hdr_len  │ gso_size │ csum_start │ csum_offset │ num_buffers│
 *  └───────┴──────────┴──────────┴──────────┴────────────┴─────────────┴────────────┘
 * </pre>
 */
public final class NetHeader {

    public static final StructLayout LAYOUT = MemoryLayout.structLayout(
            ValueLayout.JAVA_BYTE.withName("flags"),
            ValueLayout.JAVA_BYTE.withName("gso_type"),
            ValueLayout.JAVA_SHORT_UNALIGNED.withName("hdr_len"),
            ValueLayout.JAVA_SHORT_UNALIGNED.withName("gso_size"),
            ValueLayout.JAVA_SHORT_UNALIGNED.withName("csum_start"),
            ValueLayout.JAVA_SHORT_UNALIGNED.withName("csum_offset"),
            ValueLayout.JAVA_SHORT_UNALIGNED.withName("num_buffers"));

    /** 12. */
    public static final int BYTES = (int) LAYOUT.byteSize();
    public static final long NUM_BUFFERS = LAYOUT.byteOffset(MemoryLayout.PathElement.groupElement("num_buffers"));

    /**
     * {@code struct virtio_net_hdr_v1_hash}: the header above, then hash_value (le32) and hash_report (le16)
     * and two reserved bytes, in front of every frame both ways once VIRTIO_NET_F_HASH_REPORT is negotiated
     * (virtio 1.2 5.1.6, 5.1.6.4.4; docs/hardware-reference.md C.10). On transmit the driver leaves them 0.
     *
     * <pre>
     *  0                12            16             18        20
     *  ┌────────────────┬─────────────┬──────────────┬─────────┐
     *  │ virtio_net_hdr │ hash_value  │ hash_report  │ padding │
     *  └────────────────┴─────────────┴──────────────┴─────────┘
     * </pre>
     */
    public static final StructLayout HASH_LAYOUT = MemoryLayout.structLayout(
            LAYOUT.withName("hdr"),
            ValueLayout.JAVA_INT_UNALIGNED.withName("hash_value"),
            ValueLayout.JAVA_SHORT_UNALIGNED.withName("hash_report"),
            ValueLayout.JAVA_SHORT_UNALIGNED.withName("padding_reserved"));

    /** 20. */
    public static final int HASH_BYTES = (int) HASH_LAYOUT.byteSize();
    public static final long HASH_VALUE = HASH_LAYOUT.byteOffset(MemoryLayout.PathElement.groupElement("hash_value"));
    public static final long HASH_REPORT = HASH_LAYOUT.byteOffset(MemoryLayout.PathElement.groupElement("hash_report"));

    /** The header both ways under the {@code negotiated} features. */
    public static int bytes(long negotiated) {
        return (negotiated & Features.NET_F_HASH_REPORT) != 0 ? HASH_BYTES : BYTES;
    }

    private NetHeader() {
    }
}

package io.nicup.ndis.miniport.virtio;

/**
 * Feature bits the driver knows (virtio 1.2, 6 "Reserved Feature Bits" and 5.1.3; docs/hardware-reference.md C.3), as
 * masks of the 64-bit feature word.
 */
public final class Features {

    /** The device computes a checksum from csum_start on transmit (5.1.3; docs/hardware-reference.md C.9). */
    public static final long NET_F_CSUM = 1L << 0;
    /** The driver takes frames with a partial checksum, and the DATA_VALID verdict, on receive. */
    public static final long NET_F_GUEST_CSUM = 1L << 1;
    public static final long NET_F_MAC = 1L << 5;
    /** The device segments TCP over IPv4 (gso_type TCPV4); requires CSUM (5.1.3.1). */
    public static final long NET_F_HOST_TSO4 = 1L << 11;
    /** The device segments TCP over IPv6 (gso_type TCPV6); requires CSUM (5.1.3.1). */
    public static final long NET_F_HOST_TSO6 = 1L << 12;
    public static final long NET_F_MRG_RXBUF = 1L << 15;
    public static final long NET_F_STATUS = 1L << 16;
    public static final long NET_F_CTRL_VQ = 1L << 17;
    public static final long NET_F_CTRL_RX = 1L << 18;
    /** Several queue pairs and VIRTIO_NET_CTRL_MQ_VQ_PAIRS_SET (5.1.3; docs/hardware-reference.md C.10). */
    public static final long NET_F_MQ = 1L << 22;
    public static final long F_RING_INDIRECT_DESC = 1L << 28;
    public static final long F_RING_EVENT_IDX = 1L << 29;
    public static final long F_VERSION_1 = 1L << 32;
    /** Old name VIRTIO_F_IOMMU_PLATFORM: the device goes through the IOMMU; must be accepted when offered. */
    public static final long F_ACCESS_PLATFORM = 1L << 33;
    public static final long F_RING_PACKED = 1L << 34;
    /** The device reports each received frame's hash in virtio_net_hdr_v1_hash; requires CTRL_VQ (docs/hardware-reference.md C.10). */
    public static final long NET_F_HASH_REPORT = 1L << 57;
    /** The device steers by hash and indirection table (RSS_CONFIG); requires CTRL_VQ (docs/hardware-reference.md C.10). */
    public static final long NET_F_RSS = 1L << 60;

    /** Required: this driver speaks only the 1.x interface. */
    public static final long REQUIRED = F_VERSION_1;
    /**
     * Accepted when offered. ACCESS_PLATFORM: a device offering it fails FEATURES_OK unless the driver takes
     * it (QEMU virtio_validate_features, docs/hardware-reference.md C.3), and VFIO gives it IOVAs anyway. The rest: MAC and
     * link status from the config space, the control queue with RX mode and MAC table. Offloads, mergeable
     * buffers and event index are left out: one buffer per frame, an interrupt per used batch.
     */
    public static final long OPTIONAL = F_ACCESS_PLATFORM | NET_F_MAC | NET_F_STATUS | NET_F_CTRL_VQ | NET_F_CTRL_RX
            | NET_F_MQ;
    /**
     * The offloads the data path implements ({@link VirtioOffload}); each is accepted when offered and the
     * keywords leave it on.
     */
    public static final long OFFLOADS = NET_F_CSUM | NET_F_GUEST_CSUM | NET_F_HOST_TSO4 | NET_F_HOST_TSO6;
    /**
     * RSS and hash report ({@link VirtioReceiveScale}): accepted when offered and {@code *RSS} leaves RSS on.
     * RSS only with HASH_REPORT: over one queue pair steering spreads nothing, and NDIS needs the hash.
     */
    public static final long RECEIVE_SCALE = NET_F_RSS | NET_F_HASH_REPORT;

    private Features() {
    }

    /** The driver's subset of {@code offered}: the required bits (when offered) and the optional ones offered. */
    public static long accept(long offered) {
        return accept(offered, 0);
    }

    /**
     * The driver's subset of {@code offered} with the offloads of {@code offloads} (of {@link #OFFLOADS})
     * that are offered, each with the features it depends on (5.1.3.1).
     */
    public static long accept(long offered, long offloads) {
        long accepted = offered & (REQUIRED | OPTIONAL | (offloads & (OFFLOADS | RECEIVE_SCALE)));
        if ((accepted & NET_F_CTRL_VQ) == 0) {
            accepted &= ~(NET_F_CTRL_RX | NET_F_MQ | RECEIVE_SCALE);   // each depends on CTRL_VQ (5.1.3.1)
        }
        if ((accepted & NET_F_HASH_REPORT) == 0) {
            accepted &= ~NET_F_RSS;
        }
        if ((accepted & NET_F_CSUM) == 0) {
            accepted &= ~(NET_F_HOST_TSO4 | NET_F_HOST_TSO6); // HOST_TSO4/6 depend on CSUM (5.1.3.1)
        }
        return accepted;
    }

    /** "VERSION_1 ACCESS_PLATFORM MAC STATUS CTRL_VQ CTRL_RX" for messages. */
    public static String decode(long f) {
        StringBuilder sb = new StringBuilder();
        long[] bits = {F_VERSION_1, F_ACCESS_PLATFORM, NET_F_MAC, NET_F_STATUS, NET_F_CTRL_VQ, NET_F_CTRL_RX,
            NET_F_MRG_RXBUF, F_RING_INDIRECT_DESC, F_RING_EVENT_IDX, F_RING_PACKED, NET_F_CSUM, NET_F_GUEST_CSUM,
            NET_F_HOST_TSO4, NET_F_HOST_TSO6, NET_F_HASH_REPORT, NET_F_RSS, NET_F_MQ};
        String[] names = {"VERSION_1", "ACCESS_PLATFORM", "MAC", "STATUS", "CTRL_VQ", "CTRL_RX", "MRG_RXBUF",
            "INDIRECT_DESC", "EVENT_IDX", "RING_PACKED", "CSUM", "GUEST_CSUM", "HOST_TSO4", "HOST_TSO6", "HASH_REPORT",
            "RSS", "MQ"};
        for (int i = 0; i < bits.length; i++) {
            if ((f & bits[i]) != 0) {
                sb.append(sb.isEmpty() ? "" : " ").append(names[i]);
            }
        }
        return sb.isEmpty() ? "none" : sb.toString();
    }
}

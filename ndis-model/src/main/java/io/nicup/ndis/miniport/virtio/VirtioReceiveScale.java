package io.nicup.ndis.miniport.virtio;

import io.nicup.ndis.NdisStatus;
import io.nicup.ndis.oid.NdisReceiveScaleCapabilities;
import io.nicup.ndis.oid.NdisReceiveScaleParameters;
import io.nicup.ndis.oid.NdisRssHash;

/**
 * virtio-net's RSS and hash report as NDIS sees them (docs/hardware-reference.md C.10): the
 * NDIS_RECEIVE_SCALE_CAPABILITIES the device configuration allows, OID_GEN_RECEIVE_SCALE_PARAMETERS
 * translated into VIRTIO_NET_CTRL_MQ_RSS_CONFIG (with VIRTIO_NET_F_RSS) or _HASH_CONFIG (hash report
 * only), and the hash_report of each received header turned into NetBufferListHashInfo.
 *
 * <p>The driver runs as many receive queues as the adapter planned ({@code ReceiveQueueCount}: the device's
 * max_virtqueue_pairs with VIRTIO_NET_F_RSS, the RSS keywords, the MSI-X vectors). An NDIS indirection table
 * entry names a processor, and processor n's frames go to receiveq{@code n+1} (the OID's parse refuses an entry
 * at or beyond the queues announced; the modulo only guards), so RSS_CONFIG's entry i names queue
 * {@code table[i] mod queues} and max_tx_vq is the queue count (QEMU makes max_tx_vq the pairs in use, and
 * receives on no queue beyond them). Over one queue RSS hashes each frame and the hash reaches the NBL, but
 * spreads nothing. With MQ negotiated, turning RSS off also sends VQ_PAIRS_SET 1: every frame on receiveq1,
 * as NDIS expects without RSS. RSS is declared only with HASH_REPORT
 * negotiated (NDIS needs each frame's hash), a 40-byte key allowed (NDIS's keys are 40 bytes) and at least
 * one TCP or UDP type supported with its address-only type.
 *
 * <p>The configuration in force is kept and sent again after a reset. A set the device refuses is answered
 * NDIS_STATUS_FAILURE and the previous configuration is sent back (QEMU turns RSS off on a refused command);
 * should that be refused too, the device is reset at once (NdisMResetMiniport) and given it again
 * ({@link #program}).
 */
final class VirtioReceiveScale {

    /** VIRTIO_NET_RSS_HASH_TYPE_* (virtio 1.2 5.1.6.4.3.1). */
    static final int TYPE_IPV4 = 1;
    static final int TYPE_TCPV4 = 1 << 1;
    static final int TYPE_UDPV4 = 1 << 2;
    static final int TYPE_IPV6 = 1 << 3;
    static final int TYPE_TCPV6 = 1 << 4;
    static final int TYPE_UDPV6 = 1 << 5;
    static final int TYPE_IP_EX = 1 << 6;
    static final int TYPE_TCP_EX = 1 << 7;
    static final int TYPE_UDP_EX = 1 << 8;
    /** NDIS's key length (NDIS_RSS_HASH_SECRET_KEY_MAX_SIZE_REVISION_1). */
    static final int NDIS_KEY_BYTES = 40;

    /** NetBufferListHashInfo by VIRTIO_NET_HASH_REPORT_* value (5.1.6.4.4): 0 NONE, 1 IPv4 ... 9 UDPv6_EX. */
    private static final int[] HASH_INFO_OF_REPORT = {
        0,
        NdisRssHash.NDIS_HASH_IPV4 | NdisRssHash.NDIS_HASH_FUNCTION_TOEPLITZ,
        NdisRssHash.NDIS_HASH_TCP_IPV4 | NdisRssHash.NDIS_HASH_FUNCTION_TOEPLITZ,
        NdisRssHash.NDIS_HASH_UDP_IPV4 | NdisRssHash.NDIS_HASH_FUNCTION_TOEPLITZ,
        NdisRssHash.NDIS_HASH_IPV6 | NdisRssHash.NDIS_HASH_FUNCTION_TOEPLITZ,
        NdisRssHash.NDIS_HASH_TCP_IPV6 | NdisRssHash.NDIS_HASH_FUNCTION_TOEPLITZ,
        NdisRssHash.NDIS_HASH_UDP_IPV6 | NdisRssHash.NDIS_HASH_FUNCTION_TOEPLITZ,
        NdisRssHash.NDIS_HASH_IPV6_EX | NdisRssHash.NDIS_HASH_FUNCTION_TOEPLITZ,
        NdisRssHash.NDIS_HASH_TCP_IPV6_EX | NdisRssHash.NDIS_HASH_FUNCTION_TOEPLITZ,
        NdisRssHash.NDIS_HASH_UDP_IPV6_EX | NdisRssHash.NDIS_HASH_FUNCTION_TOEPLITZ,
    };

    /**
     * The RSS fields of struct virtio_net_config (5.1.4), read under the generation rule.
     *
     * @param queuePairs max_virtqueue_pairs
     * @param maxKeySize rss_max_key_size
     * @param maxTableLength rss_max_indirection_table_length (meaningful with VIRTIO_NET_F_RSS)
     * @param supportedHashTypes supported_hash_types
     */
    record Limits(int queuePairs, int maxKeySize, int maxTableLength, int supportedHashTypes) {

        /** None: a device without RSS or hash report, or one whose configuration never read consistently. */
        static final Limits NONE = new Limits(1, 0, 0, 0);

        static Limits read(VirtioTransport t) {
            if (!t.hasDeviceConfig()) {
                return NONE;
            }
            for (int i = 0; i < VirtioTransport.GENERATION_TRIES; i++) {
                int before = t.configGeneration();
                Limits l = new Limits(t.deviceRead16(NetConfig.MAX_VIRTQUEUE_PAIRS),
                        t.deviceRead8(NetConfig.RSS_MAX_KEY_SIZE), t.deviceRead16(NetConfig.RSS_MAX_TABLE_LENGTH),
                        t.deviceRead32(NetConfig.SUPPORTED_HASH_TYPES));
                if (t.configGeneration() == before) {
                    return l;
                }
            }
            return NONE;
        }
    }

    private final boolean rss;
    private final boolean mq;
    /** The receive queues the adapter runs: the pairs RSS_CONFIG enables. */
    private final int queues;
    private final NdisReceiveScaleCapabilities capabilities;
    /** The configuration the device holds (sent again after a reset). */
    private NdisReceiveScaleParameters inForce = NdisReceiveScaleParameters.DISABLED;

    /**
     * @param negotiated the features negotiated; {@code limits} as the device configuration gives them
     * @param queues the receive queues the adapter runs (1 without RSS negotiated)
     */
    VirtioReceiveScale(long negotiated, Limits limits, int queues) {
        this.rss = (negotiated & Features.NET_F_RSS) != 0;
        this.mq = (negotiated & Features.NET_F_MQ) != 0;
        this.queues = rss ? queues : 1;
        this.capabilities = (negotiated & Features.NET_F_HASH_REPORT) != 0 ? capabilities(limits, rss, this.queues)
                : null;
    }

    /** The receive queues the adapter runs. */
    int queues() {
        return queues;
    }

    /** The capabilities to declare, or null: RSS is not declared. */
    NdisReceiveScaleCapabilities capabilities() {
        return capabilities;
    }

    /**
     * What the device can hash, as NDIS types: TCP or UDP over IPv4 (IPv6) with the address-only hash of
     * its version; the "Ex" types are not declared. Null when none fits or the key cannot be 40 bytes.
     */
    static NdisReceiveScaleCapabilities capabilities(Limits l, boolean rss, int queues) {
        int s = l.supportedHashTypes();
        int caps = 0;
        caps |= both(s, TYPE_IPV4, TYPE_TCPV4) ? NdisReceiveScaleCapabilities.NDIS_RSS_CAPS_HASH_TYPE_TCP_IPV4 : 0;
        caps |= both(s, TYPE_IPV4, TYPE_UDPV4) ? NdisReceiveScaleCapabilities.NDIS_RSS_CAPS_HASH_TYPE_UDP_IPV4 : 0;
        caps |= both(s, TYPE_IPV6, TYPE_TCPV6) ? NdisReceiveScaleCapabilities.NDIS_RSS_CAPS_HASH_TYPE_TCP_IPV6 : 0;
        caps |= both(s, TYPE_IPV6, TYPE_UDPV6) ? NdisReceiveScaleCapabilities.NDIS_RSS_CAPS_HASH_TYPE_UDP_IPV6 : 0;
        if (caps == 0 || l.maxKeySize() < NDIS_KEY_BYTES || (rss && l.maxTableLength() < 1)) {
            return null;
        }
        int entries = rss ? Integer.highestOneBit(Math.min(l.maxTableLength(),
                NdisReceiveScaleCapabilities.MAX_INDIRECTION_TABLE_ENTRIES))
                : NdisReceiveScaleCapabilities.MAX_INDIRECTION_TABLE_ENTRIES;
        return NdisReceiveScaleCapabilities.of(caps, queues, queues, entries);
    }

    private static boolean both(int supported, int a, int b) {
        return (supported & a) != 0 && (supported & b) != 0;
    }

    /** The VIRTIO_NET_RSS_HASH_TYPE_* bits for the NDIS hash types in {@code hashInformation}. */
    static int virtioHashTypes(int hashInformation) {
        int t = 0;
        t |= (hashInformation & NdisRssHash.NDIS_HASH_IPV4) != 0 ? TYPE_IPV4 : 0;
        t |= (hashInformation & NdisRssHash.NDIS_HASH_TCP_IPV4) != 0 ? TYPE_TCPV4 : 0;
        t |= (hashInformation & NdisRssHash.NDIS_HASH_UDP_IPV4) != 0 ? TYPE_UDPV4 : 0;
        t |= (hashInformation & NdisRssHash.NDIS_HASH_IPV6) != 0 ? TYPE_IPV6 : 0;
        t |= (hashInformation & NdisRssHash.NDIS_HASH_TCP_IPV6) != 0 ? TYPE_TCPV6 : 0;
        t |= (hashInformation & NdisRssHash.NDIS_HASH_UDP_IPV6) != 0 ? TYPE_UDPV6 : 0;
        t |= (hashInformation & NdisRssHash.NDIS_HASH_IPV6_EX) != 0 ? TYPE_IP_EX : 0;
        t |= (hashInformation & NdisRssHash.NDIS_HASH_TCP_IPV6_EX) != 0 ? TYPE_TCP_EX : 0;
        t |= (hashInformation & NdisRssHash.NDIS_HASH_UDP_IPV6_EX) != 0 ? TYPE_UDP_EX : 0;
        return t;
    }

    private static final String[] TYPE_NAMES = {"IPv4", "TCPv4", "UDPv4", "IPv6", "TCPv6", "UDPv6", "IP_EX",
        "TCP_EX", "UDP_EX"};

    /** "IPv4 TCPv4 ..." for the VIRTIO_NET_RSS_HASH_TYPE_* bits in {@code types}, "none" without any. */
    static String typeNames(int types) {
        StringBuilder sb = new StringBuilder();
        for (int bit = 0; bit < TYPE_NAMES.length; bit++) {
            if ((types & 1 << bit) != 0) {
                sb.append(sb.isEmpty() ? "" : " ").append(TYPE_NAMES[bit]);
            }
        }
        return sb.isEmpty() ? "none" : sb.toString();
    }

    /** NetBufferListHashInfo for a received header's hash_report; 0 for NONE and for a value the spec has not. */
    static int hashInfo(int report) {
        return report >= 0 && report < HASH_INFO_OF_REPORT.length ? HASH_INFO_OF_REPORT[report] : 0;
    }

    /**
     * An accepted OID set to the device: NDIS_STATUS_SUCCESS, or NDIS_STATUS_FAILURE when the device
     * refused it (or has no usable control queue); then the previous configuration is sent again and stays
     * the one in force. Should the device refuse that too, what it steers by is unknown (QEMU turns RSS off on
     * any refused MQ command, and a refused RSS_CONFIG may have changed the pairs in use): {@code health}
     * marks the device in need of a reset and {@code askReset} asks NDIS for it at once (NdisMResetMiniport,
     * not the next MiniportCheckForHangEx, up to 2 s later); the reset sends the configuration in force to a
     * device that has forgotten everything ({@link #reprogram}; virtio 1.2 2.1.2, 3.1.1).
     *
     * @param askReset calls NdisMResetMiniport: NDIS runs MiniportResetEx after this OID request returns
     */
    int program(ControlQueue ctrl, NdisReceiveScaleParameters p, DeviceHealth health, Runnable askReset) {
        if (ctrl == null || !send(ctrl, p)) {
            if (ctrl != null && !send(ctrl, inForce) && health.usable()) {
                health.requestReset("the device refused the RSS configuration in force when it was sent back"
                        + " after a refused set: its steering is unknown");
                askReset.run();
            }
            return NdisStatus.FAILURE;
        }
        inForce = p;
        return NdisStatus.SUCCESS;
    }

    /** The configuration in force: the last one the device accepted. */
    NdisReceiveScaleParameters inForce() {
        return inForce;
    }

    /** After a reset the device has forgotten it: the configuration in force again (true when none to send). */
    boolean reprogram(ControlQueue ctrl) {
        return !inForce.enabled() || (ctrl != null && send(ctrl, inForce));
    }

    private boolean send(ControlQueue ctrl, NdisReceiveScaleParameters p) {
        int types = p.enabled() ? virtioHashTypes(p.hashInformation()) : 0;
        byte[] key = p.enabled() ? p.hashSecretKey() : new byte[0];
        if (!rss) {
            return ctrl.hashConfig(types, key);
        }
        if (!p.enabled()) {
            return ctrl.rssConfig(types, new int[1], 1, key) && (!mq || ctrl.vqPairsSet(1));
        }
        int[] table = p.indirectionTable();
        int[] named = new int[Math.max(1, table.length)];
        for (int i = 0; i < table.length; i++) {
            named[i] = table[i] % queues;                     // processor n is receiveq n+1
        }
        return ctrl.rssConfig(types, named, queues, key);
    }
}

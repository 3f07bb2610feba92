package io.nicup.mock.virtio;

import io.nicup.mock.ToeplitzHash;

import java.util.Arrays;

/**
 * virtio-net's receive-side scaling and hash report (virtio 1.2 5.1.6.4.3, 5.1.6.4.4, 5.1.6.5.7;
 * docs/hardware-reference.md C.10), as QEMU's {@code virtio_net_handle_rss} and
 * {@code virtio_net_process_rss} do it: the control commands VIRTIO_NET_CTRL_MQ_RSS_CONFIG and
 * VIRTIO_NET_CTRL_MQ_HASH_CONFIG set the hash types, the key and (RSS only) the indirection table; each
 * received frame is classified into a hash type, hashed with Toeplitz over its addresses (and ports), and
 * steered to {@code indirection_table[hash & mask]}, or to {@code unclassified_queue} when no enabled type
 * fits.
 *
 * <p>A command the device refuses leaves RSS off, as QEMU's {@code virtio_net_handle_mq} disables it
 * before it parses and on every error. {@link #classify} leaves its answer in the fields until the next
 * frame: the receive engine asks for it and then writes the header, in one thread.
 */
final class VirtioRss {

    /** QEMU's VIRTIO_NET_RSS_MAX_KEY_SIZE and VIRTIO_NET_RSS_MAX_TABLE_LEN: what the config space says. */
    static final int MAX_KEY_SIZE = 40;
    static final int MAX_TABLE_LENGTH = 128;
    /** What the rss-table-limit fault really takes, whatever the configuration space says. */
    static final int FAULT_TABLE_LENGTH = 16;
    /** VIRTIO_NET_RSS_HASH_TYPE_* bits (5.1.6.4.3.1). */
    static final int TYPE_IPV4 = 1;
    static final int TYPE_TCPV4 = 1 << 1;
    static final int TYPE_UDPV4 = 1 << 2;
    static final int TYPE_IPV6 = 1 << 3;
    static final int TYPE_TCPV6 = 1 << 4;
    static final int TYPE_UDPV6 = 1 << 5;
    static final int TYPE_IP_EX = 1 << 6;
    static final int TYPE_TCP_EX = 1 << 7;
    static final int TYPE_UDP_EX = 1 << 8;
    /** supported_hash_types: all nine, as QEMU's VIRTIO_NET_RSS_SUPPORTED_HASHES. */
    static final int SUPPORTED_HASH_TYPES = 0x1FF;
    /** VIRTIO_NET_HASH_REPORT_* values (5.1.6.4.4). */
    static final int REPORT_NONE = 0;
    static final int REPORT_IPV4 = 1;
    static final int REPORT_TCPV4 = 2;
    static final int REPORT_UDPV4 = 3;
    static final int REPORT_IPV6 = 4;
    static final int REPORT_TCPV6 = 5;
    static final int REPORT_UDPV6 = 6;
    static final int REPORT_IPV6_EX = 7;
    static final int REPORT_TCPV6_EX = 8;
    static final int REPORT_UDPV6_EX = 9;
    static final int OK = 0;
    static final int ERR = 1;

    private static final int TCP = 6;
    private static final int UDP = 17;

    /** The queue pairs the device has: indirection table entries and unclassified_queue must be below it. */
    private final int queuePairs;
    /** The longest table the device takes: {@link #MAX_TABLE_LENGTH}, less under the rss-table-limit fault. */
    private final int tableLimit;
    private final byte[] key = new byte[MAX_KEY_SIZE];
    private final int[] table = new int[MAX_TABLE_LENGTH];
    /** Source address, destination address, source port, destination port, as the frame carries them. */
    private final byte[] input = new byte[2 * 16 + 2 * 2];
    private boolean enabled;
    /** RSS_CONFIG steers by the table; HASH_CONFIG only computes the hash for the report. */
    private boolean redirect;
    private int hashTypes;
    private int keyLength;
    private int tableMask;
    private int unclassifiedQueue;
    /** max_tx_vq of the last RSS_CONFIG taken: QEMU makes it the pairs in use. */
    int maxTxVq = 1;

    /** The receive queue of the last frame classified. */
    int queue;
    /** Its hash (0 without one) and its VIRTIO_NET_HASH_REPORT_* type. */
    int hash;
    int report;

    VirtioRss(int queuePairs, int tableLimit) {
        this.queuePairs = queuePairs;
        this.tableLimit = tableLimit;
    }

    boolean enabled() {
        return enabled;
    }

    int hashTypes() {
        return hashTypes;
    }

    /** The indirection table in force (its length is mask + 1); empty without RSS. */
    int[] indirectionTable() {
        return enabled && redirect ? Arrays.copyOf(table, tableMask + 1) : new int[0];
    }

    byte[] key() {
        return Arrays.copyOf(key, keyLength);
    }

    /** Device reset, or an MQ command: RSS off. */
    void reset() {
        enabled = false;
    }

    /** Whether frames are steered by the indirection table (RSS_CONFIG in force). */
    boolean steers() {
        return enabled && redirect;
    }

    /**
     * VIRTIO_NET_CTRL_MQ_RSS_CONFIG ({@code rss}) or _HASH_CONFIG, the command's data in
     * {@code buf[at, at + length)}: {@link #OK} or {@link #ERR}. Refused: a short buffer, a table length that
     * is not a power of two or is above {@link #MAX_TABLE_LENGTH}, an unclassified queue or a table entry
     * naming a queue the device does not have, max_tx_vq 0 or above the pairs, a key longer than
     * {@link #MAX_KEY_SIZE} or missing while hash types are set (QEMU's checks), and hash types outside
     * {@link #SUPPORTED_HASH_TYPES} (nicup's: the spec forbids the driver to set them, QEMU does not check).
     */
    int configure(byte[] buf, int at, int length, boolean rss) {
        enabled = false;
        int end = at + length;
        if (length < (rss ? 8 : 12)) {
            return ERR;
        }
        int types = le32(buf, at);
        int mask = rss ? le16(buf, at + 4) : 0;
        int unclassified = rss ? le16(buf, at + 6) : 0;
        int entries = mask + 1;
        if (Integer.bitCount(entries) != 1 || entries > tableLimit || unclassified >= queuePairs) {
            return ERR;
        }
        int p = rss ? at + 8 : at + 12;
        if (rss) {
            if (p + 2 * entries + 3 > end) {
                return ERR;
            }
            for (int i = 0; i < entries; i++) {
                if (le16(buf, p + 2 * i) >= queuePairs) {
                    return ERR;
                }
            }
            int maxTxVq = le16(buf, p + 2 * entries);
            if (maxTxVq == 0 || maxTxVq > queuePairs) {
                return ERR;
            }
            this.maxTxVq = maxTxVq;
            p += 2 * entries + 2;
        }
        if (p + 1 > end) {
            return ERR;
        }
        int keyLen = buf[p] & 0xFF;
        if (keyLen > MAX_KEY_SIZE || (keyLen == 0 && types != 0) || (types & ~SUPPORTED_HASH_TYPES) != 0
                || p + 1 + keyLen > end) {
            return ERR;
        }
        if (keyLen == 0) {
            return OK;                                        // no types, no key: RSS stays off
        }
        Arrays.fill(key, (byte) 0);                 // key bits past its length hash as zero
        System.arraycopy(buf, p + 1, key, 0, keyLen);
        for (int i = 0; i < (rss ? entries : 0); i++) {
            table[i] = le16(buf, at + 8 + 2 * i);
        }
        hashTypes = types;
        keyLength = keyLen;
        tableMask = mask;
        unclassifiedQueue = unclassified;
        redirect = rss;
        enabled = true;
        return OK;
    }

    /**
     * Classifies the {@code size}-byte frame {@code f}: {@link #hash}, {@link #report} and the {@link #queue}
     * it goes to (5.1.6.5.7.2). Without RSS every frame goes to queue 0 with no hash.
     */
    void classify(byte[] f, int size) {
        queue = 0;
        hash = 0;
        report = REPORT_NONE;
        if (!enabled) {
            return;
        }
        report = hashReport(f, size);
        if (report == REPORT_NONE) {
            queue = redirect ? unclassifiedQueue : 0;
            return;
        }
        int length = switch (report) {
            case REPORT_IPV4 -> 8;
            case REPORT_TCPV4, REPORT_UDPV4 -> 12;
            case REPORT_IPV6, REPORT_IPV6_EX -> 32;
            default -> 36;
        };
        hash = ToeplitzHash.hash(key, input, length);
        queue = redirect ? table[hash & tableMask] : 0;
    }

    /**
     * The hash type for the frame under the enabled types, in the spec's order (5.1.6.4.3.1), the fields
     * copied into {@link #input}. A frame behind IPv6 extension headers is hashed on its addresses only; the
     * "Ex" types hash the same fields as the plain ones (this model parses no home address option or routing
     * header) and are reported when enabled, as QEMU reports them.
     */
    private int hashReport(byte[] f, int size) {
        int l3 = 14;
        int ethertype = u16(f, 12);
        if (ethertype == 0x8100 && size >= 18) {
            l3 = 18;
            ethertype = u16(f, 16);
        }
        int t = hashTypes;
        if (ethertype == 0x0800 && size >= l3 + 20 && (f[l3] & 0xF0) == 0x40) {
            int ihl = (f[l3] & 0x0F) * 4;
            boolean whole = (u16(f, l3 + 6) & 0x3FFF) == 0;
            int proto = whole && size >= l3 + ihl + 4 ? f[l3 + 9] & 0xFF : -1;
            System.arraycopy(f, l3 + 12, input, 0, 8);
            if (proto == TCP || proto == UDP) {
                System.arraycopy(f, l3 + ihl, input, 8, 4);
            }
            if (proto == TCP && (t & TYPE_TCPV4) != 0) {
                return REPORT_TCPV4;
            }
            if (proto == UDP && (t & TYPE_UDPV4) != 0) {
                return REPORT_UDPV4;
            }
            return (t & TYPE_IPV4) != 0 ? REPORT_IPV4 : REPORT_NONE;
        }
        if (ethertype == 0x86DD && size >= l3 + 40 && (f[l3] & 0xF0) == 0x60) {
            int next = f[l3 + 6] & 0xFF;
            int proto = size >= l3 + 44 ? next : -1;
            System.arraycopy(f, l3 + 8, input, 0, 32);
            if (proto == TCP || proto == UDP) {
                System.arraycopy(f, l3 + 40, input, 32, 4);
            }
            if (proto == TCP && (t & (TYPE_TCPV6 | TYPE_TCP_EX)) != 0) {
                return (t & TYPE_TCP_EX) != 0 ? REPORT_TCPV6_EX : REPORT_TCPV6;
            }
            if (proto == UDP && (t & (TYPE_UDPV6 | TYPE_UDP_EX)) != 0) {
                return (t & TYPE_UDP_EX) != 0 ? REPORT_UDPV6_EX : REPORT_UDPV6;
            }
            if ((t & (TYPE_IPV6 | TYPE_IP_EX)) != 0) {
                return (t & TYPE_IP_EX) != 0 ? REPORT_IPV6_EX : REPORT_IPV6;
            }
        }
        return REPORT_NONE;
    }

    private static int u16(byte[] f, int at) {
        return (f[at] & 0xFF) << 8 | f[at + 1] & 0xFF;
    }

    private static int le16(byte[] b, int at) {
        return b[at] & 0xFF | (b[at + 1] & 0xFF) << 8;
    }

    private static int le32(byte[] b, int at) {
        return le16(b, at) | le16(b, at + 2) << 16;
    }
}

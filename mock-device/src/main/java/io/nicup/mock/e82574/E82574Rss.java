package io.nicup.mock.e82574;

import io.nicup.mock.intel.RssToeplitz;

import static io.nicup.mock.e82574.Regs.*;

/**
 * The 82574L's receive-side scaling (docs/hardware-reference.md B.18): with MRQC's enable at 01b, RXCSUM.PCSD
 * set and extended descriptors (RFCTL.EXTEN), the fields MRQC's enables select are hashed with Toeplitz under
 * RSSRK0-9, and RETA entry {@code hash & 0x7F} names the queue in its bit 7 (two queues). There is no UDP hash:
 * a UDP frame takes the IPv4 or IPv6 address hash where that is enabled.
 *
 * <p>{@link #classify} leaves its answer in the fields until the next frame: the receive engine asks for the
 * queue and then writes the frame's descriptors, in one thread.
 */
final class E82574Rss {

    private static final int ETHERTYPE_IPV4 = 0x0800;
    private static final int ETHERTYPE_IPV6 = 0x86DD;
    private static final int TCP = 6;
    private static final int RETA_INDEX_MASK = 0x7F;
    /** An entry's bit 7 names the queue (QEMU {@code E1000_RSS_QUEUE}; FreeBSD em writes {@code queue << 7}). */
    private static final int RETA_QUEUE_SHIFT = 7;

    private final int[] mac;
    private final byte[] key = new byte[RssToeplitz.KEY_BYTES];
    /** Source address, destination address, source port, destination port, as the frame carries them. */
    private final byte[] input = new byte[2 * 16 + 2 * 2];

    /** The receive queue of the last frame classified (0 or 1). */
    int queue;
    /** Its RSS hash; 0 without one. */
    int hash;
    /** Its RSS type (0: none). */
    int type;
    /** Whether RSS was on for it: the write-back then carries MRQ and the hash in place of the IP ID. */
    boolean enabled;
    /** The IPv4 identification of the last frame, or -1 when it was not IPv4. */
    int ipId;

    E82574Rss(int[] mac) {
        this.mac = mac;
    }

    void classify(byte[] f, int size) {
        queue = 0;
        hash = 0;
        type = 0;
        ipId = -1;
        int mrqc = mac[MRQC >> 2];
        enabled = (mrqc & Mrqc.ENABLE_MASK) == Mrqc.ENABLE_RSS && (mac[RXCSUM >> 2] & RXCSUM_PCSD) != 0
                && (mac[RFCTL >> 2] & RFCTL_EXTEN) != 0;
        int l3 = 14;
        int ethertype = u16(f, 12);
        if (ethertype == (mac[VET >> 2] & 0xFFFF) && size >= 18) {
            l3 = 18;
            ethertype = u16(f, 16);
        }
        int length;
        if (ethertype == ETHERTYPE_IPV4 && size >= l3 + 20 && (f[l3] & 0xF0) == 0x40) {
            ipId = u16(f, l3 + 4);
            int ihl = (f[l3] & 0x0F) * 4;
            boolean tcp = (f[l3 + 9] & 0xFF) == TCP && (u16(f, l3 + 6) & 0x3FFF) == 0 && size >= l3 + ihl + 4;
            System.arraycopy(f, l3 + 12, input, 0, 8);
            if (tcp && (mrqc & Mrqc.TCP_IPV4) != 0) {
                System.arraycopy(f, l3 + ihl, input, 8, 4);
                type = RxDescriptor.RSS_TYPE_TCP_IPV4;
                length = 12;
            } else if ((mrqc & Mrqc.IPV4) != 0) {
                type = RxDescriptor.RSS_TYPE_IPV4;
                length = 8;
            } else {
                return;
            }
        } else if (ethertype == ETHERTYPE_IPV6 && size >= l3 + 40 && (f[l3] & 0xF0) == 0x60) {
            boolean tcp = (f[l3 + 6] & 0xFF) == TCP && size >= l3 + 44;
            System.arraycopy(f, l3 + 8, input, 0, 32);
            // in QEMU's order: TcpIPv6, then IPv6Ex, then IPv6; without extension headers the Ex hashes read
            // the same fields as the plain ones
            if (tcp && (mrqc & Mrqc.TCP_IPV6) != 0) {
                System.arraycopy(f, l3 + 40, input, 32, 4);
                type = RxDescriptor.RSS_TYPE_TCP_IPV6;
                length = 36;
            } else if ((mrqc & Mrqc.IPV6_EX) != 0) {
                type = RxDescriptor.RSS_TYPE_IPV6_EX;
                length = 32;
            } else if ((mrqc & Mrqc.IPV6) != 0) {
                type = RxDescriptor.RSS_TYPE_IPV6;
                length = 32;
            } else {
                return;
            }
        } else {
            return;
        }
        if (!enabled) {
            type = 0;
            return;
        }
        RssToeplitz.readKey(mac, RSSRK0, key);
        hash = RssToeplitz.hash(key, input, length);
        int entry = mac[(RETA0 >> 2) + ((hash & RETA_INDEX_MASK) >> 2)] >>> 8 * (hash & 3);
        queue = entry >>> RETA_QUEUE_SHIFT & 1;
    }

    private static int u16(byte[] f, int at) {
        return (f[at] & 0xFF) << 8 | f[at + 1] & 0xFF;
    }
}

package io.nicup.mock.e82576;

import io.nicup.mock.intel.RssToeplitz;

import static io.nicup.mock.e82576.Regs.*;

/**
 * The 82576's receive-side scaling (datasheet 7.1.2.8; docs/hardware-reference.md B.16): which fields of
 * a frame MRQC's enables select, their Toeplitz hash under RSSRK0-9, the receive queue the redirection
 * table (RETA0-31) names for it, and the RSS type and packet type the advanced write-back reports.
 *
 * <p>{@link #classify} leaves its answer in the public fields until the next frame: the receive engine
 * asks for the queue and then writes the frame's descriptors, in one thread.
 */
final class E82576Rss {

    private static final int ETHERTYPE_IPV4 = 0x0800;
    private static final int ETHERTYPE_IPV6 = 0x86DD;
    private static final int TCP = 6;
    private static final int UDP = 17;
    /** The redirection table's 128 entries are indexed by the hash's low 7 bits; an entry's bits 3:0 name the queue. */
    private static final int RETA_INDEX_MASK = 0x7F;
    private static final int RETA_QUEUE_MASK = 0x0F;

    private final int[] mac;
    private final byte[] key = new byte[RssToeplitz.KEY_BYTES];
    /** Source address, destination address, source port, destination port, as the frame carries them. */
    private final byte[] input = new byte[2 * 16 + 2 * 2];

    /** The receive queue of the last frame classified. */
    int queue;
    /** Its RSS hash (0 without one). */
    int hash;
    /** Write-back dword 0: RSS type (bits 3:0) and packet type (bits 16:4). */
    int typeDword;
    /** Whether dword 1 carries {@link #hash}: RSS on and RXCSUM.PCSD set. */
    boolean hashReported;

    E82576Rss(int[] mac) {
        this.mac = mac;
    }

    void classify(byte[] f, int size) {
        queue = 0;
        hash = 0;
        typeDword = 0;
        int mrqc = mac[MRQC >> 2];
        boolean rss = (mrqc & Mrqc.MRQE_MASK) == Mrqc.MRQE_RSS;
        hashReported = rss && (mac[RXCSUM >> 2] & RXCSUM_PCSD) != 0;
        int l3 = 14;
        int ethertype = u16(f, 12);
        if (ethertype == (mac[VET >> 2] & 0xFFFF) && size >= 18) {
            l3 = 18;
            ethertype = u16(f, 16);
        }
        int inputLength;
        int rssType;
        if (ethertype == ETHERTYPE_IPV4 && size >= l3 + 20 && (f[l3] & 0xF0) == 0x40) {
            int ihl = (f[l3] & 0x0F) * 4;
            int proto = l4Protocol(f[l3 + 9] & 0xFF, (u16(f, l3 + 6) & 0x3FFF) == 0, size >= l3 + ihl + 4);
            typeDword = RxDesc.PKT_IPV4 | (ihl > 20 ? RxDesc.PKT_IPV4_EX : 0) | packetTypeL4(proto);
            System.arraycopy(f, l3 + 12, input, 0, 8);
            copyPorts(f, l3 + ihl, 8, proto);
            if (proto == TCP && (mrqc & Mrqc.TCP_IPV4) != 0) {
                rssType = RxDesc.RSS_TYPE_TCP_IPV4;
                inputLength = 12;
            } else if (proto == UDP && (mrqc & Mrqc.UDP_IPV4) != 0) {
                rssType = RxDesc.RSS_TYPE_UDP_IPV4;
                inputLength = 12;
            } else if ((mrqc & Mrqc.IPV4) != 0) {
                rssType = RxDesc.RSS_TYPE_IPV4;
                inputLength = 8;
            } else {
                return;
            }
        } else if (ethertype == ETHERTYPE_IPV6 && size >= l3 + 40 && (f[l3] & 0xF0) == 0x60) {
            int next = f[l3 + 6] & 0xFF;
            boolean extension = next == 0 || next == 43 || next == 44 || next == 60;
            int proto = l4Protocol(next, true, size >= l3 + 44);
            typeDword = RxDesc.PKT_IPV6 | (extension ? RxDesc.PKT_IPV6_EX : 0) | packetTypeL4(proto);
            System.arraycopy(f, l3 + 8, input, 0, 32);
            copyPorts(f, l3 + 40, 32, proto);
            // without extension headers the "Ex" hashes read the same fields as the plain ones
            if (proto == TCP && (mrqc & (Mrqc.TCP_IPV6 | Mrqc.TCP_IPV6_EX)) != 0) {
                rssType = RxDesc.RSS_TYPE_TCP_IPV6;
                inputLength = 36;
            } else if (proto == UDP && (mrqc & (Mrqc.UDP_IPV6 | Mrqc.UDP_IPV6_EX)) != 0) {
                rssType = RxDesc.RSS_TYPE_UDP_IPV6;
                inputLength = 36;
            } else if ((mrqc & (Mrqc.IPV6 | Mrqc.IPV6_EX)) != 0) {
                rssType = RxDesc.RSS_TYPE_IPV6;
                inputLength = 32;
            } else {
                return;
            }
        } else {
            return;
        }
        if (!rss) {
            return;
        }
        RssToeplitz.readKey(mac, RSSRK0, key);
        hash = RssToeplitz.hash(key, input, inputLength);
        typeDword |= rssType;
        int entry = mac[(RETA0 >> 2) + ((hash & RETA_INDEX_MASK) >> 2)] >>> 8 * (hash & 3);
        queue = entry & RETA_QUEUE_MASK;
    }

    /** TCP or UDP when its header may be read (not a fragment, not cut short), else -1. */
    private static int l4Protocol(int proto, boolean wholePacket, boolean portsPresent) {
        return (proto == TCP || proto == UDP) && wholePacket && portsPresent ? proto : -1;
    }

    private static int packetTypeL4(int proto) {
        return proto == TCP ? RxDesc.PKT_TCP : proto == UDP ? RxDesc.PKT_UDP : 0;
    }

    private void copyPorts(byte[] f, int l4, int at, int proto) {
        if (proto != -1) {
            System.arraycopy(f, l4, input, at, 4);
        }
    }

    private static int u16(byte[] f, int at) {
        return (f[at] & 0xFF) << 8 | f[at + 1] & 0xFF;
    }
}

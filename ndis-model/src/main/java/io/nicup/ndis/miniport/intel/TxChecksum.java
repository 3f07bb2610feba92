package io.nicup.ndis.miniport.intel;

import io.nicup.ndis.datapath.NetBuffer;
import io.nicup.ndis.datapath.NetBufferListInfo;

/**
 * What a send asks of the checksum hardware, as one {@code int} both Intel chips turn into their own
 * context and data descriptors (docs/hardware-reference.md B.15). The TCP/IP transport names the
 * checksums in the NBL's TcpIpChecksumNetBufferListInfo and has already put the pseudo-header sum in the
 * TCP or UDP checksum field (docs/ndis-contract.md §11); the miniport finds the header offsets by reading
 * the frame's headers, as Linux e1000e {@code e1000_tx_csum} and igb {@code igb_tx_csum} take them from
 * the socket buffer.
 *
 * <pre>
 *  31      21  20    19    18   17   16  15       9 8        0
 * +----------+-----+-----+----+----+----+----------+----------+
 * |    0     |TXSM |IXSM |UDP |TCP |IPV4|  MACLEN  |  IPLEN   |
 * +----------+-----+-----+----+----+----+----------+----------+
 * </pre>
 * MACLEN and IPLEN sit where the 82576's advanced context descriptor keeps them (VLAN_MACIP_LENS); the
 * low 19 bits are the context ({@link #context}), TXSM and IXSM the data descriptor's POPTS. 0 is "no
 * offload": the fast path tests one int.
 */
public final class TxChecksum {

    public static final int IPLEN_MASK = 0x1FF;
    public static final int MACLEN_SHIFT = 9;
    public static final int MACLEN_MASK = 0x7F;
    public static final int IPV4 = 1 << 16;
    public static final int TCP = 1 << 17;
    public static final int UDP = 1 << 18;
    /** Insert the IPv4 header checksum (POPTS.IXSM). */
    public static final int IXSM = 1 << 19;
    /** Insert the TCP or UDP checksum (POPTS.TXSM). */
    public static final int TXSM = 1 << 20;
    /** The bits a context descriptor carries. */
    public static final int CONTEXT_MASK = IXSM - 1;

    /** The transmit checksums enabled for IPv4 (bits 0-7) and IPv6 (bits 8-15), as NBL TX_* flags. */
    public static final int IPV6_SHIFT = 8;

    private static final int ETHERTYPE_IPV4 = 0x0800;
    private static final int ETHERTYPE_IPV6 = 0x86DD;
    private static final int ETHERTYPE_VLAN = 0x8100;
    private static final int PROTO_TCP = 6;
    private static final int PROTO_UDP = 17;
    private static final int IPV6_HEADER = 40;

    private TxChecksum() {
    }

    /**
     * The request for one frame, or 0 when it asks for nothing the configuration enables or its headers
     * cannot be read (then it goes out as the protocol built it).
     *
     * @param request the NBL's TcpIpChecksumNetBufferListInfo
     * @param enabled the transmit checksums in force ({@link #IPV6_SHIFT})
     */
    public static int of(int request, NetBuffer nb, int enabled) {
        int length = nb.dataLength();
        if (length < 14 + 20) {
            return 0;
        }
        int mac = 14;
        int type = u16(nb, 12);
        if (type == ETHERTYPE_VLAN) {
            mac = 18;
            type = u16(nb, 16);
        }
        boolean v4 = (request & NetBufferListInfo.TX_IS_IPV4) != 0 && type == ETHERTYPE_IPV4;
        boolean v6 = (request & NetBufferListInfo.TX_IS_IPV6) != 0 && type == ETHERTYPE_IPV6;
        int allowed = v4 ? enabled & 0xFF : v6 ? (enabled >>> IPV6_SHIFT) & 0xFF : 0;
        int asked = request & allowed;
        if (asked == 0) {
            return 0;
        }
        int ipLen;
        int proto;
        if (v4) {
            ipLen = (nb.getByte(mac) & 0x0F) * 4;
            proto = nb.getByte(mac + 9) & 0xFF;
        } else {
            ipLen = IPV6_HEADER;
            proto = nb.getByte(mac + 6) & 0xFF;
            while (isExtension(proto) && mac + ipLen + 8 <= length) {
                proto = nb.getByte(mac + ipLen) & 0xFF;
                ipLen += ((nb.getByte(mac + ipLen + 1) & 0xFF) + 1) * 8;
            }
        }
        if (ipLen < 20 || ipLen > IPLEN_MASK || mac + ipLen > length) {
            return 0;
        }
        int word = ipLen | mac << MACLEN_SHIFT | (v4 ? IPV4 : 0);
        if (v4 && (asked & NetBufferListInfo.TX_IP_HEADER_CHECKSUM) != 0) {
            word |= IXSM;
        }
        int l4 = mac + ipLen;
        if (proto == PROTO_TCP && (asked & NetBufferListInfo.TX_TCP_CHECKSUM) != 0 && l4 + 20 <= length) {
            word |= TCP | TXSM;
        } else if (proto == PROTO_UDP && (asked & NetBufferListInfo.TX_UDP_CHECKSUM) != 0 && l4 + 8 <= length) {
            word |= UDP | TXSM;
        }
        return (word & (IXSM | TXSM)) == 0 ? 0 : word;
    }

    /** IPv6 Hop-by-Hop (0), Routing (43) and Destination Options (60): skipped to reach TCP or UDP. */
    private static boolean isExtension(int nextHeader) {
        return nextHeader == 0 || nextHeader == 43 || nextHeader == 60;
    }

    private static int u16(NetBuffer nb, int at) {
        return (nb.getByte(at) & 0xFF) << 8 | nb.getByte(at + 1) & 0xFF;
    }

    public static int macLength(int word) {
        return (word >>> MACLEN_SHIFT) & MACLEN_MASK;
    }

    public static int ipLength(int word) {
        return word & IPLEN_MASK;
    }

    /** Where the TCP or UDP checksum field is: 16 bytes into TCP, 6 into UDP. */
    public static int l4ChecksumOffset(int word) {
        return macLength(word) + ipLength(word) + ((word & TCP) != 0 ? 16 : 6);
    }

    /** The part of {@code word} a context descriptor holds: a new context is needed when it changes. */
    public static int context(int word) {
        return word & CONTEXT_MASK;
    }
}

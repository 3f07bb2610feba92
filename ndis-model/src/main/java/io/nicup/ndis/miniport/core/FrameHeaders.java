package io.nicup.ndis.miniport.core;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * Where the headers of an Ethernet frame are, for the offloads: the IP version and the transport
 * protocol, and the transport header's offset, read from an Ethernet II frame with at most one 802.1Q tag
 * and an IPv4 header or an IPv6 header without extension headers (what nicup's offloads handle). Static
 * and allocation-free: a receive verdict or a send's header fill calls it per packet; the answer is
 * packed in one int.
 *
 * <pre>
 *  bits 0-15 transport header offset   bits 16-23 IP protocol (6 TCP, 17 UDP)   bit 24 IPv6   bit 25 IPv4
 * </pre>
 * {@link #NONE} when the frame is none of these.
 */
public final class FrameHeaders {

    public static final int NONE = 0;
    public static final int TCP = 6;
    public static final int UDP = 17;
    public static final int ETHERTYPE_IPV4 = 0x0800;
    public static final int ETHERTYPE_IPV6 = 0x86DD;
    public static final int ETHERTYPE_VLAN = 0x8100;
    private static final int IPV6_BIT = 1 << 24;
    private static final int IPV4_BIT = 1 << 25;
    private static final int IPV6_HEADER = 40;

    private FrameHeaders() {
    }

    /** The packed headers of the {@code length}-byte frame at {@code offset}, or {@link #NONE}. */
    public static int parse(MemorySegment frame, long offset, int length) {
        int l3 = 14;
        if (length < l3 + 20) {
            return NONE;
        }
        int type = InternetChecksum.word(frame, offset + 12);
        if (type == ETHERTYPE_VLAN) {
            l3 += 4;
            type = InternetChecksum.word(frame, offset + 16);
        }
        if (type == ETHERTYPE_IPV4) {
            int vihl = frame.get(ValueLayout.JAVA_BYTE, offset + l3) & 0xFF;
            int ihl = (vihl & 0x0F) * 4;
            if (vihl >>> 4 != 4 || ihl < 20 || l3 + ihl > length) {
                return NONE;
            }
            int protocol = frame.get(ValueLayout.JAVA_BYTE, offset + l3 + 9) & 0xFF;
            return IPV4_BIT | protocol << 16 | (l3 + ihl);
        }
        if (type == ETHERTYPE_IPV6 && length >= l3 + IPV6_HEADER) {
            int protocol = frame.get(ValueLayout.JAVA_BYTE, offset + l3 + 6) & 0xFF;
            return IPV6_BIT | protocol << 16 | (l3 + IPV6_HEADER);
        }
        return NONE;
    }

    public static boolean ipv4(int headers) {
        return (headers & IPV4_BIT) != 0;
    }

    public static boolean ipv6(int headers) {
        return (headers & IPV6_BIT) != 0;
    }

    public static int protocol(int headers) {
        return (headers >>> 16) & 0xFF;
    }

    /** The transport header's offset in the frame. */
    public static int transportOffset(int headers) {
        return headers & 0xFFFF;
    }

    /** The IP header's offset: 14, or 18 behind a VLAN tag. */
    public static int ipOffset(MemorySegment frame, long offset) {
        return InternetChecksum.word(frame, offset + 12) == ETHERTYPE_VLAN ? 18 : 14;
    }
}

package io.nicup.cli.hil;

/**
 * Whether an Ethernet frame's TCP or UDP checksum (and an IPv4 header's) is right (RFC 1071 over the RFC 793/768
 * pseudo-header, RFC 8200 section 8.1 for IPv6), and where it is: what {@link TapReflector} needs to hand a validated
 * frame back as virtio 1.2 section 5.1.6.4 says a device hands a validated frame with NEEDS_CSUM. A frame that is not
 * TCP or UDP over IPv4 or IPv6 (directly after the IPv6 header, one 802.1Q tag at most), a fragment, a truncated
 * frame, one with a wrong IPv4 header checksum or a UDP/IPv4 datagram without a checksum (0) is not "right".
 */
final class TransportChecksum {

    private static final int TCP = 6;
    private static final int UDP = 17;

    private TransportChecksum() {
    }

    /**
     * A validated frame's checksum: csum_start (the transport header's offset in the frame), csum_offset (the
     * checksum field's offset from there) and the folded pseudo-header sum that goes into the field instead.
     */
    record Partial(int start, int offset, int pseudoHeaderSum) {
    }

    static boolean isRight(byte[] f) {
        return validated(f) != null;
    }

    /** The frame's checksum if it is right, else null. */
    static Partial validated(byte[] f) {
        int l3 = 14;
        int type = u16(f, 12);
        if (type == 0x8100 && f.length >= 18) {
            type = u16(f, 16);
            l3 = 18;
        }
        long sum;
        int proto;
        int l4;
        int l4Length;
        if (type == 0x0800 && f.length >= l3 + 20) {
            int ihl = (f[l3] & 0x0F) * 4;
            int total = u16(f, l3 + 2);
            if ((u16(f, l3 + 6) & 0x3FFF) != 0 || ihl < 20 || l3 + total > f.length || total < ihl
                    || fold(add(f, l3, ihl)) != 0xFFFF) {
                return null;                                // a fragment, not all there, or a bad header checksum
            }
            proto = f[l3 + 9] & 0xFF;
            l4 = l3 + ihl;
            l4Length = total - ihl;
            sum = add(f, l3 + 12, 8);
        } else if (type == 0x86DD && f.length >= l3 + 40) {
            proto = f[l3 + 6] & 0xFF;
            l4 = l3 + 40;
            l4Length = u16(f, l3 + 4);
            if (l4 + l4Length > f.length) {
                return null;
            }
            sum = add(f, l3 + 8, 32);
        } else {
            return null;
        }
        if (proto == TCP && l4Length >= 20 || proto == UDP && l4Length >= 8) {
            int field = proto == TCP ? 16 : 6;
            if (proto == UDP && type == 0x0800 && u16(f, l4 + field) == 0) {
                return null;
            }
            long pseudo = sum + proto + l4Length;
            return fold(pseudo + add(f, l4, l4Length)) == 0xFFFF ? new Partial(l4, field, fold(pseudo)) : null;
        }
        return null;
    }

    private static long add(byte[] f, int from, int length) {
        long sum = 0;
        for (int i = 0; i + 1 < length; i += 2) {
            sum += u16(f, from + i);
        }
        if ((length & 1) != 0) {
            sum += (f[from + length - 1] & 0xFF) << 8;
        }
        return sum;
    }

    private static int fold(long sum) {
        while ((sum >>> 16) != 0) {
            sum = (sum & 0xFFFF) + (sum >>> 16);
        }
        return (int) sum;
    }

    private static int u16(byte[] f, int at) {
        return (f[at] & 0xFF) << 8 | f[at + 1] & 0xFF;
    }
}

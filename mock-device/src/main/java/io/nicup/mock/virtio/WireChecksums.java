package io.nicup.mock.virtio;

/**
 * The Internet checksum (RFC 1071) as the model's "hardware" computes and checks it, over byte arrays:
 * ones' complement sums of big-endian 16-bit words, the IPv4 and IPv6 pseudo-headers (RFC 793, RFC 8200
 * 8.1), and where the headers of an Ethernet frame are. Written for the model alone.
 */
final class WireChecksums {

    static final int TCP = 6;
    static final int UDP = 17;

    private WireChecksums() {
    }

    static long sum(byte[] b, int from, int to, long acc) {
        int i = from;
        for (; i + 1 < to; i += 2) {
            acc += ((b[i] & 0xFF) << 8) | (b[i + 1] & 0xFF);
        }
        if (i < to) {
            acc += (b[i] & 0xFF) << 8;
        }
        return acc;
    }

    static int fold(long acc) {
        while ((acc >>> 16) != 0) {
            acc = (acc & 0xFFFF) + (acc >>> 16);
        }
        return (int) acc;
    }

    static int u16(byte[] b, int at) {
        return ((b[at] & 0xFF) << 8) | (b[at + 1] & 0xFF);
    }

    static void put16(byte[] b, int at, int v) {
        b[at] = (byte) (v >>> 8);
        b[at + 1] = (byte) v;
    }

    static long u32(byte[] b, int at) {
        return ((long) u16(b, at) << 16) | u16(b, at + 2);
    }

    static void put32(byte[] b, int at, long v) {
        put16(b, at, (int) (v >>> 16));
        put16(b, at + 2, (int) v);
    }

    /** The IP header's offset (14, or 18 behind one 802.1Q tag), or -1 when it is neither IPv4 nor IPv6. */
    static int ipOffset(byte[] f, int length) {
        int l3 = length >= 18 && u16(f, 12) == 0x8100 ? 18 : 14;
        if (length < l3 + 20) {
            return -1;
        }
        int type = u16(f, l3 - 2);
        return type == 0x0800 || type == 0x86DD ? l3 : -1;
    }

    static boolean isIpv6(byte[] f, int ip) {
        return (f[ip] & 0xF0) == 0x60;
    }

    /** The transport header's offset (IPv6 without extension headers), or -1. */
    static int l4Offset(byte[] f, int ip, int length) {
        int l4 = isIpv6(f, ip) ? ip + 40 : ip + (f[ip] & 0x0F) * 4;
        return l4 <= length ? l4 : -1;
    }

    static int protocol(byte[] f, int ip) {
        return (isIpv6(f, ip) ? f[ip + 6] : f[ip + 9]) & 0xFF;
    }

    /** The pseudo-header sum (addresses, protocol, {@code l4Length}) of the packet at {@code ip}. */
    static long pseudoHeader(byte[] f, int ip, int l4Length) {
        boolean v6 = isIpv6(f, ip);
        long acc = v6 ? sum(f, ip + 8, ip + 40, 0) : sum(f, ip + 12, ip + 20, 0);
        return acc + protocol(f, ip) + (l4Length & 0xFFFF) + (l4Length >>> 16);
    }
}

package io.nicup.mock;

import java.nio.ByteBuffer;

/**
 * IPv4 and IPv6 frames with TCP or UDP to inject into a model or to hand a driver, and the reference
 * check of their checksums (RFC 791 header checksum; RFC 793/768 and RFC 8200 section 8.1 pseudo-headers).
 * A frame is built either complete (every checksum right), or as the NDIS TCP/IP transport hands it to a
 * miniport that offloads checksums: the IPv4 header checksum 0 and the TCP/UDP checksum field holding the
 * pseudo-header's one's-complement sum, not complemented (Microsoft, "Offloading checksum tasks").
 * Written independently of the models' checksum engine, so that it can judge it.
 */
public final class IpFrames {

    public static final int TCP = 6;
    public static final int UDP = 17;
    /** An IPv6 Destination Options extension header (8 bytes) in front of the transport header. */
    public static final int DESTINATION_OPTIONS = 60;

    private static final int ETHER = 14;

    private IpFrames() {
    }

    /**
     * An Ethernet frame from {@code src} to {@code dst} with IPv4 (with {@code ipOptions} 4-byte words of
     * options) or IPv6 (with a Destination Options header when {@code ipOptions > 0}) carrying TCP or UDP
     * with {@code payload} bytes of a pattern from {@code seed}.
     *
     * @param complete every checksum right; false: as the transport hands it over for offload
     */
    public static byte[] frame(byte[] dst, byte[] src, boolean ipv6, int proto, int ipOptions, int payload, int seed,
            boolean complete) {
        int l4Header = proto == TCP ? 20 : 8;
        int l3Header = ipv6 ? 40 + (ipOptions > 0 ? 8 : 0) : 20 + 4 * ipOptions;
        int l4Length = l4Header + payload;
        byte[] f = new byte[ETHER + l3Header + l4Length];
        ByteBuffer b = ByteBuffer.wrap(f);
        b.put(dst).put(src).putShort((short) (ipv6 ? 0x86DD : 0x0800));
        int l3 = ETHER;
        int l4 = l3 + l3Header;
        if (ipv6) {
            b.putInt(l3, 0x6000_0000);
            b.putShort(l3 + 4, (short) (l3Header - 40 + l4Length));
            f[l3 + 6] = (byte) (ipOptions > 0 ? DESTINATION_OPTIONS : proto);
            f[l3 + 7] = 64;
            for (int i = 0; i < 32; i++) {
                f[l3 + 8 + i] = (byte) (i < 16 ? 0x20 + i : 0x40 + i + seed);
            }
            if (ipOptions > 0) {
                f[l3 + 40] = (byte) proto;                   // next header; length 0: 8 bytes; PadN options
                f[l3 + 42] = 1;
                f[l3 + 43] = 4;
            }
        } else {
            f[l3] = (byte) (0x40 | (5 + ipOptions));
            b.putShort(l3 + 2, (short) (l3Header + l4Length));
            b.putShort(l3 + 4, (short) seed);
            f[l3 + 8] = 64;
            f[l3 + 9] = (byte) proto;
            b.putInt(l3 + 12, 0x0A00_0001);
            b.putInt(l3 + 16, 0x0A00_0002 + seed);
            for (int i = 0; i < 4 * ipOptions; i++) {
                f[l3 + 20 + i] = 1;                          // NOP options
            }
        }
        b.putShort(l4, (short) (1024 + seed));
        b.putShort(l4 + 2, (short) 80);
        if (proto == TCP) {
            b.putInt(l4 + 4, seed * 1000);
            f[l4 + 12] = 0x50;
            f[l4 + 13] = 0x18;
            b.putShort(l4 + 14, (short) 8192);
        } else {
            b.putShort(l4 + 4, (short) l4Length);
        }
        for (int i = 0; i < payload; i++) {
            f[l4 + l4Header + i] = (byte) (i * 7 + seed);
        }
        int sumAt = l4 + (proto == TCP ? 16 : 6);
        int pseudo = pseudoHeaderSum(f);
        if (complete) {
            if (!ipv6) {
                b.putShort(l3 + 10, (short) ~sum(f, l3, l4, 0));
            }
            int c = ~sum(f, l4, f.length, pseudo) & 0xFFFF;
            b.putShort(sumAt, (short) (proto == UDP && c == 0 ? 0xFFFF : c));
        } else {
            b.putShort(sumAt, (short) pseudo);
        }
        return f;
    }

    /** Whether the IPv4 header checksum is right (true for IPv6, which has none). */
    public static boolean ipHeaderChecksumOk(byte[] f) {
        return l3Type(f) == 0x86DD || sum(f, ETHER, l4Offset(f), 0) == 0xFFFF;
    }

    /** Whether the TCP or UDP checksum is right, pseudo-header included. */
    public static boolean l4ChecksumOk(byte[] f) {
        return sum(f, l4Offset(f), l3End(f), pseudoHeaderSum(f)) == 0xFFFF;
    }

    /** Where the TCP or UDP checksum field is. */
    public static int l4ChecksumOffset(byte[] f) {
        return l4Offset(f) + (protocol(f) == TCP ? 16 : 6);
    }

    /** Where the IPv4 header checksum field is. */
    public static int ipChecksumOffset() {
        return ETHER + 10;
    }

    /** A copy of {@code f} with the 16-bit field at {@code at} changed. */
    public static byte[] corrupt(byte[] f, int at) {
        byte[] c = f.clone();
        c[at + 1] ^= 0x5A;
        return c;
    }

    public static int protocol(byte[] f) {
        if (l3Type(f) == 0x0800) {
            return f[ETHER + 9] & 0xFF;
        }
        int next = f[ETHER + 6] & 0xFF;
        return next == DESTINATION_OPTIONS ? f[ETHER + 40] & 0xFF : next;
    }

    private static int l3Type(byte[] f) {
        return (f[12] & 0xFF) << 8 | f[13] & 0xFF;
    }

    private static int l4Offset(byte[] f) {
        if (l3Type(f) == 0x0800) {
            return ETHER + (f[ETHER] & 0x0F) * 4;
        }
        return ETHER + 40 + ((f[ETHER + 6] & 0xFF) == DESTINATION_OPTIONS ? ((f[ETHER + 41] & 0xFF) + 1) * 8 : 0);
    }

    private static int l3End(byte[] f) {
        int l3 = ETHER;
        if (l3Type(f) == 0x0800) {
            return l3 + ((f[l3 + 2] & 0xFF) << 8 | f[l3 + 3] & 0xFF);
        }
        return l3 + 40 + ((f[l3 + 4] & 0xFF) << 8 | f[l3 + 5] & 0xFF);
    }

    /** The pseudo-header's one's-complement sum, folded, not complemented. */
    private static int pseudoHeaderSum(byte[] f) {
        int l4Length = l3End(f) - l4Offset(f);
        int proto = protocol(f);
        if (l3Type(f) == 0x0800) {
            return sum(f, ETHER + 12, ETHER + 20, proto + l4Length);
        }
        return sum(f, ETHER + 8, ETHER + 40, proto + l4Length);
    }

    private static int sum(byte[] f, int from, int to, int initial) {
        long s = initial;
        for (int i = from; i < to; i++) {
            s += (i - from) % 2 == 0 ? (f[i] & 0xFF) << 8 : f[i] & 0xFF;
        }
        while (s > 0xFFFF) {
            s = (s & 0xFFFF) + (s >>> 16);
        }
        return (int) s;
    }
}

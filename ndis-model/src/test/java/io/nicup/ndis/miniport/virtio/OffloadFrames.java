package io.nicup.ndis.miniport.virtio;

import io.nicup.ndis.MacAddress;
import java.util.Arrays;

/**
 * TCP and UDP frames over IPv4 and IPv6 for the offload tests, built with every length and checksum
 * right (what must appear on the wire), and turned into what a protocol hands an offloading miniport: the
 * transport checksum field holding only the pseudo-header sum (with the length for a checksum offload,
 * without it and with the IP length 0 for an LSOv2 send; docs/hardware-reference.md C.9).
 */
public final class OffloadFrames {

    public static final int TCP = 6;
    public static final int UDP = 17;
    public static final int ACK = 0x10;
    public static final int PSH = 0x08;
    public static final int FIN = 0x01;

    private OffloadFrames() {
    }

    /** A payload whose every byte differs from its neighbours', so a misplaced byte shows. */
    public static byte[] payload(int length) {
        byte[] p = new byte[length];
        for (int i = 0; i < length; i++) {
            p[i] = (byte) (i * 7 + i / 251);
        }
        return p;
    }

    public static int ipHeader(boolean v6) {
        return v6 ? 40 : 20;
    }

    public static int l4Offset(boolean v6) {
        return 14 + ipHeader(v6);
    }

    /** A complete frame, every length and checksum right. */
    public static byte[] packet(MacAddress dst, MacAddress src, boolean v6, int protocol, byte[] payload, long seq,
            int tcpFlags, int id) {
        int l4 = l4Offset(v6);
        int l4Header = protocol == TCP ? 20 : 8;
        byte[] f = new byte[l4 + l4Header + payload.length];
        System.arraycopy(dst.bytes(), 0, f, 0, 6);
        System.arraycopy(src.bytes(), 0, f, 6, 6);
        put16(f, 12, v6 ? 0x86DD : 0x0800);
        if (v6) {
            f[14] = 0x60;
            put16(f, 18, f.length - l4);
            f[20] = (byte) protocol;
            f[21] = 64;
            f[22] = (byte) 0xFD;
            f[37] = 1;
            f[38] = (byte) 0xFD;
            f[53] = 2;
        } else {
            f[14] = 0x45;
            put16(f, 16, f.length - 14);
            put16(f, 18, id);
            put16(f, 20, 0x4000);
            f[22] = 64;
            f[23] = (byte) protocol;
            f[26] = 10;
            f[29] = 1;
            f[30] = 10;
            f[33] = 2;
            put16(f, 24, ~fold(sum(f, 14, 34)) & 0xFFFF);
        }
        put16(f, l4, 40000);
        put16(f, l4 + 2, protocol == TCP ? 5001 : 5002);
        if (protocol == TCP) {
            put16(f, l4 + 4, (int) (seq >>> 16));
            put16(f, l4 + 6, (int) seq);
            f[l4 + 12] = 0x50;
            f[l4 + 13] = (byte) tcpFlags;
            put16(f, l4 + 14, 65535);
        } else {
            put16(f, l4 + 4, f.length - l4);
        }
        System.arraycopy(payload, 0, f, l4 + l4Header, payload.length);
        int field = l4 + (protocol == TCP ? 16 : 6);
        put16(f, field, 0);
        int c = ~fold(pseudo(f, v6, f.length - l4) + sum(f, l4, f.length)) & 0xFFFF;
        put16(f, field, c == 0 && protocol == UDP ? 0xFFFF : c);
        return f;
    }

    /**
     * The segments a large send of {@code payloadLength} bytes of {@link #payload} must become at {@code mss}
     * ({@link #packet} with sequence number 1000000 and IPv4 ID 100 for the first, FIN and PSH on the last):
     * built independently, every field right.
     */
    public static java.util.List<byte[]> segments(MacAddress dst, MacAddress src, boolean v6, int payloadLength,
            int mss) {
        byte[] payload = payload(payloadLength);
        java.util.List<byte[]> out = new java.util.ArrayList<>();
        for (int at = 0, i = 0; at < payloadLength; at += mss, i++) {
            int chunk = Math.min(mss, payloadLength - at);
            boolean last = at + chunk == payloadLength;
            byte[] p = Arrays.copyOfRange(payload, at, at + chunk);
            out.add(packet(dst, src, v6, TCP, p, 1_000_000L + at, ACK | (last ? PSH | FIN : 0), 100 + i));
        }
        return out;
    }

    /** What the protocol hands over for a checksum offload: the field holds the pseudo-header sum. */
    public static byte[] forChecksumOffload(byte[] good, boolean v6, int protocol) {
        byte[] f = good.clone();
        int l4 = l4Offset(v6);
        put16(f, l4 + (protocol == TCP ? 16 : 6), fold(pseudo(f, v6, f.length - l4)));
        return f;
    }

    /**
     * What the protocol hands over for an LSOv2 send: the IP length 0 (and, IPv4, the header checksum
     * 0: the NIC's), the TCP checksum field the pseudo-header sum without the TCP length.
     */
    public static byte[] forLargeSend(byte[] good, boolean v6) {
        byte[] f = good.clone();
        int l4 = l4Offset(v6);
        if (v6) {
            put16(f, 18, 0);
        } else {
            put16(f, 16, 0);
            put16(f, 24, 0);
        }
        put16(f, l4 + 16, fold(pseudo(f, v6, 0)));
        return f;
    }

    /** Whether the IPv4 header checksum (if any) and the TCP/UDP checksum of {@code f} are right. */
    public static boolean checksumsRight(byte[] f, boolean v6) {
        int l4 = l4Offset(v6);
        if (!v6 && fold(sum(f, 14, 34)) != 0xFFFF) {
            return false;
        }
        return fold(pseudo(f, v6, f.length - l4) + sum(f, l4, f.length)) == 0xFFFF;
    }

    /** A copy with the byte at {@code at} changed: a frame whose checksum is wrong. */
    public static byte[] corrupted(byte[] f, int at) {
        byte[] c = Arrays.copyOf(f, f.length);
        c[at] ^= 0x5A;
        return c;
    }

    private static long pseudo(byte[] f, boolean v6, int l4Length) {
        long acc = v6 ? sum(f, 22, 54) : sum(f, 26, 34);
        return acc + (f[v6 ? 20 : 23] & 0xFF) + l4Length;
    }

    private static long sum(byte[] b, int from, int to) {
        long acc = 0;
        for (int i = from; i < to; i += 2) {
            acc += ((b[i] & 0xFF) << 8) | (i + 1 < to ? b[i + 1] & 0xFF : 0);
        }
        return acc;
    }

    private static int fold(long acc) {
        while ((acc >>> 16) != 0) {
            acc = (acc & 0xFFFF) + (acc >>> 16);
        }
        return (int) acc;
    }

    public static void put16(byte[] b, int at, int v) {
        b[at] = (byte) (v >>> 8);
        b[at + 1] = (byte) v;
    }
}

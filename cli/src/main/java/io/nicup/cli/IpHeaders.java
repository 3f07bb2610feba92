package io.nicup.cli;

import io.nicup.ndis.miniport.core.InternetChecksum;
import java.lang.foreign.MemorySegment;

/**
 * The IPv4 or IPv6 header and the UDP or TCP header of a generated frame, with their checksums as the
 * send asks for them (docs/hardware-reference.md C.9):
 * <ul>
 *   <li>{@link Checksums#SOFTWARE}: every checksum computed here (what {@code send} always did);</li>
 *   <li>{@link Checksums#OFFLOAD}: the IPv4 header checksum here (no NIC nicup drives inserts it through
 *       NDIS: the IpChecksum offload is off), the UDP/TCP checksum field holding the pseudo-header sum
 *       the NIC completes, as Windows' TCP/IP leaves it;</li>
 *   <li>{@link Checksums#LARGE_SEND}: an LSOv2 send as Windows' TCP/IP hands it over: the IP length 0, the
 *       IPv4 header checksum 0 and the TCP checksum field the pseudo-header sum without the TCP length.</li>
 * </ul>
 * Addresses come from the benchmarking ranges (198.18.0.0/15, RFC 2544; 2001:2::/48, RFC 5180).
 */
final class IpHeaders {

    /** Who computes the checksums. */
    enum Checksums { SOFTWARE, OFFLOAD, LARGE_SEND }

    static final int UDP = 17;
    static final int TCP = 6;
    static final int TCP_HEADER = 20;
    static final int UDP_HEADER = 8;
    private static final int TCP_ACK_PSH = 0x18;
    private static final byte[] SRC_IP4 = {(byte) 198, 18, 0, 1};
    private static final byte[] DST_IP4 = {(byte) 198, 19, 0, 1};
    private static final byte[] SRC_IP6 = {0x20, 0x01, 0, 2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1};
    private static final byte[] DST_IP6 = {0x20, 0x01, 0, 2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2};

    private IpHeaders() {
    }

    /**
     * Writes the IP header at {@code ip} and the transport header after it into the frame {@code f}
     * (its payload already in place): {@code protocol} UDP or TCP, from {@code port} to {@code dstPort},
     * IPv4 Identification {@code id}, TCP sequence number {@code seq}.
     */
    static void write(byte[] f, int ip, boolean ipv6, int protocol, int port, int dstPort, int id, long seq,
            Checksums checksums) {
        int l4 = ip + (ipv6 ? 40 : 20);
        MemorySegment frame = MemorySegment.ofArray(f);
        boolean large = checksums == Checksums.LARGE_SEND;
        if (ipv6) {
            f[ip] = 0x60;                                   // version 6, traffic class 0, flow label 0
            putShort(f, ip + 4, large ? 0 : f.length - l4); // payload length
            f[ip + 6] = (byte) protocol;                    // next header
            f[ip + 7] = 64;                                 // hop limit
            System.arraycopy(SRC_IP6, 0, f, ip + 8, 16);
            System.arraycopy(DST_IP6, 0, f, ip + 24, 16);
        } else {
            f[ip] = 0x45;                                   // version 4, 5 words of header
            putShort(f, ip + 2, large ? 0 : f.length - ip); // total length
            putShort(f, ip + 4, id & 0xFFFF);               // identification
            putShort(f, ip + 6, 0x4000);                    // don't fragment
            f[ip + 8] = 64;                                 // TTL
            f[ip + 9] = (byte) protocol;
            System.arraycopy(SRC_IP4, 0, f, ip + 12, 4);
            System.arraycopy(DST_IP4, 0, f, ip + 16, 4);
            putShort(f, ip + 10, large ? 0 : InternetChecksum.checksum(InternetChecksum.add(frame, ip, 20, 0)));
        }
        putShort(f, l4, port);
        putShort(f, l4 + 2, dstPort);
        int field;
        if (protocol == TCP) {
            putShort(f, l4 + 4, (int) (seq >>> 16));
            putShort(f, l4 + 6, (int) seq);
            f[l4 + 12] = 0x50;                              // 5 words of header
            f[l4 + 13] = TCP_ACK_PSH;
            putShort(f, l4 + 14, 65535);                    // window
            field = l4 + 16;
        } else {
            putShort(f, l4 + 4, f.length - l4);
            field = l4 + 6;
        }
        int length = large ? 0 : f.length - l4;
        long pseudo = ipv6 ? InternetChecksum.add(frame, ip + 8, 32, protocol + length)
                : InternetChecksum.add(frame, ip + 12, 8, protocol + length);
        if (checksums == Checksums.SOFTWARE) {
            int sum = InternetChecksum.checksum(InternetChecksum.add(frame, l4, f.length - l4, pseudo));
            // a computed zero goes out as 0xFFFF: zero means "no checksum" to UDP over IPv4, and is
            // forbidden over IPv6 (RFC 8200 8.1); for TCP both are the same ones' complement value
            putShort(f, field, protocol == UDP && sum == 0 ? 0xFFFF : sum);
        } else {
            putShort(f, field, InternetChecksum.fold(pseudo));
        }
    }

    static void putShort(byte[] f, int at, int value) {
        f[at] = (byte) (value >>> 8);
        f[at + 1] = (byte) value;
    }
}

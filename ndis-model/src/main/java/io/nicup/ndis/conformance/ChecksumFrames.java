package io.nicup.ndis.conformance;

import io.nicup.ndis.MacAddress;
import io.nicup.ndis.datapath.NetBufferListInfo;
import io.nicup.ndis.miniport.core.InternetChecksum;
import io.nicup.ndis.oid.NdisOffload;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

/**
 * The frames of the checksum-offload check: TCP or UDP over IPv4 or IPv6 from 198.18.0.1 to 198.19.0.1
 * (2001:2::1 to 2001:2::2, the benchmarking ranges of RFC 2544 and RFC 5180), either complete, every
 * checksum right, or as Windows' TCP/IP hands a frame over for checksum offload
 * (docs/ndis-contract.md §9, §11): the pseudo-header sum, folded and not complemented, in the TCP or UDP checksum field, and the IPv4
 * header checksum zero when the NIC inserts it.
 */
final class ChecksumFrames {

    /** Ethernet header. */
    static final int L3 = 14;
    static final int TCP = 6;
    static final int UDP = 17;
    private static final ValueLayout.OfInt BE32 = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);

    /** What a frame carries: the IP version and the transport. */
    enum Kind {
        TCP4(false, TCP), UDP4(false, UDP), TCP6(true, TCP), UDP6(true, UDP);

        final boolean ipv6;
        final int protocol;

        Kind(boolean ipv6, int protocol) {
            this.ipv6 = ipv6;
            this.protocol = protocol;
        }

        int l4() {
            return L3 + (ipv6 ? 40 : 20);
        }

        /** Where the TCP or UDP checksum field is. */
        int l4ChecksumAt() {
            return l4() + (protocol == TCP ? 16 : 6);
        }

        /** The direction of {@code checksum} this kind's offload is declared in. */
        NdisOffload.Direction direction(NdisOffload.Checksum checksum, boolean transmit) {
            return ipv6 ? (transmit ? checksum.ipv6Transmit() : checksum.ipv6Receive())
                    : (transmit ? checksum.ipv4Transmit() : checksum.ipv4Receive());
        }

        /** Whether {@code d} declares this kind's TCP or UDP checksum. */
        boolean declaredIn(NdisOffload.Direction d) {
            return protocol == TCP ? d.tcpChecksum() : d.udpChecksum();
        }

        /** The receive flag NDIS expects for a good (bad) transport checksum of this kind. */
        int succeeded() {
            return protocol == TCP ? NetBufferListInfo.RX_TCP_CHECKSUM_SUCCEEDED : NetBufferListInfo.RX_UDP_CHECKSUM_SUCCEEDED;
        }

        int failed() {
            return protocol == TCP ? NetBufferListInfo.RX_TCP_CHECKSUM_FAILED : NetBufferListInfo.RX_UDP_CHECKSUM_FAILED;
        }

        /** The NDIS_TCP_IP_CHECKSUM_NET_BUFFER_LIST_INFO a transport sets to have the NIC insert this kind's sums. */
        int request(boolean ipHeader) {
            int flags = (ipv6 ? NetBufferListInfo.TX_IS_IPV6 : NetBufferListInfo.TX_IS_IPV4)
                    | (protocol == TCP ? NetBufferListInfo.TX_TCP_CHECKSUM : NetBufferListInfo.TX_UDP_CHECKSUM)
                    | (ipHeader ? NetBufferListInfo.TX_IP_HEADER_CHECKSUM : 0);
            return NetBufferListInfo.checksumTransmit(flags, protocol == TCP ? l4() : 0);
        }

        @Override
        public String toString() {
            return (protocol == TCP ? "TCP" : "UDP") + "/IPv" + (ipv6 ? 6 : 4);
        }
    }

    private ChecksumFrames() {
    }

    /** A frame of {@code kind} with {@code payload} bytes of a pattern from {@code seq}, every checksum right. */
    static byte[] complete(Kind kind, MacAddress dst, MacAddress src, int payload, int seq) {
        int l4Header = kind.protocol == TCP ? 20 : 8;
        int l4Length = l4Header + payload;
        byte[] f = new byte[kind.l4() + l4Length];
        MemorySegment s = MemorySegment.ofArray(f);
        System.arraycopy(dst.bytes(), 0, f, 0, 6);
        System.arraycopy(src.bytes(), 0, f, 6, 6);
        InternetChecksum.putWord(s, 12, kind.ipv6 ? 0x86DD : 0x0800);
        if (kind.ipv6) {
            f[L3] = 0x60;
            InternetChecksum.putWord(s, L3 + 4, l4Length);
            f[L3 + 6] = (byte) kind.protocol;
            f[L3 + 7] = 64;
            f[L3 + 8] = 0x20;
            f[L3 + 9] = 0x01;
            f[L3 + 11] = 0x02;
            f[L3 + 23] = 0x01;
            System.arraycopy(f, L3 + 8, f, L3 + 24, 16);
            f[L3 + 39] = 0x02;
        } else {
            f[L3] = 0x45;
            InternetChecksum.putWord(s, L3 + 2, 20 + l4Length);
            InternetChecksum.putWord(s, L3 + 4, seq);
            f[L3 + 8] = 64;
            f[L3 + 9] = (byte) kind.protocol;
            f[L3 + 12] = (byte) 198;
            f[L3 + 13] = 18;
            f[L3 + 15] = 1;
            f[L3 + 16] = (byte) 198;
            f[L3 + 17] = 19;
            f[L3 + 19] = 1;
            InternetChecksum.putWord(s, L3 + 10, InternetChecksum.checksum(InternetChecksum.add(s, L3, 20, 0)));
        }
        int l4 = kind.l4();
        InternetChecksum.putWord(s, l4, 49152 + (seq & 0x3FFF));
        InternetChecksum.putWord(s, l4 + 2, 9);
        if (kind.protocol == TCP) {
            s.set(BE32, l4 + 4,
                    seq * 1000);
            f[l4 + 12] = 0x50;
            f[l4 + 13] = 0x18;                                 // ACK | PSH
            InternetChecksum.putWord(s, l4 + 14, 0xFFFF);
        } else {
            InternetChecksum.putWord(s, l4 + 4, l4Length);
        }
        for (int i = 0; i < payload; i++) {
            f[l4 + l4Header + i] = (byte) (i * 7 + seq);
        }
        int c = InternetChecksum.checksum(InternetChecksum.add(s, l4, l4Length, pseudoHeaderSum(f, kind)));
        InternetChecksum.putWord(s, kind.l4ChecksumAt(), kind.protocol == UDP && c == 0 ? 0xFFFF : c);
        return f;
    }

    /** {@code complete} as a transport hands it over for offload; the IPv4 header checksum zero when the NIC inserts it. */
    static byte[] handedOver(byte[] complete, Kind kind, boolean ipHeaderByNic) {
        byte[] f = complete.clone();
        MemorySegment s = MemorySegment.ofArray(f);
        InternetChecksum.putWord(s, kind.l4ChecksumAt(), InternetChecksum.fold(pseudoHeaderSum(f, kind)));
        if (!kind.ipv6 && ipHeaderByNic) {
            InternetChecksum.putWord(s, L3 + 10, 0);
        }
        return f;
    }

    /** A copy of {@code f} with the 16-bit field at {@code at} changed (a checksum made wrong). */
    static byte[] corrupt(byte[] f, int at) {
        byte[] c = f.clone();
        c[at + 1] ^= 0x5A;
        return c;
    }

    /** Whether the transport checksum of {@code f}, a frame of {@code kind}, is right (its pseudo-header included). */
    static boolean l4ChecksumRight(byte[] f, Kind kind) {
        MemorySegment s = MemorySegment.ofArray(f);
        return InternetChecksum.fold(InternetChecksum.add(s, kind.l4(), f.length - kind.l4(), pseudoHeaderSum(f, kind)))
                == 0xFFFF;
    }

    /** The pseudo-header's sum, not folded: addresses, protocol and the transport length. */
    private static long pseudoHeaderSum(byte[] f, Kind kind) {
        MemorySegment s = MemorySegment.ofArray(f);
        int l4Length = f.length - kind.l4();
        return kind.ipv6 ? InternetChecksum.add(s, L3 + 8, 32, kind.protocol + l4Length)
                : InternetChecksum.add(s, L3 + 12, 8, kind.protocol + l4Length);
    }
}

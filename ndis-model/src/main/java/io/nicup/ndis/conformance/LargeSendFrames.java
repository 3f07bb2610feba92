package io.nicup.ndis.conformance;

import io.nicup.ndis.conformance.ChecksumFrames.Kind;
import io.nicup.ndis.miniport.core.InternetChecksum;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The frames of the large-send check: a TCP large send as Windows' TCP/IP hands it over for LSOv2, and the
 * segments a NIC must make of it (docs/hardware-reference.md C.9 and B.17, from RFC 791, RFC 8200 and the
 * segmentation the datasheets and Linux's tcp_gso_segment describe). The expected segments are computed here,
 * from the frame alone, so that the check judges the NIC's segmentation by its own arithmetic.
 */
final class LargeSendFrames {

    private static final ValueLayout.OfInt BE32 = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);
    private static final int TCP_HEADER = 20;
    private static final int TCP_FIN_PSH = 0x09;

    private LargeSendFrames() {
    }

    /**
     * {@code whole}, a complete TCP frame of {@code kind}, as a large send is handed over: the IP length 0, the
     * IPv4 header checksum 0, and in the TCP checksum field the pseudo-header sum without the TCP length.
     */
    static byte[] handedOver(byte[] whole, Kind kind) {
        byte[] f = whole.clone();
        MemorySegment s = MemorySegment.ofArray(f);
        if (kind.ipv6) {
            InternetChecksum.putWord(s, ChecksumFrames.L3 + 4, 0);
        } else {
            InternetChecksum.putWord(s, ChecksumFrames.L3 + 2, 0);
            InternetChecksum.putWord(s, ChecksumFrames.L3 + 10, 0);
        }
        long sum = kind.ipv6 ? InternetChecksum.add(s, ChecksumFrames.L3 + 8, 32, ChecksumFrames.TCP)
                : InternetChecksum.add(s, ChecksumFrames.L3 + 12, 8, ChecksumFrames.TCP);
        InternetChecksum.putWord(s, kind.l4ChecksumAt(), InternetChecksum.fold(sum));
        return f;
    }

    /**
     * The segments of {@code whole}: its headers, then at most {@code mss} payload bytes each; IPv4 Total Length,
     * Identification (the first plus the segment's index) and header checksum per segment, IPv6 Payload Length
     * per segment; the TCP sequence number advanced by the payload before it, FIN and PSH only on the last, and
     * every TCP checksum right.
     */
    static List<byte[]> segments(byte[] whole, Kind kind, int mss) {
        int headers = kind.l4() + TCP_HEADER;
        int payload = whole.length - headers;
        MemorySegment w = MemorySegment.ofArray(whole);
        int id = InternetChecksum.word(w, ChecksumFrames.L3 + 4);
        int seq = w.get(BE32, kind.l4() + 4);
        List<byte[]> out = new ArrayList<>();
        for (int at = 0, i = 0; at < payload; at += mss, i++) {
            int n = Math.min(mss, payload - at);
            byte[] f = Arrays.copyOf(whole, headers + n);
            System.arraycopy(whole, headers + at, f, headers, n);
            MemorySegment s = MemorySegment.ofArray(f);
            if (kind.ipv6) {
                InternetChecksum.putWord(s, ChecksumFrames.L3 + 4, TCP_HEADER + n);
            } else {
                InternetChecksum.putWord(s, ChecksumFrames.L3 + 2, 20 + TCP_HEADER + n);
                InternetChecksum.putWord(s, ChecksumFrames.L3 + 4, (id + i) & 0xFFFF);
                InternetChecksum.putWord(s, ChecksumFrames.L3 + 10, 0);
                InternetChecksum.putWord(s, ChecksumFrames.L3 + 10,
                        InternetChecksum.checksum(InternetChecksum.add(s, ChecksumFrames.L3, 20, 0)));
            }
            s.set(BE32, kind.l4() + 4, seq + at);
            if (at + n < payload) {
                f[kind.l4() + 13] &= (byte) ~TCP_FIN_PSH;
            }
            InternetChecksum.putWord(s, kind.l4ChecksumAt(), 0);
            long pseudo = kind.ipv6 ? InternetChecksum.add(s, ChecksumFrames.L3 + 8, 32, ChecksumFrames.TCP + TCP_HEADER + n)
                    : InternetChecksum.add(s, ChecksumFrames.L3 + 12, 8, ChecksumFrames.TCP + TCP_HEADER + n);
            InternetChecksum.putWord(s, kind.l4ChecksumAt(),
                    InternetChecksum.checksum(InternetChecksum.add(s, kind.l4(), TCP_HEADER + n, pseudo)));
            out.add(f);
        }
        return out;
    }
}

package io.nicup.mock.intel;

/**
 * TCP segmentation as both Intel chips do it (docs/hardware-reference.md B.17), written from the
 * datasheets (82574: "TCP Segmentation"; 82576: "TCP Segmentation"): the frame the data descriptors
 * gathered is a header of HDRLEN bytes (the prototype) and PAYLEN bytes of TCP payload; each segment is the
 * prototype header followed by at most MSS bytes of payload, with
 * <ul>
 *   <li>IPv4: Total Length = the segment's bytes from the IP header on, Identification the prototype's plus
 *       the segment's index; the header checksum inserted with POPTS.IXSM, over the header as software left
 *       its checksum field (0);</li>
 *   <li>IPv6: Payload Length = the segment's bytes after the 40-byte IPv6 header;</li>
 *   <li>TCP: Sequence Number = the prototype's plus the payload bytes of the segments before it; FIN and PSH
 *       only in the last segment (the 82576's DTXTCPFLGL/H reset values say the same), the other flags as
 *       given; the checksum from the pseudo-header sum software left in the field (without the TCP length)
 *       plus the segment's TCP length, over the segment's TCP header and payload.</li>
 * </ul>
 * Each segment goes to {@link Sink} as a frame of its own.
 */
public final class TcpSegmentation {

    /** Largest TCP segmentation the models gather: a 64 KiB IP packet behind an Ethernet and a VLAN header. */
    public static final int MAX_GATHER = 18 + 40 + 65535;

    private static final int FIN = 0x01;
    private static final int PSH = 0x08;

    /** Where the segments go. */
    public interface Sink {
        void segment(byte[] frame, int length);
    }

    private final byte[] segment = new byte[MAX_GATHER];

    /**
     * Cuts {@code frame[0, length)} into segments under {@code ctx} (HDRLEN, MSS, the IP and TCP offsets) and
     * hands each to {@code sink}; false (nothing sent) when the context cannot describe the frame: no MSS,
     * a header that leaves no room for IP and TCP, or a PAYLEN that is not the gathered payload.
     *
     * @param payload the PAYLEN the descriptors gave
     * @param badSequence the {@code tso-bad-seq} fault: each segment after the first carries the sequence
     *     number of the one before
     */
    public boolean segment(byte[] frame, int length, ChecksumOffload.Context ctx, int popts, int payload,
            boolean badSequence, Sink sink) {
        int hdr = ctx.hdrlen;
        int ip = ctx.ipcss;
        int tcp = ctx.tucss;
        if (!ctx.valid || ctx.mss == 0 || ctx.udp || tcp + 20 > hdr || ip + 20 > tcp || hdr >= length
                || length - hdr != payload) {
            return false;
        }
        int id = u16(frame, ip + 4);
        long seq = u32(frame, tcp + 4);
        int flags = frame[tcp + 13] & 0xFF;
        int index = 0;
        for (int at = hdr; at < length; at += ctx.mss, index++) {
            int chunk = Math.min(ctx.mss, length - at);
            boolean last = at + chunk == length;
            int n = hdr + chunk;
            System.arraycopy(frame, 0, segment, 0, hdr);
            System.arraycopy(frame, at, segment, hdr, chunk);
            if (ctx.segmentIpv4) {
                put16(segment, ip + 2, n - ip);
                put16(segment, ip + 4, id + index);
            } else {
                put16(segment, ip + 4, n - ip - 40);
            }
            long sent = (long) (at - hdr) - (badSequence && index > 0 ? ctx.mss : 0);
            put32(segment, tcp + 4, seq + sent);
            segment[tcp + 13] = (byte) (last ? flags : flags & ~(FIN | PSH));
            if ((popts & ChecksumOffload.POPTS_IXSM) != 0 && ctx.segmentIpv4) {
                int c = ~ChecksumOffload.sum(segment, ip, ctx.ipcse + 1, 0) & 0xFFFF;
                put16(segment, ctx.ipcso, c);
            }
            if ((popts & ChecksumOffload.POPTS_TXSM) != 0) {
                int c = ~ChecksumOffload.sum(segment, tcp, n, n - tcp) & 0xFFFF;
                put16(segment, ctx.tucso, c);
            }
            sink.segment(segment, n);
        }
        return true;
    }

    private static int u16(byte[] f, int at) {
        return (f[at] & 0xFF) << 8 | f[at + 1] & 0xFF;
    }

    private static long u32(byte[] f, int at) {
        return (long) u16(f, at) << 16 | u16(f, at + 2);
    }

    private static void put16(byte[] f, int at, int v) {
        f[at] = (byte) (v >>> 8);
        f[at + 1] = (byte) v;
    }

    private static void put32(byte[] f, int at, long v) {
        put16(f, at, (int) (v >>> 16) & 0xFFFF);
        put16(f, at + 2, (int) v & 0xFFFF);
    }
}

package io.nicup.mock.virtio;

import io.nicup.mock.virtio.VirtioNetModel.Counter;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static io.nicup.mock.virtio.WireChecksums.fold;
import static io.nicup.mock.virtio.WireChecksums.put16;
import static io.nicup.mock.virtio.WireChecksums.sum;
import static io.nicup.mock.virtio.WireChecksums.u16;

/**
 * What the device does with a transmitted frame's virtio_net_hdr (virtio 1.2 5.1.6.2; docs/hardware-reference.md
 * C.9), as the host side of QEMU with a vnet-header peer does it:
 * <ul>
 *   <li>VIRTIO_NET_HDR_F_NEEDS_CSUM (with VIRTIO_NET_F_CSUM): the 16-bit ones' complement of the sum from
 *       csum_start to the end, the field included (the driver left the pseudo-header sum there), is stored
 *       at csum_start + csum_offset; a result of 0 goes out as 0xFFFF, as Linux's skb_checksum_help writes it;</li>
 *   <li>gso_type TCPV4 / TCPV6 (with HOST_TSO4 / HOST_TSO6): the frame is first taken as the one packet a tap
 *       peer hands the host's IP stack, so an IPv4 Total Length that is not the frame's or a bad IPv4 header
 *       checksum drops it (Linux ip_rcv); then it is cut as Linux's tcp_gso_segment cuts it: gso_size bytes
 *       of payload per segment behind a copy of the headers; IPv4 Total Length, Identification (+1 per
 *       segment) and header checksum, or IPv6 Payload Length, per segment; the sequence number advanced by
 *       the payload before it; FIN and PSH only on the last segment, CWR only on the first; each TCP
 *       checksum finished from the driver's pseudo-header sum adjusted from the whole TCP length to the
 *       segment's (the partial checksum convention: the driver's sum must include the TCP length).</li>
 * </ul>
 * A request for an offload that was not negotiated, or whose offsets lie outside the frame, is counted
 * ({@link Counter#TX_OFFLOAD_ERRORS}) and the frame dropped (QEMU: virtio_net_hdr_to_skb refuses it).
 */
final class VirtioTxOffload {

    static final int NEEDS_CSUM = 1;
    static final int GSO_NONE = 0;
    static final int GSO_TCPV4 = 1;
    static final int GSO_TCPV6 = 4;
    static final int GSO_ECN = 0x80;
    private static final int TCP_FIN = 0x01;
    private static final int TCP_PSH = 0x08;
    private static final int TCP_CWR = 0x80;

    private final VirtioCore core;

    VirtioTxOffload(VirtioCore core) {
        this.core = core;
    }

    /**
     * The frames to put on the wire for the chain in {@code buf[0, total)} (header, then frame) under the
     * {@code negotiated} features; empty when it is dropped.
     */
    List<byte[]> frames(byte[] buf, int total, long negotiated) {
        int hdr = VirtioNetModel.netHeaderBytes(negotiated);
        int flags = buf[0] & 0xFF;
        int gso = buf[1] & 0xFF & ~GSO_ECN;
        byte[] frame = Arrays.copyOfRange(buf, hdr, total);
        if (flags == 0 && gso == GSO_NONE) {
            return List.of(frame);
        }
        int csumStart = le16(buf, 6);
        int csumOffset = le16(buf, 8);
        boolean csumOk = (flags & NEEDS_CSUM) != 0 && (negotiated & VirtioNetModel.F_CSUM) != 0
                && csumStart + csumOffset + 2 <= frame.length;
        if (!csumOk || (flags & ~NEEDS_CSUM) != 0) {
            return refused();
        }
        if (gso == GSO_NONE) {
            insertChecksum(frame, frame.length, csumStart, csumOffset);
            core.count(Counter.TX_CSUM_INSERTED);
            return List.of(frame);
        }
        long tso = gso == GSO_TCPV4 ? VirtioNetModel.F_HOST_TSO4 : gso == GSO_TCPV6 ? VirtioNetModel.F_HOST_TSO6 : 0;
        int mss = le16(buf, 4);
        if ((negotiated & tso) == 0 || mss == 0) {
            return refused();
        }
        return segment(frame, gso == GSO_TCPV6, mss, csumStart);
    }

    private List<byte[]> refused() {
        core.count(Counter.TX_OFFLOAD_ERRORS);
        return List.of();
    }

    /** Stores the checksum of {@code f[start, end)} at {@code start + offset}. */
    private void insertChecksum(byte[] f, int end, int start, int offset) {
        int c = ~fold(sum(f, start, end, 0)) & 0xFFFF;
        if (c == 0) {
            c = 0xFFFF;
        }
        if (core.faults.has(VirtioNetFault.TX_CSUM_WRONG)) {
            c = (c + 1) & 0xFFFF;
        }
        put16(f, start + offset, c);
    }

    private List<byte[]> segment(byte[] f, boolean ipv6, int mss, int csumStart) {
        int ip = WireChecksums.ipOffset(f, f.length);
        if (ip < 0 || WireChecksums.isIpv6(f, ip) != ipv6 || WireChecksums.protocol(f, ip) != WireChecksums.TCP) {
            return refused();
        }
        int tcp = WireChecksums.l4Offset(f, ip, f.length);
        if (tcp != csumStart || tcp + 20 > f.length) {
            return refused();
        }
        if (!ipv6 && (u16(f, ip + 2) != f.length - ip
                || fold(sum(f, ip, ip + (f[ip] & 0x0F) * 4, 0)) != 0xFFFF)) {
            core.count(Counter.TX_GSO_BAD_HEADER);           // the host's ip_rcv drops it
            return List.of();
        }
        int payload = tcp + ((f[tcp + 12] & 0xF0) >>> 4) * 4;
        int wholeTcpLength = f.length - tcp;
        int partial = u16(f, tcp + 16);
        long seq = WireChecksums.u32(f, tcp + 4);
        int id = u16(f, ip + 4);
        int tcpFlags = f[tcp + 13] & 0xFF;
        List<byte[]> out = new ArrayList<>();
        for (int at = payload, i = 0; at < f.length || i == 0; at += mss, i++) {
            int chunk = Math.min(mss, f.length - at);
            boolean last = at + chunk >= f.length;
            byte[] s = new byte[payload + chunk];
            System.arraycopy(f, 0, s, 0, payload);
            System.arraycopy(f, at, s, payload, chunk);
            if (ipv6) {
                put16(s, ip + 4, s.length - ip - 40);
            } else {
                put16(s, ip + 2, s.length - ip);
                put16(s, ip + 4, (id + i) & 0xFFFF);
                put16(s, ip + 10, 0);
                put16(s, ip + 10, ~fold(sum(s, ip, tcp, 0)) & 0xFFFF);
            }
            long segSeq = core.faults.has(VirtioNetFault.GSO_BAD_SEQ) ? seq : seq + (long) i * mss;
            WireChecksums.put32(s, tcp + 4, segSeq & 0xFFFF_FFFFL);
            int fl = tcpFlags;
            if (!last) {
                fl &= ~(TCP_FIN | TCP_PSH);
            }
            if (i > 0) {
                fl &= ~TCP_CWR;
            }
            s[tcp + 13] = (byte) fl;
            int segTcpLength = s.length - tcp;
            // the driver's sum covers the whole TCP length: take it out, put the segment's in
            put16(s, tcp + 16, fold((long) partial + (~wholeTcpLength & 0xFFFF) + segTcpLength));
            insertChecksum(s, s.length, tcp, 16);
            out.add(s);
            core.count(Counter.TX_GSO_SEGMENTS);
            if (last) {
                break;
            }
        }
        return out;
    }

    private static int le16(byte[] b, int at) {
        return (b[at] & 0xFF) | ((b[at + 1] & 0xFF) << 8);
    }
}

package io.nicup.ndis.miniport.virtio;

import io.nicup.ndis.datapath.NetBuffer;
import io.nicup.ndis.datapath.NetBufferList;
import io.nicup.ndis.datapath.NetBufferListInfo;
import io.nicup.ndis.miniport.core.FrameHeaders;
import io.nicup.ndis.miniport.core.InternetChecksum;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * Fills a frame's {@code virtio_net_hdr} from its NBL's offload requests (virtio 1.2 5.1.6.2;
 * docs/hardware-reference.md C.9), the one place the transmit path says what the device is to do:
 * <ul>
 *   <li>nothing asked (or nothing negotiated that would do it): all zero, GSO_NONE;</li>
 *   <li>a TCP or UDP checksum (NDIS_TCP_IP_CHECKSUM_NET_BUFFER_LIST_INFO): NEEDS_CSUM, csum_start at the
 *       transport header, csum_offset 16 (TCP) or 6 (UDP). The protocol left the pseudo-header sum in the
 *       checksum field, as the device expects (docs/hardware-reference.md C.9);</li>
 *   <li>an LSOv2 send: the same for TCP, plus gso_type TCPV4/TCPV6, hdr_len (the headers) and gso_size
 *       (the MSS). NDIS leaves the IP length at 0 and the pseudo-header sum without the TCP length; a
 *       virtio device (Linux's tcp_gso_segment behind a tap, docs/hardware-reference.md C.9) takes the frame
 *       as a whole packet, so the driver writes the IPv4 Total Length and header checksum (or the IPv6
 *       Payload Length) and adds the TCP length to the pseudo-header sum, in place. The TCP payload it
 *       hands over is written back as the LSO completion byte count.</li>
 * </ul>
 * Static, nothing allocated: called per frame under the transmit lock.
 */
final class TxOffloadHeader {

    static final int FLAGS_NEEDS_CSUM = 1;
    static final int GSO_NONE = 0;
    static final int GSO_TCPV4 = 1;
    static final int GSO_TCPV6 = 4;
    private static final long GSO_TYPE = 1;
    private static final long HDR_LEN = 2;
    private static final long GSO_SIZE = 4;
    private static final long CSUM_START = 6;
    private static final long CSUM_OFFSET = 8;
    private static final int TCP_CHECKSUM_FIELD = 16;
    private static final int UDP_CHECKSUM_FIELD = 6;

    private TxOffloadHeader() {
    }

    /**
     * Writes {@code hdr} for the frame {@code nb} of {@code nbl} with the {@code negotiated} features;
     * {@code LargeSendCheck} has admitted a large send's information.
     */
    static void fill(MemorySegment hdr, NetBufferList nbl, NetBuffer nb, long negotiated) {
        hdr.set(ValueLayout.JAVA_LONG_UNALIGNED, 0, 0L);
        hdr.set(ValueLayout.JAVA_INT_UNALIGNED, 8, 0);
        if ((negotiated & Features.NET_F_CSUM) == 0) {
            return;
        }
        int lso = nbl.info(NetBufferListInfo.TCP_LARGE_SEND);
        if (lso != 0) {
            boolean ipv6 = NetBufferListInfo.lsoIpv6(lso);
            if ((negotiated & (ipv6 ? Features.NET_F_HOST_TSO6 : Features.NET_F_HOST_TSO4)) != 0) {
                largeSend(hdr, nbl, nb, lso, ipv6);
            }
            return;
        }
        int request = nbl.info(NetBufferListInfo.TCP_IP_CHECKSUM);
        boolean tcp = (request & NetBufferListInfo.TX_TCP_CHECKSUM) != 0;
        if (!tcp && (request & NetBufferListInfo.TX_UDP_CHECKSUM) == 0) {
            return;
        }
        int start = tcp ? NetBufferListInfo.checksumTransmitTcpHeaderOffset(request) : 0;
        if (start == 0) {
            start = FrameHeaders.transportOffset(FrameHeaders.parse(nb.currentMdl().memory(), nb.currentMdlOffset(),
                    headBytes(nb)));
        }
        int field = tcp ? TCP_CHECKSUM_FIELD : UDP_CHECKSUM_FIELD;
        if (start == 0 || start + field + 2 > nb.dataLength()) {
            return;                          // no transport header where it says: the frame leaves as it is
        }
        checksum(hdr, start, field);
    }

    private static void checksum(MemorySegment hdr, int start, int field) {
        hdr.set(ValueLayout.JAVA_BYTE, 0, (byte) FLAGS_NEEDS_CSUM);
        hdr.set(ValueLayout.JAVA_SHORT_UNALIGNED, CSUM_START, (short) start);
        hdr.set(ValueLayout.JAVA_SHORT_UNALIGNED, CSUM_OFFSET, (short) field);
    }

    /**
     * The bytes of the frame in its current MDL: where its headers are read and, for a large send, completed
     * in place. The contract keeps only the MAC header in one piece (docs/ndis-contract.md §16.1); a frame
     * whose IP or TCP/UDP header runs past its first MDL gets no offload here (open: nicup's protocol edge
     * never builds one).
     */
    private static int headBytes(NetBuffer nb) {
        return (int) Math.min(nb.dataLength(), (long) nb.currentMdl().byteCount() - nb.currentMdlOffset());
    }

    private static void largeSend(MemorySegment hdr, NetBufferList nbl, NetBuffer nb, int lso, boolean ipv6) {
        MemorySegment frame = nb.currentMdl().memory();
        long base = nb.currentMdlOffset();
        int length = nb.dataLength();
        int tcp = NetBufferListInfo.lsoTcpHeaderOffset(lso);
        if (tcp + 20 > headBytes(nb)) {
            return;
        }
        int tcpHeader = ((frame.get(ValueLayout.JAVA_BYTE, base + tcp + 12) & 0xFF) >>> 4) * 4;
        int headers = Math.min(tcp + tcpHeader, length);
        int ip = FrameHeaders.ipOffset(frame, base);
        if (ipv6) {
            InternetChecksum.putWord(frame, base + ip + 4, length - ip - 40);
        } else {
            int ihl = (frame.get(ValueLayout.JAVA_BYTE, base + ip) & 0x0F) * 4;
            InternetChecksum.putWord(frame, base + ip + 2, length - ip);
            InternetChecksum.putWord(frame, base + ip + 10, 0);
            InternetChecksum.putWord(frame, base + ip + 10,
                    InternetChecksum.checksum(InternetChecksum.add(frame, base + ip, ihl, 0)));
        }
        long field = base + tcp + TCP_CHECKSUM_FIELD;
        InternetChecksum.putWord(frame, field,
                InternetChecksum.fold(InternetChecksum.word(frame, field) + (long) (length - tcp)));
        checksum(hdr, tcp, TCP_CHECKSUM_FIELD);
        hdr.set(ValueLayout.JAVA_BYTE, GSO_TYPE, (byte) (ipv6 ? GSO_TCPV6 : GSO_TCPV4));
        hdr.set(ValueLayout.JAVA_SHORT_UNALIGNED, HDR_LEN, (short) headers);
        hdr.set(ValueLayout.JAVA_SHORT_UNALIGNED, GSO_SIZE, (short) NetBufferListInfo.lsoMss(lso));
        nbl.setInfo(NetBufferListInfo.TCP_LARGE_SEND, NetBufferListInfo.lsoTransmitComplete(lso, length - headers));
    }
}

package io.nicup.ndis.miniport.virtio;

import io.nicup.ndis.datapath.NetBufferListInfo;
import io.nicup.ndis.miniport.core.FrameHeaders;
import io.nicup.ndis.miniport.core.InternetChecksum;
import io.nicup.ndis.oid.NdisOffload;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * The receive checksum verdict of a frame from its {@code virtio_net_hdr} (virtio 1.2 5.1.6.4;
 * docs/hardware-reference.md C.9), as the NDIS_TCP_IP_CHECKSUM_NET_BUFFER_LIST_INFO value to indicate:
 * <ul>
 *   <li>DATA_VALID: the device validated the transport checksum: TcpChecksumSucceeded or
 *       UdpChecksumSucceeded, by the frame's protocol;</li>
 *   <li>NEEDS_CSUM: the frame comes from a sender that left its checksum to the device (another guest
 *       on the host): the data is good, the checksum field holds only the pseudo-header sum. The driver
 *       completes the checksum from csum_start in place, as a NIC would have put it on the wire, and
 *       reports success;</li>
 *   <li>neither flag: the device said nothing, and so does the verdict (0): never "succeeded" for a
 *       checksum no one checked.</li>
 * </ul>
 * A verdict is given only for what the offload configuration in force has on for that IP version, and
 * never for the IPv4 header checksum, of which the device says nothing. Static, nothing allocated.
 */
final class RxChecksumVerdict {

    static final int FLAGS_NEEDS_CSUM = 1;
    static final int FLAGS_DATA_VALID = 2;
    private static final long CSUM_START = 6;
    private static final long CSUM_OFFSET = 8;

    private RxChecksumVerdict() {
    }

    /**
     * The verdict of the {@code length}-byte frame at {@code frameOffset} of {@code buffer}, its header at
     * offset 0, under {@code current} (null: no offloads).
     */
    static int of(MemorySegment buffer, int frameOffset, int length, NdisOffload current) {
        int flags = buffer.get(ValueLayout.JAVA_BYTE, 0) & (FLAGS_NEEDS_CSUM | FLAGS_DATA_VALID);
        if (flags == 0 || current == null) {
            return 0;
        }
        if ((flags & FLAGS_NEEDS_CSUM) != 0 && !completePartial(buffer, frameOffset, length)) {
            return 0;
        }
        int headers = FrameHeaders.parse(buffer, frameOffset, length);
        NdisOffload.Direction rx = FrameHeaders.ipv4(headers) ? current.checksum().ipv4Receive()
                : FrameHeaders.ipv6(headers) ? current.checksum().ipv6Receive() : NdisOffload.Direction.NONE;
        return switch (FrameHeaders.protocol(headers)) {
            case FrameHeaders.TCP -> rx.tcpChecksum() ? NetBufferListInfo.RX_TCP_CHECKSUM_SUCCEEDED : 0;
            case FrameHeaders.UDP -> rx.udpChecksum() ? NetBufferListInfo.RX_UDP_CHECKSUM_SUCCEEDED : 0;
            default -> 0;
        };
    }

    /** Writes the checksum a NEEDS_CSUM frame lacks; false when csum_start/csum_offset lie outside it. */
    private static boolean completePartial(MemorySegment buffer, int frameOffset, int length) {
        int start = buffer.get(ValueLayout.JAVA_SHORT_UNALIGNED, CSUM_START) & 0xFFFF;
        int offset = buffer.get(ValueLayout.JAVA_SHORT_UNALIGNED, CSUM_OFFSET) & 0xFFFF;
        if (start + offset + 2 > length) {
            return false;
        }
        long at = frameOffset + start;
        InternetChecksum.putWord(buffer, at + offset,
                InternetChecksum.checksum(InternetChecksum.add(buffer, at, length - start, 0)));
        return true;
    }
}

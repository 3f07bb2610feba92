package io.nicup.ndis.miniport.core;

import io.nicup.ndis.NdisStatus;
import io.nicup.ndis.datapath.NetBuffer;
import io.nicup.ndis.datapath.NetBufferList;
import io.nicup.ndis.datapath.NetBufferListInfo;
import io.nicup.ndis.oid.NdisOffload;

/**
 * Whether MiniportSendNetBufferLists can take an NBL that asks for a large send
 * (NDIS_TCP_LARGE_SEND_OFFLOAD_NET_BUFFER_LIST_INFO non-zero; docs/ndis-contract.md §11): only LSOv2, only
 * while the configuration in force enables it for the NBL's IP version (once an OID turned LSO off, such
 * NBLs are dropped), one NET_BUFFER, an MSS, a TCP header inside the frame, and a frame no longer than the
 * device segments nor than the IP length field can describe (IPv4 Total Length counts the IP header, IPv6
 * Payload Length does not), and headers that say what the information says ({@link #headerLength}). An NBL without the information passes unchanged to {@link SendCheck}.
 */
public final class LargeSendCheck {

    private static final int TCP_HEADER = 20;
    private static final int IP_LENGTH_MAX = 65535;
    private static final int IPV6_HEADER = 40;

    private LargeSendCheck() {
    }

    /**
     * SUCCESS, or FAILURE (the NBL asks for what is not on, or its information does not fit its frame) or
     * INVALID_LENGTH (longer than {@code lsoMaxFrame} or the IP length allows); {@code current} may be null
     * (no offloads).
     */
    public static int status(NetBufferList nbl, NdisOffload current, int lsoMaxFrame) {
        int info = nbl.info(NetBufferListInfo.TCP_LARGE_SEND);
        if (info == 0) {
            return NdisStatus.SUCCESS;
        }
        if (current == null || !NetBufferListInfo.lsoIsV2(info)) {
            return NdisStatus.FAILURE;
        }
        NdisOffload.Lso lso = NetBufferListInfo.lsoIpv6(info) ? current.lsoV2().ipv6() : current.lsoV2().ipv4();
        NetBuffer nb = nbl.firstNetBuffer();
        if (lso.encapsulation() == NdisOffload.NDIS_ENCAPSULATION_NOT_SUPPORTED || nb == null || nb.next() != null
                || NetBufferListInfo.lsoMss(info) == 0) {
            return NdisStatus.FAILURE;
        }
        int tcp = NetBufferListInfo.lsoTcpHeaderOffset(info);
        if (tcp < 14 + 20 || tcp + TCP_HEADER > nb.dataLength() || headerLength(nb, info) == 0) {
            return NdisStatus.FAILURE;
        }
        int ip = FrameHeaders.ipOffset(nb.buffer(), nb.dataOffset());
        int ipMax = ip + IP_LENGTH_MAX + (NetBufferListInfo.lsoIpv6(info) ? IPV6_HEADER : 0);
        return nb.dataLength() > Math.min(lsoMaxFrame, ipMax) || nb.dataIova() == NetBuffer.NO_IOVA
                ? NdisStatus.INVALID_LENGTH : NdisStatus.SUCCESS;
    }

    /**
     * The bytes of headers every segment of the large send {@code info} of {@code nb} repeats (up to the end of
     * its TCP header), or 0 when the frame does not say what the information says: the IP version, TCP as the
     * protocol, the TCP header at TcpHeaderOffset (an IPv6 extension header is not taken), the TCP header (its
     * Data Offset, 20 to 60 bytes) inside the first MDL with payload behind it. A device segments what the
     * headers say, so a send they contradict never reaches it.
     */
    public static int headerLength(NetBuffer nb, int info) {
        int head = (int) Math.min(nb.dataLength(), (long) nb.currentMdl().byteCount() - nb.currentMdlOffset());
        int headers = FrameHeaders.parse(nb.currentMdl().memory(), nb.currentMdlOffset(), head);
        int tcp = NetBufferListInfo.lsoTcpHeaderOffset(info);
        if (headers == FrameHeaders.NONE || FrameHeaders.protocol(headers) != FrameHeaders.TCP
                || FrameHeaders.ipv6(headers) != NetBufferListInfo.lsoIpv6(info)
                || FrameHeaders.transportOffset(headers) != tcp || tcp + TCP_HEADER > head) {
            return 0;
        }
        int end = tcp + ((nb.getByte(tcp + 12) & 0xFF) >>> 4) * 4;
        return end < tcp + TCP_HEADER || end > head || end >= nb.dataLength() ? 0 : end;
    }

    /** Whether the NBL asks for a large send (then {@link SendCheck} takes the large-send frame limit). */
    public static boolean asksForLargeSend(NetBufferList nbl) {
        return nbl.info(NetBufferListInfo.TCP_LARGE_SEND) != 0;
    }
}

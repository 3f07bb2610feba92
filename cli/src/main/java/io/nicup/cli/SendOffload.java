package io.nicup.cli;

import io.nicup.ndis.datapath.NetBufferListInfo;
import io.nicup.ndis.oid.NdisOffload;
import java.util.Locale;

/**
 * What a {@code send} leaves to the NIC, as the per-NBL information NDIS hands the miniport
 * (docs/ndis-contract.md §11): NDIS_TCP_IP_CHECKSUM_NET_BUFFER_LIST_INFO for {@code --csum-offload on},
 * NDIS_TCP_LARGE_SEND_OFFLOAD_NET_BUFFER_LIST_INFO (LSOv2) for {@code --lso}; checked against the offload
 * configuration the adapter has in force, as Windows' TCP/IP asks only for what is on.
 *
 * @param largestFrame the longest frame a send buffer must hold (0: the MTU's)
 */
record SendOffload(int checksumInfo, int largeSendInfo, int largestFrame) {

    static final SendOffload NONE = new SendOffload(0, 0, 0);
    /** The longest large send: an Ethernet header and a 65535-byte IP packet (IPv6: and its header). */
    static final int MAX_LSO_FRAME = 65535;

    /**
     * The information for {@code g}'s frames on an adapter whose configuration in force is {@code current}
     * (null: no offload); NOT_SUPPORTED when it does not offload what was asked.
     */
    static SendOffload of(GeneratedFrames g, NdisOffload current, int mtu) {
        if (g == null || g.checksums() == IpHeaders.Checksums.SOFTWARE) {
            return NONE;
        }
        String proto = g.proto().name().toLowerCase(Locale.ROOT);
        boolean v6 = g.proto().ipv6();
        int l4 = g.transportOffset();
        if (g.checksums() == IpHeaders.Checksums.LARGE_SEND) {
            NdisOffload.Lso lso = current == null ? NdisOffload.Lso.NONE
                    : v6 ? current.lsoV2().ipv6() : current.lsoV2().ipv4();
            if (lso.maxOffLoadSize() == 0) {
                throw unsupported("LSOv2 for " + (v6 ? "IPv6" : "IPv4"), "--lso");
            }
            int segment = l4 + IpHeaders.TCP_HEADER + g.mss();
            if (segment > mtu + Traffic.ETHERNET_HEADER) {
                throw new CliException(ExitCode.USAGE, "large-send segments exceed the MTU: mss=" + g.mss()
                        + " segment=" + segment + " mtu=" + mtu + " (+14)", "give --lso of at most "
                        + (mtu + Traffic.ETHERNET_HEADER - l4 - IpHeaders.TCP_HEADER));
            }
            return new SendOffload(0, NetBufferListInfo.lsoV2Transmit(g.mss(), l4, v6), MAX_LSO_FRAME);
        }
        NdisOffload.Direction tx = current == null ? NdisOffload.Direction.NONE
                : v6 ? current.checksum().ipv6Transmit() : current.checksum().ipv4Transmit();
        if (g.proto().tcp() ? !tx.tcpChecksum() : !tx.udpChecksum()) {
            throw unsupported(proto + " checksum on transmit", "--csum-offload on");
        }
        int flags = (v6 ? NetBufferListInfo.TX_IS_IPV6 : NetBufferListInfo.TX_IS_IPV4)
                | (g.proto().tcp() ? NetBufferListInfo.TX_TCP_CHECKSUM : NetBufferListInfo.TX_UDP_CHECKSUM);
        return new SendOffload(NetBufferListInfo.checksumTransmit(flags, g.proto().tcp() ? l4 : 0), 0, 0);
    }

    /** The most frames one send can become on the wire: 1, or a large send's segments. */
    int wireFramesPerSend() {
        int mss = NetBufferListInfo.lsoMss(largeSendInfo);
        return largeSendInfo == 0 || mss == 0 ? 1 : MAX_LSO_FRAME / mss + 1;
    }

    private static CliException unsupported(String what, String option) {
        return new CliException(ExitCode.NOT_SUPPORTED, "offload not enabled on the adapter: " + what
                + " (off in its offload configuration in force)", "drop " + option
                + ", or use a NIC that offers it (simulated: mock:82574L, mock:82576, mock:virtio-net?offload=on)");
    }
}

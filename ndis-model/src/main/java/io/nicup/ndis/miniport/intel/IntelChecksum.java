package io.nicup.ndis.miniport.intel;

import io.nicup.ndis.datapath.NetBuffer;
import io.nicup.ndis.datapath.NetBufferListInfo;
import io.nicup.ndis.miniport.core.OffloadCapabilities;
import io.nicup.ndis.oid.NdisOffload;

/**
 * What both Intel chips share of checksum offload (docs/hardware-reference.md B.15): the capabilities
 * they announce, RXCSUM, and the receive verdict. The 82574L's legacy receive descriptor and the 82576's
 * advanced one put IPCS, TCPCS (L4I) and UDPCS at the same status bits and IPE and TCPE (L4E) at the same
 * error bits, so one decoder serves both over {@link RxDescriptorRing}'s flags word.
 */
public final class IntelChecksum {

    /** RXCSUM.IPOFL: validate the IPv4 header checksum. */
    public static final int RXCSUM_IPOFL = 1 << 8;
    /** RXCSUM.TUOFL: validate TCP and UDP checksums. */
    public static final int RXCSUM_TUOFL = 1 << 9;

    /** Receive status bits (flags bits 7:0). */
    public static final int STA_IXSM = 0x04;
    public static final int STA_UDPCS = 0x10;
    public static final int STA_TCPCS = 0x20;
    public static final int STA_IPCS = 0x40;
    /** Receive error bits (flags bits 15:8). */
    public static final int ERR_TCPE = 0x20;
    public static final int ERR_IPE = 0x40;

    private static final int ETHERTYPE_IPV4 = 0x0800;
    private static final int ETHERTYPE_IPV6 = 0x86DD;
    private static final int ETHERTYPE_VLAN = 0x8100;
    private static final int TCP = NetBufferListInfo.TX_TCP_CHECKSUM;
    private static final int UDP = NetBufferListInfo.TX_UDP_CHECKSUM;
    private static final int IP = NetBufferListInfo.TX_IP_HEADER_CHECKSUM;

    private IntelChecksum() {
    }

    /**
     * The checksum offloads of an Intel chip whose driver fills context descriptors and reads receive
     * verdicts: IPv4 header, TCP and UDP over IPv4 and IPv6 both ways, IPv4 options and TCP options both
     * ways; IPv6 extension headers on transmit (the driver walks them to the TCP or UDP header and the
     * offsets say the rest) and, on receive, only where the chip's datasheet says it validates behind
     * them ({@code rxIpv6ExtensionHeaders}).
     */
    public static OffloadCapabilities capabilities(boolean rxIpv6ExtensionHeaders) {
        int e = NdisOffload.NDIS_ENCAPSULATION_IEEE_802_3;
        NdisOffload.Direction v4 = new NdisOffload.Direction(e, true, true, true, true, true);
        NdisOffload.Direction v6Tx = new NdisOffload.Direction(e, true, true, true, true, false);
        NdisOffload.Direction v6Rx = new NdisOffload.Direction(e, rxIpv6ExtensionHeaders, true, true, true, false);
        NdisOffload hardware = new NdisOffload(NdisOffload.header(NdisOffload.REVISION_2),
                new NdisOffload.Checksum(v4, v4, v6Tx, v6Rx), NdisOffload.LsoV2.NONE);
        return new OffloadCapabilities(hardware, null);
    }

    /**
     * RXCSUM for the receive checksums in force ({@link io.nicup.ndis.miniport.core.OffloadOids#receiveChecksums}):
     * IPOFL with any IPv4 verdict (its IPCS is also how IPv4 and IPv6 tell apart on the wire for the
     * device), TUOFL with any TCP or UDP verdict; 0 turns validation off.
     */
    public static int rxcsum(int receiveChecksums) {
        int v4 = receiveChecksums & 0xFF;
        int any = v4 | (receiveChecksums >>> TxChecksum.IPV6_SHIFT) & 0xFF;
        return (v4 != 0 ? RXCSUM_IPOFL : 0) | ((any & (TCP | UDP)) != 0 ? RXCSUM_TUOFL : 0);
    }

    /**
     * The NBL's TcpIpChecksumNetBufferListInfo for a received frame: the chip's verdicts in {@code flags}
     * ({@link RxDescriptorRing}: status 7:0, errors 15:8) that {@code enabled} asks for (IPv4 bits 0-7,
     * IPv6 8-15, as {@link io.nicup.ndis.miniport.core.OffloadOids#receiveChecksums}); 0 when the
     * hardware gave none (no status bit, or the 82574L's IXSM "ignore checksum indication").
     */
    public static int receiveVerdict(int flags, NetBuffer nb, int enabled) {
        int status = flags & RxDescriptorRing.STATUS_MASK;
        if ((status & (STA_IPCS | STA_TCPCS | STA_UDPCS)) == 0 || (status & STA_IXSM) != 0 || nb.dataLength() < 18) {
            return 0;
        }
        int type = (nb.getByte(12) & 0xFF) << 8 | nb.getByte(13) & 0xFF;
        if (type == ETHERTYPE_VLAN) {
            type = (nb.getByte(16) & 0xFF) << 8 | nb.getByte(17) & 0xFF;
        }
        int allowed = type == ETHERTYPE_IPV4 ? enabled & 0xFF
                : type == ETHERTYPE_IPV6 ? (enabled >>> TxChecksum.IPV6_SHIFT) & 0xFF : 0;
        int errors = flags >>> RxDescriptorRing.ERRORS_SHIFT & 0xFF;
        int v = 0;
        if ((status & STA_IPCS) != 0 && (allowed & IP) != 0) {
            v |= (errors & ERR_IPE) != 0 ? NetBufferListInfo.RX_IP_CHECKSUM_FAILED
                    : NetBufferListInfo.RX_IP_CHECKSUM_SUCCEEDED;
        }
        boolean l4Bad = (errors & ERR_TCPE) != 0;
        if ((status & STA_UDPCS) != 0) {
            if ((allowed & UDP) != 0) {
                v |= l4Bad ? NetBufferListInfo.RX_UDP_CHECKSUM_FAILED : NetBufferListInfo.RX_UDP_CHECKSUM_SUCCEEDED;
            }
        } else if ((status & STA_TCPCS) != 0 && (allowed & TCP) != 0) {
            v |= l4Bad ? NetBufferListInfo.RX_TCP_CHECKSUM_FAILED : NetBufferListInfo.RX_TCP_CHECKSUM_SUCCEEDED;
        }
        return v;
    }
}

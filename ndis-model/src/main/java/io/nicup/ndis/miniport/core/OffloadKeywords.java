package io.nicup.ndis.miniport.core;

import io.nicup.ndis.Ndis;
import io.nicup.ndis.config.Keyword;
import io.nicup.ndis.config.NdisConfiguration;
import io.nicup.ndis.config.StandardKeywords;
import io.nicup.ndis.oid.NdisOffload;
import io.nicup.ndis.oid.NdisReceiveScaleCapabilities;

/**
 * The standardized offload and RSS keywords as a miniport reads them in MiniportInitializeEx, every one of
 * them whatever the chip offers (WDD: a miniport reads all the granular settings to register its offload
 * capabilities; docs/ndis-contract.md §12). A value out of range is reported by NdisReadConfiguration, as
 * every parameter problem is, and the default used. {@link #defaultConfiguration} turns them into the
 * DefaultOffloadConfiguration: what the hardware offers and the keywords leave on.
 *
 * @param ipChecksumIpv4 {@code *IPChecksumOffloadIPv4}: 0 off, 1 Tx, 2 Rx, 3 Rx and Tx
 * @param rss {@code *RSS}
 * @param numRssQueues {@code *NumRssQueues}
 * @param maxRssProcessors {@code *MaxRssProcessors}
 */
public record OffloadKeywords(int ipChecksumIpv4, int tcpChecksumIpv4, int tcpChecksumIpv6, int udpChecksumIpv4,
        int udpChecksumIpv6, boolean lsoV2Ipv4, boolean lsoV2Ipv6, boolean rss, int numRssQueues,
        int maxRssProcessors) {

    private static final int TX = 1;
    private static final int RX = 2;

    /** The documented defaults: every checksum Rx and Tx, LSOv2 and RSS on. */
    public static final OffloadKeywords DEFAULTS = new OffloadKeywords(3, 3, 3, 3, 3, true, true, true, 16, 4);

    /** Reads the ten keywords from an open configuration. */
    public static OffloadKeywords read(Ndis ndis, NdisConfiguration cfg) {
        return new OffloadKeywords(value(ndis, cfg, StandardKeywords.IP_CHECKSUM_OFFLOAD_IPV4),
                value(ndis, cfg, StandardKeywords.TCP_CHECKSUM_OFFLOAD_IPV4),
                value(ndis, cfg, StandardKeywords.TCP_CHECKSUM_OFFLOAD_IPV6),
                value(ndis, cfg, StandardKeywords.UDP_CHECKSUM_OFFLOAD_IPV4),
                value(ndis, cfg, StandardKeywords.UDP_CHECKSUM_OFFLOAD_IPV6),
                value(ndis, cfg, StandardKeywords.LSO_V2_IPV4) == 1, value(ndis, cfg, StandardKeywords.LSO_V2_IPV6) == 1,
                value(ndis, cfg, StandardKeywords.RSS) == 1, value(ndis, cfg, StandardKeywords.NUM_RSS_QUEUES),
                value(ndis, cfg, StandardKeywords.MAX_RSS_PROCESSORS));
    }

    private static int value(Ndis ndis, NdisConfiguration cfg, Keyword keyword) {
        return ndis.NdisReadConfiguration(cfg, keyword).intValue();
    }

    /** DefaultOffloadConfiguration: {@code hardware} with what these keywords turn off taken out. */
    public NdisOffload defaultConfiguration(NdisOffload hardware) {
        NdisOffload.Checksum hw = hardware.checksum();
        NdisOffload.Checksum checksum = new NdisOffload.Checksum(
                ipv4(hw.ipv4Transmit(), TX), ipv4(hw.ipv4Receive(), RX),
                ipv6(hw.ipv6Transmit(), TX), ipv6(hw.ipv6Receive(), RX));
        NdisOffload.LsoV2 lso = new NdisOffload.LsoV2(lsoV2Ipv4 ? hardware.lsoV2().ipv4() : NdisOffload.Lso.NONE,
                lsoV2Ipv6 ? hardware.lsoV2().ipv6() : NdisOffload.Lso.NONE);
        return new NdisOffload(hardware.header(), checksum, lso);
    }

    /**
     * The RSS capabilities to announce: the chip's, with NumberOfReceiveQueues cut to {@code *NumRssQueues}
     * (and NumberOfInterruptMessages with it, one message per queue at most).
     */
    public NdisReceiveScaleCapabilities receiveScale(NdisReceiveScaleCapabilities chip) {
        int queues = Math.min(chip.numberOfReceiveQueues(), numRssQueues);
        return new NdisReceiveScaleCapabilities(chip.header(), chip.capabilitiesFlags(),
                Math.min(chip.numberOfInterruptMessages(), queues), queues, chip.numberOfIndirectionTableEntries());
    }

    private NdisOffload.Direction ipv4(NdisOffload.Direction d, int direction) {
        boolean tcp = d.tcpChecksum() && (tcpChecksumIpv4 & direction) != 0;
        boolean udp = d.udpChecksum() && (udpChecksumIpv4 & direction) != 0;
        boolean ip = d.ipChecksum() && (ipChecksumIpv4 & direction) != 0;
        return direction(d, tcp, udp, ip);
    }

    private NdisOffload.Direction ipv6(NdisOffload.Direction d, int direction) {
        boolean tcp = d.tcpChecksum() && (tcpChecksumIpv6 & direction) != 0;
        boolean udp = d.udpChecksum() && (udpChecksumIpv6 & direction) != 0;
        return direction(d, tcp, udp, false);
    }

    private static NdisOffload.Direction direction(NdisOffload.Direction d, boolean tcp, boolean udp, boolean ip) {
        boolean any = tcp || udp || ip;
        return new NdisOffload.Direction(any ? d.encapsulation() : NdisOffload.NDIS_ENCAPSULATION_NOT_SUPPORTED,
                any && d.ipOptions(), tcp && d.tcpOptions(), tcp, udp, ip);
    }
}

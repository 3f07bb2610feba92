package io.nicup.ndis.miniport.virtio;

import io.nicup.ndis.miniport.core.OffloadCapabilities;
import io.nicup.ndis.miniport.core.OffloadKeywords;
import io.nicup.ndis.oid.NdisOffload;

/**
 * What virtio-net offloads, from the features negotiated (docs/hardware-reference.md C.9): the features
 * the keywords let the driver accept, and the NDIS_OFFLOAD the accepted ones make.
 * <ul>
 *   <li>VIRTIO_NET_F_CSUM: TCP and UDP checksums on send, IPv4 and IPv6 (the device checksums from
 *       csum_start, whatever the protocol). Not the IPv4 header checksum: virtio has no such request,
 *       so NDIS computes it in software (docs/ndis-contract.md §9);</li>
 *   <li>VIRTIO_NET_F_HOST_TSO4 / HOST_TSO6: LSOv2 for IPv4 / IPv6, up to {@link #MAX_OFFLOAD_SIZE} bytes,
 *       at least {@link #MIN_SEGMENT_COUNT} segments;</li>
 *   <li>VIRTIO_NET_F_GUEST_CSUM: TCP and UDP receive verdicts (DATA_VALID); the device says nothing of
 *       the IPv4 header checksum, so no IP verdict is offered.</li>
 * </ul>
 */
final class VirtioOffload {

    /**
     * The largest large send: what the 16-bit IP length holds (65535); {@code LargeSendCheck} holds each
     * frame to its IP version's limit.
     */
    static final int MAX_OFFLOAD_SIZE = 65535;
    /** An Ethernet header, an IPv6 header and the largest IPv6 payload. */
    static final int MAX_LSO_FRAME = 14 + 40 + MAX_OFFLOAD_SIZE;
    /** A send NDIS hands over for segmentation yields at least two segments. */
    static final int MIN_SEGMENT_COUNT = 2;
    private static final int TX = 1;
    private static final int RX = 2;

    private VirtioOffload() {
    }

    /**
     * The offload features to accept when offered: CSUM when a transmit checksum or LSO keyword is on
     * (TSO needs CSUM, 5.1.3.1), HOST_TSO4/6 with {@code *LsoV2IPv4/IPv6}, GUEST_CSUM when a receive
     * checksum keyword is on.
     */
    static long wantedFeatures(OffloadKeywords k) {
        int tcpUdp = k.tcpChecksumIpv4() | k.tcpChecksumIpv6() | k.udpChecksumIpv4() | k.udpChecksumIpv6();
        long wanted = 0;
        if ((tcpUdp & TX) != 0 || k.lsoV2Ipv4() || k.lsoV2Ipv6()) {
            wanted |= Features.NET_F_CSUM;
        }
        if (k.lsoV2Ipv4()) {
            wanted |= Features.NET_F_HOST_TSO4;
        }
        if (k.lsoV2Ipv6()) {
            wanted |= Features.NET_F_HOST_TSO6;
        }
        if ((tcpUdp & RX) != 0) {
            wanted |= Features.NET_F_GUEST_CSUM;
        }
        return wanted;
    }

    /** The hardware capabilities the {@code negotiated} features give; {@link OffloadCapabilities#NONE} without any. */
    static OffloadCapabilities capabilities(long negotiated) {
        if ((negotiated & Features.OFFLOADS) == 0) {
            return OffloadCapabilities.NONE;
        }
        boolean csum = (negotiated & Features.NET_F_CSUM) != 0;
        boolean guest = (negotiated & Features.NET_F_GUEST_CSUM) != 0;
        NdisOffload.Direction tx = csum ? new NdisOffload.Direction(NdisOffload.NDIS_ENCAPSULATION_IEEE_802_3, true,
                true, true, true, false) : NdisOffload.Direction.NONE;
        NdisOffload.Direction tx6 = csum ? new NdisOffload.Direction(NdisOffload.NDIS_ENCAPSULATION_IEEE_802_3, false,
                true, true, true, false) : NdisOffload.Direction.NONE;
        NdisOffload.Direction rx = guest ? new NdisOffload.Direction(NdisOffload.NDIS_ENCAPSULATION_IEEE_802_3, true,
                true, true, true, false) : NdisOffload.Direction.NONE;
        NdisOffload.Direction rx6 = guest ? new NdisOffload.Direction(NdisOffload.NDIS_ENCAPSULATION_IEEE_802_3, false,
                true, true, true, false) : NdisOffload.Direction.NONE;
        NdisOffload.Lso lso4 = (negotiated & Features.NET_F_HOST_TSO4) != 0 ? new NdisOffload.Lso(
                NdisOffload.NDIS_ENCAPSULATION_IEEE_802_3, MAX_OFFLOAD_SIZE, MIN_SEGMENT_COUNT, false, false)
                : NdisOffload.Lso.NONE;
        NdisOffload.Lso lso6 = (negotiated & Features.NET_F_HOST_TSO6) != 0 ? new NdisOffload.Lso(
                NdisOffload.NDIS_ENCAPSULATION_IEEE_802_3, MAX_OFFLOAD_SIZE, MIN_SEGMENT_COUNT, false, true)
                : NdisOffload.Lso.NONE;
        return new OffloadCapabilities(new NdisOffload(NdisOffload.header(NdisOffload.REVISION_2),
                new NdisOffload.Checksum(tx, rx, tx6, rx6), new NdisOffload.LsoV2(lso4, lso6)), null);
    }
}

package io.nicup.ndis.miniport.intel;

import io.nicup.ndis.datapath.NetBuffer;
import io.nicup.ndis.datapath.NetBufferListInfo;
import io.nicup.ndis.miniport.core.FrameHeaders;
import io.nicup.ndis.miniport.core.InternetChecksum;
import io.nicup.ndis.miniport.core.LargeSendCheck;
import io.nicup.ndis.miniport.core.OffloadCapabilities;
import io.nicup.ndis.oid.NdisOffload;

/**
 * What an LSOv2 send asks of the segmentation hardware both Intel chips share (docs/hardware-reference.md
 * B.17), as two {@code int}s the chips turn into their context and data descriptors: the checksum word of
 * {@link TxChecksum} (MACLEN, IPLEN, TCP, TXSM, and IPV4 with IXSM for IPv4: the device computes every
 * segment's checksums) and the segmentation word
 * <pre>
 *  31  30      24 23        16 15                              0
 * +---+----------+------------+---------------------------------+
 * | 1 |    0     |   L4LEN    |               MSS               |
 * +---+----------+------------+---------------------------------+
 * </pre>
 * (never 0; 0 is "no segmentation"). The payload length (the 82574L's context PAYLEN, the 82576's data
 * PAYLEN) is the frame's length less MACLEN + IPLEN + L4LEN. The headers were checked against the NBL's
 * information when the send was admitted ({@link LargeSendCheck#headerLength}); the IPv4 header checksum
 * is set to 0 here, as Linux e1000e and igb do before TSO, because the device sums the header with the field
 * in it. Static, allocation-free: called per large send under the transmit lock.
 */
public final class TxLargeSend {

    public static final int MSS_MASK = 0xFFFF;
    public static final int L4LEN_SHIFT = 16;
    public static final int L4LEN_MASK = 0xFF;
    private static final int SEGMENT = 1 << 31;

    /**
     * MaxOffLoadSize: the 16-bit IP length bounds what one IPv4 send (and an IPv6 send without a jumbogram)
     * can carry; the chips' PAYLEN fields (20 bits on the 82574L, 18 on the 82576) hold more.
     */
    public static final int MAX_OFFLOAD_SIZE = 65535;
    /** MinSegmentCount: the datasheets set none; a send of one segment is an ordinary frame. */
    public static final int MIN_SEGMENT_COUNT = 2;
    /** The longest large-send frame: Ethernet, a VLAN tag, an IPv6 header and the largest IP payload. */
    public static final int MAX_FRAME = 18 + 40 + MAX_OFFLOAD_SIZE;
    /**
     * Bytes a data descriptor of a large send carries at most: a frame in one 64 KiB piece is cut, as Linux
     * cuts at E1000_MAX_PER_TXD (e1000e, 8 KiB) and IGB_MAX_DATA_PER_TXD (igb, 32 KiB).
     */
    public static final int MAX_PER_DESCRIPTOR = 8192;

    private TxLargeSend() {
    }

    /** LSOv2 for IPv4 and IPv6 (TCP options, no IPv6 extension headers), as both chips announce it. */
    public static NdisOffload.LsoV2 capabilities() {
        int e = NdisOffload.NDIS_ENCAPSULATION_IEEE_802_3;
        return new NdisOffload.LsoV2(new NdisOffload.Lso(e, MAX_OFFLOAD_SIZE, MIN_SEGMENT_COUNT, false, false),
                new NdisOffload.Lso(e, MAX_OFFLOAD_SIZE, MIN_SEGMENT_COUNT, false, true));
    }

    /** {@code checksums} with {@link #capabilities()} as their LSOv2 hardware capabilities. */
    public static OffloadCapabilities withLargeSend(OffloadCapabilities checksums) {
        NdisOffload hw = checksums.hardware();
        return new OffloadCapabilities(new NdisOffload(hw.header(), hw.checksum(), capabilities()),
                checksums.receiveScale());
    }

    /** The checksum word ({@link TxChecksum}) of the admitted large send {@code info} of {@code nb}. */
    public static int checksum(NetBuffer nb, int info) {
        boolean v6 = NetBufferListInfo.lsoIpv6(info);
        int mac = FrameHeaders.ipOffset(nb.currentMdl().memory(), nb.currentMdlOffset());
        int ipLength = NetBufferListInfo.lsoTcpHeaderOffset(info) - mac;
        if (!v6) {
            InternetChecksum.putWord(nb.currentMdl().memory(), nb.currentMdlOffset() + mac + 10, 0);
        }
        return ipLength | mac << TxChecksum.MACLEN_SHIFT | TxChecksum.TCP | TxChecksum.TXSM
                | (v6 ? 0 : TxChecksum.IPV4 | TxChecksum.IXSM);
    }

    /**
     * The segmentation word of the admitted large send {@code info} of {@code nb}. An MSS beyond 16 bits is
     * held to 0xFFFF: with at most 65535 bytes of payload that is one segment either way.
     */
    public static int segmentation(NetBuffer nb, int info) {
        int l4Length = LargeSendCheck.headerLength(nb, info) - NetBufferListInfo.lsoTcpHeaderOffset(info);
        return SEGMENT | (l4Length & L4LEN_MASK) << L4LEN_SHIFT | Math.min(NetBufferListInfo.lsoMss(info), MSS_MASK);
    }

    public static int mss(int segmentation) {
        return segmentation & MSS_MASK;
    }

    public static int l4Length(int segmentation) {
        return (segmentation >>> L4LEN_SHIFT) & L4LEN_MASK;
    }

    /** The headers every segment repeats: MACLEN + IPLEN + L4LEN. */
    public static int headerLength(int checksum, int segmentation) {
        return TxChecksum.macLength(checksum) + TxChecksum.ipLength(checksum) + l4Length(segmentation);
    }
}

package io.nicup.ndis.datapath;

/**
 * The per-NBL out-of-band information nicup carries, as NET_BUFFER_LIST_INFO entries
 * (docs/ndis-contract.md §11), and the bit fields of each. The values are ULONGs in the NBL ({@link NetBufferList#info}); the
 * static methods here build and read them without allocating, so a miniport uses them per packet.
 *
 * <pre>
 * NDIS_TCP_IP_CHECKSUM_NET_BUFFER_LIST_INFO (one ULONG)
 *   Transmit: bit 0 IsIPv4, 1 IsIPv6, 2 TcpChecksum, 3 UdpChecksum, 4 IpHeaderChecksum,
 *             5-15 reserved, 16-25 TcpHeaderOffset
 *   Receive:  bit 0 TcpChecksumFailed, 1 UdpChecksumFailed, 2 IpChecksumFailed, 3 TcpChecksumSucceeded,
 *             4 UdpChecksumSucceeded, 5 IpChecksumSucceeded, 6 Loopback, 7 TcpChecksumValueInvalid,
 *             8 IpChecksumValueInvalid
 * NDIS_TCP_LARGE_SEND_OFFLOAD_NET_BUFFER_LIST_INFO (one ULONG)
 *   LsoV2Transmit:         bits 0-19 MSS, 20-29 TcpHeaderOffset, 30 Type (1 = LSOv2), 31 IPVersion (0 v4, 1 v6)
 *   LsoV1TransmitComplete: bits 0-29 TcpPayload (bytes sent), 30 Type
 * NetBufferListHashValue (ULONG) and NetBufferListHashInfo (ULONG: hash type bits | hash function)
 * Receive queue (ULONG, nicup): the index of the miniport receive queue that indicated the NBL
 * </pre>
 *
 * <p>NDIS tells a protocol which RSS queue a frame came from only by the processor the indication runs
 * on. nicup runs every DPC on its own host threads, so the queue is carried in the NBL instead, as
 * NET_BUFFER_LIST_RECEIVE_QUEUE_ID carries it for VMQ: a miniport with several receive queues stores it
 * in each NBL it indicates (one int store, as for the hash). A single-queue miniport leaves it 0.
 */
public final class NetBufferListInfo {

    /** TcpIpChecksumNetBufferListInfo. */
    public static final int TCP_IP_CHECKSUM = 0;
    /** TcpLargeSendNetBufferListInfo. */
    public static final int TCP_LARGE_SEND = 1;
    /** NetBufferListHashValue: the RSS hash of a received frame. */
    public static final int HASH_VALUE = 2;
    /** NetBufferListHashInfo: the hash type and function that produced {@link #HASH_VALUE}. */
    public static final int HASH_INFO = 3;
    /** The receive queue that indicated the NBL (nicup; 0 on a single-queue miniport). */
    public static final int RECEIVE_QUEUE = 4;
    /** Entries per NBL. */
    public static final int COUNT = 5;

    // transmit checksum request
    public static final int TX_IS_IPV4 = 1;
    public static final int TX_IS_IPV6 = 1 << 1;
    public static final int TX_TCP_CHECKSUM = 1 << 2;
    public static final int TX_UDP_CHECKSUM = 1 << 3;
    public static final int TX_IP_HEADER_CHECKSUM = 1 << 4;
    private static final int TX_TCP_HEADER_OFFSET_SHIFT = 16;
    private static final int TEN_BITS = 0x3FF;

    // receive checksum verdict
    public static final int RX_TCP_CHECKSUM_FAILED = 1;
    public static final int RX_UDP_CHECKSUM_FAILED = 1 << 1;
    public static final int RX_IP_CHECKSUM_FAILED = 1 << 2;
    public static final int RX_TCP_CHECKSUM_SUCCEEDED = 1 << 3;
    public static final int RX_UDP_CHECKSUM_SUCCEEDED = 1 << 4;
    public static final int RX_IP_CHECKSUM_SUCCEEDED = 1 << 5;
    public static final int RX_LOOPBACK = 1 << 6;
    public static final int RX_TCP_CHECKSUM_VALUE_INVALID = 1 << 7;
    public static final int RX_IP_CHECKSUM_VALUE_INVALID = 1 << 8;

    /** NDIS_TCP_LARGE_SEND_OFFLOAD_V2_TYPE. */
    public static final int LSO_V2_TYPE = 1;
    /** The largest MSS the 20-bit field holds. */
    public static final int LSO_MAX_MSS = (1 << 20) - 1;
    private static final int LSO_TYPE_BIT = 30;
    private static final int LSO_IPV6_BIT = 31;

    private NetBufferListInfo() {
    }

    /** A transmit checksum request: {@code flags} of TX_*, and the TCP header's offset in the frame. */
    public static int checksumTransmit(int flags, int tcpHeaderOffset) {
        return (flags & 0x1F) | ((tcpHeaderOffset & TEN_BITS) << TX_TCP_HEADER_OFFSET_SHIFT);
    }

    public static int checksumTransmitTcpHeaderOffset(int value) {
        return (value >>> TX_TCP_HEADER_OFFSET_SHIFT) & TEN_BITS;
    }

    /** An LSOv2 send: MSS (up to 20 bits), the TCP header's offset, IPv6 or IPv4. */
    public static int lsoV2Transmit(int mss, int tcpHeaderOffset, boolean ipv6) {
        return (mss & LSO_MAX_MSS) | ((tcpHeaderOffset & TEN_BITS) << 20) | (LSO_V2_TYPE << LSO_TYPE_BIT)
                | (ipv6 ? 1 << LSO_IPV6_BIT : 0);
    }

    public static int lsoMss(int value) {
        return value & LSO_MAX_MSS;
    }

    public static int lsoTcpHeaderOffset(int value) {
        return (value >>> 20) & TEN_BITS;
    }

    public static boolean lsoIsV2(int value) {
        return ((value >>> LSO_TYPE_BIT) & 1) == LSO_V2_TYPE;
    }

    public static boolean lsoIpv6(int value) {
        return (value >>> LSO_IPV6_BIT) != 0;
    }

    /**
     * The completion value the miniport writes back: the TCP payload bytes it sent (30 bits, the
     * LsoV1TransmitComplete view) with the Type kept.
     */
    public static int lsoTransmitComplete(int sendValue, int tcpPayloadBytes) {
        return (tcpPayloadBytes & 0x3FFF_FFFF) | (sendValue & (1 << LSO_TYPE_BIT));
    }

    public static int lsoCompletedBytes(int value) {
        return value & 0x3FFF_FFFF;
    }
}

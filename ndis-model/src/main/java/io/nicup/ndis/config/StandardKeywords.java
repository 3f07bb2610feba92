package io.nicup.ndis.config;

import java.util.List;

/**
 * The standardized INF keywords a NIC driver reads in MiniportInitializeEx, with nicup's default
 * definitions. Where the documentation leaves the range to the hardware vendor ("IHV-defined"), the
 * definition here is a reasonable one and a miniport declares its own with {@link Keyword#withRange},
 * {@link Keyword#withAllowed} or {@link Keyword#withDefault}.
 *
 * <p>Sources: WDD keywords-that-can-be-edited.md (int keywords; *ReceiveBuffers min 1,
 * *TransmitBuffers min 0, *JumboPacket default and min 1514; NetworkAddress "XX-XX-XX-XX-XX-XX,
 * hyphens optional") and the enumeration keyword pages (values below); the offload and RSS keywords from
 * WDD using-registry-values-to-enable-and-disable-task-offloading.md and standardized-inf-keywords-for-rss.md.
 */
public final class StandardKeywords {

    /** Receive descriptors. Documented min 1; default and max IHV-defined (nicup: 256, 4096). */
    public static final Keyword RECEIVE_BUFFERS =
            Keyword.integer("*ReceiveBuffers", 256, 1, 4096, "Receive Buffers");
    /** Transmit buffers. Documented min 0; default and max IHV-defined (nicup: 256, 4096). */
    public static final Keyword TRANSMIT_BUFFERS =
            Keyword.integer("*TransmitBuffers", 256, 0, 4096, "Transmit Buffers");
    /**
     * Largest frame in bytes. Documented as an int with default and min 1514 and an IHV maximum; nicup's
     * definition is the common enumeration 1514 (off), 4088, 9014.
     */
    public static final Keyword JUMBO_PACKET =
            Keyword.enumeration("*JumboPacket", 1514, new long[] {1514, 4088, 9014}, "Jumbo Packet");
    /** 0 auto-negotiation, 1 10 Mb/s half, 2 10 full, 3 100 half, 4 100 full, 6 1000 full. */
    public static final Keyword SPEED_DUPLEX =
            Keyword.enumeration("*SpeedDuplex", 0, new long[] {0, 1, 2, 3, 4, 6}, "Speed & Duplex");
    /** 0 disabled, 1 Tx enabled, 2 Rx enabled, 3 Rx and Tx enabled, 4 auto-negotiation. */
    public static final Keyword FLOW_CONTROL =
            Keyword.enumeration("*FlowControl", 3, new long[] {0, 1, 2, 3, 4}, "Flow Control");
    /** 0 disabled, 1 enabled. */
    public static final Keyword INTERRUPT_MODERATION =
            Keyword.enumeration("*InterruptModeration", 1, new long[] {0, 1}, "Interrupt Moderation");
    /** Locally administered address; absent means the permanent address. */
    public static final Keyword NETWORK_ADDRESS = Keyword.networkAddress("NetworkAddress", "Network Address");

    // --- TCP/IP offload (docs/ndis-contract.md §12): 0 disabled, 1 Tx, 2 Rx, 3 Rx and Tx (default) ---
    public static final Keyword IP_CHECKSUM_OFFLOAD_IPV4 = checksumKeyword("*IPChecksumOffloadIPv4", "IPv4 Checksum Offload");
    public static final Keyword TCP_CHECKSUM_OFFLOAD_IPV4 =
            checksumKeyword("*TCPChecksumOffloadIPv4", "TCP Checksum Offload (IPv4)");
    public static final Keyword TCP_CHECKSUM_OFFLOAD_IPV6 =
            checksumKeyword("*TCPChecksumOffloadIPv6", "TCP Checksum Offload (IPv6)");
    public static final Keyword UDP_CHECKSUM_OFFLOAD_IPV4 =
            checksumKeyword("*UDPChecksumOffloadIPv4", "UDP Checksum Offload (IPv4)");
    public static final Keyword UDP_CHECKSUM_OFFLOAD_IPV6 =
            checksumKeyword("*UDPChecksumOffloadIPv6", "UDP Checksum Offload (IPv6)");
    /** 0 disabled, 1 enabled (default). */
    public static final Keyword LSO_V2_IPV4 =
            Keyword.enumeration("*LsoV2IPv4", 1, new long[] {0, 1}, "Large Send Offload V2 (IPv4)");
    public static final Keyword LSO_V2_IPV6 =
            Keyword.enumeration("*LsoV2IPv6", 1, new long[] {0, 1}, "Large Send Offload V2 (IPv6)");

    // --- RSS (docs/ndis-contract.md §12) ---
    /** 0 disabled, 1 enabled (default). */
    public static final Keyword RSS = Keyword.enumeration("*RSS", 1, new long[] {0, 1}, "Receive Side Scaling");
    /**
     * Documented min 1; default and max device-specific. nicup: 1..16, default 16, meaning "every queue the
     * NIC has" (the 82576's 16 at most); the RSS capabilities announce the smaller of it and the chip's queues.
     */
    public static final Keyword NUM_RSS_QUEUES =
            Keyword.integer("*NumRssQueues", 16, 1, 16, "Maximum Number of RSS Queues");
    /**
     * Documented min 1, max MAXIMUM_PROC_PER_SYSTEM, default 4 for a 1 GbE NIC with MSI-X (Windows 8); nicup
     * takes 64 for the maximum (the processors of one group).
     */
    public static final Keyword MAX_RSS_PROCESSORS =
            Keyword.integer("*MaxRssProcessors", 4, 1, 64, "Maximum number of RSS Processors");

    private static Keyword checksumKeyword(String name, String description) {
        return Keyword.enumeration(name, 3, new long[] {0, 1, 2, 3}, description);
    }

    /** The offload and RSS keywords, in the order a miniport reads them. */
    public static List<Keyword> offloadAndRss() {
        return List.of(IP_CHECKSUM_OFFLOAD_IPV4, TCP_CHECKSUM_OFFLOAD_IPV4, TCP_CHECKSUM_OFFLOAD_IPV6,
                UDP_CHECKSUM_OFFLOAD_IPV4, UDP_CHECKSUM_OFFLOAD_IPV6, LSO_V2_IPV4, LSO_V2_IPV6, RSS, NUM_RSS_QUEUES,
                MAX_RSS_PROCESSORS);
    }

    private StandardKeywords() {
    }

    public static List<Keyword> all() {
        return List.of(RECEIVE_BUFFERS, TRANSMIT_BUFFERS, JUMBO_PACKET, SPEED_DUPLEX, FLOW_CONTROL,
                INTERRUPT_MODERATION, NETWORK_ADDRESS);
    }
}

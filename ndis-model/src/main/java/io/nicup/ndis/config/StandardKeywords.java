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
 * hyphens optional") and the enumeration keyword pages (values below).
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

    private StandardKeywords() {
    }

    public static List<Keyword> all() {
        return List.of(RECEIVE_BUFFERS, TRANSMIT_BUFFERS, JUMBO_PACKET, SPEED_DUPLEX, FLOW_CONTROL,
                INTERRUPT_MODERATION, NETWORK_ADDRESS);
    }
}

package io.nicup.ndis.miniport.intel;

import io.nicup.ndis.miniport.core.OffloadKeywords;
import io.nicup.ndis.MacAddress;
import io.nicup.ndis.Ndis;
import io.nicup.ndis.NdisStatus;
import io.nicup.ndis.adapter.NdisAdapterHandle;
import io.nicup.ndis.config.Keyword;
import io.nicup.ndis.config.NdisConfiguration;
import io.nicup.ndis.config.ParameterValue;
import io.nicup.ndis.config.StandardKeywords;

/**
 * The adapter parameters the Intel miniports (82574L and 82576) read in MiniportInitializeEx, after range checks (a value
 * out of range or malformed gives the default; NDIS reports it in the trace and in
 * {@link io.nicup.ndis.NdisHost#parameterProblems()}).
 *
 * @param receiveBuffers RX descriptors, a power of two (the keyword value rounded down)
 * @param transmitBuffers TX descriptors, a power of two (the keyword value rounded down)
 * @param jumboPacket largest frame without FCS: 1514, 4088 or 9014
 * @param speedDuplex {@code *SpeedDuplex}
 * @param interruptModeration {@code *InterruptModeration} 0 or 1
 * @param interruptMode {@link #INTERRUPT_MODE}: 0 auto (MSI-X, MSI, INTx), 1 MSI-X, 2 MSI, 3 INTx, 4 polling
 * @param networkAddress {@code NetworkAddress}, or null for the permanent address
 * @param offload the standardized offload and RSS keywords
 * @param flowControl {@code *FlowControl}: 0 disabled, 1 Tx, 2 Rx, 3 Rx and Tx (default), 4 auto-negotiation
 */
public record IntelConfig(int receiveBuffers, int transmitBuffers, int jumboPacket, int speedDuplex,
        int interruptModeration, int interruptMode, MacAddress networkAddress, OffloadKeywords offload,
        int flowControl) {

    /**
     * {@code *ReceiveBuffers}: 64..4096, default 256 (ixy uses 512; Linux e1000e and igb 256). The ring needs
     * a multiple of 8 descriptors (RDLEN a multiple of 128 bytes, 82574 datasheet 10.2.5.x); the rings here are a
     * power of two so that indexes wrap with a mask, so the value is rounded down to one.
     */
    public static final Keyword RECEIVE_BUFFERS = StandardKeywords.RECEIVE_BUFFERS.withRange(64, 4096).withDefault(256);
    /** {@code *TransmitBuffers}: 64..4096, default 256, rounded down to a power of two. */
    public static final Keyword TRANSMIT_BUFFERS = StandardKeywords.TRANSMIT_BUFFERS.withRange(64, 4096).withDefault(256);
    /** nicup keyword (no standardized one exists): how interrupts are delivered. */
    public static final Keyword INTERRUPT_MODE = Keyword.enumeration("InterruptMode", 0, new long[] {0, 1, 2, 3, 4},
            "Interrupt mode: 0 auto (MSI-X, then MSI, then INTx), 1 MSI-X, 2 MSI, 3 INTx, 4 polling (no interrupts)");

    public static final int MODE_AUTO = 0;
    public static final int MODE_MSIX = 1;
    public static final int MODE_MSI = 2;
    public static final int MODE_INTX = 3;
    public static final int MODE_POLLING = 4;

    /** Reads and range-checks the adapter's parameters (NdisOpenConfigurationEx ... NdisCloseConfiguration). */
    public static IntelConfig read(Ndis ndis, NdisAdapterHandle handle) {
        NdisConfiguration cfg = ndis.NdisOpenConfigurationEx(handle);
        try {
            int rxCount = powerOfTwoAtMost(ndis.NdisReadConfiguration(cfg, RECEIVE_BUFFERS).intValue());
            int txCount = powerOfTwoAtMost(ndis.NdisReadConfiguration(cfg, TRANSMIT_BUFFERS).intValue());
            int jumbo = ndis.NdisReadConfiguration(cfg, StandardKeywords.JUMBO_PACKET).intValue();
            int speed = ndis.NdisReadConfiguration(cfg, StandardKeywords.SPEED_DUPLEX).intValue();
            int itr = ndis.NdisReadConfiguration(cfg, StandardKeywords.INTERRUPT_MODERATION).intValue();
            int mode = ndis.NdisReadConfiguration(cfg, INTERRUPT_MODE).intValue();
            ParameterValue address = ndis.NdisReadNetworkAddress(cfg);
            MacAddress override = address.status() == NdisStatus.SUCCESS ? address.macAddress() : null;
            OffloadKeywords offload = OffloadKeywords.read(ndis, cfg);
            int flow = ndis.NdisReadConfiguration(cfg, StandardKeywords.FLOW_CONTROL).intValue();
            return new IntelConfig(rxCount, txCount, jumbo, speed, itr, mode, override, offload, flow);
        } finally {
            ndis.NdisCloseConfiguration(cfg);
        }
    }

    /** Every keyword the miniport reads, for help texts. */
    public static java.util.List<Keyword> keywords() {
        return java.util.List.of(RECEIVE_BUFFERS, TRANSMIT_BUFFERS, StandardKeywords.JUMBO_PACKET,
                StandardKeywords.SPEED_DUPLEX, StandardKeywords.INTERRUPT_MODERATION, INTERRUPT_MODE,
                StandardKeywords.NETWORK_ADDRESS, StandardKeywords.FLOW_CONTROL);
    }

    /**
     * The receive buffer size for the largest frame: a whole frame in one buffer (82574L: RCTL BSIZE/BSEX;
     * 82576: SRRCTL.BSIZEPKT).
     */
    public int receiveBufferSize() {
        return jumboPacket <= 1514 ? 2048 : jumboPacket <= 4088 ? 4096 : 16384;
    }

    /** Whether RCTL.LPE (long packet enable) is needed on the 82574L: frames above 1518 bytes with FCS. */
    public boolean longPackets() {
        return jumboPacket > 1514;
    }

    /** The 82576's RLPML: the largest frame with FCS (and room for a VLAN tag) the receiver accepts with RCTL.LPE. */
    public int rlpml() {
        return jumboPacket + 4 + 4;
    }

    /** The flow control {@code *FlowControl} asks for (docs/hardware-reference.md B.14). */
    public FlowControl.Mode flowControlMode() {
        return FlowControl.Mode.ofKeyword(flowControl);
    }

    /** MTU reported to NDIS: the frame minus the 14-byte Ethernet header. */
    public int mtu() {
        return jumboPacket - 14;
    }

    public static int powerOfTwoAtMost(int v) {
        return Integer.highestOneBit(v);
    }
}

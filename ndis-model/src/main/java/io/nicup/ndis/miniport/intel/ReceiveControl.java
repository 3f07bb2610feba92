package io.nicup.ndis.miniport.intel;

import io.nicup.ndis.oid.NdisPacketFilter;

/**
 * The RCTL bits an NDIS packet filter sets, at the same positions on the 82574L (datasheet 10.2.5.1) and
 * the 82576 (datasheet 8.10.1); Linux e1000e_set_rx_mode and igb_set_rx_mode: PROMISCUOUS → UPE | MPE |
 * BAM, ALL_MULTICAST → MPE, BROADCAST → BAM.
 */
public final class ReceiveControl {

    /** Receiver enable. */
    public static final int EN = 0x0000_0002;
    /** Unicast promiscuous. */
    public static final int UPE = 0x0000_0008;
    /** Multicast promiscuous. */
    public static final int MPE = 0x0000_0010;
    /** Broadcast accept mode. */
    public static final int BAM = 0x0000_8000;

    private ReceiveControl() {
    }

    /** RCTL: {@code base} (the chip's buffer and CRC bits) with the filter's bits, and EN when {@code enable}. */
    public static int rctl(int base, int packetFilter, boolean enable) {
        int v = base;
        if ((packetFilter & NdisPacketFilter.PROMISCUOUS) != 0) {
            v |= UPE | MPE | BAM;
        }
        if ((packetFilter & NdisPacketFilter.ALL_MULTICAST) != 0) {
            v |= MPE;
        }
        if ((packetFilter & NdisPacketFilter.BROADCAST) != 0) {
            v |= BAM;
        }
        if (enable) {
            v |= EN;
        }
        return v;
    }
}

package io.nicup.ndis.miniport.i82576;

/** RCTL bits (82576 datasheet 8.10.1; Linux igb E1000_RCTL_*). The buffer size lives in SRRCTL. */
public final class Rctl {
    private Rctl() {
    }

    public static final int EN = 0x0000_0002;
    /** Store bad packets. */
    public static final int SBP = 0x0000_0004;
    /** Unicast promiscuous. */
    public static final int UPE = 0x0000_0008;
    /** Multicast promiscuous. */
    public static final int MPE = 0x0000_0010;
    /** Long packet enable: the limit is RLPML. */
    public static final int LPE = 0x0000_0020;
    /** MAC loopback (LBM = 01). */
    public static final int LBM_MAC = 0x0000_0040;
    public static final int LBM_MASK = 0x0000_00C0;
    /** Multicast offset (MTA hash bits), bits 13:12. */
    public static final int MO_SHIFT = 12;
    /** Broadcast accept. */
    public static final int BAM = 0x0000_8000;
    /** VLAN filter enable. */
    public static final int VFE = 0x0004_0000;
    /** Strip Ethernet CRC. */
    public static final int SECRC = 0x0400_0000;
}

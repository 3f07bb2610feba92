package io.nicup.ndis.miniport.i82574;

/**
 * PHY registers reached through {@link io.nicup.ndis.miniport.intel.Mdic} and their bits (IEEE 802.3
 * clause 22). Source: docs/hardware-reference.md B.3.
 * QEMU resets BMCR to 0x1140 (autoneg, 1000 Mb/s, full duplex).
 */
public final class Phy {

    private Phy() {
    }

    /** Basic Mode Control Register. */
    public static final int BMCR = 0;
    /** Basic Mode Status Register. */
    public static final int BMSR = 1;

    public static final int BMCR_RESTART_AN = 0x0200;
    public static final int BMCR_AUTONEG_EN = 0x1000;
    public static final int BMCR_LOOPBACK = 0x4000;
    public static final int BMCR_RESET = 0x8000;
    /** BMCR value for PHY loopback at 1000 Mb/s full duplex (Linux e1000e ethtool loopback; docs/hardware-reference.md B.5). */
    public static final int BMCR_LOOPBACK_1000_FULL = 0x4140;

    public static final int BMSR_LINK = 0x0004;
    public static final int BMSR_AN_COMPLETE = 0x0020;
}

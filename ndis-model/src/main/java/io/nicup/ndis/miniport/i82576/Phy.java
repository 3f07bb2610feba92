package io.nicup.ndis.miniport.i82576;

/** The 82576's internal PHY registers the driver uses (IEEE 802.3 clause 22; Linux {@code mii.h}, igb e1000_defines.h). */
public final class Phy {
    private Phy() {
    }

    public static final int BMCR = 0;
    public static final int BMSR = 1;
    public static final int ID1 = 2;
    public static final int ID2 = 3;
    /** Autonegotiation advertisement. */
    public static final int ANAR = 4;
    /** 1000BASE-T control. */
    public static final int CTRL1000 = 9;

    public static final int BMCR_FULL_DUPLEX = 0x0100;
    public static final int BMCR_RESTART_AN = 0x0200;
    public static final int BMCR_AUTONEG_EN = 0x1000;
    public static final int BMCR_SPEED_100 = 0x2000;
    public static final int BMCR_SPEED_1000 = 0x0040;
    public static final int BMCR_LOOPBACK = 0x4000;
    public static final int BMCR_RESET = 0x8000;
    /** Loopback at 1000 Mb/s full duplex (Linux igb_integrated_phy_loopback: 0x4140). */
    public static final int BMCR_LOOPBACK_1000_FULL = 0x4140;
    public static final int BMSR_LINK = 0x0004;
    public static final int BMSR_AN_COMPLETE = 0x0020;

    /** ANAR: 802.3 selector, 10/100 half and full. */
    public static final int ANAR_ALL_10_100 = 0x01E1;
    public static final int ANAR_SELECTOR = 0x0001;
    /** CTRL1000: advertise 1000BASE-T full duplex. */
    public static final int CTRL1000_FULL = 0x0200;

    /** PHY_ID1 of the IGP PHY QEMU's igb presents ({@code IGP03E1000_E_PHY_ID} 0x02A80390 >> 16). */
    public static final int ID1_IGP3 = 0x02A8;
}

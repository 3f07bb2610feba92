package io.nicup.mock.e82576;

import io.nicup.mock.intel.MiiPhy;

/**
 * The 82576's internal IGP PHY as MDIC sees it at PHY address 1: the registers and power-on values of
 * QEMU's igb ({@code igb_phy_regcap}, {@code igb_phy_reg_init} in hw/net/igb_core.c). An access to a
 * register the PHY does not have (or a read of the write-only page select) is an MDIC error. This class
 * stores, and keeps the PHY's link beside BMSR, which shows it in LSTATUS; the link behaviour lives in
 * {@link io.nicup.mock.intel.IntelLink}, and {@link E82576Registers} intercepts BMCR writes.
 */
public final class Phy extends MiiPhy {

    /** The IGP registers beyond the standard ones ({@link MiiPhy}), as QEMU's igb names them. */
    public static final int PORT_CONFIG = 0x10;
    public static final int PORT_STATUS = 0x11;
    public static final int PORT_CTRL = 0x12;
    public static final int LINK_HEALTH = 0x13;
    public static final int POWER_MGMT = 0x19;
    public static final int PAGE_SELECT = 0x1F;

    /** IGP03E1000_E_PHY_ID 0x02A80390: ID1 and ID2 as QEMU presents them. */
    public static final int ID1_VALUE = 0x02A8;
    public static final int ID2_VALUE = 0x0391;
    /** BMCR at power-on: autonegotiation, 1000 Mb/s, full duplex. */
    public static final int BMCR_POWER_ON = 0x1140;
    /** BMSR at power-on (QEMU): capabilities and link status, autonegotiation not complete. */
    public static final int BMSR_POWER_ON = 0x7945 | BMSR_LSTATUS;

    private static final int R = 1;
    private static final int W = 2;
    private static final byte[] CAP = new byte[32];

    static {
        for (int r : new int[] {BMCR, ANAR, NPTX, CTRL1000, PORT_CONFIG, PORT_CTRL, POWER_MGMT}) {
            CAP[r] = R | W;
        }
        for (int r : new int[] {BMSR, ID1, ID2, ANLPAR, ANER, LPNP, STAT1000, ESTATUS, PORT_STATUS, LINK_HEALTH}) {
            CAP[r] = R;
        }
        CAP[PAGE_SELECT] = W;
    }

    private final int[] regs = new int[32];
    /** The PHY's link, which BMSR.LSTATUS shows (QEMU's power-on BMSR says "link" regardless). */
    private boolean link;

    Phy() {
        reset();
    }

    /** QEMU's power-on values as (register, value) pairs; the others are 0. */
    private static final int[] POWER_ON = {
        BMCR, BMCR_POWER_ON, BMSR, BMSR_POWER_ON, ID1, ID1_VALUE, ID2, ID2_VALUE, ANAR, 0x0DE1, ANLPAR, 0x05E0,
        ANER, 0x0005, NPTX, 0x2001, CTRL1000, 0x1F00, STAT1000, 0x3C00, ESTATUS, 0x3000,
        PORT_CONFIG, 0x0120, PORT_STATUS, 0xC000, POWER_MGMT, 0x008B,
    };

    /** Back to QEMU's power-on values, the link down. */
    void reset() {
        java.util.Arrays.fill(regs, 0);
        for (int i = 0; i < POWER_ON.length; i += 2) {
            regs[POWER_ON[i]] = POWER_ON[i + 1];
        }
        link(false);
    }

    @Override
    public boolean canRead(int reg) {
        return (CAP[reg] & R) != 0;
    }

    @Override
    public boolean canWrite(int reg) {
        return (CAP[reg] & W) != 0;
    }

    @Override
    public int get(int reg) {
        return regs[reg];
    }

    @Override
    public void set(int reg, int value) {
        regs[reg] = value & 0xFFFF;
    }

    @Override
    public void write(int reg, int value) {
        set(reg, value);
    }

    @Override
    public int read(int reg) {
        return regs[reg];
    }

    @Override
    public boolean linkUp() {
        return link;
    }

    /** The PHY's link, shown in BMSR.LSTATUS. */
    @Override
    public void link(boolean up) {
        link = up;
        linkStatus(up);
    }
}

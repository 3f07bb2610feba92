package io.nicup.mock.e82574;

import io.nicup.mock.intel.MiiPhy;

/**
 * The 82574L's internal PHY (a Marvell-style BM PHY) as MDIC sees it at PHY address 1: the register
 * pages QEMU models ({@code e1000e_phy_regcap}, hw/net/e1000e_core.c) with QEMU's power-on values
 * ({@code e1000e_phy_reg_init}). Registers 0-15 and the page register (22) are the same on every page;
 * the others depend on the page selected in register 22. An access to a register a page does not have
 * is an MDIC error.
 *
 * <p>This class stores, and keeps the PHY's link in BMSR.LSTATUS itself; the link behaviour
 * (autonegotiation, loopback) lives in {@link io.nicup.mock.intel.IntelLink}, and
 * {@link E82574Registers} intercepts BMCR writes.
 */
public final class Phy extends MiiPhy {

    /** The page select register (QEMU e1000_regs.h); the standard registers are {@link MiiPhy}'s. */
    public static final int PAGE = 22;

    /** PHY identifier of the 82574's PHY (QEMU: PHY_ID1 0x141, E1000_PHY_ID2_82574x 0xCB1). */
    public static final int ID1_VALUE = 0x0141;
    public static final int ID2_VALUE = 0x0CB1;
    /** BMCR power-on value: autonegotiation enabled, 1000 Mb/s, full duplex (docs/hardware-reference.md B.3). */
    public static final int BMCR_POWER_ON = 0x1140;
    /** BMSR power-on value: QEMU's capabilities with link up, autonegotiation not yet complete. */
    public static final int BMSR_POWER_ON = 0x794D;

    static final int PAGES = 7;
    private static final int R = 1;
    private static final int W = 2;
    private static final int ANY = 4;
    private static final byte[][] CAP = new byte[PAGES][32];

    static {
        int[] anyRw = {BMCR, ANAR, NPTX, CTRL1000, PAGE};
        int[] anyR = {BMSR, ID1, ID2, ANLPAR, ANER, LPNP, STAT1000, ESTATUS};
        for (int r : anyRw) {
            CAP[0][r] = R | W | ANY;
        }
        for (int r : anyR) {
            CAP[0][r] = R | ANY;
        }
        // page 0 copper registers
        for (int r : new int[] {0x10, 0x12, 0x14, 0x19, 0x1A, 0x1D, 0x1E}) {
            CAP[0][r] = R | W;
        }
        for (int r : new int[] {0x11, 0x13, 0x15}) {
            CAP[0][r] = R;
        }
        // page 2: MAC control 1, interrupt enable, status, MAC control 2
        CAP[2][0x10] = R | W;
        CAP[2][0x12] = R | W;
        CAP[2][0x13] = R;
        CAP[2][0x15] = R | W;
        // page 3: LED control
        for (int r = 0x10; r <= 0x13; r++) {
            CAP[3][r] = R | W;
        }
        // page 5: 1000BASE-T skew and swap; page 6: CRC counters
        CAP[5][0x14] = R;
        CAP[5][0x15] = R;
        CAP[6][0x11] = R;
    }

    private final int[][] regs = new int[PAGES][32];

    Phy() {
        reset();
    }

    /** Back to QEMU's power-on values. */
    void reset() {
        for (int[] page : regs) {
            java.util.Arrays.fill(page, 0);
        }
        int[] p0 = regs[0];
        p0[BMCR] = BMCR_POWER_ON;
        p0[BMSR] = BMSR_POWER_ON;
        p0[ID1] = ID1_VALUE;
        p0[ID2] = ID2_VALUE;
        p0[ANAR] = 0x0DE1;
        p0[ANLPAR] = 0x07E0;
        p0[ANER] = 0x0004;
        p0[NPTX] = 0x2001;
        p0[CTRL1000] = 0x0F00;
        p0[STAT1000] = 0x3C00;
        p0[ESTATUS] = 0x3000;
        p0[0x10] = 0x3360;
        p0[0x11] = 0xAC08;
        regs[2][0x10] = 0x0088;
        regs[2][0x15] = 0x1046;
        regs[3][0x12] = 0x4005;
    }

    /** The page an access to {@code reg} uses, or -1 when the selected page does not exist. */
    private int pageFor(int reg) {
        if ((CAP[0][reg] & ANY) != 0) {
            return 0;
        }
        int page = regs[0][PAGE];
        return page < PAGES ? page : -1;
    }

    @Override
    public boolean canRead(int reg) {
        int page = pageFor(reg);
        return page >= 0 && (CAP[page][reg] & R) != 0;
    }

    @Override
    public boolean canWrite(int reg) {
        int page = pageFor(reg);
        return page >= 0 && (CAP[page][reg] & W) != 0;
    }

    @Override
    public int read(int reg) {
        return regs[pageFor(reg)][reg];
    }

    /** Stores a value as written; the page register keeps its 7 implemented bits (QEMU PHY_PAGE_RW_MASK). */
    @Override
    public void write(int reg, int value) {
        int v = value & 0xFFFF;
        if (reg == PAGE) {
            v &= 0x7F;
        }
        regs[pageFor(reg)][reg] = v;
    }

    /** Page-0 register without access checks (for the model's link logic). */
    @Override
    public int get(int reg) {
        return regs[0][reg];
    }

    @Override
    public void set(int reg, int value) {
        regs[0][reg] = value & 0xFFFF;
    }

    @Override
    public boolean linkUp() {
        return (regs[0][BMSR] & BMSR_LSTATUS) != 0;
    }

    @Override
    public void link(boolean up) {
        linkStatus(up);
    }
}

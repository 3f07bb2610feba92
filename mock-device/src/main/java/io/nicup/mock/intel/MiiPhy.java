package io.nicup.mock.intel;

/**
 * The IEEE 802.3 clause 22 part of an Intel chip's internal PHY: the standard register numbers and
 * BMCR/BMSR/ANLPAR bits every MII PHY has, and the negotiation, loopback and autonegotiation state the
 * shared link engine reads from them. Each chip's PHY adds its own registers, identifiers, power-on
 * values and access rules, and says where its link lives ({@link #linkUp()}, {@link #link(boolean)}).
 */
public abstract class MiiPhy implements IntelPhy {

    /** MII register numbers (IEEE 802.3 clause 22). */
    public static final int BMCR = 0;
    public static final int BMSR = 1;
    public static final int ID1 = 2;
    public static final int ID2 = 3;
    public static final int ANAR = 4;
    public static final int ANLPAR = 5;
    public static final int ANER = 6;
    /** Autonegotiation next page transmit and link partner next page. */
    public static final int NPTX = 7;
    public static final int LPNP = 8;
    /** 1000BASE-T control and status, extended status. */
    public static final int CTRL1000 = 9;
    public static final int STAT1000 = 10;
    public static final int ESTATUS = 15;

    /** BMCR bits. */
    public static final int BMCR_RESET = 0x8000;
    public static final int BMCR_LOOPBACK = 0x4000;
    public static final int BMCR_SPEED_LSB = 0x2000;
    public static final int BMCR_ANENABLE = 0x1000;
    public static final int BMCR_PDOWN = 0x0800;
    public static final int BMCR_ISOLATE = 0x0400;
    public static final int BMCR_ANRESTART = 0x0200;
    public static final int BMCR_FULLDPLX = 0x0100;
    public static final int BMCR_SPEED_MSB = 0x0040;
    /** BMSR bits. */
    public static final int BMSR_LSTATUS = 0x0004;
    public static final int BMSR_ANEGCOMPLETE = 0x0020;
    /** ANLPAR: link partner acknowledge. */
    public static final int ANLPAR_ACK = 0x4000;

    /** A register of the standard set (page 0), without access checks. */
    public abstract int get(int reg);

    public abstract void set(int reg, int value);

    @Override
    public boolean loopback() {
        return (get(BMCR) & BMCR_LOOPBACK) != 0;
    }

    @Override
    public boolean autonegEnabled() {
        return (get(BMCR) & BMCR_ANENABLE) != 0;
    }

    @Override
    public boolean negotiated() {
        return (get(BMSR) & BMSR_ANEGCOMPLETE) != 0;
    }

    @Override
    public void negotiated(boolean complete) {
        set(BMSR, complete ? get(BMSR) | BMSR_ANEGCOMPLETE : get(BMSR) & ~BMSR_ANEGCOMPLETE);
        set(ANLPAR, complete ? get(ANLPAR) | ANLPAR_ACK : get(ANLPAR) & ~ANLPAR_ACK);
    }

    /** Sets or clears BMSR.LSTATUS. */
    protected final void linkStatus(boolean up) {
        set(BMSR, up ? get(BMSR) | BMSR_LSTATUS : get(BMSR) & ~BMSR_LSTATUS);
    }
}

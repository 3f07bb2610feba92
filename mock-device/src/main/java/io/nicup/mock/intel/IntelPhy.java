package io.nicup.mock.intel;

/**
 * A chip's PHY as the shared link engine and MDIC see it. Each chip keeps its own PHY registers and
 * says here where its link and negotiation state live (the 82574L's in BMSR itself, the 82576's beside
 * it); MDIC writes go through the chip, which intercepts BMCR.
 */
public interface IntelPhy {

    /** The PHY has a link (without loopback). */
    boolean linkUp();

    void link(boolean up);

    /** Autonegotiation completed (BMSR.ANEGCOMPLETE). */
    boolean negotiated();

    /** Sets or clears BMSR.ANEGCOMPLETE and the partner's acknowledge (ANLPAR.ACK). */
    void negotiated(boolean complete);

    /** BMCR.LOOPBACK. */
    boolean loopback();

    /** BMCR.ANENABLE. */
    boolean autonegEnabled();

    /** Whether MDIC may read {@code reg} now (on the selected page). */
    boolean canRead(int reg);

    int read(int reg);

    boolean canWrite(int reg);

    /** Stores a value as written through MDIC (BMCR aside, which the chip intercepts). */
    void write(int reg, int value);
}

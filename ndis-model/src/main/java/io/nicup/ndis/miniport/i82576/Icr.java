package io.nicup.ndis.miniport.i82576;

/**
 * Interrupt causes of ICR/ICS/IMS/IMC (82576 datasheet 8.8.x; Linux igb E1000_ICR_*). With GPIE.MSIX_MODE
 * these are the "other" causes, signalled on the vector in IVAR_MISC; queue events go through EICR.
 */
public final class Icr {
    private Icr() {
    }

    /** Transmit descriptor written back. */
    public static final int TXDW = 0x0000_0001;
    /** Link status change. */
    public static final int LSC = 0x0000_0004;
    /** Receive descriptor minimum threshold (SRRCTL.RDMTS). */
    public static final int RXDMT0 = 0x0000_0010;
    /** Receive overrun: a frame found no descriptors. */
    public static final int RXO = 0x0000_0040;
    /** Receive descriptor written back. */
    public static final int RXDW = 0x0000_0080;
    /** MDI access complete. */
    public static final int MDAC = 0x0000_0200;
    /** Device reset asserted. */
    public static final int DRSTA = 0x4000_0000;
    /** Set while any cause is pending (non-MSI-X). */
    public static final int INT_ASSERTED = 0x8000_0000;
    /** Every cause: for IMC and for clearing ICR. */
    public static final int ALL = 0xFFFF_FFFF;
    /** Causes IMS accepts on the 82576 (QEMU {@code igb_set_ims}: 0x77D4FBFD). */
    public static final int IMS_VALID = 0x77D4_FBFD;
}

package io.nicup.ndis.miniport.i82576;

/** GPIE, General Purpose Interrupt Enable (82576 datasheet 8.8.x; Linux igb E1000_GPIE_*). */
public final class Gpie {
    private Gpie() {
    }

    /** Non-selective interrupt clear on read: reading ICR clears it whatever the mask. */
    public static final int NSICR = 0x0000_0001;
    /** MSI-X mode: queue causes go to EICR through IVAR, ICR causes through IVAR_MISC. */
    public static final int MSIX_MODE = 0x0000_0010;
    /** Extended interrupt auto mask enable (EIAM). */
    public static final int EIAME = 0x4000_0000;
    /** PBA support: the MSI-X pending bits follow EICR. */
    public static final int PBA = 0x8000_0000;
}

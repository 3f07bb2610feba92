package io.nicup.ndis.miniport.i82574;

/**
 * Interrupt cause bits, shared by {@link Regs82574#ICR}, {@link Regs82574#ICS}, {@link Regs82574#IMS}
 * and {@link Regs82574#IMC}. Source: docs/hardware-reference.md B.3. Without MSI-X, TX write-back raises {@link #TXDW}
 * and RX raises {@link #RXT0}; with MSI-X they raise {@link #TXQ0}/{@link #RXQ0} (docs/hardware-reference.md B.6).
 */
public final class Icr {

    private Icr() {
    }

    /** Transmit descriptor written back. */
    public static final int TXDW = 0x0000_0001;
    /** Transmit queue empty. */
    public static final int TXQE = 0x0000_0002;
    /** Link status change. */
    public static final int LSC = 0x0000_0004;
    /** Receive sequence error. */
    public static final int RXSEQ = 0x0000_0008;
    /** Receive descriptor minimum threshold reached. */
    public static final int RXDMT0 = 0x0000_0010;
    /** Receiver overrun: QEMU raises it when the RX ring is full (and holds the frame). */
    public static final int RXO = 0x0000_0040;
    /** Receiver timer interrupt. */
    public static final int RXT0 = 0x0000_0080;
    /** MDI access complete. */
    public static final int MDAC = 0x0000_0200;
    public static final int RXQ0 = 0x0010_0000;
    public static final int RXQ1 = 0x0020_0000;
    public static final int TXQ0 = 0x0040_0000;
    public static final int TXQ1 = 0x0080_0000;
    /** Other causes (MSI-X). */
    public static final int OTHER = 0x0100_0000;
    /** An interrupt is asserted (ICR only). */
    public static final int INT_ASSERTED = 0x8000_0000;
    /** Every cause: write to {@link Regs82574#IMC} to mask everything. */
    public static final int ALL = 0xFFFF_FFFF;
}

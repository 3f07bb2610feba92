package io.nicup.ndis.miniport.i82574;

/**
 * Fields of {@link Regs82574#IVAR} (MSI-X vector allocation): five 4-bit entries, each an MSI-X vector
 * (bits 2:0) plus {@link #VALID}. Source: docs/hardware-reference.md B.3, QEMU e1000_regs.h l.424-445.
 *
 * <pre>
 *   31          19   16 15  12 11   8 7    4 3    0
 * +----+-------+-------+------+------+------+------+
 * |EVRY|  ...  | OTHER | TXQ1 | TXQ0 | RXQ1 | RXQ0 |
 * +----+-------+-------+------+------+------+------+
 * </pre>
 */
public final class Ivar {

    private Ivar() {
    }

    public static final int RXQ0_SHIFT = 0;
    public static final int RXQ1_SHIFT = 4;
    public static final int TXQ0_SHIFT = 8;
    public static final int TXQ1_SHIFT = 12;
    public static final int OTHER_SHIFT = 16;
    /** The vector field of an entry. */
    public static final int VECTOR_MASK = 0x7;
    /** The entry is valid. */
    public static final int VALID = 0x8;
    /** TX_INT_EVERY_WB: write back (DD) every TX descriptor even without RS (docs/hardware-reference.md B.7 item 1). */
    public static final int TX_INT_EVERY_WB = 0x8000_0000;

    /** An IVAR entry routing a cause to {@code vector}, placed at {@code shift}. */
    public static int entry(int shift, int vector) {
        return (VALID | vector & VECTOR_MASK) << shift;
    }
}

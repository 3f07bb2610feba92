package io.nicup.ndis.miniport.i82576;

/**
 * IVAR0..7 and IVAR_MISC, the 82576's interrupt vector allocation (datasheet 8.8.15-16; Linux igb
 * {@code igb_assign_vector} for e1000_82576). IVAR is a table of 8 rows by 4 byte-wide entries: row
 * {@code q & 7}, byte 0 RX queue {@code q}, byte 1 TX queue {@code q}, bytes 2 and 3 RX/TX queue
 * {@code q + 8}. Each entry: vector in bits 4:0, {@link #VALID} in bit 7. IVAR_MISC byte 1 routes the
 * ICR ("other") causes, byte 0 the TCP timer.
 */
public final class Ivar {
    private Ivar() {
    }

    public static final int VALID = 0x80;
    public static final int VECTOR_MASK = 0x1F;

    /** The IVAR register (index 0..7) holding queue {@code q}'s entries. */
    public static int register(int q) {
        return Regs82576.IVAR0(q & 7);
    }

    /** Bit position of RX queue {@code q}'s entry in its IVAR register. */
    public static int rxShift(int q) {
        return (q & 8) << 1;
    }

    /** Bit position of TX queue {@code q}'s entry in its IVAR register. */
    public static int txShift(int q) {
        return ((q & 8) << 1) + 8;
    }

    /** An entry for {@code vector}, valid, at {@code shift}. */
    public static int entry(int shift, int vector) {
        return (vector & VECTOR_MASK | VALID) << shift;
    }

    /** IVAR_MISC with the "other" causes on {@code vector}. */
    public static int misc(int vector) {
        return (vector & VECTOR_MASK | VALID) << 8;
    }
}

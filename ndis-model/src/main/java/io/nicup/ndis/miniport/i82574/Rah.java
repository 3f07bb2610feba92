package io.nicup.ndis.miniport.i82574;

/**
 * Bits of {@link Regs82574#RAH(int)} (Receive Address High). Source: docs/hardware-reference.md B.3. RAL holds MAC
 * bytes 0-3 little-endian; RAH[15:0] holds bytes 4-5.
 */
public final class Rah {

    private Rah() {
    }

    /** Address valid. */
    public static final int AV = 0x8000_0000;
    /** The MAC bytes 4-5 field. */
    public static final int ADDRESS_MASK = 0x0000_FFFF;
}

package io.nicup.ndis.miniport.i82574;

/**
 * Bits of {@link Regs82574#TARC(int)} (Transmit Arbitration Count). Source: docs/hardware-reference.md B.3, B.7 item 2.
 * QEMU resets TARC to 0x403 and transmits only while {@link #ENABLE} is set; after restoring it, TX
 * restarts only on the next TDT write. Linux keeps this bit (it clears bits 30:27 only).
 */
public final class Tarc {

    private Tarc() {
    }

    /** {@code E1000_TARC_ENABLE = BIT(10)} (QEMU e1000_regs.h l.474). */
    public static final int ENABLE = 1 << 10;
    /** QEMU's reset value. */
    public static final int QEMU_RESET_VALUE = 0x403;
}

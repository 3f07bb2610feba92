package io.nicup.ndis.miniport.i82574;

/**
 * Bits of {@link Regs82574#TCTL} (Transmit Control). Source: docs/hardware-reference.md B.3, B.9. Linux programs
 * {@code CT = 15} and {@code COLD = 63}. QEMU transmits only when {@link #EN} is set, synchronously in
 * the TDT (or TCTL) write (docs/hardware-reference.md B.7 item 3).
 */
public final class Tctl {

    private Tctl() {
    }

    /** Transmit enable. */
    public static final int EN = 0x0000_0002;
    /** Pad short packets. */
    public static final int PSP = 0x0000_0008;
    /** Collision threshold (bits 11:4). */
    public static final int CT_MASK = 0x0000_0FF0;
    public static final int CT_SHIFT = 4;
    /** Collision distance (bits 21:12). */
    public static final int COLD_MASK = 0x003F_F000;
    public static final int COLD_SHIFT = 12;
    /** Re-transmit on late collision. */
    public static final int RTLC = 0x0100_0000;
    /** Linux's collision threshold ({@code E1000_COLLISION_THRESHOLD}). */
    public static final int COLLISION_THRESHOLD = 15;
    /** Linux's collision distance ({@code E1000_COLLISION_DISTANCE}). */
    public static final int COLLISION_DISTANCE = 63;
}

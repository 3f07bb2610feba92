package io.nicup.ndis.miniport.i82574;

/** Bits of {@link Regs82574#EECD} (EEPROM/Flash Control). Source: docs/hardware-reference.md B.3; QEMU resets it to 0x300. */
public final class Eecd {

    private Eecd() {
    }

    /** EEPROM present. */
    public static final int PRES = 0x0000_0100;
    /** EEPROM auto-read done: wait for it after reset (docs/hardware-reference.md B.5 step 4). */
    public static final int AUTO_RD = 0x0000_0200;
}

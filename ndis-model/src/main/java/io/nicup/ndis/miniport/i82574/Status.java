package io.nicup.ndis.miniport.i82574;

/**
 * Bits of {@link Regs82574#STATUS} (Device Status, read only). Source: docs/hardware-reference.md B.3. QEMU's reset value
 * is {@code ASDV_1000 | LU} unless the netdev link is down (docs/hardware-reference.md B.7 item 5); observed 0x80283.
 */
public final class Status {

    private Status() {
    }

    /** Full duplex. */
    public static final int FD = 0x0000_0001;
    /** Link up. */
    public static final int LU = 0x0000_0002;
    /** Transmission paused (flow control). */
    public static final int TXOFF = 0x0000_0010;
    /** Link speed (bits 7:6). */
    public static final int SPEED_MASK = 0x0000_00C0;
    /** {@link #SPEED_MASK} value for 1000 Mb/s. */
    public static final int SPEED_1000 = 0x0000_0080;
    /** PHY reset asserted. */
    public static final int PHYRA = 0x0000_0400;
    /** GIO master enable: clears once {@link Ctrl#GIO_MASTER_DISABLE} has taken effect. */
    public static final int GIO_MASTER_ENABLE = 0x0008_0000;
}

package io.nicup.ndis.miniport.i82576;

/** STATUS bits (82576 datasheet 8.2.2; Linux igb E1000_STATUS_*). */
public final class Status {
    private Status() {
    }

    public static final int FD = 0x0000_0001;
    /** Link up. */
    public static final int LU = 0x0000_0002;
    public static final int TXOFF = 0x0000_0010;
    /** Speed, bits 7:6: 00 10 Mb/s, 01 100 Mb/s, 1x 1000 Mb/s. */
    public static final int SPEED_MASK = 0x0000_00C0;
    public static final int SPEED_100 = 0x0000_0040;
    public static final int SPEED_1000 = 0x0000_0080;
    /** PHY reset asserted: set by a PHY reset, cleared by software writing 0. */
    public static final int PHYRA = 0x0000_0400;
    /** GIO master enable: clear once master requests have stopped. */
    public static final int GIO_MASTER_ENABLE = 0x0008_0000;
}

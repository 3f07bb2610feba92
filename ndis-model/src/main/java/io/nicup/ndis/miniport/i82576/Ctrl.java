package io.nicup.ndis.miniport.i82576;

/** CTRL bits (82576 datasheet 8.2.1; Linux igb {@code e1000_defines.h} E1000_CTRL_*). */
public final class Ctrl {
    private Ctrl() {
    }

    /** Full duplex (with FRCDPX). */
    public static final int FD = 0x0000_0001;
    /** GIO master disable: stop issuing new master requests. */
    public static final int GIO_MASTER_DISABLE = 0x0000_0004;
    /** Link reset (set at power-on; QEMU clears STATUS.GIO_MASTER_ENABLE while it is set). */
    public static final int LRST = 0x0000_0008;
    /** Set link up. */
    public static final int SLU = 0x0000_0040;
    public static final int SPD_SEL = 0x0000_0300;
    public static final int SPD_10 = 0x0000_0000;
    public static final int SPD_100 = 0x0000_0100;
    public static final int SPD_1000 = 0x0000_0200;
    /** Force speed. */
    public static final int FRCSPD = 0x0000_0800;
    /** Force duplex. */
    public static final int FRCDPX = 0x0000_1000;
    /** Device reset: self-clearing. */
    public static final int RST = 0x0400_0000;
    public static final int RFCE = 0x0800_0000;
    public static final int TFCE = 0x1000_0000;
    public static final int VME = 0x4000_0000;
    /** PHY reset. */
    public static final int PHY_RST = 0x8000_0000;
}

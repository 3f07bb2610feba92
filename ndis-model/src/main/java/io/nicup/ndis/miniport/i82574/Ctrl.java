package io.nicup.ndis.miniport.i82574;

/**
 * Bits of {@link Regs82574#CTRL} (Device Control). Source: docs/hardware-reference.md B.3, QEMU v7.2.0 e1000_regs.h
 * l.771-817. QEMU's reset value is {@code FD | SWDPIN0 | SLU | SPD_1000 | SWDPIN2 | ADVD3WUC = 0x140241}
 * (docs/hardware-reference.md B.7 item 5, observed).
 */
public final class Ctrl {

    private Ctrl() {
    }

    /** Full duplex. */
    public static final int FD = 0x0000_0001;
    /** GIO master disable: stop issuing PCIe requests (poll {@link Status#GIO_MASTER_ENABLE} clear). */
    public static final int GIO_MASTER_DISABLE = 0x0000_0004;
    /** Link reset. */
    public static final int LRST = 0x0000_0008;
    /** Auto-speed detection enable. */
    public static final int ASDE = 0x0000_0020;
    /** Set link up. */
    public static final int SLU = 0x0000_0040;
    /** Invert loss-of-signal. */
    public static final int ILOS = 0x0000_0080;
    /** Speed selection mask (bits 9:8). */
    public static final int SPD_SEL = 0x0000_0300;
    public static final int SPD_100 = 0x0000_0100;
    public static final int SPD_1000 = 0x0000_0200;
    /** Force speed. */
    public static final int FRCSPD = 0x0000_0800;
    /** Force duplex. */
    public static final int FRCDPX = 0x0000_1000;
    /** Device reset; self-clearing. On the Debian QEMU 7.2.22 build it resets everything (docs/hardware-reference.md B.10). */
    public static final int RST = 0x0400_0000;
    /** Receive flow control enable. */
    public static final int RFCE = 0x0800_0000;
    /** Transmit flow control enable. */
    public static final int TFCE = 0x1000_0000;
    /** VLAN mode enable. */
    public static final int VME = 0x4000_0000;
    /** PHY reset. */
    public static final int PHY_RST = 0x8000_0000;
}

package io.nicup.ndis.miniport.i82576;

/** MDIC, MDI Control (82576 datasheet 8.2.5; Linux igb E1000_MDIC_*). The internal PHY answers at address 1. */
public final class Mdic {
    private Mdic() {
    }

    public static final int DATA_MASK = 0x0000_FFFF;
    public static final int REG_SHIFT = 16;
    public static final int PHY_SHIFT = 21;
    public static final int OP_WRITE = 0x0400_0000;
    public static final int OP_READ = 0x0800_0000;
    public static final int READY = 0x1000_0000;
    public static final int INT_EN = 0x2000_0000;
    public static final int ERROR = 0x4000_0000;
    /** PHY address of the internal PHY (QEMU answers only there). */
    public static final int PHY_ADDRESS = 1;

    public static int read(int reg) {
        return OP_READ | PHY_ADDRESS << PHY_SHIFT | reg << REG_SHIFT;
    }

    public static int write(int reg, int data) {
        return OP_WRITE | PHY_ADDRESS << PHY_SHIFT | reg << REG_SHIFT | data & DATA_MASK;
    }
}

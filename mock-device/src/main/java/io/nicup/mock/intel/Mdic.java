package io.nicup.mock.intel;

/** MDIC layout, the same on the 82574L (docs/hardware-reference.md B.3) and the 82576. */
public final class Mdic {
    private Mdic() {
    }

    public static final int DATA_MASK = 0xFFFF;
    public static final int REG_SHIFT = 16;
    public static final int REG_MASK = 0x1F << REG_SHIFT;
    public static final int PHY_SHIFT = 21;
    public static final int PHY_MASK = 0x1F << PHY_SHIFT;
    public static final int OP_WRITE = 0x04000000;
    public static final int OP_READ = 0x08000000;
    public static final int READY = 0x10000000;
    public static final int INT_EN = 0x20000000;
    public static final int ERROR = 0x40000000;
}

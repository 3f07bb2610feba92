package io.nicup.mock.intel;

/**
 * EERD/EEWR layout, the same on the 82574L (docs/hardware-reference.md B.3) and the 82576: START bit 0, DONE bit 1,
 * ADDR 15:2, DATA 31:16.
 */
public final class Eerd {
    private Eerd() {
    }

    public static final int START = 0x1;
    public static final int DONE = 0x2;
    public static final int ADDR_SHIFT = 2;
    public static final int ADDR_MASK = 0x3FFF;
    public static final int DATA_SHIFT = 16;
}

package io.nicup.ndis.miniport.i82576;

/**
 * EERD, EEPROM Read (82576 datasheet 8.2.4; Linux igb {@code E1000_NVM_RW_*}): START bit 0, DONE bit 1,
 * word address bits 15:2, data bits 31:16.
 */
public final class Eerd {
    private Eerd() {
    }

    public static final int START = 0x0000_0001;
    public static final int DONE = 0x0000_0002;
    public static final int ADDR_SHIFT = 2;
    public static final int DATA_SHIFT = 16;

    /** The value that starts a read of NVM word {@code word}. */
    public static int read(int word) {
        return word << ADDR_SHIFT | START;
    }

    public static int data(int eerd) {
        return eerd >>> DATA_SHIFT;
    }
}

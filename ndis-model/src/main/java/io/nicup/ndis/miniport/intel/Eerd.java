package io.nicup.ndis.miniport.intel;

/**
 * Fields of EERD (EEPROM Read), in the <b>82574 layout</b>, which differs from the 8254x one and is the
 * 82576's too (datasheet 8.2.4; Linux igb {@code E1000_NVM_RW_*}). Source: docs/hardware-reference.md B.3: QEMU
 * e1000_regs.h l.762-767 ({@code E1000_EERW_*}); Linux e1000e defines.h ({@code E1000_NVM_RW_REG_START 1,
 * _DONE 2, _ADDR_SHIFT 2, _DATA 16}). Words 0..2 hold the MAC address. In QEMU the read completes
 * synchronously; the EEPROM has 64 words.
 *
 * <pre>
 *  31                16 15              2  1  0
 * +--------------------+-----------------+----+-----+
 * |        DATA        |    ADDR (word)  |DONE|START|
 * +--------------------+-----------------+----+-----+
 * </pre>
 */
public final class Eerd {

    private Eerd() {
    }

    public static final int START = 0x0000_0001;
    public static final int DONE = 0x0000_0002;
    public static final int ADDR_SHIFT = 2;
    public static final int DATA_SHIFT = 16;

    /** The value that starts a read of EEPROM word {@code word}. */
    public static int read(int word) {
        return word << ADDR_SHIFT | START;
    }

    /** The data word of a completed read. */
    public static int data(int eerd) {
        return eerd >>> DATA_SHIFT;
    }
}

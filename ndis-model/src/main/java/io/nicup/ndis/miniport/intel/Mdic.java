package io.nicup.ndis.miniport.intel;

/**
 * Fields of MDIC (MDI Control: PHY register access), the same on the 82574L (docs/hardware-reference.md B.3) and the 82576
 * (datasheet 8.2.5; Linux igb {@code E1000_MDIC_*}). In QEMU
 * the PHY address must be {@value #PHY_ADDRESS} or the access ends with {@link #ERROR}
 * ({@code e1000e_set_mdic}, e1000e_core.c l.2348); the operation completes synchronously.
 *
 * <pre>
 *  31  30    29     28    27   26  25    21 20    16 15             0
 * +---+-----+------+-----+----+----+--------+--------+----------------+
 * | 0 |ERROR|INT_EN|READY| RD | WR |  PHY   |  REG   |      DATA      |
 * +---+-----+------+-----+----+----+--------+--------+----------------+
 * </pre>
 */
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

    /** The internal PHY's address; anything else is an error in QEMU. */
    public static final int PHY_ADDRESS = 1;

    /** The value that starts a read of PHY register {@code reg}. */
    public static int read(int reg) {
        return OP_READ | PHY_ADDRESS << PHY_SHIFT | reg << REG_SHIFT;
    }

    /** The value that starts a write of {@code data} to PHY register {@code reg}. */
    public static int write(int reg, int data) {
        return OP_WRITE | PHY_ADDRESS << PHY_SHIFT | reg << REG_SHIFT | data & DATA_MASK;
    }
}

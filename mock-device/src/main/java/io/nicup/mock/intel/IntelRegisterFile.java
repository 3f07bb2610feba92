package io.nicup.mock.intel;

/**
 * The part of a chip's BAR0 register file every Intel chip has alike: reads and writes through the
 * chip's {@link RegisterTable} (all ones once removed, writes ignored during CTRL.RST, unimplemented
 * offsets noted), MDIC and the NVM port, and the timed operations a reset or close ends. A chip
 * subclass adds its special registers, its reset to power-on values and its BMCR handling.
 *
 * @param <P> the chip's PHY
 */
public abstract class IntelRegisterFile<P extends MiiPhy>
        implements IntelModel.RegisterFile, IntelCore.SpecialRegisters, IntelNvmPort.Chip {

    protected final IntelCore core;
    /** The register file, one int per dword (as {@code core.regs}). */
    protected final int[] mac;
    protected final IntelModel.Engines engines;
    protected final IntelNvmPort nvmPort;
    protected final IntelMdic mdic;
    protected final P phy;
    /** What the driver last wrote to each EITR (the chip stores its own interval beside it). */
    protected final int[] eitrGuest;
    private final int eitr0;
    private final byte[] permanentMac;
    private final RegisterTable table;

    /**
     * The NVM port and MDIC keep this register file as their chip; they call back only on register
     * writes, after construction.
     *
     * @param mdicDone raises ICR.MDAC in the chip's interrupt unit
     * @param eitr0 the offset of EITR0; {@code vectors} EITRs follow it
     */
    @SuppressWarnings("this-escape")
    protected IntelRegisterFile(IntelModel.Engines engines, RegisterTable table, byte[] permanentMac, E1000xNvm nvm,
            P phy, Runnable mdicDone, int eitr0, int vectors) {
        this.core = engines.core();
        this.eitr0 = eitr0;
        this.eitrGuest = new int[vectors];
        this.phy = phy;
        this.permanentMac = permanentMac;
        this.mac = core.regs;
        this.engines = engines;
        this.table = table;
        this.nvmPort = new IntelNvmPort(core, nvm, this);
        this.mdic = new IntelMdic(core, phy, this::writeBmcr, mdicDone);
    }

    /** The offset the table knows {@code offset} by (the 82576 folds its aliases). */
    protected int canonical(int offset) {
        return offset;
    }

    /** A BMCR write through MDIC: resets, autonegotiation and forced speed as the chip's PHY does them. */
    protected abstract void writeBmcr(int data);

    /** RAL0/RAH0 = the permanent address, valid (QEMU e1000x_reset_mac_addr; the 82576's NVM auto-read). */
    protected final void loadPermanentAddress() {
        byte[] m = permanentMac;
        IntelLayout l = core.layout;
        mac[l.ral0() >> 2] = (m[0] & 0xFF) | (m[1] & 0xFF) << 8 | (m[2] & 0xFF) << 16 | (m[3] & 0xFF) << 24;
        mac[l.rah0() >> 2] = (m[4] & 0xFF) | (m[5] & 0xFF) << 8 | l.rahAv();
    }

    @Override
    public int read(int rawOffset) {
        return core.read(table, this, canonical(rawOffset), rawOffset);
    }

    @Override
    public void write(int rawOffset, int value) {
        core.write(table, this, canonical(rawOffset), rawOffset, value);
    }

    @Override
    public void resetRegisters() {
        reset(true);
    }

    @Override
    public void cancelEvents() {
        nvmPort.cancel();
        engines.link().reset();
        mdic.cancel();
    }

    /** A CTRL write: the chip's resets (RST, PHY_RST) and link settings. */
    protected abstract void writeCtrl(int value);

    /** STATUS as the chip shows it (link, speed, reset-done bits). */
    protected abstract int status();

    @Override
    public final int statusNow() {
        return status();
    }

    /**
     * A special register's read, in the same order on both chips: the reads they answer alike
     * ({@link #readShared}), ICR through the chip's interrupt unit, the chip's own registers
     * ({@link #readChipRegister}), and otherwise the stored value (an EITR reads back what was written).
     */
    @Override
    public final int readSpecial(int offset) {
        long shared = readShared(offset);
        if (shared >= 0) {
            return (int) shared;
        }
        if (offset == IntelRegs.ICR) {
            return readIcr();
        }
        long own = readChipRegister(offset);
        return own >= 0 ? (int) own : readPlain(offset);
    }

    /** An ICR read, with the chip's clear-on-read rules. */
    protected abstract int readIcr();

    /**
     * A read of one of the chip's own special registers.
     *
     * @return the value, or {@code -1L} when {@code offset} reads its stored value
     */
    protected abstract long readChipRegister(int offset);

    /**
     * The reads both chips answer alike: CTRL and its alias, STATUS, ICS (ICR without clearing it: QEMU
     * e1000e_mac_ics_read) and SWSM, whose read takes the SMBI semaphore (QEMU
     * e1000e_mac_swsm_read).
     *
     * @return the value, or {@code -1L} when the chip answers {@code offset} itself
     */
    private long readShared(int offset) {
        switch (offset) {
            case IntelRegs.CTRL, IntelRegs.CTRL_DUP:
                return mac[IntelRegs.CTRL >> 2] & 0xFFFFFFFFL;
            case IntelRegs.STATUS:
                return status() & 0xFFFFFFFFL;
            case IntelRegs.ICS:
                return mac[IntelRegs.ICR >> 2] & 0xFFFFFFFFL;
            case IntelRegs.SWSM: {
                int v = mac[IntelRegs.SWSM >> 2];
                mac[IntelRegs.SWSM >> 2] = v | 1;
                return v & 0xFFFFFFFFL;
            }
            default:
                return -1L;
        }
    }

    /** An EITR reads back what the driver wrote; any other register reads its value. */
    private int readPlain(int offset) {
        if (offset >= eitr0 && offset < eitr0 + 4 * eitrGuest.length) {
            return eitrGuest[(offset - eitr0) >> 2];
        }
        return mac[offset >> 2];
    }

    /**
     * The writes both chips take alike: CTRL, STATUS, EECD, EERD, MDIC, RCTL (RCTL.EN delivers the
     * frames held for lack of a receiver) and SWSM.
     *
     * @return false when the chip handles {@code offset} itself
     */
    protected final boolean writeShared(int offset, int value) {
        switch (offset) {
            case IntelRegs.CTRL, IntelRegs.CTRL_DUP -> writeCtrl(value);
            case IntelRegs.STATUS -> core.writeStatus(value);
            case IntelRegs.EECD -> core.writeEecd(value);
            case IntelRegs.EERD -> nvmPort.writeEerd(value);
            case IntelRegs.MDIC -> mdic.write(value);
            case IntelRegs.RCTL -> {
                mac[IntelRegs.RCTL >> 2] = value;
                if ((value & RCTL_EN) != 0) {
                    engines.rx().drain();
                }
            }
            case IntelRegs.SWSM -> mac[IntelRegs.SWSM >> 2] = value;
            default -> {
                return false;
            }
        }
        return true;
    }

    /** RCTL.EN, bit 1 on both chips (each chip's {@code Regs.Rctl.EN}; Linux e1000e/defines.h E1000_RCTL_EN). */
    private static final int RCTL_EN = 0x2;
}

package io.nicup.mock.intel;

import io.nicup.mock.VirtualClock;

/**
 * PHY access through MDIC (QEMU e1000e_set_mdic, igb_set_mdic): a write starts an MDIO transaction that
 * completes {@link IntelTiming#MDIC_NANOS} later with READY, the data read, or ERROR for a register the
 * PHY does not have or a PHY address other than 1 (then with the previous MDIC value, as QEMU).
 */
public final class IntelMdic {

    /** What a chip tells MDIC. */
    public interface Chip {

        /** A PHY register write, which the chip intercepts for BMCR. */
        void writePhy(int reg, int data);

        /** A transaction with MDIC.INT_EN completed: ICR.MDAC. */
        void mdicDone();
    }

    private final IntelCore core;
    private final IntelPhy phy;
    private final Chip chip;
    private int previous;
    private VirtualClock.Event event;

    public IntelMdic(IntelCore core, IntelPhy phy, Chip chip) {
        this.core = core;
        this.phy = phy;
        this.chip = chip;
    }

    public void write(int value) {
        int mdic = core.layout.mdic();
        previous = core.reg(mdic);
        core.setReg(mdic, value & ~(Mdic.READY | Mdic.ERROR));
        cancel();
        if (core.has(IntelFault.MDIC_STUCK)) {
            return;
        }
        event = core.clock.schedule(IntelTiming.MDIC_NANOS, core.name + " MDIC done", () -> complete(value));
    }

    public void cancel() {
        IntelCore.cancel(event);
    }

    private void complete(int value) {
        int data = value & Mdic.DATA_MASK;
        int reg = (value & Mdic.REG_MASK) >>> Mdic.REG_SHIFT;
        int phyAddr = (value & Mdic.PHY_MASK) >>> Mdic.PHY_SHIFT;
        int result;
        if (core.has(IntelFault.MDIC_ERROR)) {
            result = value | Mdic.ERROR;
        } else if (phyAddr != 1) {
            // QEMU: the previous MDIC value with ERROR ([EMP] phy=2 -> 0x58201140)
            result = previous | Mdic.ERROR;
        } else if ((value & Mdic.OP_READ) != 0) {
            result = phy.canRead(reg) ? (value & ~Mdic.DATA_MASK) | phy.read(reg) : value | Mdic.ERROR;
        } else if ((value & Mdic.OP_WRITE) != 0) {
            if (phy.canWrite(reg)) {
                chip.writePhy(reg, data);
                result = value;
            } else {
                result = value | Mdic.ERROR;
            }
        } else {
            result = value;
        }
        core.setReg(core.layout.mdic(), result | Mdic.READY);
        if ((value & Mdic.INT_EN) != 0) {
            chip.mdicDone();
        }
    }
}

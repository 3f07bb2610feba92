package io.nicup.mock.intel;

import io.nicup.mock.VirtualClock;

import java.util.function.IntConsumer;

/**
 * PHY access through MDIC (QEMU e1000e_set_mdic, igb_set_mdic): a write starts an MDIO transaction that
 * completes {@link IntelTiming#MDIC_NANOS} later with READY, the data read, or ERROR for a register the
 * PHY does not have or a PHY address other than 1 (then with the previous MDIC value, as QEMU).
 */
public final class IntelMdic {

    private final IntelCore core;
    private final IntelPhy phy;
    private final IntConsumer bmcrWritten;
    private final Runnable mdicDone;
    private int previous;
    private VirtualClock.Event event;

    /**
     * @param bmcrWritten a write to BMCR, which the chip intercepts (resets, autonegotiation, forced speed)
     * @param mdicDone raises ICR.MDAC when a transaction with MDIC.INT_EN completes
     */
    public IntelMdic(IntelCore core, IntelPhy phy, IntConsumer bmcrWritten, Runnable mdicDone) {
        this.core = core;
        this.phy = phy;
        this.bmcrWritten = bmcrWritten;
        this.mdicDone = mdicDone;
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
                write(reg, data);
                result = value;
            } else {
                result = value | Mdic.ERROR;
            }
        } else {
            result = value;
        }
        core.setReg(core.layout.mdic(), result | Mdic.READY);
        if ((value & Mdic.INT_EN) != 0) {
            mdicDone.run();
        }
    }

    private void write(int reg, int data) {
        if (reg == MiiPhy.BMCR) {
            bmcrWritten.accept(data);
        } else {
            phy.write(reg, data);
        }
    }
}

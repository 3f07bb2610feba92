package io.nicup.mock.e82574;

import io.nicup.mock.MockInterrupts;
import io.nicup.mock.intel.IntelCore;
import io.nicup.vfio.InterruptMode;

import static io.nicup.mock.e82574.Regs.*;

/**
 * The 82574L's interrupt unit as QEMU 7.2's e1000e has it: ICR with INT_ASSERTED, IMS/IMC, auto-mask
 * (IAME/IAM), MSI that signals only causes not yet pending, and MSI-X that routes each queue cause and
 * OTHER through its IVAR entry, then applies EIAC. IMS accepts every cause bit 0-24 ({@link Icr#IMS_VALID});
 * interrupt delay timers and throttling are stored by the register file but not applied.
 */
final class E82574Interrupts {

    /** Causes routed through IVAR in MSI-X mode, and the shift of each one's IVAR entry. */
    private static final int[] MSIX_CAUSES = {Icr.RXQ0, Icr.RXQ1, Icr.TXQ0, Icr.TXQ1, Icr.OTHER};
    private static final int[] MSIX_IVAR_SHIFTS = {Ivar.RXQ0_SHIFT, Ivar.RXQ1_SHIFT, Ivar.TXQ0_SHIFT,
        Ivar.TXQ1_SHIFT, Ivar.OTHER_SHIFT};

    private final IntelCore core;
    private final int[] mac;
    private final MockInterrupts irq;
    private int msiCausesPending;
    private boolean intxAsserted;

    E82574Interrupts(IntelCore core, MockInterrupts irq) {
        this.core = core;
        this.mac = core.regs;
        this.irq = irq;
    }

    boolean msix() {
        return irq.activeMode() == InterruptMode.MSIX;
    }

    /** Back to the power-on state (the register file has cleared ICR and IMS). */
    void reset() {
        msiCausesPending = 0;
    }

    void setInterruptCause(int causes) {
        mac[ICR >> 2] |= causes;
        updateInterruptState();
    }

    /** ICR read: clears in non-MSI-X mode or when IMS is 0; IAME masks IMS by IAM (QEMU e1000e_mac_icr_read). */
    int readIcr() {
        int ret = mac[ICR >> 2];
        if (mac[IMS >> 2] == 0 || !msix()) {
            mac[ICR >> 2] = 0;
        }
        if ((ret & Icr.INT_ASSERTED) != 0 && (mac[CTRL_EXT >> 2] & CtrlExt.IAME) != 0) {
            mac[ICR >> 2] = 0;
            mac[IMS >> 2] &= ~mac[IAM >> 2];
        }
        if (core.stormOn) {
            mac[ICR >> 2] |= Icr.LSC;
        }
        updateInterruptState();
        return ret;
    }

    /** ICR write: write one to clear; clearing OTHER clears the other causes (QEMU e1000e_set_icr). */
    void writeIcr(int value) {
        if ((mac[ICR >> 2] & Icr.INT_ASSERTED) != 0 && (mac[CTRL_EXT >> 2] & CtrlExt.IAME) != 0) {
            mac[IMS >> 2] &= ~mac[IAM >> 2];
        }
        int icr = mac[ICR >> 2] & ~value;
        if ((value & Icr.OTHER) != 0) {
            icr &= ~Icr.OTHER_CAUSES;
        }
        if (core.stormOn) {
            icr |= Icr.LSC;
        }
        mac[ICR >> 2] = icr;
        updateInterruptState();
    }

    /** QEMU e1000e_update_interrupt_state: recompute INT_ASSERTED and signal. */
    void updateInterruptState() {
        if (core.removed) {
            return;
        }
        InterruptMode mode = irq.activeMode();
        int icr = mac[ICR >> 2];
        if (mode == InterruptMode.MSIX && (icr & Icr.OTHER_CAUSES) != 0) {
            icr |= Icr.OTHER;
        }
        icr &= ~Icr.INT_ASSERTED;
        if (icr != 0) {
            icr |= Icr.INT_ASSERTED;
        }
        mac[ICR >> 2] = icr;
        boolean pending = (mac[IMS >> 2] & icr) != 0;
        if (!pending) {
            msiCausesPending = 0;
        }
        if (mode == InterruptMode.INTX) {
            if (pending && !intxAsserted) {
                core.stats.increment(IAC);
            }
            intxAsserted = pending;
            irq.setIntxLevel(pending);
        } else {
            intxAsserted = false;
            irq.setIntxLevel(false);
            if (pending) {
                sendMsi(mode == InterruptMode.MSIX);
            }
        }
    }

    /** Signals only causes that were not pending yet (QEMU e1000e_send_msi). */
    private void sendMsi(boolean msix) {
        int causes = mac[ICR >> 2] & mac[IMS >> 2] & ~Icr.INT_ASSERTED;
        msiCausesPending &= causes;
        causes &= ~msiCausesPending;
        if (causes == 0) {
            return;
        }
        msiCausesPending |= causes;
        if (msix) {
            msixNotify(causes);
        } else {
            irq.msiNotify();
        }
    }

    /** Routes each queue cause through its IVAR entry, then applies EIAC/IAM (QEMU e1000e_msix_notify_one). */
    private void msixNotify(int causes) {
        for (int i = 0; i < MSIX_CAUSES.length; i++) {
            int cause = MSIX_CAUSES[i];
            if ((causes & cause) == 0) {
                continue;
            }
            int entry = (mac[IVAR >> 2] >>> MSIX_IVAR_SHIFTS[i]) & 0xF;
            if ((entry & Ivar.VALID) != 0) {
                int vector = entry & Ivar.VECTOR_MASK;
                if (vector < E82574Model.MSIX_VECTORS) {
                    irq.msixNotify(vector);
                }
            }
            if ((mac[CTRL_EXT >> 2] & CtrlExt.EIAME) != 0) {
                mac[IAM >> 2] &= ~cause;
            }
            int autoClear = mac[EIAC >> 2] & cause;
            mac[ICR >> 2] &= ~autoClear;
            msiCausesPending &= ~autoClear;
            if ((mac[CTRL_EXT >> 2] & CtrlExt.IAME) == 0) {
                mac[IMS >> 2] &= ~autoClear;
            }
        }
    }

    /** The irq-storm fault's period: LSC signalled afresh. */
    void stormResignal() {
        // A fresh signal each period: in MSI-X mode LSC reaches a vector only through OTHER, which stays
        // pending while LSC sticks (QEMU e1000e_send_msi signals only new causes), so both are re-armed.
        msiCausesPending &= ~(Icr.LSC | Icr.OTHER);
        if (irq.activeMode() == InterruptMode.INTX) {
            intxAsserted = false; // a fresh assertion each period
        }
        setInterruptCause(Icr.LSC);
    }
}

package io.nicup.mock.e82576;

import io.nicup.mock.MockInterrupts;
import io.nicup.mock.intel.IntelCore;
import io.nicup.mock.intel.IntelCounter;
import io.nicup.vfio.InterruptMode;

import static io.nicup.mock.e82576.Regs.*;

/**
 * The 82576's interrupt unit as QEMU's igb_raise_interrupts has it: with GPIE.MSIX_MODE, queue events
 * set EICR bits through IVAR0-7, ICR causes set the EICR bit IVAR_MISC names, and a newly pending
 * EICR &amp; EIMS bit is signalled on its MSI-X vector, after which EIAC clears it; without MSIX_MODE,
 * ICR &amp; IMS drives MSI (new causes) or the INTx level. EITR throttling is stored by the register
 * file, not applied; EIAM auto-masking is not modelled.
 */
final class E82576Interrupts {

    private final IntelCore core;
    private final int[] mac;
    private final MockInterrupts irq;

    E82576Interrupts(IntelCore core, MockInterrupts irq) {
        this.core = core;
        this.mac = core.regs;
        this.irq = irq;
    }

    boolean msixMode() {
        return (mac[GPIE >> 2] & Gpie.MSIX_MODE) != 0;
    }

    /** The EICR/EIMS/EIMC/EICS bits that exist: one per vector with MSI-X, else the legacy pair. */
    int extendedMask() {
        return msixMode() ? (1 << MSIX_VECTORS) - 1 : 0x80000000 | Icr.DRSTA;
    }

    /** The EICR bit of an IVAR entry, or 0 when the entry is not valid. */
    static int eicrBit(int entry) {
        return (entry & IVAR_VALID) != 0 ? 1 << (entry & 0x1F) : 0;
    }

    /** ICR read (QEMU igb_mac_icr_read): clears with NSICR, with IMS 0, when asserted, or without MSI-X. */
    int readIcr() {
        int ret = mac[ICR >> 2];
        if ((mac[GPIE >> 2] & Gpie.NSICR) != 0 || mac[IMS >> 2] == 0 || (ret & Icr.INT_ASSERTED) != 0
                || irq.activeMode() != InterruptMode.MSIX) {
            lower(ICR, 0xFFFFFFFF);
        }
        if ((mac[GPIE >> 2] & Gpie.NSICR) != 0 || mac[IMS >> 2] != 0 && (mac[ICR >> 2] & Icr.INT_ASSERTED) != 0) {
            lower(IMS, mac[IAM >> 2]);
        }
        if (core.stormOn) {
            mac[ICR >> 2] |= Icr.LSC;
            fixAsserted();
        }
        return ret;
    }

    /** ICR write: auto-mask by IAM (with NSICR or an asserted interrupt), then write one to clear. */
    void writeIcr(int value) {
        if ((mac[GPIE >> 2] & Gpie.NSICR) != 0 || (mac[IMS >> 2] != 0 && (mac[ICR >> 2] & Icr.INT_ASSERTED) != 0)) {
            lower(IMS, mac[IAM >> 2]);
        }
        lower(ICR, value);
    }

    private void fixAsserted() {
        if (!msixMode()) {
            int icr = mac[ICR >> 2] & ~Icr.INT_ASSERTED;
            mac[ICR >> 2] = icr != 0 ? icr | Icr.INT_ASSERTED : 0;
        }
    }

    /** Sets {@code causes} in ICR, IMS, EICR or EIMS and signals what became pending (QEMU igb_raise_interrupts). */
    void raise(int register, int causes) {
        if (core.removed) {
            return;
        }
        int oldCauses = mac[ICR >> 2] & mac[IMS >> 2];
        int oldExtended = mac[EICR >> 2] & mac[EIMS >> 2];
        mac[register >> 2] |= causes;
        if (msixMode()) {
            int raised = mac[ICR >> 2] & mac[IMS >> 2] & ~oldCauses;
            if ((raised & Icr.DRSTA) != 0) {
                mac[EICR >> 2] |= eicrBit(mac[IVAR_MISC >> 2] & 0xFF);
            }
            if ((raised & ~Icr.DRSTA) != 0) {
                mac[EICR >> 2] |= eicrBit(mac[IVAR_MISC >> 2] >>> 8 & 0xFF);
            }
            int raisedExtended = mac[EICR >> 2] & mac[EIMS >> 2] & ~oldExtended;
            for (int v = 0; v < MSIX_VECTORS; v++) {
                if ((raisedExtended & 1 << v) != 0) {
                    msixNotify(v);
                }
            }
            return;
        }
        fixAsserted();
        int raised = mac[ICR >> 2] & mac[IMS >> 2] & ~oldCauses;
        if (raised == 0) {
            return;
        }
        switch (irq.activeMode()) {
            case MSIX -> msixNotify(0);
            case MSI -> irq.msiNotify();
            case INTX -> {
                core.stats.increment(IAC);
                updateLegacyLine();
            }
        }
    }

    private void msixNotify(int vector) {
        core.count(IntelCounter.MSIX_SIGNALS);
        irq.msixNotify(vector);
        mac[EICR >> 2] &= ~(mac[EIAC >> 2] & 1 << vector);
    }

    void lower(int register, int causes) {
        mac[register >> 2] &= ~causes;
        if (register == ICR) {
            fixAsserted();
        }
        updateLegacyLine();
    }

    /** The INTx line: high while a cause is pending and unmasked, outside MSI-X mode. */
    void updateLegacyLine() {
        if (core.removed) {
            return;
        }
        boolean high = !msixMode() && irq.activeMode() == InterruptMode.INTX
                && (mac[ICR >> 2] & mac[IMS >> 2] & ~Icr.INT_ASSERTED) != 0;
        irq.setIntxLevel(high);
    }

    /** The irq-storm fault's period: LSC raised afresh, a fresh edge every period. */
    void stormResignal() {
        mac[ICR >> 2] &= ~Icr.LSC;
        int alloc = mac[IVAR_MISC >> 2] >>> 8 & 0xFF;
        if (msixMode() && (alloc & IVAR_VALID) != 0) {
            mac[EICR >> 2] &= ~(1 << (alloc & 0x1F));
        }
        if (irq.activeMode() == InterruptMode.INTX) {
            irq.setIntxLevel(false);
        }
        raise(ICR, Icr.LSC);
    }
}

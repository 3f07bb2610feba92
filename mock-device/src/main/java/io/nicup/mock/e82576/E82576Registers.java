package io.nicup.mock.e82576;

import io.nicup.mock.VirtualClock;
import io.nicup.mock.intel.IntelCore;
import io.nicup.mock.intel.IntelFault;
import io.nicup.mock.intel.IntelModel;
import io.nicup.mock.intel.IntelRegisterFile;

import java.util.Arrays;

import static io.nicup.mock.e82576.E82576RegisterTable.REGISTERS;
import static io.nicup.mock.e82576.E82576RegisterTable.TCTL_POWER_ON;
import static io.nicup.mock.e82576.Regs.*;

/**
 * BAR0 of the 82576 as the driver reads and writes it: aliases folded to their canonical offsets, the
 * special registers' side effects (CTRL, STATUS, the interrupt registers, EITR, the tails and the queue
 * enables, SWSM), writes ignored during CTRL.RST, and the reset back to power-on values (QEMU igb_reset
 * and igb_mac_reg_init). After a software reset the NVM auto-read loads RAL0/RAH0 and then sets
 * EECD.AUTO_RD; a power-on or function-level reset completes it before the device is visible.
 */
final class E82576Registers extends IntelRegisterFile<Phy> {

    private final E82576Interrupts interrupts;
    private final VirtualClock.Event[] rxEnableEvent = new VirtualClock.Event[QUEUES];
    private final VirtualClock.Event[] txEnableEvent = new VirtualClock.Event[QUEUES];

    E82576Registers(IntelModel.Engines engines, byte[] permanentMac, Nvm nvm, Phy phy, E82576Interrupts interrupts) {
        super(engines, REGISTERS, permanentMac, nvm, phy, () -> interrupts.raise(ICR, Icr.MDAC), EITR0, MSIX_VECTORS);
        this.interrupts = interrupts;
    }

    @Override
    protected int readIcr() {
        return interrupts.readIcr();
    }

    @Override
    protected long readChipRegister(int offset) {
        switch (offset) {
            case IMC, IMS:
                return mac[IMS >> 2] & 0xFFFFFFFFL;      // datasheet 8.8.10: reading IMC returns IMS
            case EICR: {
                int v = mac[EICR >> 2];
                mac[EICR >> 2] = 0;
                return v & 0xFFFFFFFFL;
            }
            case EICS, EIMC:
                return 0;
            default:
                return -1L;
        }
    }

    @Override
    public void writeSpecial(int offset, int value) {
        if (writeShared(offset, value)) {
            return;
        }
        switch (offset) {
            case CTRL_EXT -> mac[CTRL_EXT >> 2] = value & ~(0x1000 | 0x2000); // ASDCHK, EE_RST self-clear
            case ICR -> interrupts.writeIcr(value);
            case ICS -> interrupts.raise(ICR, value);
            case IMS -> interrupts.raise(IMS, value & Icr.IMS_VALID);
            case IMC -> interrupts.lower(IMS, value);
            case EICS -> interrupts.raise(EICR, value & interrupts.extendedMask());
            case EIMS -> interrupts.raise(EIMS, value & interrupts.extendedMask());
            case EIMC -> interrupts.lower(EIMS, value & interrupts.extendedMask());
            case EIAC -> mac[EIAC >> 2] = value & (1 << MSIX_VECTORS) - 1;
            case EICR -> interrupts.lower(EICR, value & interrupts.extendedMask());
            case TCTL -> {
                mac[TCTL >> 2] = value;
                for (int q = 0; q < QUEUES; q++) {
                    engines.tx().start(q);
                }
            }
            default -> writeQueueOrArray(offset, value);
        }
    }

    private void writeQueueOrArray(int offset, int value) {
        if (offset >= EITR0 && offset < EITR0 + 4 * MSIX_VECTORS) {
            int n = (offset - EITR0) >> 2;
            eitrGuest[n] = value & ~0x80000000;
            mac[offset >> 2] = value & 0x7FFE;
        } else if (offset >= 0x0C000 && offset < 0x0C000 + 0x40 * QUEUES) {
            int q = (offset - 0x0C000) / 0x40;
            if (offset == rdt(q)) {
                if ((mac[rxdctl(q) >> 2] & QUEUE_ENABLE) == 0 && (value & 0xFFFF) != mac[rdh(q) >> 2]) {
                    core.notes.add(0, offset, 4, true, value & 0xFFFFL, "tail-before-enable"); // datasheet 4.5.9
                }
                mac[offset >> 2] = value & 0xFFFF;
                engines.rx().drain();
            } else {
                writeDctl(offset, value, q, true);
            }
        } else if (offset >= 0x0E000 && offset < 0x0E000 + 0x40 * QUEUES) {
            int q = (offset - 0x0E000) / 0x40;
            if (offset == tdt(q)) {
                if ((mac[txdctl(q) >> 2] & QUEUE_ENABLE) == 0 && (value & 0xFFFF) != mac[tdh(q) >> 2]) {
                    core.notes.add(0, offset, 4, true, value & 0xFFFFL, "tail-before-enable");
                }
                mac[offset >> 2] = value & 0xFFFF;
                engines.tx().start(q);
            } else {
                writeDctl(offset, value, q, false);
            }
        } else {
            mac[offset >> 2] = value & (RAH_AV | 0x03FC0000 | 0xFFFF); // RAH: AV, pool select, address
        }
    }

    /** RXDCTL/TXDCTL: thresholds at once; ENABLE reads back after {@link Timing#QUEUE_ENABLE_NANOS}. */
    private void writeDctl(int offset, int value, int q, boolean rxQueue) {
        int idx = offset >> 2;
        boolean want = (value & QUEUE_ENABLE) != 0;
        mac[idx] = value & ~QUEUE_ENABLE | mac[idx] & QUEUE_ENABLE;
        VirtualClock.Event[] events = rxQueue ? rxEnableEvent : txEnableEvent;
        IntelCore.cancel(events[q]);
        if (want == ((mac[idx] & QUEUE_ENABLE) != 0)) {
            return;
        }
        String what = "82576 " + (rxQueue ? "RXDCTL" : "TXDCTL") + q + ".ENABLE";
        events[q] = core.clock.schedule(Timing.QUEUE_ENABLE_NANOS, what, () -> {
            mac[idx] = want ? mac[idx] | QUEUE_ENABLE : mac[idx] & ~QUEUE_ENABLE;
            if (!rxQueue && !want) {
                engines.tx().reset(q);
            }
            if (want) {
                if (rxQueue) {
                    engines.rx().drain();
                } else {
                    engines.tx().start(q);
                }
            }
        });
    }

    /**
     * A BMCR write through MDIC (QEMU igb_set_mdic): a PHY reset drops the link until negotiation
     * completes, RESTART_AN restarts autonegotiation, and forced speed and duplex make the link follow the
     * carrier (QEMU never sets LU without autonegotiation).
     */
    @Override
    protected void writeBmcr(int data) {
        boolean wasAutoneg = phy.autonegEnabled();
        phy.set(Phy.BMCR, data & ~(0x3F | Phy.BMCR_RESET | Phy.BMCR_ANRESTART));
        if ((data & Phy.BMCR_RESET) != 0) {
            phy.link(false);                   // a PHY reset drops the link until negotiation completes
            engines.link().cancelAutoneg();
        }
        if (phy.autonegEnabled() && (data & Phy.BMCR_ANRESTART) != 0) {
            engines.link().restartAutoneg();
        } else if (!phy.autonegEnabled() && (wasAutoneg || !phy.linkUp())) {
            engines.link().cancelAutoneg();              // forced speed and duplex: the link follows the carrier
            phy.link(engines.link().carrier());
        }
        engines.link().refresh(true);
    }

    // ------------------------------------------------------------------ reset

    @Override
    protected void writeCtrl(int value) {
        if ((value & Ctrl.RST) != 0) {
            nvmPort.startSoftwareReset();
            return;
        }
        boolean phyReset = (value & Ctrl.PHY_RST) != 0 && (mac[CTRL >> 2] & Ctrl.PHY_RST) == 0;
        mac[CTRL >> 2] = value;
        if (phyReset) {
            mac[STATUS >> 2] |= Status.PHYRA;
            phy.reset();                       // back to power-on values, the link down
            engines.link().cancelAutoneg();
        }
        engines.link().refresh(true);
    }

    /** The NVM auto-read: the permanent address into RAL0/RAH0 (EECD.AUTO_RD follows). */
    @Override
    public void loadFromNvm() {
        loadPermanentAddress();
    }

    /** A stuck auto-read keeps the NVM interface: EERD never answers. */
    @Override
    public boolean eerdNeedsAutoRead() {
        return true;
    }

    /** Ends every timed operation (a reset or the model closing). */
    @Override
    public void cancelEvents() {
        super.cancelEvents();
        for (int q = 0; q < QUEUES; q++) {
            IntelCore.cancel(rxEnableEvent[q]);
            IntelCore.cancel(txEnableEvent[q]);
        }
    }

    /** Queue registers of queues 0-3 also answer at their 82575-compatible aliases. */
    @Override
    protected int canonical(int offset) {
        return Regs.canonical(offset);
    }

    /** Registers, PHY, queues and interrupt state back to power-on values (QEMU igb_reset + igb_mac_reg_init). */
    @Override
    public void reset(boolean software) {
        cancelEvents();
        int rxpbs = mac[RXPBS >> 2];
        int txpbs = mac[TXPBS >> 2];
        Arrays.fill(mac, 0);
        mac[LEDCTL >> 2] = 2 | 3 << 8 | 1 << 15 | 6 << 16 | 7 << 24;
        mac[EEMNGCTL >> 2] = 0x80000000;
        mac[txdctl(0) >> 2] = QUEUE_ENABLE;
        mac[rxdctl(0) >> 2] = QUEUE_ENABLE | 1 << 16;
        for (int q = 1; q < QUEUES; q++) {
            mac[rxdctl(q) >> 2] = 1 << 16;
        }
        mac[TIPG >> 2] = 0x08 | 0x04 << 10 | 0x06 << 20;
        mac[CTRL >> 2] = Ctrl.POWER_ON;
        mac[STATUS >> 2] = Status.PHYRA | 0x80000000;
        mac[EECD >> 2] = Eecd.FWE_DIS | Eecd.PRES | 2 << Eecd.SIZE_EX_SHIFT;
        mac[GCR >> 2] = 0x00400000 | 0x00080000 | 0x00040000;
        mac[RXCSUM >> 2] = 0x300;
        mac[TXPBS >> 2] = software ? txpbs : 0x28;
        mac[RXPBS >> 2] = software ? rxpbs : 0x40;
        mac[TCTL >> 2] = TCTL_POWER_ON;
        mac[TCTL_EXT >> 2] = 0x40 | 0x42 << 10;
        mac[VET >> 2] = 0x81008100;
        mac[RLPML >> 2] = 0x2600;
        if (!software) {
            Arrays.fill(eitrGuest, 0);
            if (!core.has(IntelFault.NVM_AUTOREAD_STUCK)) {
                nvmPort.autoReadDone();
            }
        } else {
            for (int i = 0; i < MSIX_VECTORS; i++) {
                mac[(EITR0 >> 2) + i] = eitrGuest[i] & 0x7FFE;
            }
        }
        phy.reset();
        core.inReset = false;
        engines.tx().reset();
        engines.rx().clear();
        core.txHung = false;
        // checked before deviceReset(), which counts nothing this fault counts
        core.rarLost = software && (core.rarLost || core.faults.allFrames(IntelFault.RESET_LOSES_RAR));
        core.faults.deviceReset();
        if (core.stormOn) {
            mac[ICR >> 2] |= Icr.LSC;
        }
        interrupts.updateLegacyLine();
    }

    /** STATUS as read (QEMU igb_get_status): stored LU/PHYRA plus duplex, speed and GIO master state. */
    @Override
    protected int status() {
        int s = mac[STATUS >> 2];
        int ctrl = mac[CTRL >> 2];
        if ((ctrl & Ctrl.FRCDPX) != 0) {
            s |= (ctrl & Ctrl.FD) != 0 ? Status.FD : 0;
        } else {
            s |= Status.FD;
        }
        if ((ctrl & Ctrl.FRCSPD) != 0) {
            s |= switch (ctrl & Ctrl.SPD_SEL) {
                case Ctrl.SPD_10 -> Status.SPEED_10;
                case Ctrl.SPD_100 -> Status.SPEED_100;
                default -> Status.SPEED_1000;
            };
        } else {
            s |= Status.SPEED_1000;
        }
        if ((ctrl & Ctrl.GIO_MASTER_DISABLE) == 0 && (ctrl & Ctrl.LRST) == 0) {
            s |= Status.GIO_MASTER_ENABLE;
        }
        return s;
    }
}

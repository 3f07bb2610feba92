package io.nicup.mock.e82574;

import io.nicup.mock.intel.IntelCore;
import io.nicup.mock.intel.IntelFault;
import io.nicup.mock.intel.IntelLink;
import io.nicup.mock.intel.IntelMdic;
import io.nicup.mock.intel.IntelModel;
import io.nicup.mock.intel.IntelNvmPort;
import io.nicup.mock.intel.IntelReceiver;
import io.nicup.mock.intel.IntelTransmitter;

import java.util.Arrays;

import static io.nicup.mock.e82574.E82574RegisterTable.POWER_ON;
import static io.nicup.mock.e82574.E82574RegisterTable.REGISTERS;
import static io.nicup.mock.e82574.Regs.*;

/**
 * BAR0 of the 82574L as the driver reads and writes it: the special registers' side effects (CTRL,
 * STATUS, ICR and the interrupt masks, ITR/EITR, the tails, TARC, SWSM), writes ignored during CTRL.RST,
 * and the reset back to power-on values. Software reset (CTRL.RST) resets every register, the PHY, the
 * NVM auto-read state and the statistics, except PBA/PBS/FLA (QEMU 7.2.22, reference B.10).
 */
final class E82574Registers implements IntelModel.RegisterFile, IntelCore.SpecialRegisters, IntelNvmPort.Chip {

    private final IntelCore core;
    private final int[] mac;
    private final byte[] permanentMac;
    private final Phy phy;
    private final E82574Interrupts interrupts;
    private final IntelLink link;
    private final IntelMdic mdic;
    private final IntelTransmitter tx;
    private final IntelReceiver rx;
    private final IntelNvmPort nvmPort;
    private int itrGuest;
    private final int[] eitrGuest = new int[E82574Model.MSIX_VECTORS];

    E82574Registers(IntelCore core, byte[] permanentMac, Nvm nvm, Phy phy, E82574Interrupts interrupts, IntelLink link,
            IntelTransmitter tx, IntelReceiver rx) {
        this.core = core;
        this.mac = core.regs;
        this.permanentMac = permanentMac;
        this.phy = phy;
        this.interrupts = interrupts;
        this.link = link;
        this.tx = tx;
        this.rx = rx;
        this.nvmPort = new IntelNvmPort(core, nvm, this);
        this.mdic = new IntelMdic(core, phy, this::writeBmcr, () -> interrupts.setInterruptCause(Icr.MDAC));
    }

    @Override
    public int read(int offset) {
        return core.read(REGISTERS, this, offset, offset);
    }

    @Override
    public int readSpecial(int offset) {
        switch (offset) {
            case CTRL, CTRL_DUP:
                return mac[CTRL >> 2];
            case STATUS:
                return status();
            case ICR:
                return interrupts.readIcr();
            case ICS:
                return mac[ICR >> 2]; // ICS reads as ICR without clearing (QEMU e1000e_mac_ics_read)
            case IMC:
                return 0;
            case ITR:
                return itrGuest;
            case TARC0, TARC0 + QUEUE_STRIDE:
                // QEMU e1000e_get_tarc: bits 10:0 and 30:27
                return mac[offset >> 2] & ((1 << 11) - 1 | 0x78000000);
            case SWSM: {
                // reading takes the SMBI semaphore (QEMU e1000e_mac_swsm_read)
                int v = mac[SWSM >> 2];
                mac[SWSM >> 2] = v | 1;
                return v;
            }
            default:
                if (offset >= EITR0 && offset < EITR0 + 4 * E82574Model.MSIX_VECTORS) {
                    return eitrGuest[(offset - EITR0) >> 2];
                }
                return mac[offset >> 2];
        }
    }

    @Override
    public void write(int offset, int value) {
        core.write(REGISTERS, this, offset, offset, value);
    }

    @Override
    public void writeSpecial(int offset, int value) {
        switch (offset) {
            case CTRL, CTRL_DUP -> writeCtrl(value);
            case STATUS -> core.writeStatus(value);
            case EECD -> core.writeEecd(value);
            case EERD -> nvmPort.writeEerd(value);
            case EEWR -> nvmPort.writeEewr(value);
            case CTRL_EXT -> mac[CTRL_EXT >> 2] = value & ~(CtrlExt.ASDCHK | CtrlExt.EE_RST);
            case MDIC -> mdic.write(value);
            case ICR -> interrupts.writeIcr(value);
            case ICS -> interrupts.setInterruptCause(value & ~Icr.INT_ASSERTED);
            case IMS -> {
                mac[IMS >> 2] |= value & Icr.IMS_VALID;
                interrupts.updateInterruptState();
            }
            case IMC -> {
                mac[IMS >> 2] &= ~value;
                interrupts.updateInterruptState();
            }
            case ITR -> {
                itrGuest = value & 0xFFFF;
                mac[ITR >> 2] = Math.max(itrGuest, 500);
            }
            case RCTL -> {
                mac[RCTL >> 2] = value;
                if ((value & Rctl.EN) != 0) {
                    rx.drain();
                }
            }
            case TCTL -> {
                mac[TCTL >> 2] = value;
                for (int q = 0; q < 2; q++) {
                    startTransmit(q);
                }
            }
            case RDT0, RDT0 + QUEUE_STRIDE -> {
                mac[offset >> 2] = value & 0xFFFF;
                rx.drain();
            }
            case TDT0, TDT0 + QUEUE_STRIDE -> {
                mac[offset >> 2] = value & 0xFFFF;
                startTransmit((offset - TDT0) / QUEUE_STRIDE);
            }
            case TARC0, TARC0 + QUEUE_STRIDE -> mac[offset >> 2] = value;
            case SWSM -> mac[SWSM >> 2] = value;
            default -> {
                if (offset >= EITR0 && offset < EITR0 + 4 * E82574Model.MSIX_VECTORS) {
                    int n = (offset - EITR0) >> 2;
                    eitrGuest[n] = value & 0xFFFF;
                    mac[offset >> 2] = Math.max(eitrGuest[n], 500);
                } else if (offset >= RAH0 && offset < RAH0 + 8 * RAR_ENTRIES) {
                    mac[offset >> 2] = value & RAH_MASK;
                } else {
                    mac[offset >> 2] = value;
                }
            }
        }
    }

    /** A queue transmits only with TARC.ENABLE. */
    private void startTransmit(int q) {
        if ((mac[tarc(q) >> 2] & TARC_ENABLE) != 0) {
            tx.start(q);
        }
    }

    /**
     * A BMCR write through MDIC (QEMU e1000e_set_phy_ctrl): RESET and RESTART_AN self-clear and restart
     * autonegotiation, like a real PHY (QEMU ignores RESET); turning autonegotiation off makes the link
     * follow the carrier.
     */
    private void writeBmcr(int data) {
        boolean wasAutoneg = phy.autonegEnabled();
        // bits 5:0 reserved; RESET and RESTART_AN self-clear
        phy.set(Phy.BMCR, data & ~(0x3F | Phy.BMCR_RESET | Phy.BMCR_ANRESTART));
        boolean restart = (data & (Phy.BMCR_ANRESTART | Phy.BMCR_RESET)) != 0;
        if (phy.autonegEnabled() && restart) {
            link.restartAutoneg();
        } else if (wasAutoneg && !phy.autonegEnabled()) {
            // forced speed/duplex: link follows the carrier without negotiation
            link.cancelAutoneg();
            if (link.carrier()) {
                phy.link(true);
            }
        }
        link.refresh(true);
    }

    // ------------------------------------------------------------------ reset (datasheet 4.6, reference B.10)

    private void writeCtrl(int value) {
        if ((value & Ctrl.RST) != 0) {
            nvmPort.startSoftwareReset();
            return;
        }
        mac[CTRL >> 2] = value;
        if ((value & Ctrl.PHY_RST) != 0) {
            mac[STATUS >> 2] |= Status.PHYRA; // QEMU e1000e_set_ctrl
        }
        link.refresh(true);
    }

    @Override
    public void resetRegisters() {
        reset(true);
    }

    /** The 82574L's auto-read loads nothing the model keeps elsewhere: RAL0/RAH0 are set at reset. */
    @Override
    public void loadFromNvm() {
    }

    @Override
    public boolean eerdNeedsAutoRead() {
        return false;
    }

    /** Registers, PHY, queues and interrupt state back to power-on values. */
    @Override
    public void reset(boolean software) {
        nvmPort.cancel();
        link.reset();
        mdic.cancel();
        int pba = mac[PBA >> 2];
        int pbs = mac[PBS >> 2];
        int fla = mac[FLA >> 2];
        Arrays.fill(mac, 0);
        for (int i = 0; i < POWER_ON.length; i += 2) {
            mac[POWER_ON[i] >> 2] = POWER_ON[i + 1];
        }
        if (core.has(IntelFault.NVM_AUTOREAD_STUCK)) {
            mac[EECD >> 2] &= ~Eecd.AUTO_RD;
        }
        if (software) {
            mac[PBA >> 2] = pba;
            mac[PBS >> 2] = pbs;
            mac[FLA >> 2] = fla;
        }
        // RAL0/RAH0 = permanent address, valid (QEMU e1000x_reset_mac_addr)
        byte[] m = permanentMac;
        mac[RAL0 >> 2] = (m[0] & 0xFF) | (m[1] & 0xFF) << 8 | (m[2] & 0xFF) << 16 | (m[3] & 0xFF) << 24;
        mac[RAH0 >> 2] = (m[4] & 0xFF) | (m[5] & 0xFF) << 8 | RAH_AV;
        phy.reset();
        itrGuest = 0;
        Arrays.fill(eitrGuest, 0);
        for (int i = 0; i < E82574Model.MSIX_VECTORS; i++) {
            mac[(EITR0 >> 2) + i] = 500;
        }
        interrupts.reset();
        core.inReset = false;
        tx.reset();
        rx.clear();
        core.txHung = false;
        core.faults.deviceReset();
        if (!link.carrier()) {
            mac[STATUS >> 2] &= ~Status.LU;
            phy.set(Phy.BMSR, phy.get(Phy.BMSR) & ~(Phy.BMSR_LSTATUS | Phy.BMSR_ANEGCOMPLETE));
        }
        if (core.stormOn) {
            mac[ICR >> 2] |= Icr.LSC;
        }
        interrupts.updateInterruptState();
    }

    /** Ends every timed operation (the model closes). */
    @Override
    public void cancelEvents() {
        nvmPort.cancel();
        link.reset();
        mdic.cancel();
    }

    /** STATUS as read: stored LU/PHYRA/ASDV plus speed, duplex and GIO master state (QEMU e1000e_get_status). */
    private int status() {
        int s = mac[STATUS >> 2];
        int ctrl = mac[CTRL >> 2];
        if ((ctrl & Ctrl.GIO_MASTER_DISABLE) == 0) {
            s |= Status.GIO_MASTER_ENABLE;
        }
        int bmcr = phy.get(Phy.BMCR);
        boolean an = (bmcr & Phy.BMCR_ANENABLE) != 0;
        if ((ctrl & Ctrl.FRCDPX) != 0) {
            s |= (ctrl & Ctrl.FD) != 0 ? Status.FD : 0;
        } else if (an || (bmcr & Phy.BMCR_FULLDPLX) != 0) {
            s |= Status.FD;
        }
        int speed;
        if ((ctrl & Ctrl.FRCSPD) != 0 || (mac[CTRL_EXT >> 2] & CtrlExt.SPD_BYPS) != 0) {
            speed = switch (ctrl & Ctrl.SPD_SEL) {
                case Ctrl.SPD_10 -> Status.SPEED_10;
                case Ctrl.SPD_100 -> Status.SPEED_100;
                default -> Status.SPEED_1000;
            };
        } else if (an || (bmcr & Phy.BMCR_SPEED_MSB) != 0) {
            speed = Status.SPEED_1000;
        } else {
            speed = (bmcr & Phy.BMCR_SPEED_LSB) != 0 ? Status.SPEED_100 : Status.SPEED_10;
        }
        return s | speed;
    }
}

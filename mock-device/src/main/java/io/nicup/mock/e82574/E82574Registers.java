package io.nicup.mock.e82574;

import io.nicup.mock.intel.IntelFault;
import io.nicup.mock.intel.IntelModel;
import io.nicup.mock.intel.IntelRegisterFile;

import java.util.Arrays;

import static io.nicup.mock.e82574.E82574RegisterTable.POWER_ON;
import static io.nicup.mock.e82574.E82574RegisterTable.REGISTERS;
import static io.nicup.mock.e82574.Regs.*;

/**
 * BAR0 of the 82574L as the driver reads and writes it: the special registers' side effects (CTRL,
 * STATUS, ICR and the interrupt masks, ITR/EITR, the tails, TARC, SWSM), writes ignored during CTRL.RST,
 * and the reset back to power-on values. Software reset (CTRL.RST) resets every register, the PHY, the
 * NVM auto-read state and the statistics, except PBA/PBS/FLA (QEMU 7.2.22, docs/hardware-reference.md B.10).
 */
final class E82574Registers extends IntelRegisterFile<Phy> {

    private final E82574Interrupts interrupts;
    private int itrGuest;

    E82574Registers(IntelModel.Engines engines, byte[] permanentMac, Nvm nvm, Phy phy, E82574Interrupts interrupts) {
        super(engines, REGISTERS, permanentMac, nvm, phy, () -> interrupts.setInterruptCause(Icr.MDAC), EITR0,
                E82574Model.MSIX_VECTORS);
        this.interrupts = interrupts;
    }

    @Override
    protected int readIcr() {
        return interrupts.readIcr();
    }

    @Override
    protected long readChipRegister(int offset) {
        return switch (offset) {
            case IMC -> 0;
            case ITR -> itrGuest;
            // QEMU e1000e_get_tarc: bits 10:0 and 30:27
            case TARC0, TARC0 + QUEUE_STRIDE -> mac[offset >> 2] & ((1 << 11) - 1 | 0x78000000) & 0xFFFFFFFFL;
            default -> -1L;
        };
    }

    @Override
    public void writeSpecial(int offset, int value) {
        if (writeShared(offset, value)) {
            return;
        }
        switch (offset) {
            case EEWR -> nvmPort.writeEewr(value);
            case CTRL_EXT -> mac[CTRL_EXT >> 2] = value & ~(CtrlExt.ASDCHK | CtrlExt.EE_RST);
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
            case TCTL -> {
                mac[TCTL >> 2] = value;
                for (int q = 0; q < 2; q++) {
                    startTransmit(q);
                }
            }
            case RDT0, RDT0 + QUEUE_STRIDE -> {
                mac[offset >> 2] = value & 0xFFFF;
                engines.rx().drain();
            }
            case TDT0, TDT0 + QUEUE_STRIDE -> {
                mac[offset >> 2] = value & 0xFFFF;
                startTransmit((offset - TDT0) / QUEUE_STRIDE);
            }
            case TARC0, TARC0 + QUEUE_STRIDE -> mac[offset >> 2] = value;
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
            engines.tx().start(q);
        }
    }

    /**
     * A BMCR write through MDIC (QEMU e1000e_set_phy_ctrl): RESET and RESTART_AN self-clear and restart
     * autonegotiation, like a real PHY (QEMU ignores RESET); turning autonegotiation off makes the link
     * follow the carrier.
     */
    @Override
    protected void writeBmcr(int data) {
        boolean wasAutoneg = phy.autonegEnabled();
        // bits 5:0 reserved; RESET and RESTART_AN self-clear
        phy.set(Phy.BMCR, data & ~(0x3F | Phy.BMCR_RESET | Phy.BMCR_ANRESTART));
        boolean restart = (data & (Phy.BMCR_ANRESTART | Phy.BMCR_RESET)) != 0;
        if (phy.autonegEnabled() && restart) {
            engines.link().restartAutoneg();
        } else if (wasAutoneg && !phy.autonegEnabled()) {
            // forced speed/duplex: link follows the carrier without negotiation
            engines.link().cancelAutoneg();
            if (engines.link().carrier()) {
                phy.link(true);
            }
        }
        engines.link().refresh(true);
    }

    // ------------------------------------------------------------------ reset (datasheet 4.6, docs/hardware-reference.md B.10)

    @Override
    protected void writeCtrl(int value) {
        if ((value & Ctrl.RST) != 0) {
            nvmPort.startSoftwareReset();
            return;
        }
        mac[CTRL >> 2] = value;
        if ((value & Ctrl.PHY_RST) != 0) {
            mac[STATUS >> 2] |= Status.PHYRA; // QEMU e1000e_set_ctrl
        }
        engines.link().refresh(true);
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
        cancelEvents();
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
        loadPermanentAddress();
        phy.reset();
        itrGuest = 0;
        Arrays.fill(eitrGuest, 0);
        for (int i = 0; i < E82574Model.MSIX_VECTORS; i++) {
            mac[(EITR0 >> 2) + i] = 500;
        }
        interrupts.reset();
        core.inReset = false;
        engines.tx().reset();
        engines.rx().clear();
        core.txHung = false;
        // checked before deviceReset(), which counts nothing this fault counts
        core.rarLost = software && (core.rarLost || core.faults.allFrames(IntelFault.RESET_LOSES_RAR));
        core.faults.deviceReset();
        if (!engines.link().carrier()) {
            mac[STATUS >> 2] &= ~Status.LU;
            phy.set(Phy.BMSR, phy.get(Phy.BMSR) & ~(Phy.BMSR_LSTATUS | Phy.BMSR_ANEGCOMPLETE));
        }
        if (core.stormOn) {
            mac[ICR >> 2] |= Icr.LSC;
        }
        interrupts.updateInterruptState();
    }

    /** STATUS as read: stored LU/PHYRA/ASDV plus speed, duplex and GIO master state (QEMU e1000e_get_status). */
    @Override
    protected int status() {
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

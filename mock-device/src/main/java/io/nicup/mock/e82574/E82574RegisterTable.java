package io.nicup.mock.e82574;

import io.nicup.mock.intel.Eerd;
import io.nicup.mock.intel.RegisterTable;

import static io.nicup.mock.e82574.Regs.*;

/**
 * The 82574L's BAR0 as a table: which offsets are plain storage (with their writable bits), read-only,
 * statistics or special (handled by {@link E82574Registers}), and the power-on values QEMU 7.2's
 * e1000e gives them. Offsets come from {@link Regs}, written from the datasheet.
 */
final class E82574RegisterTable {

    private E82574RegisterTable() {
    }

    static final RegisterTable REGISTERS = new RegisterTable(E82574Model.BAR0_SIZE);
    /** Power-on values: pairs of (offset, value). */
    static final int[] POWER_ON = {
        CTRL, Ctrl.POWER_ON,
        STATUS, Status.ASDV_1000 | Status.LU,
        EECD, Eecd.POWER_ON,
        EERD, Eerd.DONE,
        EEWR, Eerd.DONE,
        LEDCTL, 0x00068302,
        EXTCNF_CTRL, 0x8,
        EEMNGCTL, 0x80000000,
        RXDCTL0, 0x10000,
        RXDCTL0 + QUEUE_STRIDE, 0x10000,
        TIPG, TIPG_POWER_ON,
        PSRCTL, 0x00040402,
        TARC0, TARC_POWER_ON,
        TARC0 + QUEUE_STRIDE, TARC_POWER_ON,
        GCR, 0x200,
        TDFH, 0x600, TDFT, 0x600, TDFHS, 0x600, TDFTS, 0x600,
        POEMB, 0x30D,
        PBS, 0x28,
        PBA, 0x00140014,
        SWSM, 1,
        RXCSUM, 0x300,
        ITR, 500,
    };
    static {
        for (int off : new int[] {CTRL, CTRL_DUP, STATUS, EECD, EERD, CTRL_EXT, MDIC, ICR, ITR, ICS, IMS, IMC,
            RCTL, TCTL, EEWR, SWSM}) {
            REGISTERS.special(off);
        }
        for (int i = 0; i < 5; i++) {
            REGISTERS.special(EITR0 + 4 * i);
        }
        REGISTERS.plain(FLA, ~0);
        REGISTERS.plain(FCAL, ~0);
        REGISTERS.plain(FCAH, 0xFFFF);
        REGISTERS.plain(FCT, 0xFFFF);
        REGISTERS.plain(VET, 0xFFFF);
        REGISTERS.plain(EIAC, ~0);
        REGISTERS.plain(IAM, ~0);
        REGISTERS.plain(IVAR, ~0);
        REGISTERS.plain(FCTTV, 0xFFFF);
        REGISTERS.plain(TXCW, ~0);
        REGISTERS.readOnly(RXCW);
        REGISTERS.plain(TCTL_EXT, ~0);
        REGISTERS.plain(TIPG, 0x3FFFFFFF);
        REGISTERS.plain(AIT, 0xFFFF);
        REGISTERS.plain(LEDCTL, ~0);
        REGISTERS.plain(EXTCNF_CTRL, ~0);
        REGISTERS.plain(EXTCNF_SIZE, ~0);
        REGISTERS.plain(POEMB, ~0);
        REGISTERS.plain(PBA, ~0);
        REGISTERS.plain(PBS, ~0);
        REGISTERS.plain(EEMNGCTL, ~0);
        REGISTERS.plain(ERT, ~0);
        REGISTERS.plain(FCRTL, 0x8000FFF8);
        REGISTERS.plain(FCRTH, 0xFFF8);
        REGISTERS.plain(PSRCTL, ~0);
        for (int off : new int[] {RDFH, RDFT, RDFHS, RDFTS, RDFPC, TDFH, TDFT, TDFHS, TDFTS, TDFPC}) {
            REGISTERS.plain(off, 0x1FFF);
        }
        for (int q = 0; q < 2; q++) {
            REGISTERS.plain(rdbal(q), XDBAL_MASK);
            REGISTERS.plain(rdbah(q), ~0);
            REGISTERS.plain(rdlen(q), XDLEN_MASK);
            REGISTERS.plain(rdh(q), 0xFFFF);
            REGISTERS.special(rdt(q));
            REGISTERS.plain(RXDCTL0 + QUEUE_STRIDE * q, ~0);
            REGISTERS.plain(tdbal(q), XDBAL_MASK);
            REGISTERS.plain(tdbah(q), ~0);
            REGISTERS.plain(tdlen(q), XDLEN_MASK);
            REGISTERS.plain(tdh(q), 0xFFFF);
            REGISTERS.special(tdt(q));
            REGISTERS.plain(TXDCTL0 + QUEUE_STRIDE * q, ~0);
            REGISTERS.special(tarc(q));
        }
        REGISTERS.plain(RDTR, 0xFFFF);
        REGISTERS.plain(RADV, 0xFFFF);
        REGISTERS.plain(RSRPD, 0xFFF);
        REGISTERS.plain(RAID, 0xFFFF);
        REGISTERS.plain(TIDV, 0xFFFF);
        REGISTERS.plain(TADV, 0xFFFF);
        for (int off = CRCERRS; off <= ICRXOC; off += 4) {
            if (off == 0x04024 || off == 0x04044 || off == 0x04084 || off == 0x04098 || off == 0x0409C
                    || off == 0x04114) {
                continue; // reserved holes in the statistics block
            }
            REGISTERS.statistic(off);
        }
        for (int lo : new int[] {GORCL, GOTCL, TORL, TOTL}) {
            REGISTERS.octetCounter(lo);
        }
        REGISTERS.plain(RXCSUM, ~0);
        REGISTERS.plain(RFCTL, ~0);
        for (int i = 0; i < MTA_ENTRIES; i++) {
            REGISTERS.plain(mta(i), ~0);
            REGISTERS.plain(VFTA0 + 4 * i, ~0);
        }
        for (int i = 0; i < RAR_ENTRIES; i++) {
            REGISTERS.plain(ral(i), ~0);
            REGISTERS.special(rah(i));
        }
        for (int off : new int[] {WUC, WUFC, WUS, MRQC, MANC, IPAV, MANC2H, GCR, FACTPS, GCR2}) {
            REGISTERS.plain(off, ~0);
        }
        REGISTERS.plain(PBACLR, 0x1F);
        REGISTERS.readOnly(FWSM);
        for (int i = 0; i < 8; i++) {
            REGISTERS.plain(0x05890 + 4 * i, ~0); // MDEF
        }
        for (int i = 0; i < 7; i++) {
            REGISTERS.plain(0x05840 + 4 * i, ~0); // IP4AT
        }
        for (int i = 0; i < 4; i++) {
            REGISTERS.plain(0x05880 + 4 * i, ~0); // IP6AT
        }
        for (int i = 0; i < 32; i++) {
            REGISTERS.plain(RETA0 + 4 * i, ~0);
            REGISTERS.plain(0x05A00 + 4 * i, ~0); // WUPM
        }
        for (int i = 0; i < 10; i++) {
            REGISTERS.plain(RSSRK0 + 4 * i, ~0);
        }
    }
}

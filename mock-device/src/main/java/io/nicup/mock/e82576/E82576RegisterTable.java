package io.nicup.mock.e82576;

import io.nicup.mock.intel.RegisterTable;

import static io.nicup.mock.e82576.Regs.*;

/**
 * The 82576's BAR0 as a table: which offsets are plain storage (with their writable bits), read-only,
 * statistics or special (handled by {@link E82576Registers}). Offsets come from {@link Regs}, written
 * from the datasheet; queue registers at their canonical place.
 */
final class E82576RegisterTable {

    private E82576RegisterTable() {
    }

    static final RegisterTable REGISTERS = new RegisterTable(E82576Model.BAR0_SIZE);
    /** TCTL at power-on, as QEMU igb_mac_reg_init sets it. */
    static final int TCTL_POWER_ON = Tctl.PSP | 0xF << 4 | 0x40 << 12 | 1 << 26 | 0xA << 28;

    static {
        for (int off : new int[] {CTRL, CTRL_DUP, STATUS, EECD, EERD, CTRL_EXT, MDIC, ICR, ICS, IMS, IMC, RCTL, TCTL,
            EICS, EIMS, EIMC, EIAC, EICR, SWSM}) {
            REGISTERS.special(off);
        }
        for (int i = 0; i < MSIX_VECTORS; i++) {
            REGISTERS.special(EITR0 + 4 * i);
        }
        int[][] plain = {{FLA, ~0}, {FCAL, ~0}, {FCAH, 0xFFFF}, {FCT, 0xFFFF}, {VET, ~0}, {IAM, ~0}, {ITR, 0xFFFF},
            {FCTTV, 0xFFFF}, {TCTL_EXT, ~0}, {TIPG, 0x3FFFFFFF}, {LEDCTL, ~0}, {EEMNGCTL, ~0}, {GPIE, ~0}, {EIAM, ~0},
            {IVAR_MISC, 0xFFFF}, {FCRTL, 0x8000FFF8}, {FCRTH, 0xFFF8}, {RXPBS, 0x7F}, {TXPBS, 0x3F}, {RXCSUM, ~0},
            {RLPML, 0x3FFF}, {RFCTL, ~0}, {WUC, ~0}, {WUFC, ~0}, {MRQC, ~0}, {MANC, ~0}, {GCR, ~0}, {SW_FW_SYNC, ~0}};
        for (int[] p : plain) {
            REGISTERS.plain(p[0], p[1]);
        }
        REGISTERS.readOnly(FWSM);
        for (int i = 0; i < 8; i++) {
            REGISTERS.plain(IVAR0 + 4 * i, ~0);
        }
        for (int q = 0; q < QUEUES; q++) {
            REGISTERS.plain(rdbal(q), 0xFFFFFF80);
            REGISTERS.plain(rdbah(q), ~0);
            REGISTERS.plain(rdlen(q), 0xFFFF0);
            REGISTERS.plain(srrctl(q), ~0);
            REGISTERS.plain(rdh(q), 0xFFFF);
            REGISTERS.special(rdt(q));
            REGISTERS.special(rxdctl(q));
            REGISTERS.statistic(rqdpc(q));
            REGISTERS.plain(tdbal(q), 0xFFFFFF80);
            REGISTERS.plain(tdbah(q), ~0);
            REGISTERS.plain(tdlen(q), 0xFFFF0);
            REGISTERS.plain(tdh(q), 0xFFFF);
            REGISTERS.special(tdt(q));
            REGISTERS.special(txdctl(q));
            REGISTERS.plain(tdwbal(q), ~0);
            REGISTERS.plain(tdwbah(q), ~0);
        }
        for (int off = CRCERRS; off <= STATS_END; off += 4) {
            REGISTERS.statistic(off);
        }
        for (int lo : new int[] {GORCL, GOTCL, TORL, TOTL}) {
            REGISTERS.octetCounter(lo);
        }
        for (int i = 0; i < MTA_ENTRIES; i++) {
            REGISTERS.plain(mta(i), ~0);
            REGISTERS.plain(VFTA0 + 4 * i, ~0);
        }
        for (int i = 0; i < RAR_ENTRIES; i++) {
            REGISTERS.plain(ral(i), ~0);
            REGISTERS.special(rah(i));
        }
        for (int i = 0; i < 32; i++) {
            REGISTERS.plain(RETA0 + 4 * i, ~0);
        }
        for (int i = 0; i < 10; i++) {
            REGISTERS.plain(RSSRK0 + 4 * i, ~0);
        }
    }
}

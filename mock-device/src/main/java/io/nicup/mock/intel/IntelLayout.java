package io.nicup.mock.intel;

/**
 * Where a chip keeps the registers and bits the shared engines use, taken from the chip's own register
 * map (written from its datasheet, never from the driver's constants): the offsets of CTRL, STATUS,
 * EECD, EERD, EEWR, MDIC, RCTL, TCTL, RAL0/RAH0 and of the receive statistics the engines count, and the bits the
 * engines test ({@code eecdReadOnly}: the EECD bits a write keeps).
 */
public record IntelLayout(int ctrl, int status, int eecd, int eerd, int eewr, int mdic, int rctl, int tctl,
        int ruc, int roc, int rnbc, int mpc,
        int ctrlRst, int ctrlSlu, int statusLu, int statusPhyra, int eecdAutoRd, int eecdReadOnly,
        int rctlEn, int rctlSbp, int rctlSecrc, int rctlLbmMask, int tctlEn, int tctlPsp,
        int ral0, int rah0, int rahAv) {
}

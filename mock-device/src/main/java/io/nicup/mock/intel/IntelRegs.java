package io.nicup.mock.intel;

/**
 * The BAR0 registers the 82574L and the 82576 keep at the same offset, written from the two datasheets
 * (82574 GbE Controller datasheet section 10, 82576 datasheet section 8; Linux e1000e {@code regs.h} and
 * igb {@code e1000_regs.h} agree, docs/hardware-reference.md B.2, B.3). Each chip's {@code Regs} extends
 * this with what it has alone, so a chip's code names every register through its own map. Like the chips'
 * maps, this never uses the driver's constants: a mock built from them could not catch a wrong offset.
 */
public abstract class IntelRegs {

    protected IntelRegs() {
    }

    public static final int CTRL = 0x00000;
    /** Alias of CTRL (QEMU {@code CTRL_DUP}). */
    public static final int CTRL_DUP = 0x00004;
    public static final int STATUS = 0x00008;
    public static final int EECD = 0x00010;
    public static final int EERD = 0x00014;
    public static final int CTRL_EXT = 0x00018;
    public static final int FLA = 0x0001C;
    public static final int MDIC = 0x00020;
    public static final int FCAL = 0x00028;
    public static final int FCAH = 0x0002C;
    public static final int FCT = 0x00030;
    public static final int VET = 0x00038;
    public static final int ICR = 0x000C0;
    public static final int ITR = 0x000C4;
    public static final int ICS = 0x000C8;
    public static final int IMS = 0x000D0;
    public static final int IMC = 0x000D8;
    public static final int IAM = 0x000E0;
    public static final int RCTL = 0x00100;
    public static final int FCTTV = 0x00170;
    public static final int TCTL = 0x00400;
    public static final int TCTL_EXT = 0x00404;
    public static final int TIPG = 0x00410;
    public static final int LEDCTL = 0x00E00;
    public static final int EEMNGCTL = 0x01010;
    public static final int FCRTL = 0x02160;
    public static final int FCRTH = 0x02168;
    public static final int CRCERRS = 0x04000;
    public static final int MPC = 0x04010;
    public static final int COLC = 0x04028;
    public static final int PRC64 = 0x0405C;
    public static final int GPRC = 0x04074;
    public static final int BPRC = 0x04078;
    public static final int MPRC = 0x0407C;
    public static final int GPTC = 0x04080;
    public static final int GORCL = 0x04088;
    public static final int GORCH = 0x0408C;
    public static final int GOTCL = 0x04090;
    public static final int GOTCH = 0x04094;
    public static final int RNBC = 0x040A0;
    public static final int RUC = 0x040A4;
    public static final int ROC = 0x040AC;
    public static final int TORL = 0x040C0;
    public static final int TOTL = 0x040C8;
    public static final int TPR = 0x040D0;
    public static final int TPT = 0x040D4;
    public static final int PTC64 = 0x040D8;
    public static final int MPTC = 0x040F0;
    public static final int BPTC = 0x040F4;
    public static final int IAC = 0x04100;
    public static final int RXCSUM = 0x05000;
    public static final int RFCTL = 0x05008;
    /** MTA[i] = MTA0 + 4i, i = 0..127. */
    public static final int MTA0 = 0x05200;
    public static final int MTA_ENTRIES = 128;
    /** RAL(i) = 0x05400 + 8i, RAH(i) = 0x05404 + 8i, i = 0..15. */
    public static final int RAL0 = 0x05400;
    public static final int RAH0 = 0x05404;
    /** VFTA[i] = VFTA0 + 4i, i = 0..127. */
    public static final int VFTA0 = 0x05600;
    public static final int WUC = 0x05800;
    public static final int WUFC = 0x05808;
    public static final int MRQC = 0x05818;
    public static final int MANC = 0x05820;
    public static final int GCR = 0x05B00;
    public static final int SWSM = 0x05B50;
    public static final int FWSM = 0x05B54;
    /** RETA[i] = 0x05C00 + 4i (32 entries); RSSRK[i] = 0x05C80 + 4i (10 entries). */
    public static final int RETA0 = 0x05C00;
    public static final int RSSRK0 = 0x05C80;
    /** RAH: address valid. */
    public static final int RAH_AV = 0x80000000;
}

package io.nicup.mock.e82576;

import io.nicup.mock.intel.IntelLayout;

/**
 * 82576 register offsets in BAR0 and their bits as the model implements them, named as in the Intel
 * 82576 datasheet (section 8) and Linux igb {@code e1000_regs.h} / {@code e1000_defines.h}; QEMU's
 * {@code hw/net/igb_regs.h} agrees. Queue registers are kept at their canonical place ({@code 0xC000 +
 * 0x40 n} receive, {@code 0xE000 + 0x40 n} transmit); the 82575-compatible block of queues 0-3
 * ({@code 0x2800 + 0x100 n}, {@code 0x3800 + 0x100 n}) is an alias ({@link #canonical}).
 */
public final class Regs {

    private Regs() {
    }

    public static final int CTRL = 0x00000;
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
    public static final int GPIE = 0x01514;
    public static final int EICS = 0x01520;
    public static final int EIMS = 0x01524;
    public static final int EIMC = 0x01528;
    public static final int EIAC = 0x0152C;
    public static final int EIAM = 0x01530;
    public static final int EICR = 0x01580;
    public static final int EITR0 = 0x01680;
    public static final int IVAR0 = 0x01700;
    public static final int IVAR_MISC = 0x01740;
    public static final int FCRTL = 0x02160;
    public static final int FCRTH = 0x02168;
    public static final int RXPBS = 0x02404;
    public static final int TXPBS = 0x03404;
    public static final int RXCSUM = 0x05000;
    public static final int RLPML = 0x05004;
    public static final int RFCTL = 0x05008;
    public static final int MTA0 = 0x05200;
    public static final int MTA_ENTRIES = 128;
    public static final int RAL0 = 0x05400;
    public static final int RAH0 = 0x05404;
    /** Entries 16-23 of the receive address table. */
    public static final int RAL16 = 0x054E0;
    public static final int RAR_ENTRIES = 24;
    public static final int VFTA0 = 0x05600;
    public static final int WUC = 0x05800;
    public static final int WUFC = 0x05808;
    public static final int MRQC = 0x05818;
    public static final int MANC = 0x05820;
    public static final int GCR = 0x05B00;
    public static final int SWSM = 0x05B50;
    public static final int FWSM = 0x05B54;
    public static final int SW_FW_SYNC = 0x05B5C;
    public static final int RETA0 = 0x05C00;
    public static final int RSSRK0 = 0x05C80;

    /** Queues and MSI-X vectors of the physical function (QEMU IGB_NUM_QUEUES, IGB_MSIX_VEC_NUM). */
    public static final int QUEUES = 16;
    public static final int MSIX_VECTORS = 10;

    // canonical queue registers
    public static int rdbal(int q) {
        return 0x0C000 + 0x40 * q;
    }

    public static int rdbah(int q) {
        return 0x0C004 + 0x40 * q;
    }

    public static int rdlen(int q) {
        return 0x0C008 + 0x40 * q;
    }

    public static int srrctl(int q) {
        return 0x0C00C + 0x40 * q;
    }

    public static int rdh(int q) {
        return 0x0C010 + 0x40 * q;
    }

    public static int rdt(int q) {
        return 0x0C018 + 0x40 * q;
    }

    public static int rxdctl(int q) {
        return 0x0C028 + 0x40 * q;
    }

    public static int tdbal(int q) {
        return 0x0E000 + 0x40 * q;
    }

    public static int tdbah(int q) {
        return 0x0E004 + 0x40 * q;
    }

    public static int tdlen(int q) {
        return 0x0E008 + 0x40 * q;
    }

    public static int tdh(int q) {
        return 0x0E010 + 0x40 * q;
    }

    public static int tdt(int q) {
        return 0x0E018 + 0x40 * q;
    }

    public static int txdctl(int q) {
        return 0x0E028 + 0x40 * q;
    }

    public static int tdwbal(int q) {
        return 0x0E038 + 0x40 * q;
    }

    public static int tdwbah(int q) {
        return 0x0E03C + 0x40 * q;
    }

    /** The canonical offset of {@code offset}: queues 0-3 of the 82575-compatible block map to 0xC000/0xE000. */
    public static int canonical(int offset) {
        if (offset >= 0x02800 && offset < 0x02C00) {
            return 0x0C000 + ((offset - 0x02800) >> 8) * 0x40 + (offset & 0x3F);
        }
        if (offset >= 0x03800 && offset < 0x03C00) {
            return 0x0E000 + ((offset - 0x03800) >> 8) * 0x40 + (offset & 0x3F);
        }
        return offset;
    }

    public static int ral(int i) {
        return i < 16 ? RAL0 + 8 * i : RAL16 + 8 * (i - 16);
    }

    public static int rah(int i) {
        return ral(i) + 4;
    }

    public static int mta(int i) {
        return MTA0 + 4 * i;
    }

    // statistics
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
    /** Last register of the statistics block the model counts in. */
    public static final int STATS_END = 0x04124;

    /** CTRL bits. */
    public static final class Ctrl {
        private Ctrl() {
        }

        public static final int FD = 0x1;
        public static final int GIO_MASTER_DISABLE = 0x4;
        public static final int LRST = 0x8;
        public static final int SLU = 0x40;
        public static final int SPD_SEL = 0x300;
        public static final int SPD_10 = 0x000;
        public static final int SPD_100 = 0x100;
        public static final int SPD_1000 = 0x200;
        public static final int FRCSPD = 0x800;
        public static final int FRCDPX = 0x1000;
        public static final int RST = 0x04000000;
        public static final int PHY_RST = 0x80000000;
        /** Power-on value (QEMU igb_mac_reg_init: FD | LRST | SPD_1000 | ADVD3WUC). */
        public static final int POWER_ON = FD | LRST | SPD_1000 | 0x00100000;
    }

    /** STATUS bits. */
    public static final class Status {
        private Status() {
        }

        public static final int FD = 0x1;
        public static final int LU = 0x2;
        public static final int SPEED_10 = 0x00;
        public static final int SPEED_100 = 0x40;
        public static final int SPEED_1000 = 0x80;
        public static final int PHYRA = 0x400;
        public static final int GIO_MASTER_ENABLE = 0x80000;
    }

    /** EECD bits. */
    public static final class Eecd {
        private Eecd() {
        }

        public static final int PRES = 0x100;
        public static final int AUTO_RD = 0x200;
        public static final int SIZE_EX_SHIFT = 11;
        public static final int SIZE_EX_MASK = 0x7800;
        public static final int FWE_DIS = 0x10;
    }

    /** ICR causes. */
    public static final class Icr {
        private Icr() {
        }

        public static final int TXDW = 0x1;
        public static final int LSC = 0x4;
        public static final int RXDMT0 = 0x10;
        public static final int RXO = 0x40;
        public static final int RXDW = 0x80;
        public static final int MDAC = 0x200;
        public static final int DRSTA = 0x40000000;
        public static final int INT_ASSERTED = 0x80000000;
        /** QEMU igb_set_ims. */
        public static final int IMS_VALID = 0x77D4FBFD;
    }

    /** GPIE bits. */
    public static final class Gpie {
        private Gpie() {
        }

        public static final int NSICR = 0x1;
        public static final int MSIX_MODE = 0x10;
    }

    /** RCTL bits. */
    public static final class Rctl {
        private Rctl() {
        }

        public static final int EN = 0x2;
        public static final int SBP = 0x4;
        public static final int UPE = 0x8;
        public static final int MPE = 0x10;
        public static final int LPE = 0x20;
        public static final int LBM_MAC = 0x40;
        public static final int LBM_MASK = 0xC0;
        public static final int MO_SHIFT = 12;
        public static final int MO_MASK = 0x3000;
        public static final int BAM = 0x8000;
        public static final int BSIZE_MASK = 0x30000;
        public static final int BSEX = 0x02000000;
        public static final int SECRC = 0x04000000;
    }

    /** TCTL bits. */
    public static final class Tctl {
        private Tctl() {
        }

        public static final int EN = 0x2;
        public static final int PSP = 0x8;
    }

    /** RXDCTL/TXDCTL. */
    public static final int QUEUE_ENABLE = 0x02000000;
    /** SRRCTL. */
    public static final int SRRCTL_BSIZEPKT_MASK = 0x7F;
    public static final int SRRCTL_RDMTS_SHIFT = 20;
    /** IVAR entries. */
    public static final int IVAR_VALID = 0x80;
    /** RAH. */
    public static final int RAH_AV = 0x80000000;

    /** Advanced transmit descriptor (read and write-back). */
    public static final class TxDesc {
        private TxDesc() {
        }

        public static final int SIZE = 16;
        public static final int BUFFER_ADDR = 0;
        public static final int CMD_TYPE_LEN = 8;
        public static final int OLINFO_STATUS = 12;
        public static final int WB_STATUS = 12;
        public static final int DTYP_MASK = 0x00F00000;
        public static final int DTYP_DATA = 0x00300000;
        public static final int DTYP_CTXT = 0x00200000;
        public static final int EOP = 0x01000000;
        public static final int IFCS = 0x02000000;
        public static final int RS = 0x08000000;
        public static final int DEXT = 0x20000000;
        public static final int STA_DD = 0x1;
    }

    /** Advanced receive descriptor (read and write-back). */
    public static final class RxDesc {
        private RxDesc() {
        }

        public static final int SIZE = 16;
        public static final int PKT_ADDR = 0;
        public static final int HDR_ADDR = 8;
        public static final int WB_LOWER = 0;
        public static final int WB_STATUS_ERROR = 8;
        public static final int WB_LENGTH = 12;
        public static final int STAT_DD = 0x1;
        public static final int STAT_EOP = 0x2;
    }

    /** The registers and bits of this map the shared engines use (the 82576 has no EEWR). */
    public static final IntelLayout LAYOUT = new IntelLayout(CTRL, STATUS, EECD, EERD, EERD, MDIC, RCTL, TCTL,
            RUC, ROC, RNBC, MPC, Ctrl.RST, Ctrl.SLU, Status.LU, Status.PHYRA, Eecd.AUTO_RD,
            Eecd.PRES | Eecd.AUTO_RD | Eecd.SIZE_EX_MASK,
            Rctl.EN, Rctl.SBP, Rctl.SECRC, Rctl.LBM_MASK, Tctl.EN, Tctl.PSP, RAL0, RAH0, RAH_AV);
}

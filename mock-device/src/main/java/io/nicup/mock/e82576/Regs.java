package io.nicup.mock.e82576;

import io.nicup.mock.intel.IntelLayout;
import io.nicup.mock.intel.IntelRegs;

/**
 * 82576 register offsets in BAR0 and their bits as the model implements them, named as in the Intel
 * 82576 datasheet (section 8) and Linux igb {@code e1000_regs.h} / {@code e1000_defines.h}; QEMU's
 * {@code hw/net/igb_regs.h} agrees. Queue registers are kept at their canonical place ({@code 0xC000 +
 * 0x40 n} receive, {@code 0xE000 + 0x40 n} transmit); the 82575-compatible block of queues 0-3
 * ({@code 0x2800 + 0x100 n}, {@code 0x3800 + 0x100 n}) is an alias ({@link #canonical}).
 */
public final class Regs extends IntelRegs {

    private Regs() {
    }

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
    public static final int RXPBS = 0x02404;
    public static final int TXPBS = 0x03404;
    public static final int RLPML = 0x05004;
    /** Entries 16-23 of the receive address table. */
    public static final int RAL16 = 0x054E0;
    public static final int RAR_ENTRIES = 24;
    public static final int SW_FW_SYNC = 0x05B5C;

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

    /** RQDPC[q]: packets queue q dropped (clear on read); docs/hardware-reference.md B.16. */
    public static int rqdpc(int q) {
        return 0x0C030 + 0x40 * q;
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
        /** Context type_tucmd_mlhl: TUCMD.IPV4, L4T (00 UDP, 01 TCP, 10 SCTP). */
        public static final int TUCMD_IPV4 = 0x00000400;
        public static final int L4T_MASK = 0x00001800;
        public static final int L4T_TCP = 0x00000800;
        /** Data descriptor DCMD.TSE; PAYLEN at olinfo_status 31:14 (docs/hardware-reference.md B.17). */
        public static final int TSE = 0x80000000;
        public static final int PAYLEN_SHIFT = 14;
        /** Context mss_l4len_idx: L4LEN 15:8, MSS 31:16. */
        public static final int MSS_L4LEN_IDX = 12;
    }

    /**
     * MRQC (docs/hardware-reference.md B.16): MRQE in bits 2:0 (010b: RSS only; other modes are not
     * modelled and leave every frame on queue 0) and the RSS field enables in bits 24:16.
     */
    public static final class Mrqc {
        private Mrqc() {
        }

        public static final int MRQE_MASK = 0x7;
        public static final int MRQE_RSS = 0x2;
        public static final int TCP_IPV4 = 1 << 16;
        public static final int IPV4 = 1 << 17;
        public static final int TCP_IPV6_EX = 1 << 18;
        public static final int IPV6_EX = 1 << 19;
        public static final int IPV6 = 1 << 20;
        public static final int TCP_IPV6 = 1 << 21;
        public static final int UDP_IPV4 = 1 << 22;
        public static final int UDP_IPV6 = 1 << 23;
        public static final int UDP_IPV6_EX = 1 << 24;
    }

    /** RXCSUM.PCSD: the write-back's dword 1 carries the RSS hash instead of the fragment checksum. */
    public static final int RXCSUM_PCSD = 1 << 13;

    /** Advanced receive descriptor (read and write-back). */
    public static final class RxDesc {
        private RxDesc() {
        }

        /** Write-back dword 1: the RSS hash (with RXCSUM.PCSD). */
        public static final int WB_RSS_HASH = 4;
        /** Write-back dword 0 bits 3:0, the RSS type (docs/hardware-reference.md B.16). */
        public static final int RSS_TYPE_NONE = 0x0;
        public static final int RSS_TYPE_TCP_IPV4 = 0x1;
        public static final int RSS_TYPE_IPV4 = 0x2;
        public static final int RSS_TYPE_TCP_IPV6 = 0x3;
        public static final int RSS_TYPE_IPV6 = 0x5;
        public static final int RSS_TYPE_UDP_IPV4 = 0x7;
        public static final int RSS_TYPE_UDP_IPV6 = 0x8;
        /** Write-back dword 0 bits 16:4, the packet type, at their place in the dword. */
        public static final int PKT_IPV4 = 0x010;
        public static final int PKT_IPV4_EX = 0x020;
        public static final int PKT_IPV6 = 0x040;
        public static final int PKT_IPV6_EX = 0x080;
        public static final int PKT_TCP = 0x100;
        public static final int PKT_UDP = 0x200;

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

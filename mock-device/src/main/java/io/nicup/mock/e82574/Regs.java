package io.nicup.mock.e82574;

import io.nicup.mock.intel.IntelLayout;
import io.nicup.mock.intel.IntelRegs;

/**
 * 82574L register offsets in BAR0 and their bits, named as in the Intel 82574 GbE Controller
 * datasheet (section 10) and Linux {@code drivers/net/ethernet/intel/e1000e/regs.h}/{@code defines.h};
 * QEMU {@code hw/net/e1000_regs.h} uses the same values (docs/hardware-reference.md B.2, B.3).
 */
public final class Regs extends IntelRegs {

    private Regs() {
    }

    // ---------------------------------------------------------------- general (datasheet 10.2.2)
    public static final int EIAC = 0x000DC;
    public static final int IVAR = 0x000E4;
    /** EITR(n) = EITR0 + 4n, n = 0..4. */
    public static final int EITR0 = 0x000E8;
    public static final int TXCW = 0x00178;
    public static final int RXCW = 0x00180;
    public static final int AIT = 0x00458;
    public static final int EXTCNF_CTRL = 0x00F00;
    public static final int EXTCNF_SIZE = 0x00F08;
    public static final int POEMB = 0x00F10;
    public static final int PBA = 0x01000;
    public static final int PBS = 0x01008;
    public static final int EEWR = 0x0102C;
    public static final int ERT = 0x02008;
    public static final int PSRCTL = 0x02170;
    public static final int RDFH = 0x02410;
    public static final int RDFT = 0x02418;
    public static final int RDFHS = 0x02420;
    public static final int RDFTS = 0x02428;
    public static final int RDFPC = 0x02430;

    // ---------------------------------------------------------------- queues: queue n at base + 0x100 * n
    public static final int RDBAL0 = 0x02800;
    public static final int RDBAH0 = 0x02804;
    public static final int RDLEN0 = 0x02808;
    public static final int RDH0 = 0x02810;
    public static final int RDT0 = 0x02818;
    public static final int RDTR = 0x02820;
    public static final int RXDCTL0 = 0x02828;
    public static final int RADV = 0x0282C;
    public static final int RSRPD = 0x02C00;
    public static final int RAID = 0x02C08;
    public static final int TDFH = 0x03410;
    public static final int TDFT = 0x03418;
    public static final int TDFHS = 0x03420;
    public static final int TDFTS = 0x03428;
    public static final int TDFPC = 0x03430;
    public static final int TDBAL0 = 0x03800;
    public static final int TDBAH0 = 0x03804;
    public static final int TDLEN0 = 0x03808;
    public static final int TDH0 = 0x03810;
    public static final int TDT0 = 0x03818;
    public static final int TIDV = 0x03820;
    public static final int TXDCTL0 = 0x03828;
    public static final int TADV = 0x0382C;
    public static final int TARC0 = 0x03840;
    /** Distance between the registers of queue 0 and queue 1. */
    public static final int QUEUE_STRIDE = 0x100;

    public static int rdbal(int q) {
        return RDBAL0 + QUEUE_STRIDE * q;
    }

    public static int rdbah(int q) {
        return RDBAH0 + QUEUE_STRIDE * q;
    }

    public static int rdlen(int q) {
        return RDLEN0 + QUEUE_STRIDE * q;
    }

    public static int rdh(int q) {
        return RDH0 + QUEUE_STRIDE * q;
    }

    public static int rdt(int q) {
        return RDT0 + QUEUE_STRIDE * q;
    }

    public static int tdbal(int q) {
        return TDBAL0 + QUEUE_STRIDE * q;
    }

    public static int tdbah(int q) {
        return TDBAH0 + QUEUE_STRIDE * q;
    }

    public static int tdlen(int q) {
        return TDLEN0 + QUEUE_STRIDE * q;
    }

    public static int tdh(int q) {
        return TDH0 + QUEUE_STRIDE * q;
    }

    public static int tdt(int q) {
        return TDT0 + QUEUE_STRIDE * q;
    }

    public static int tarc(int q) {
        return TARC0 + QUEUE_STRIDE * q;
    }

    // ---------------------------------------------------------------- statistics (datasheet 10.2.6)
    public static final int ALGNERRC = 0x04004;
    public static final int SYMERRS = 0x04008;
    public static final int RXERRC = 0x0400C;
    public static final int SCC = 0x04014;
    public static final int ECOL = 0x04018;
    public static final int MCC = 0x0401C;
    public static final int LATECOL = 0x04020;
    public static final int DC = 0x04030;
    public static final int TNCRS = 0x04034;
    public static final int SEC = 0x04038;
    public static final int CEXTERR = 0x0403C;
    public static final int RLEC = 0x04040;
    public static final int XONRXC = 0x04048;
    public static final int XONTXC = 0x0404C;
    public static final int XOFFRXC = 0x04050;
    public static final int XOFFTXC = 0x04054;
    public static final int FCRUC = 0x04058;
    public static final int PRC127 = 0x04060;
    public static final int PRC255 = 0x04064;
    public static final int PRC511 = 0x04068;
    public static final int PRC1023 = 0x0406C;
    public static final int PRC1522 = 0x04070;
    public static final int RFC = 0x040A8;
    public static final int RJC = 0x040B0;
    public static final int MGTPRC = 0x040B4;
    public static final int MGTPDC = 0x040B8;
    public static final int MGTPTC = 0x040BC;
    public static final int TORH = 0x040C4;
    public static final int TOTH = 0x040CC;
    public static final int PTC127 = 0x040DC;
    public static final int PTC255 = 0x040E0;
    public static final int PTC511 = 0x040E4;
    public static final int PTC1023 = 0x040E8;
    public static final int PTC1522 = 0x040EC;
    public static final int TSCTC = 0x040F8;
    public static final int TSCTFC = 0x040FC;
    public static final int ICRXPTC = 0x04104;
    public static final int ICRXATC = 0x04108;
    public static final int ICTXPTC = 0x0410C;
    public static final int ICTXATC = 0x04110;
    public static final int ICTXQEC = 0x04118;
    public static final int ICTXQMTC = 0x0411C;
    public static final int ICRXDMTC = 0x04120;
    public static final int ICRXOC = 0x04124;

    // ---------------------------------------------------------------- receive filters and management
    public static final int RAR_ENTRIES = 16;
    public static final int WUS = 0x05810;
    public static final int IPAV = 0x05838;
    public static final int MANC2H = 0x05860;
    public static final int FACTPS = 0x05B30;
    public static final int GCR2 = 0x05B64;
    public static final int PBACLR = 0x05B68;

    public static int ral(int i) {
        return RAL0 + 8 * i;
    }

    public static int rah(int i) {
        return RAH0 + 8 * i;
    }

    public static int mta(int i) {
        return MTA0 + 4 * i;
    }

    // ---------------------------------------------------------------- bits
    /** CTRL bits (QEMU e1000_regs.h l.771-817, datasheet 10.2.2.1). */
    public static final class Ctrl {
        private Ctrl() {
        }

        public static final int FD = 0x1;
        public static final int GIO_MASTER_DISABLE = 0x4;
        public static final int LRST = 0x8;
        public static final int ASDE = 0x20;
        public static final int SLU = 0x40;
        public static final int ILOS = 0x80;
        public static final int SPD_SEL = 0x300;
        public static final int SPD_10 = 0x000;
        public static final int SPD_100 = 0x100;
        public static final int SPD_1000 = 0x200;
        public static final int FRCSPD = 0x800;
        public static final int FRCDPX = 0x1000;
        public static final int RST = 0x04000000;
        public static final int RFCE = 0x08000000;
        public static final int TFCE = 0x10000000;
        public static final int VME = 0x40000000;
        public static final int PHY_RST = 0x80000000;
        /** Power-on value observed on QEMU 7.2 (docs/hardware-reference.md B.1 [EMP]): FD, SLU, SPD_1000 and the SWDPIN/ADVD3WUC bits. */
        public static final int POWER_ON = 0x00140241;
    }

    /** STATUS bits. */
    public static final class Status {
        private Status() {
        }

        public static final int FD = 0x1;
        public static final int LU = 0x2;
        public static final int TXOFF = 0x10;
        public static final int SPEED_MASK = 0xC0;
        public static final int SPEED_10 = 0x00;
        public static final int SPEED_100 = 0x40;
        public static final int SPEED_1000 = 0x80;
        public static final int ASDV_1000 = 0x200;
        public static final int PHYRA = 0x400;
        public static final int GIO_MASTER_ENABLE = 0x80000;
    }

    /** EECD bits. */
    public static final class Eecd {
        private Eecd() {
        }

        public static final int PRES = 0x100;
        public static final int AUTO_RD = 0x200;
        public static final int SIZE_EX_MASK = 0x7800;
        /** QEMU's reset value (docs/hardware-reference.md B.3): PRES | AUTO_RD. */
        public static final int POWER_ON = PRES | AUTO_RD;
    }

    /** CTRL_EXT bits (Linux defines.h). */
    public static final class CtrlExt {
        private CtrlExt() {
        }

        public static final int ASDCHK = 0x1000;
        public static final int EE_RST = 0x2000;
        public static final int SPD_BYPS = 0x8000;
        public static final int EIAME = 0x01000000;
        public static final int IAME = 0x08000000;
        public static final int DRV_LOAD = 0x10000000;
        public static final int INT_TIMERS_CLEAR_ENA = 0x20000000;
        public static final int PBA_CLR = 0x80000000;
    }

    /** ICR/ICS/IMS/IMC bits (docs/hardware-reference.md B.3). */
    public static final class Icr {
        private Icr() {
        }

        public static final int TXDW = 0x1;
        public static final int TXQE = 0x2;
        public static final int LSC = 0x4;
        public static final int RXSEQ = 0x8;
        public static final int RXDMT0 = 0x10;
        public static final int RXO = 0x40;
        public static final int RXT0 = 0x80;
        public static final int MDAC = 0x200;
        public static final int TXD_LOW = 0x8000;
        public static final int SRPD = 0x10000;
        public static final int ACK = 0x20000;
        public static final int MNG = 0x40000;
        public static final int RXQ0 = 0x100000;
        public static final int RXQ1 = 0x200000;
        public static final int TXQ0 = 0x400000;
        public static final int TXQ1 = 0x800000;
        public static final int OTHER = 0x1000000;
        public static final int INT_ASSERTED = 0x80000000;
        /** Causes that raise OTHER in MSI-X mode (QEMU {@code E1000_ICR_OTHER_CAUSES}). */
        public static final int OTHER_CAUSES = LSC | RXO | MDAC | SRPD | ACK | MNG;
        /**
         * Bits IMS can hold: every cause bit 0-24. Wider than QEMU 7.2's list (which omits RXSEQ and the
         * reserved bits 5 and 8) because Linux's {@code ethtool -t} interrupt test sets and fires each of
         * bits 0-9 on an 82574 and expects every one to interrupt.
         */
        public static final int IMS_VALID = 0x01FFFFFF;
    }

    /** IVAR layout (docs/hardware-reference.md B.3): 4-bit entries, vector in bits 2:0, VALID 0x8; bit 31 TX_INT_EVERY_WB. */
    public static final class Ivar {
        private Ivar() {
        }

        public static final int RXQ0_SHIFT = 0;
        public static final int RXQ1_SHIFT = 4;
        public static final int TXQ0_SHIFT = 8;
        public static final int TXQ1_SHIFT = 12;
        public static final int OTHER_SHIFT = 16;
        public static final int VALID = 0x8;
        public static final int VECTOR_MASK = 0x7;
        public static final int TX_INT_EVERY_WB = 0x80000000;
    }

    /** RCTL bits (QEMU e1000_regs.h l.711-748). */
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
        public static final int RDMTS_SHIFT = 8;
        public static final int RDMTS_MASK = 0x300;
        public static final int DTYP_MASK = 0xC00;
        public static final int DTYP_PS = 0x400;
        public static final int MO_SHIFT = 12;
        public static final int MO_MASK = 0x3000;
        public static final int BAM = 0x8000;
        public static final int BSIZE_MASK = 0x30000;
        public static final int VFE = 0x40000;
        public static final int BSEX = 0x02000000;
        public static final int SECRC = 0x04000000;
        public static final int FLXBUF_MASK = 0x78000000;
        public static final int FLXBUF_SHIFT = 27;
    }

    /** TCTL bits. */
    public static final class Tctl {
        private Tctl() {
        }

        public static final int EN = 0x2;
        public static final int PSP = 0x8;
        public static final int CT_SHIFT = 4;
        public static final int COLD_SHIFT = 12;
        public static final int RTLC = 0x01000000;
    }

    /** RAH bits that exist: AV, ASEL (17:16), address bytes 4-5 (15:0); ethtool's register test mask. */
    public static final int RAH_MASK = 0x8003FFFF;
    /** TARC: QEMU's transmit enable bit (docs/hardware-reference.md B.7.2). */
    public static final int TARC_ENABLE = 1 << 10;
    /** TARC power-on value (QEMU {@code 0x3 | E1000_TARC_ENABLE}). */
    public static final int TARC_POWER_ON = 0x403;
    /** RFCTL: extended RX descriptors. */
    public static final int RFCTL_EXTEN = 0x8000;
    /** RXCSUM.PCSD (docs/hardware-reference.md B.18): the extended write-back carries the RSS hash and MRQ, not the IP ID. */
    public static final int RXCSUM_PCSD = 1 << 13;

    /** MRQC (docs/hardware-reference.md B.18): the enable in bits 1:0 (01b = RSS) and the hash field enables. */
    public static final class Mrqc {
        private Mrqc() {
        }

        public static final int ENABLE_MASK = 0x3;
        public static final int ENABLE_RSS = 0x1;
        public static final int TCP_IPV4 = 1 << 16;
        public static final int IPV4 = 1 << 17;
        public static final int TCP_IPV6 = 1 << 18;
        public static final int IPV6_EX = 1 << 19;
        public static final int IPV6 = 1 << 20;
    }
    /** Ring length registers keep bits 19:7 ({@code E1000_XDLEN_MASK}); base-low keeps 31:4 ({@code E1000_XDBAL_MASK}). */
    public static final int XDLEN_MASK = 0x000FFF80;
    public static final int XDBAL_MASK = 0xFFFFFFF0;
    /** TIPG power-on value (docs/hardware-reference.md B.3): IPGT 8, IPGR1 8, IPGR2 6. */
    public static final int TIPG_POWER_ON = 0x00602008;

    /** The registers and bits of this map the shared engines use. */
    public static final IntelLayout LAYOUT = new IntelLayout(CTRL, STATUS, EECD, EERD, EEWR, MDIC, RCTL, TCTL,
            RUC, ROC, RNBC, MPC, Ctrl.RST, Ctrl.SLU, Status.LU, Status.PHYRA, Eecd.AUTO_RD,
            Eecd.PRES | Eecd.AUTO_RD | Eecd.SIZE_EX_MASK,
            Rctl.EN, Rctl.SBP, Rctl.SECRC, Rctl.LBM_MASK, Tctl.EN, Tctl.PSP, RAL0, RAH0, RAH_AV);
}

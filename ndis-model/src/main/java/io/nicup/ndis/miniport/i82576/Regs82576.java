package io.nicup.ndis.miniport.i82576;

/**
 * Register offsets in BAR0 of the Intel 82576, named as in the 82576 datasheet (section 8, "Programming
 * Interface") and in Linux {@code drivers/net/ethernet/intel/igb/e1000_regs.h}, whose macros these
 * follow value for value. Offsets are bytes from the start of BAR0, for {@link io.nicup.vfio.RegisterSpace}.
 *
 * <p>Per-queue registers are functions of the queue index with the datasheet's upper-case names. Queues
 * 0-3 have a legacy (82575-compatible) block at {@code 0x2800 + 0x100 n} (receive) and {@code 0x3800 +
 * 0x100 n} (transmit); queues 4-15 only the new block at {@code 0xC000 + 0x40 n} / {@code 0xE000 + 0x40 n},
 * which also aliases queues 0-3 (QEMU {@code igb_core.c mac_reg_access}). Linux uses the legacy block
 * for 0-3, and so does this driver.
 */
public final class Regs82576 {

    private Regs82576() {
    }

    /** Receive and transmit queues of the 82576 (QEMU {@code IGB_NUM_QUEUES}). */
    public static final int QUEUES = 16;
    /** MSI-X vectors of the physical function (QEMU {@code IGB_MSIX_VEC_NUM}, datasheet: 25 with IOV off). */
    public static final int MSIX_VECTORS = 10;

    // ---- General ----------------------------------------------------------------------------------
    /** Device Control. Bits: {@link Ctrl}. */
    public static final int CTRL = 0x00000;
    /** Device Status. Bits: {@link Status}. */
    public static final int STATUS = 0x00008;
    /** EEPROM/Flash Control. Bits: {@link Eecd}. */
    public static final int EECD = 0x00010;
    /** EEPROM Read. Bits: {@link io.nicup.ndis.miniport.intel.Eerd}. */
    public static final int EERD = 0x00014;
    /** Extended Device Control. */
    public static final int CTRL_EXT = 0x00018;
    /** MDI Control: PHY register access. Bits: {@link io.nicup.ndis.miniport.intel.Mdic}. */
    public static final int MDIC = 0x00020;
    /** VLAN Ether Type. */
    public static final int VET = 0x00038;

    // ---- Interrupts: legacy causes (bits: Icr) and extended (MSI-X) causes ---------------------------
    /** Interrupt Cause Read. */
    public static final int ICR = 0x000C0;
    /** Interrupt Throttling Rate (non-MSI-X). */
    public static final int ITR = 0x000C4;
    /** Interrupt Cause Set. */
    public static final int ICS = 0x000C8;
    /** Interrupt Mask Set/Read. */
    public static final int IMS = 0x000D0;
    /** Interrupt Mask Clear. */
    public static final int IMC = 0x000D8;
    /** Interrupt Acknowledge Auto Mask. */
    public static final int IAM = 0x000E0;
    /** General Purpose Interrupt Enable. Bits: {@link Gpie}. */
    public static final int GPIE = 0x01514;
    /** Extended Interrupt Cause Set: one bit per MSI-X vector. */
    public static final int EICS = 0x01520;
    /** Extended Interrupt Mask Set/Read. */
    public static final int EIMS = 0x01524;
    /** Extended Interrupt Mask Clear. */
    public static final int EIMC = 0x01528;
    /** Extended Interrupt Auto Clear. */
    public static final int EIAC = 0x0152C;
    /** Extended Interrupt Auto Mask. */
    public static final int EIAM = 0x01530;
    /** Extended Interrupt Cause Read (clear on read; write one to clear). */
    public static final int EICR = 0x01580;
    /** Miscellaneous Interrupt Vector Allocation: bits 15:8 route the causes of ICR ("other"). */
    public static final int IVAR_MISC = 0x01740;

    /** Extended Interrupt Throttle of MSI-X vector {@code n}. */
    public static int EITR(int n) {
        return 0x01680 + 4 * n;
    }

    /** Interrupt Vector Allocation register {@code n} (0..7): see {@link Ivar}. */
    public static int IVAR0(int n) {
        return 0x01700 + 4 * n;
    }

    // ---- Receive and transmit control -------------------------------------------------------------
    /** Receive Control. Bits: {@link Rctl}. */
    public static final int RCTL = 0x00100;
    /** Transmit Control. Bits: {@link Tctl}. */
    public static final int TCTL = 0x00400;
    /** Extended Transmit Control. */
    public static final int TCTL_EXT = 0x00404;
    /** Transmit Inter-Packet Gap. */
    public static final int TIPG = 0x00410;
    /** LED Control. */
    public static final int LEDCTL = 0x00E00;
    /** Management EEPROM Control: CFG_DONE of each port. */
    public static final int EEMNGCTL = 0x01010;
    /** Receive Packet Buffer Size (KB). */
    public static final int RXPBS = 0x02404;
    /** Transmit Packet Buffer Size (KB). */
    public static final int TXPBS = 0x03404;
    /** Receive Checksum Control. */
    public static final int RXCSUM = 0x05000;
    /** Receive Long Packet Maximum Length (with RCTL.LPE: the largest frame with FCS accepted). */
    public static final int RLPML = 0x05004;
    /** Receive Filter Control. */
    public static final int RFCTL = 0x05008;
    /** Multiple Receive Queues Command (RSS, VMDq: 0 = queue 0 only). */
    public static final int MRQC = 0x05818;
    /** Redirection table: RETA0-31, four one-byte entries each (docs/hardware-reference.md B.16). */
    public static final int RETA0 = 0x05C00;
    public static final int RETA_REGISTERS = 32;
    /** RSS random key: RSSRK0-9, key byte 4n+k in bits 8k+7:8k of RSSRK n (docs/hardware-reference.md B.16). */
    public static final int RSSRK0 = 0x05C80;
    public static final int RSSRK_REGISTERS = 10;
    /** Software Semaphore. */
    public static final int SWSM = 0x05B50;
    /** Firmware Semaphore. */
    public static final int FWSM = 0x05B54;
    /** Software-Firmware Synchronization. */
    public static final int SW_FW_SYNC = 0x05B5C;

    // ---- Receive queue n ---------------------------------------------------------------------------
    private static int rxq(int base, int n) {
        return n < 4 ? base + 0x100 * n : 0x0C000 + (base - 0x02800) + 0x40 * n;
    }

    private static int txq(int base, int n) {
        return n < 4 ? base + 0x100 * n : 0x0E000 + (base - 0x03800) + 0x40 * n;
    }

    /** Receive Descriptor Base Address Low of queue {@code n}. */
    public static int RDBAL(int n) {
        return rxq(0x02800, n);
    }

    public static int RDBAH(int n) {
        return rxq(0x02804, n);
    }

    /** Receive Descriptor ring Length in bytes (multiple of 128). */
    public static int RDLEN(int n) {
        return rxq(0x02808, n);
    }

    /** Split and Replication Receive Control: buffer size and descriptor type. Bits: {@link Srrctl}. */
    public static int SRRCTL(int n) {
        return rxq(0x0280C, n);
    }

    public static int RDH(int n) {
        return rxq(0x02810, n);
    }

    public static int RDT(int n) {
        return rxq(0x02818, n);
    }

    /** Receive Descriptor Control: thresholds and the queue's ENABLE. Bits: {@link Rxdctl}. */
    public static int RXDCTL(int n) {
        return rxq(0x02828, n);
    }

    // ---- Transmit queue n --------------------------------------------------------------------------
    public static int TDBAL(int n) {
        return txq(0x03800, n);
    }

    public static int TDBAH(int n) {
        return txq(0x03804, n);
    }

    public static int TDLEN(int n) {
        return txq(0x03808, n);
    }

    public static int TDH(int n) {
        return txq(0x03810, n);
    }

    public static int TDT(int n) {
        return txq(0x03818, n);
    }

    /** Transmit Descriptor Control: thresholds and the queue's ENABLE. Bits: {@link Txdctl}. */
    public static int TXDCTL(int n) {
        return txq(0x03828, n);
    }

    /** Transmit Descriptor Write-Back Address Low (head write-back: bit 0 enables it; 0 here). */
    public static int TDWBAL(int n) {
        return txq(0x03838, n);
    }

    public static int TDWBAH(int n) {
        return txq(0x0383C, n);
    }

    // ---- Filters -----------------------------------------------------------------------------------
    /** Multicast Table Array entry {@code n} (0..127). */
    public static int MTA(int n) {
        return 0x05200 + 4 * n;
    }

    public static final int MTA_ENTRIES = 128;

    /** VLAN Filter Table Array entry {@code n} (0..127). */
    public static int VFTA(int n) {
        return 0x05600 + 4 * n;
    }

    /** Receive Address Low {@code n}: entries 0-15 at 0x5400, 16-23 at 0x54E0 (e1000_regs.h E1000_RAL). */
    public static int RAL(int n) {
        return n < 16 ? 0x05400 + 8 * n : 0x054E0 + 8 * (n - 16);
    }

    /** Receive Address High {@code n}. Bits: {@link Rah}. */
    public static int RAH(int n) {
        return RAL(n) + 4;
    }

    /** Receive address entries of the 82576 ({@code E1000_RAR_ENTRIES_82576}). */
    public static final int RAR_ENTRIES = 24;

    // ---- Statistics (clear on read; the same offsets as the whole 8257x family) -------------------
    public static final int CRCERRS = 0x04000;
    public static final int ALGNERRC = 0x04004;
    public static final int SYMERRS = 0x04008;
    public static final int RXERRC = 0x0400C;
    public static final int MPC = 0x04010;
    public static final int COLC = 0x04028;
    public static final int GPRC = 0x04074;
    public static final int BPRC = 0x04078;
    public static final int MPRC = 0x0407C;
    public static final int GPTC = 0x04080;
    public static final int GORCL = 0x04088;
    public static final int GOTCL = 0x04090;
    public static final int RNBC = 0x040A0;
    public static final int RUC = 0x040A4;
    public static final int ROC = 0x040AC;
    public static final int TORL = 0x040C0;
    public static final int TOTL = 0x040C8;
    public static final int TPR = 0x040D0;
    public static final int TPT = 0x040D4;
    public static final int MPTC = 0x040F0;
    public static final int BPTC = 0x040F4;

    static int queueChecked(int queue) {
        if (queue < 0 || queue >= QUEUES) {
            throw new IllegalArgumentException("82576 queue index out of range: queue=" + queue + ", queues=" + QUEUES);
        }
        return queue;
    }
}

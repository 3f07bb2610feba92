package io.nicup.ndis.miniport.i82574;

/**
 * Register offsets in BAR0 of the Intel 82574L, named as in the datasheet (and in Linux
 * {@code drivers/net/ethernet/intel/e1000e/regs.h} and QEMU {@code hw/net/e1000_regs.h} l.121-391, which
 * agree). Offsets are bytes from the start of BAR0, for {@link io.nicup.vfio.RegisterSpace}.
 *
 * <p>Per-queue and array registers are functions of the index, as the datasheet writes them
 * ({@code RDT[n]}, {@code RAL[i]}); the methods keep the datasheet's upper-case names on purpose so that
 * driver code reads like the datasheet. The 82574L has two queues (QEMU {@code E1000E_NUM_QUEUES 2});
 * queue 1 registers sit {@value #QUEUE_STRIDE} bytes after queue 0.
 *
 * <p>Source for every value: {@code docs/hardware-reference.md} section B.2
 * (82574L datasheet section 10.2 register summary; QEMU v7.2.0 e1000_regs.h).
 */
public final class Regs82574 {

    private Regs82574() {
    }

    /** Number of TX and RX queues of the 82574L. */
    public static final int QUEUES = 2;

    /** Distance between the register blocks of queue 0 and queue 1 (RX and TX alike). */
    public static final int QUEUE_STRIDE = 0x100;

    // ---- General ----------------------------------------------------------------------------------

    /** Device Control. Bits: {@link Ctrl}. */
    public static final int CTRL = 0x00000;
    /** Device Status (read only). Bits: {@link Status}. */
    public static final int STATUS = 0x00008;
    /** EEPROM/Flash Control. Bits: {@link Eecd}. */
    public static final int EECD = 0x00010;
    /** EEPROM Read (82574 layout). Bits: {@link io.nicup.ndis.miniport.intel.Eerd}. */
    public static final int EERD = 0x00014;
    /** Extended Device Control. */
    public static final int CTRL_EXT = 0x00018;
    /** MDI Control: PHY register access. Bits: {@link io.nicup.ndis.miniport.intel.Mdic}. */
    public static final int MDIC = 0x00020;

    // ---- Interrupts (bits: Icr) -------------------------------------------------------------------

    /** Interrupt Cause Read (clear on read when MSI-X is off). */
    public static final int ICR = 0x000C0;
    /** Interrupt Throttling Rate. */
    public static final int ITR = 0x000C4;
    /** Interrupt Cause Set. */
    public static final int ICS = 0x000C8;
    /** Interrupt Mask Set/Read. */
    public static final int IMS = 0x000D0;
    /** Interrupt Mask Clear. */
    public static final int IMC = 0x000D8;
    /** Extended Interrupt Auto Clear. */
    public static final int EIAC = 0x000DC;
    /** Interrupt Acknowledge Auto Mask. */
    public static final int IAM = 0x000E0;
    /** Interrupt Vector Allocation (MSI-X routing). Bits: {@link Ivar}. */
    public static final int IVAR = 0x000E4;

    /** Extended Interrupt Throttle of MSI-X vector {@code n} (0..4). */
    public static int EITR(int n) {
        return 0x000E8 + 4 * n;
    }

    // ---- Receive and transmit control -------------------------------------------------------------

    /** Receive Control. Bits: {@link Rctl}. */
    public static final int RCTL = 0x00100;
    /** Transmit Control. Bits: {@link Tctl}. */
    public static final int TCTL = 0x00400;
    /** Transmit Inter-Packet Gap. Fields: {@link Tipg}. */
    public static final int TIPG = 0x00410;
    /** LED Control. */
    public static final int LEDCTL = 0x00E00;
    /** Packet Buffer Allocation. */
    public static final int PBA = 0x01000;
    /** Packet Split Receive Control. */
    public static final int PSRCTL = 0x02170;
    /** Receive Interrupt Packet Delay Timer. */
    public static final int RDTR = 0x02820;
    /** Receive Interrupt Absolute Delay Timer. */
    public static final int RADV = 0x0282C;
    /** Transmit Interrupt Delay Value. */
    public static final int TIDV = 0x03820;
    /** Transmit Absolute Interrupt Delay Value. */
    public static final int TADV = 0x0382C;
    /** Receive Checksum Control. */
    public static final int RXCSUM = 0x05000;
    /** Receive Filter Control. Bits: {@link Rfctl}. */
    public static final int RFCTL = 0x05008;
    /** Multiple Receive Queues Command: RSS enable and hash fields (docs/hardware-reference.md B.18). */
    public static final int MRQC = 0x05818;
    /** Redirection table: 32 registers of four one-byte entries (docs/hardware-reference.md B.18). */
    public static final int RETA0 = 0x05C00;
    public static final int RETA_REGISTERS = 32;
    /** RSS random key: 10 registers, key byte 0 in bits 7:0 of RSSRK0 (docs/hardware-reference.md B.18). */
    public static final int RSSRK0 = 0x05C80;
    public static final int RSSRK_REGISTERS = 10;
    /** Management Control. */
    public static final int MANC = 0x05820;
    /** 3GIO (PCIe) Control. */
    public static final int GCR = 0x05B00;
    /** Software Semaphore. */
    public static final int SWSM = 0x05B50;
    /** Firmware Semaphore. */
    public static final int FWSM = 0x05B54;

    // ---- Receive queue n (n = 0, 1) ---------------------------------------------------------------

    /** Receive Descriptor Base Address Low of queue {@code n}. */
    public static int RDBAL(int n) {
        return 0x02800 + QUEUE_STRIDE * n;
    }

    /** Receive Descriptor Base Address High of queue {@code n}. */
    public static int RDBAH(int n) {
        return 0x02804 + QUEUE_STRIDE * n;
    }

    /** Receive Descriptor ring Length in bytes (a multiple of 128) of queue {@code n}. */
    public static int RDLEN(int n) {
        return 0x02808 + QUEUE_STRIDE * n;
    }

    /** Receive Descriptor Head of queue {@code n}: the next descriptor the device fills. */
    public static int RDH(int n) {
        return 0x02810 + QUEUE_STRIDE * n;
    }

    /** Receive Descriptor Tail of queue {@code n}: one past the last descriptor handed to the device. */
    public static int RDT(int n) {
        return 0x02818 + QUEUE_STRIDE * n;
    }

    /** Receive Descriptor Control of queue {@code n}. */
    public static int RXDCTL(int n) {
        return 0x02828 + QUEUE_STRIDE * n;
    }

    // ---- Transmit queue n (n = 0, 1) --------------------------------------------------------------

    /** Transmit Descriptor Base Address Low of queue {@code n}. */
    public static int TDBAL(int n) {
        return 0x03800 + QUEUE_STRIDE * n;
    }

    /** Transmit Descriptor Base Address High of queue {@code n}. */
    public static int TDBAH(int n) {
        return 0x03804 + QUEUE_STRIDE * n;
    }

    /** Transmit Descriptor ring Length in bytes (a multiple of 128) of queue {@code n}. */
    public static int TDLEN(int n) {
        return 0x03808 + QUEUE_STRIDE * n;
    }

    /** Transmit Descriptor Head of queue {@code n}: the next descriptor the device processes. */
    public static int TDH(int n) {
        return 0x03810 + QUEUE_STRIDE * n;
    }

    /**
     * Transmit Descriptor Tail of queue {@code n}: one past the last descriptor handed to the device.
     * In QEMU the write itself runs the transmission, synchronously (docs/hardware-reference.md B.7 item 3).
     */
    public static int TDT(int n) {
        return 0x03818 + QUEUE_STRIDE * n;
    }

    /** Transmit Descriptor Control of queue {@code n}. */
    public static int TXDCTL(int n) {
        return 0x03828 + QUEUE_STRIDE * n;
    }

    /** Transmit Arbitration Count of queue {@code n} (TARC0 0x03840, TARC1 0x03940). Bits: {@link Tarc}. */
    public static int TARC(int n) {
        return 0x03840 + QUEUE_STRIDE * n;
    }

    // ---- Address filters ----------------------------------------------------------------------------

    /** Multicast Table Array entry {@code i} (0..127). */
    public static int MTA(int i) {
        return 0x05200 + 4 * i;
    }

    /** Receive Address Low of entry {@code i}: MAC bytes 0-3, little-endian. */
    public static int RAL(int i) {
        return 0x05400 + 8 * i;
    }

    /** Receive Address High of entry {@code i}: MAC bytes 4-5 in bits 15:0, plus {@link Rah#AV}. */
    public static int RAH(int i) {
        return 0x05404 + 8 * i;
    }

    /** VLAN Filter Table Array entry {@code i} (0..127). */
    public static int VFTA(int i) {
        return 0x05600 + 4 * i;
    }

    /** Entries in {@link #MTA(int)} and in {@link #VFTA(int)}. */
    public static final int MTA_ENTRIES = 128;

    // ---- Statistics (clear on read in QEMU, see docs/hardware-reference.md B.6) ------------------------------------

    public static final int CRCERRS = 0x04000;
    public static final int ALGNERRC = 0x04004;
    public static final int SYMERRS = 0x04008;
    public static final int RXERRC = 0x0400C;
    /** Missed Packets Count. Never incremented by QEMU 7.2 (it raises ICR.RXO instead). */
    public static final int MPC = 0x04010;
    public static final int COLC = 0x04028;
    /** Packets Received, 64 bytes; PRC127 .. PRC1522 follow at +4 each, up to 0x04070. */
    public static final int PRC64 = 0x0405C;
    public static final int PRC1522 = 0x04070;
    public static final int GPRC = 0x04074;
    public static final int BPRC = 0x04078;
    public static final int MPRC = 0x0407C;
    public static final int GPTC = 0x04080;
    /** Good Octets Received, low half: read {@code GORCL} before {@code GORCH} (reading H clears both). */
    public static final int GORCL = 0x04088;
    public static final int GORCH = 0x0408C;
    public static final int GOTCL = 0x04090;
    public static final int GOTCH = 0x04094;
    public static final int RNBC = 0x040A0;
    public static final int RUC = 0x040A4;
    public static final int ROC = 0x040AC;
    public static final int TORL = 0x040C0;
    public static final int TORH = 0x040C4;
    public static final int TOTL = 0x040C8;
    public static final int TOTH = 0x040CC;
    public static final int TPR = 0x040D0;
    public static final int TPT = 0x040D4;
    /** Packets Transmitted, 64 bytes; PTC127 .. PTC1522 follow at +4 each, up to 0x040EC. */
    public static final int PTC64 = 0x040D8;
    public static final int PTC1522 = 0x040EC;
    public static final int MPTC = 0x040F0;
    public static final int BPTC = 0x040F4;

    /**
     * Validates a queue index at configuration time (the offset functions above do not check: they
     * are used on hot paths and computed once per ring).
     *
     * @throws IllegalArgumentException when {@code n} is not 0 or 1
     */
    public static int queueChecked(int n) {
        if (n < 0 || n >= QUEUES) {
            throw new IllegalArgumentException("no such queue on the 82574L: queue=" + n + ", queues=" + QUEUES);
        }
        return n;
    }
}

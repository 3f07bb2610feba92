package io.nicup.mock.e82574;

/**
 * Legacy transmit descriptor, 16 bytes, little-endian (datasheet 7.2.10.1; QEMU e1000_regs.h
 * {@code struct e1000_tx_desc}; docs/hardware-reference.md B.4).
 *
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-------------------------------------------------------------+
 * |                 buffer address (63:0)                       |  0
 * |                                                             |  4
 * +-------------------------------+---------------+-------------+
 * |        length (15:0)          |  CSO (7:0)    |  CMD (7:0)  |  8
 * +---------------+---------------+---------------+-------------+
 * |  STA (3:0)    |  CSS (7:0)    |        special (15:0)       | 12
 * +---------------+---------------+-----------------------------+
 * </pre>
 *
 * The "lower" dword (offset 8) holds length in bits 15:0 and CMD in bits 31:24; with DEXT (CMD bit 5)
 * the descriptor is an extended context (DTYP 0) or data (DTYP 1, bit 20) descriptor instead.
 */
public final class TxDescriptor {

    private TxDescriptor() {
    }

    public static final int SIZE = 16;
    public static final int BUFFER_ADDR = 0;
    public static final int LENGTH = 8;
    public static final int CSO = LENGTH + 2;
    public static final int CMD = CSO + 1;
    public static final int STATUS = CMD + 1;
    public static final int CSS = STATUS + 1;
    public static final int SPECIAL = CSS + 1;
    /** Offset of the "lower" dword (length, CSO, CMD) and the "upper" dword (status, CSS, special). */
    public static final int LOWER = LENGTH;
    public static final int UPPER = STATUS;

    /** CMD bits as placed in the lower dword (bits 31:24). */
    public static final int CMD_EOP = 0x01 << 24;
    public static final int CMD_IFCS = 0x02 << 24;
    public static final int CMD_IC = 0x04 << 24;
    public static final int CMD_RS = 0x08 << 24;
    public static final int CMD_RPS = 0x10 << 24;
    public static final int CMD_DEXT = 0x20 << 24;
    public static final int CMD_VLE = 0x40 << 24;
    public static final int CMD_IDE = 0x80 << 24;
    /** Extended descriptor type: data (bit 20 of the lower dword). */
    public static final int DTYP_DATA = 0x00100000;

    /** Context descriptor TUCMD.TCP as placed in the lower dword: TCP, else UDP. */
    public static final int TUCMD_TCP = 0x01 << 24;
    /** Context TUCMD.IP (IPv4, else IPv6) and TUCMD.TSE; data DCMD.TSE (docs/hardware-reference.md B.17). */
    public static final int TUCMD_IP = 0x02 << 24;
    public static final int TUCMD_TSE = 0x04 << 24;
    public static final int DCMD_TSE = 0x04 << 24;
    /** Context PAYLEN (lower dword 19:0). */
    public static final int PAYLEN_MASK = 0xFFFFF;

    /** STA bits of the status byte. */
    public static final int STA_DD = 0x01;
    public static final int STA_EC = 0x02;
    public static final int STA_LC = 0x04;
    public static final int STA_TU = 0x08;
}

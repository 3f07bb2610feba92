package io.nicup.mock.e82574;

/**
 * Receive descriptors, 16 bytes, little-endian (datasheet 7.1.4; QEMU e1000_regs.h; docs/hardware-reference.md B.4).
 *
 * <p>Legacy format (RFCTL.EXTEN = 0), the same layout for read and write-back:
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-------------------------------------------------------------+
 * |                 buffer address (63:0)                       |  0
 * |                                                             |  4
 * +-------------------------------+-----------------------------+
 * |        length (15:0)          |      packet checksum        |  8
 * +---------------+---------------+-----------------------------+
 * |  status (7:0) |  errors (7:0) |        special (15:0)       | 12
 * +---------------+---------------+-----------------------------+
 * </pre>
 *
 * <p>Extended format (RFCTL.EXTEN = 1), write-back (the buffer address is overwritten):
 * <pre>
 * +-------------------------------+-----------------------------+
 * |      MRQ (31:0)               |  RSS hash / IP id + csum    |  0
 * +-------------------------------+-----------------------------+
 * (MRQ: RSS type in bits 3:0, the queue from bit 8; dword 1 the RSS hash with RXCSUM.PCSD, else the IP
 * identification in bytes 4-5 and the packet checksum in bytes 6-7: docs/hardware-reference.md B.18)
 * |   extended status+errors (31:0)                             |  8
 * +-------------------------------+-----------------------------+
 * |        length (15:0)          |        VLAN tag (15:0)      | 12
 * +-------------------------------+-----------------------------+
 * </pre>
 */
public final class RxDescriptor {

    private RxDescriptor() {
    }

    public static final int SIZE = 16;
    public static final int BUFFER_ADDR = 0;
    public static final int LENGTH = 8;
    public static final int CSUM = LENGTH + 2;
    public static final int STATUS = CSUM + 2;
    public static final int ERRORS = STATUS + 1;
    public static final int SPECIAL = ERRORS + 1;

    /** Extended write-back: status/error dword and length/VLAN. */
    public static final int EXT_MRQ = 0;
    public static final int EXT_RSS = 4;
    public static final int EXT_IP_ID = 4;
    public static final int EXT_STATUS_ERROR = 8;
    public static final int EXT_LENGTH = 12;
    public static final int EXT_VLAN = 14;

    public static final int STA_DD = 0x01;
    public static final int STA_EOP = 0x02;
    public static final int STA_IXSM = 0x04;
    public static final int STA_VP = 0x08;
    /** Extended status: the IP identification in bytes 4-5 is valid (without RXCSUM.PCSD). */
    public static final int STA_IPIDV = 0x200;

    /** MRQ's RSS types (docs/hardware-reference.md B.18). */
    public static final int RSS_TYPE_TCP_IPV4 = 1;
    public static final int RSS_TYPE_IPV4 = 2;
    public static final int RSS_TYPE_TCP_IPV6 = 3;
    public static final int RSS_TYPE_IPV6_EX = 4;
    public static final int RSS_TYPE_IPV6 = 5;
    /** MRQ: the receive queue from this bit. */
    public static final int MRQ_QUEUE_SHIFT = 8;

    public static final int ERR_CE = 0x01;
    public static final int ERR_SE = 0x02;
    public static final int ERR_SEQ = 0x04;
    public static final int ERR_RXE = 0x80;
}

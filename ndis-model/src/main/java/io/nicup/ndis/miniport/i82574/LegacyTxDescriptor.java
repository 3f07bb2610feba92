package io.nicup.ndis.miniport.i82574;

import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemoryLayout.PathElement;
import java.lang.foreign.StructLayout;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * The legacy transmit descriptor of the 82574L ({@code DEXT = 0}), 16 bytes, little-endian. Source:
 * docs/hardware-reference.md B.4 (QEMU v7.2.0 e1000_regs.h l.966-1031; the same declaration is in Intel's e1000 headers):
 *
 * {@snippet lang=c :
 * struct e1000_tx_desc {
 *     uint64_t buffer_addr;       // Address of the descriptor's data buffer
 *     union {
 *         uint32_t data;
 *         struct {
 *             uint16_t length;    // Data buffer length
 *             uint8_t cso;        // Checksum offset
 *             uint8_t cmd;        // Descriptor control
 *         } flags;
 *     } lower;
 *     union {
 *         uint32_t data;
 *         struct {
 *             uint8_t status;     // Descriptor status
 *             uint8_t css;        // Checksum start
 *             uint16_t special;
 *         } fields;
 *     } upper;
 * };
 * }
 *
 * <pre>
 * byte  0                                                               8
 *      +---------------------------------------------------------------+
 *   0  |                   buffer_addr (IOVA, u64)                     |
 *      +---------------+-------+-------+-------+-------+---------------+
 *   8  |  length (u16) |  cso  |  cmd  |status |  css  | special (u16) |
 *      +---------------+-------+-------+-------+-------+---------------+
 *      |<------- lower.data (u32) ---->|<------ upper.data (u32) ----->|
 * </pre>
 *
 * <p>The driver writes {@code buffer_addr}, then {@code lower.data = length | cso << 16 | cmd << 24}
 * and {@code upper.data = 0} (which clears {@code status}); the device writes {@link #STA_DD} into
 * {@code status} when it is done with the descriptor, and in QEMU only when {@link #CMD_RS} was set
 * (docs/hardware-reference.md B.7 item 1).
 *
 * <p>Every handle takes {@code (MemorySegment ring, long descriptorOffset)}, where the offset is
 * {@code index * BYTES}.
 */
public final class LegacyTxDescriptor {

    private LegacyTxDescriptor() {
    }

    private static final ValueLayout.OfLong U64 = ValueLayout.JAVA_LONG.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfInt U32 = ValueLayout.JAVA_INT.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfShort U16 = ValueLayout.JAVA_SHORT.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfByte U8 = ValueLayout.JAVA_BYTE;

    /** {@code struct e1000_tx_desc}. */
    public static final StructLayout LAYOUT = MemoryLayout.structLayout(
            U64.withName("buffer_addr"),
            MemoryLayout.unionLayout(
                    U32.withName("data"),
                    MemoryLayout.structLayout(
                            U16.withName("length"),
                            U8.withName("cso"),
                            U8.withName("cmd")).withName("flags")).withName("lower"),
            MemoryLayout.unionLayout(
                    U32.withName("data"),
                    MemoryLayout.structLayout(
                            U8.withName("status"),
                            U8.withName("css"),
                            U16.withName("special")).withName("fields")).withName("upper"))
            .withName("e1000_tx_desc");

    /** Size of one descriptor: 16. */
    public static final int BYTES = (int) LAYOUT.byteSize();
    /** {@code log2(BYTES)}: descriptor {@code i} is at {@code (long) i << SHIFT}. */
    public static final int SHIFT = Integer.numberOfTrailingZeros(BYTES);

    private static final PathElement LOWER = PathElement.groupElement("lower");
    private static final PathElement UPPER = PathElement.groupElement("upper");
    private static final PathElement FLAGS = PathElement.groupElement("flags");
    private static final PathElement FIELDS = PathElement.groupElement("fields");
    private static final PathElement DATA = PathElement.groupElement("data");

    public static final VarHandle BUFFER_ADDR = LAYOUT.varHandle(PathElement.groupElement("buffer_addr"));
    public static final VarHandle LOWER_DATA = LAYOUT.varHandle(LOWER, DATA);
    public static final VarHandle LENGTH = LAYOUT.varHandle(LOWER, FLAGS, PathElement.groupElement("length"));
    public static final VarHandle CSO = LAYOUT.varHandle(LOWER, FLAGS, PathElement.groupElement("cso"));
    public static final VarHandle CMD = LAYOUT.varHandle(LOWER, FLAGS, PathElement.groupElement("cmd"));
    public static final VarHandle UPPER_DATA = LAYOUT.varHandle(UPPER, DATA);
    public static final VarHandle STATUS = LAYOUT.varHandle(UPPER, FIELDS, PathElement.groupElement("status"));
    public static final VarHandle CSS = LAYOUT.varHandle(UPPER, FIELDS, PathElement.groupElement("css"));
    public static final VarHandle SPECIAL = LAYOUT.varHandle(UPPER, FIELDS, PathElement.groupElement("special"));

    public static final long OFFSET_BUFFER_ADDR = LAYOUT.byteOffset(PathElement.groupElement("buffer_addr"));
    public static final long OFFSET_LOWER = LAYOUT.byteOffset(LOWER);
    public static final long OFFSET_LENGTH = LAYOUT.byteOffset(LOWER, FLAGS, PathElement.groupElement("length"));
    public static final long OFFSET_CSO = LAYOUT.byteOffset(LOWER, FLAGS, PathElement.groupElement("cso"));
    public static final long OFFSET_CMD = LAYOUT.byteOffset(LOWER, FLAGS, PathElement.groupElement("cmd"));
    public static final long OFFSET_UPPER = LAYOUT.byteOffset(UPPER);
    public static final long OFFSET_STATUS = LAYOUT.byteOffset(UPPER, FIELDS, PathElement.groupElement("status"));
    public static final long OFFSET_CSS = LAYOUT.byteOffset(UPPER, FIELDS, PathElement.groupElement("css"));
    public static final long OFFSET_SPECIAL = LAYOUT.byteOffset(UPPER, FIELDS, PathElement.groupElement("special"));

    // ---- cmd (the byte at OFFSET_CMD; bits 31:24 of lower.data) -------------------------------------

    /** End of packet: the last descriptor of a frame. */
    public static final int CMD_EOP = 0x01;
    /** Insert FCS (the Ethernet CRC). */
    public static final int CMD_IFCS = 0x02;
    /** Insert checksum (with {@code cso}/{@code css}). */
    public static final int CMD_IC = 0x04;
    /** Report status: write {@link #STA_DD} back. Without it QEMU never sets DD (docs/hardware-reference.md B.7 item 1). */
    public static final int CMD_RS = 0x08;
    /** Report packet sent. */
    public static final int CMD_RPS = 0x10;
    /** Descriptor extension: 0 means this legacy format. */
    public static final int CMD_DEXT = 0x20;
    /** VLAN packet enable ({@code special} holds the tag). */
    public static final int CMD_VLE = 0x40;
    /** Interrupt delay enable (TIDV). */
    public static final int CMD_IDE = 0x80;

    // ---- status (the byte at OFFSET_STATUS) ---------------------------------------------------------

    /** Descriptor done. */
    public static final int STA_DD = 0x01;
    /** Excess collisions. */
    public static final int STA_EC = 0x02;
    /** Late collision. */
    public static final int STA_LC = 0x04;
    /** Transmit underrun. */
    public static final int STA_TU = 0x08;

    /** Bit position of {@code cmd} in {@code lower.data}. */
    public static final int LOWER_CMD_SHIFT = 24;

    // ---- extended descriptors (DEXT): TCP/IP context and data (docs/hardware-reference.md B.15) ----------

    /** DTYP of an extended data descriptor in the lower dword (bits 23:20 = 0001); a context is 0000. */
    public static final int DTYP_DATA = 0x0010_0000;
    /** Context TUCMD: IPv4 (IP) and TCP (else UDP). */
    public static final int TUCMD_IP = 0x02;
    public static final int TUCMD_TCP = 0x01;
    /** Data descriptor POPTS (upper dword bits 15:8): insert the IP checksum, insert the TCP/UDP checksum. */
    public static final int POPTS_IXSM = 0x01;
    public static final int POPTS_TXSM = 0x02;
    public static final int POPTS_SHIFT = 8;
    /**
     * TCP segmentation (docs/hardware-reference.md B.17): context TUCMD.TSE and data DCMD.TSE (the same bit of
     * the command byte), the context's PAYLEN (lower dword 19:0), HDRLEN and MSS in its upper dword.
     */
    public static final int TUCMD_TSE = 0x04;
    public static final int DCMD_TSE = 0x04;
    public static final int PAYLEN_MASK = 0xF_FFFF;
    public static final int HDRLEN_SHIFT = 8;
    public static final int MSS_SHIFT = 16;
    /** Where the checksum field sits in a TCP header. */
    public static final int TCP_CHECKSUM = 16;
    /** Where the checksum field sits in an IPv4 header. */
    public static final int IPV4_CHECKSUM = 10;
    /** Bit position of {@code cso} in {@code lower.data}. */
    public static final int LOWER_CSO_SHIFT = 16;
    /** Largest value of the {@code length} field. */
    public static final int MAX_LENGTH = 0xFFFF;

    /** {@code lower.data} for a buffer of {@code length} bytes with command {@code cmd} and no checksum offload. */
    public static int lower(int length, int cmd) {
        return length & MAX_LENGTH | cmd << LOWER_CMD_SHIFT;
    }
}

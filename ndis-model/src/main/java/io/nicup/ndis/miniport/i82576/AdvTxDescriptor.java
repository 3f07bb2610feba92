package io.nicup.ndis.miniport.i82576;

import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemoryLayout.PathElement;
import java.lang.foreign.StructLayout;
import java.lang.foreign.UnionLayout;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * The advanced transmit data descriptor of the 82576 (datasheet 7.2.2.3), 16 bytes, little-endian, as
 * Linux igb declares it ({@code e1000_82575.h}):
 *
 * {@snippet lang=c :
 * union e1000_adv_tx_desc {
 *     struct {
 *         __le64 buffer_addr;    // Address of descriptor's data buf
 *         __le32 cmd_type_len;
 *         __le32 olinfo_status;
 *     } read;
 *     struct {
 *         __le64 rsvd;           // Reserved
 *         __le32 nxtseq_seed;
 *         __le32 status;
 *     } wb;
 * };
 * }
 *
 * <pre>
 * read (driver to device)
 * byte  0                                                               8
 *      +---------------------------------------------------------------+
 *   0  |                   buffer_addr (IOVA, u64)                     |
 *      +-------------------------------+-------------------------------+
 *   8  |  cmd_type_len (u32)           |  olinfo_status (u32)          |
 *      +-------------------------------+-------------------------------+
 *       cmd_type_len: 31..24 DCMD (TSE VLE DEXT - RS - IFCS EOP) | 23..20 DTYP (0011 data) | 15..0 DTALEN
 *       olinfo_status: 31..14 PAYLEN | 13..8 POPTS | 6..4 IDX/CC | 3..0 STA (0)
 *
 * write-back (device to driver, with DCMD.RS)
 *      +---------------------------------------------------------------+
 *   0  |                         rsvd                                  |
 *      +-------------------------------+-------------------------------+
 *   8  |  nxtseq_seed (u32)            |  status (u32): bit 0 DD       |
 *      +-------------------------------+-------------------------------+
 * </pre>
 *
 * <p>The device reads the whole descriptor and, when it is done with it and RS was set, writes the upper
 * 8 bytes back with {@link #STA_DD} in {@code status} (QEMU {@code igb_txdesc_writeback} ORs DD into the
 * {@code olinfo_status} it read). QEMU's igb implements only advanced descriptors (its legacy path is
 * not implemented), so {@link #CMD_DEXT} and {@link #DTYP_DATA} are always set. {@code PAYLEN} carries the frame
 * length: the 82576 requires it for every frame (datasheet 7.2.2.3.9), QEMU ignores it.
 */
public final class AdvTxDescriptor {

    private AdvTxDescriptor() {
    }

    private static final ValueLayout.OfLong U64 = ValueLayout.JAVA_LONG.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfInt U32 = ValueLayout.JAVA_INT.withOrder(ByteOrder.LITTLE_ENDIAN);

    /** {@code read}. */
    public static final StructLayout READ = MemoryLayout.structLayout(
            U64.withName("buffer_addr"), U32.withName("cmd_type_len"), U32.withName("olinfo_status")).withName("read");
    /** {@code wb}. */
    public static final StructLayout WB = MemoryLayout.structLayout(
            U64.withName("rsvd"), U32.withName("nxtseq_seed"), U32.withName("status")).withName("wb");
    /** {@code union e1000_adv_tx_desc}. */
    public static final UnionLayout LAYOUT = MemoryLayout.unionLayout(READ, WB).withName("e1000_adv_tx_desc");

    public static final int BYTES = (int) LAYOUT.byteSize();
    public static final int SHIFT = Integer.numberOfTrailingZeros(BYTES);

    public static final VarHandle BUFFER_ADDR = LAYOUT.varHandle(PathElement.groupElement("read"),
            PathElement.groupElement("buffer_addr"));
    public static final VarHandle CMD_TYPE_LEN = LAYOUT.varHandle(PathElement.groupElement("read"),
            PathElement.groupElement("cmd_type_len"));
    public static final VarHandle OLINFO_STATUS = LAYOUT.varHandle(PathElement.groupElement("read"),
            PathElement.groupElement("olinfo_status"));
    public static final VarHandle WB_STATUS = LAYOUT.varHandle(PathElement.groupElement("wb"),
            PathElement.groupElement("status"));

    public static final long OFFSET_BUFFER_ADDR = LAYOUT.byteOffset(PathElement.groupElement("read"),
            PathElement.groupElement("buffer_addr"));
    public static final long OFFSET_CMD_TYPE_LEN = LAYOUT.byteOffset(PathElement.groupElement("read"),
            PathElement.groupElement("cmd_type_len"));
    public static final long OFFSET_OLINFO_STATUS = LAYOUT.byteOffset(PathElement.groupElement("read"),
            PathElement.groupElement("olinfo_status"));
    public static final long OFFSET_WB_STATUS = LAYOUT.byteOffset(PathElement.groupElement("wb"),
            PathElement.groupElement("status"));

    // ---- cmd_type_len (Linux E1000_ADVTXD_*) ----------------------------------------------------------
    /** DTALEN: bytes in this descriptor's buffer, bits 15:0. */
    public static final int DTALEN_MASK = 0x0000_FFFF;
    /** DTYP = 0011: advanced data descriptor. */
    public static final int DTYP_DATA = 0x0030_0000;
    /** DTYP = 0010: advanced context descriptor. */
    public static final int DTYP_CTXT = 0x0020_0000;
    public static final int DTYP_MASK = 0x00F0_0000;
    /** End of packet. */
    public static final int DCMD_EOP = 0x0100_0000;
    /** Insert FCS. */
    public static final int DCMD_IFCS = 0x0200_0000;
    /** Report status: write DD back. */
    public static final int DCMD_RS = 0x0800_0000;
    /** Descriptor extension: advanced format. */
    public static final int DCMD_DEXT = 0x2000_0000;
    /** VLAN packet enable. */
    public static final int DCMD_VLE = 0x4000_0000;
    /** TCP segmentation enable. */
    public static final int DCMD_TSE = 0x8000_0000;

    // ---- olinfo_status -----------------------------------------------------------------------------
    /** PAYLEN position: the frame length for a non-TSO frame. */
    public static final int PAYLEN_SHIFT = 14;
    /** Largest PAYLEN. */
    public static final int MAX_PAYLEN = (1 << 18) - 1;

    // ---- wb.status ---------------------------------------------------------------------------------
    /** Descriptor done. */
    public static final int STA_DD = 0x0000_0001;

    // ---- checksum offload (docs/hardware-reference.md B.15) ---------------------------------------------

    /** olinfo_status POPTS (bits 13:8): insert the IP checksum, insert the TCP/UDP checksum. */
    public static final int POPTS_IXSM = 0x0000_0100;
    public static final int POPTS_TXSM = 0x0000_0200;
    /** Context vlan_macip_lens: IPLEN (8:0) and MACLEN (15:9); VLAN (31:16) unused. */
    public static final int MACIP_LENS_MASK = 0x0000_FFFF;
    /** Context type_tucmd_mlhl TUCMD: IPV4, and L4T = 01 TCP (00 UDP). */
    public static final int TUCMD_IPV4 = 0x0000_0400;
    public static final int TUCMD_L4T_TCP = 0x0000_0800;

    /** Context mss_l4len_idx (docs/hardware-reference.md B.17): L4LEN at 15:8, MSS at 31:16. */
    public static final int L4LEN_SHIFT = 8;
    public static final int MSS_SHIFT = 16;

    /** {@code cmd_type_len} of a one-descriptor frame of {@code length} bytes with DD reporting. */
    public static int cmdTypeLen(int length) {
        return length & DTALEN_MASK | DTYP_DATA | DCMD_DEXT | DCMD_EOP | DCMD_IFCS | DCMD_RS;
    }

    /** {@code olinfo_status} of a non-TSO frame of {@code length} bytes. */
    public static int olinfoStatus(int length) {
        return length << PAYLEN_SHIFT;
    }
}

package io.nicup.ndis.miniport.i82576;

import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemoryLayout.PathElement;
import java.lang.foreign.StructLayout;
import java.lang.foreign.UnionLayout;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * The advanced receive descriptor of the 82576 (datasheet 7.1.5), 16 bytes, little-endian, as Linux igb
 * declares it ({@code e1000_82575.h}):
 *
 * {@snippet lang=c :
 * union e1000_adv_rx_desc {
 *     struct {
 *         __le64 pkt_addr;             // Packet buffer address
 *         __le64 hdr_addr;             // Header buffer address
 *     } read;
 *     struct {
 *         struct {
 *             struct {
 *                 __le16 pkt_info;     // RSS type, Packet type
 *                 __le16 hdr_info;     // Split Head, buf len
 *             } lo_dword;
 *             union {
 *                 __le32 rss;          // RSS Hash
 *                 struct {
 *                     __le16 ip_id;    // IP id
 *                     __le16 csum;     // Packet Checksum
 *                 } csum_ip;
 *             } hi_dword;
 *         } lower;
 *         struct {
 *             __le32 status_error;     // ext status/error
 *             __le16 length;           // Packet length
 *             __le16 vlan;             // VLAN tag
 *         } upper;
 *     } wb;  // writeback
 * };
 * }
 *
 * <pre>
 * read (driver to device)
 * byte  0                                                               8
 *      +---------------------------------------------------------------+
 *   0  |                    pkt_addr (IOVA, u64)                       |
 *      +---------------------------------------------------------------+
 *   8  |                    hdr_addr (u64, 0: no header split)         |
 *      +---------------------------------------------------------------+
 *
 * write-back (device to driver)
 *      +---------------+---------------+-------------------------------+
 *   0  | pkt_info (u16)| hdr_info (u16)|  rss (u32) / ip_id, csum      |
 *      +---------------+---------------+---------------+---------------+
 *   8  |  status_error (u32)           |  length (u16) |  vlan (u16)   |
 *      +-------------------------------+---------------+---------------+
 *       status_error: 31..20 errors (RXE IPE L4E ...) | 19..0 status (DD bit 0, EOP bit 1, ...)
 * </pre>
 *
 * <p>{@code status_error} overlays the low half of {@code hdr_addr}: the driver writes {@code hdr_addr = 0}
 * with every buffer, which clears DD. QEMU writes the descriptor with DD clear and then
 * {@code status_error} with DD ({@code igb_pci_dma_write_rx_desc}), so DD set means the rest is there.
 */
public final class AdvRxDescriptor {

    private AdvRxDescriptor() {
    }

    private static final ValueLayout.OfLong U64 = ValueLayout.JAVA_LONG.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfInt U32 = ValueLayout.JAVA_INT.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfShort U16 = ValueLayout.JAVA_SHORT.withOrder(ByteOrder.LITTLE_ENDIAN);

    public static final StructLayout READ = MemoryLayout.structLayout(U64.withName("pkt_addr"),
            U64.withName("hdr_addr")).withName("read");
    public static final StructLayout WB = MemoryLayout.structLayout(
            MemoryLayout.structLayout(
                    MemoryLayout.structLayout(U16.withName("pkt_info"), U16.withName("hdr_info")).withName("lo_dword"),
                    MemoryLayout.unionLayout(U32.withName("rss"),
                            MemoryLayout.structLayout(U16.withName("ip_id"), U16.withName("csum")).withName("csum_ip"))
                            .withName("hi_dword")).withName("lower"),
            MemoryLayout.structLayout(U32.withName("status_error"), U16.withName("length"), U16.withName("vlan"))
                    .withName("upper")).withName("wb");
    /** {@code union e1000_adv_rx_desc}. */
    public static final UnionLayout LAYOUT = MemoryLayout.unionLayout(READ, WB).withName("e1000_adv_rx_desc");

    public static final int BYTES = (int) LAYOUT.byteSize();
    public static final int SHIFT = Integer.numberOfTrailingZeros(BYTES);

    private static final PathElement R = PathElement.groupElement("read");
    private static final PathElement W = PathElement.groupElement("wb");
    private static final PathElement UPPER = PathElement.groupElement("upper");

    public static final VarHandle PKT_ADDR = LAYOUT.varHandle(R, PathElement.groupElement("pkt_addr"));
    public static final VarHandle HDR_ADDR = LAYOUT.varHandle(R, PathElement.groupElement("hdr_addr"));
    public static final VarHandle STATUS_ERROR = LAYOUT.varHandle(W, UPPER, PathElement.groupElement("status_error"));
    public static final VarHandle LENGTH = LAYOUT.varHandle(W, UPPER, PathElement.groupElement("length"));
    public static final VarHandle VLAN = LAYOUT.varHandle(W, UPPER, PathElement.groupElement("vlan"));
    public static final VarHandle PKT_INFO = LAYOUT.varHandle(W, PathElement.groupElement("lower"),
            PathElement.groupElement("lo_dword"), PathElement.groupElement("pkt_info"));
    /** The RSS hash (with RXCSUM.PCSD; docs/hardware-reference.md B.16). */
    public static final VarHandle RSS = LAYOUT.varHandle(W, PathElement.groupElement("lower"),
            PathElement.groupElement("hi_dword"), PathElement.groupElement("rss"));

    public static final long OFFSET_PKT_ADDR = LAYOUT.byteOffset(R, PathElement.groupElement("pkt_addr"));
    public static final long OFFSET_HDR_ADDR = LAYOUT.byteOffset(R, PathElement.groupElement("hdr_addr"));
    public static final long OFFSET_PKT_INFO = LAYOUT.byteOffset(W, PathElement.groupElement("lower"),
            PathElement.groupElement("lo_dword"), PathElement.groupElement("pkt_info"));
    public static final long OFFSET_RSS = LAYOUT.byteOffset(W, PathElement.groupElement("lower"),
            PathElement.groupElement("hi_dword"));
    public static final long OFFSET_STATUS_ERROR = LAYOUT.byteOffset(W, UPPER, PathElement.groupElement("status_error"));
    public static final long OFFSET_LENGTH = LAYOUT.byteOffset(W, UPPER, PathElement.groupElement("length"));
    public static final long OFFSET_VLAN = LAYOUT.byteOffset(W, UPPER, PathElement.groupElement("vlan"));

    // ---- pkt_info (Linux E1000_RXDADV_RSSTYPE_*; docs/hardware-reference.md B.16) ----------------------
    /** {@code pkt_info} bits 3:0: the RSS type, 0 without a hash. */
    public static final int RSS_TYPE_MASK = 0x000F;
    public static final int RSS_TYPE_TCP_IPV4 = 0x1;
    public static final int RSS_TYPE_IPV4 = 0x2;
    public static final int RSS_TYPE_TCP_IPV6 = 0x3;
    public static final int RSS_TYPE_IPV6_EX = 0x4;
    public static final int RSS_TYPE_IPV6 = 0x5;
    public static final int RSS_TYPE_TCP_IPV6_EX = 0x6;
    public static final int RSS_TYPE_UDP_IPV4 = 0x7;
    public static final int RSS_TYPE_UDP_IPV6 = 0x8;
    public static final int RSS_TYPE_UDP_IPV6_EX = 0x9;

    // ---- status (Linux E1000_RXD_STAT_*) ------------------------------------------------------------
    /** Descriptor done. */
    public static final int STAT_DD = 0x0000_0001;
    /** End of packet. */
    public static final int STAT_EOP = 0x0000_0002;
    /** VLAN packet (tag in {@code vlan}). */
    public static final int STAT_VP = 0x0000_0008;
    public static final int STAT_UDPCS = 0x0000_0010;
    public static final int STAT_TCPCS = 0x0000_0020;
    public static final int STAT_IPCS = 0x0000_0040;

    // ---- errors (Linux E1000_RXDEXT_STATERR_*) -----------------------------------------------------
    /** CRC error or other frame error. */
    public static final int ERR_CE = 0x0100_0000;
    public static final int ERR_LE = 0x0200_0000;
    /** TCP/UDP checksum error (offload verdict only). */
    public static final int ERR_TCPE = 0x2000_0000;
    /** IP checksum error (offload verdict only). */
    public static final int ERR_IPE = 0x4000_0000;
    /** RX data error. */
    public static final int ERR_RXE = 0x8000_0000;
    /** Errors that make the frame itself bad (not checksum verdicts). */
    public static final int ERR_FRAME = ERR_CE | ERR_LE | ERR_RXE;
}

package io.nicup.ndis.miniport.i82574;

import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemoryLayout.PathElement;
import java.lang.foreign.StructLayout;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * The extended receive descriptor of the 82574L (used while {@link Rfctl#EXTEN} is set), 16 bytes,
 * little-endian, in its write-back format. Source: docs/hardware-reference.md B.18 (82574 datasheet 7.1.4.2
 * "Extended Rx Descriptor"; Linux e1000e {@code union e1000_rx_desc_extended}):
 *
 * {@snippet lang=c :
 * union e1000_rx_desc_extended {
 *     struct { uint64_t buffer_addr; uint64_t reserved; } read;
 *     struct {
 *         struct {
 *             uint32_t mrq;              // RSS type (3:0), receive queue (from bit 8)
 *             union {
 *                 uint32_t rss;          // RSS hash, with RXCSUM.PCSD
 *                 struct { uint16_t ip_id; uint16_t csum; } csum_ip;   // without PCSD
 *             } hi_dword;
 *         } lower;
 *         struct {
 *             uint32_t status_error;     // status (19:0), errors (31:20)
 *             uint16_t length;
 *             uint16_t vlan;
 *         } upper;
 *     } wb;
 * };
 * }
 *
 * <pre>
 * byte  0                                                               8
 *      +-------------------------------+-------------------------------+
 *   0  |            mrq (u32)          |   rss (u32) / ip_id, csum     |   write-back
 *      +-------------------------------+---------------+---------------+
 *   8  |        status_error (u32)     |  length (u16) |  vlan (u16)   |
 *      +-------------------------------+---------------+---------------+
 *   0  |                   buffer_addr (IOVA, u64)                     |   read
 *   8  |                   reserved: the driver writes 0               |
 *      +---------------------------------------------------------------+
 * </pre>
 *
 * <p>The status bits 7:0 are the legacy descriptor's ({@link LegacyRxDescriptor#STA_DD} ... IPCS), the
 * errors sit in bits 31:24 with the legacy errors byte's values (IPE 0x40, TCPE 0x20, RXE 0x80 there), so a
 * ring reads both as the same flags.
 */
public final class ExtRxDescriptor {

    private ExtRxDescriptor() {
    }

    /** The write-back format of {@code union e1000_rx_desc_extended}. */
    public static final StructLayout LAYOUT = MemoryLayout.structLayout(
            ValueLayout.JAVA_INT.withOrder(ByteOrder.LITTLE_ENDIAN).withName("mrq"),
            ValueLayout.JAVA_INT.withOrder(ByteOrder.LITTLE_ENDIAN).withName("rss"),
            ValueLayout.JAVA_INT.withOrder(ByteOrder.LITTLE_ENDIAN).withName("status_error"),
            ValueLayout.JAVA_SHORT.withOrder(ByteOrder.LITTLE_ENDIAN).withName("length"),
            ValueLayout.JAVA_SHORT.withOrder(ByteOrder.LITTLE_ENDIAN).withName("vlan"))
            .withName("e1000_rx_desc_extended");

    /** Size of one descriptor: 16, as the legacy one. */
    public static final int BYTES = (int) LAYOUT.byteSize();
    /** {@code log2(BYTES)}: descriptor {@code i} is at {@code (long) i << SHIFT}. */
    public static final int SHIFT = Integer.numberOfTrailingZeros(BYTES);

    public static final VarHandle MRQ = LAYOUT.varHandle(PathElement.groupElement("mrq"));
    public static final VarHandle RSS = LAYOUT.varHandle(PathElement.groupElement("rss"));
    public static final VarHandle STATUS_ERROR = LAYOUT.varHandle(PathElement.groupElement("status_error"));

    public static final long OFFSET_STATUS_ERROR = LAYOUT.byteOffset(PathElement.groupElement("status_error"));
    public static final long OFFSET_LENGTH = LAYOUT.byteOffset(PathElement.groupElement("length"));

    /** Where the errors byte sits in {@code status_error}. */
    public static final int ERRORS_SHIFT = 24;

    /** MRQ bits 3:0: the RSS type (0 none, 1 TcpIPv4, 2 IPv4, 3 TcpIPv6, 4 IPv6Ex, 5 IPv6). */
    public static final int RSS_TYPE_MASK = 0xF;
    public static final int RSS_TYPE_TCP_IPV4 = 1;
    public static final int RSS_TYPE_IPV4 = 2;
    public static final int RSS_TYPE_TCP_IPV6 = 3;
    public static final int RSS_TYPE_IPV6_EX = 4;
    public static final int RSS_TYPE_IPV6 = 5;
}

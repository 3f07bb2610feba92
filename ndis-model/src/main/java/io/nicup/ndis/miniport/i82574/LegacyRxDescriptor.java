package io.nicup.ndis.miniport.i82574;

import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemoryLayout.PathElement;
import java.lang.foreign.StructLayout;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * The legacy receive descriptor of the 82574L (used while {@link Rfctl#EXTEN} is clear), 16 bytes,
 * little-endian. Source: docs/hardware-reference.md B.4 (QEMU v7.2.0 e1000_regs.h l.966-1031):
 *
 * {@snippet lang=c :
 * struct e1000_rx_desc {
 *     uint64_t buffer_addr; // Address of the descriptor's data buffer
 *     uint16_t length;      // Length of data DMAed into data buffer
 *     uint16_t csum;        // Packet checksum
 *     uint8_t status;       // Descriptor status
 *     uint8_t errors;       // Descriptor Errors
 *     uint16_t special;
 * };
 * }
 *
 * <pre>
 * byte  0                                                               8
 *      +---------------------------------------------------------------+
 *   0  |                   buffer_addr (IOVA, u64)                     |
 *      +---------------+---------------+-------+-------+---------------+
 *   8  |  length (u16) |   csum (u16)  |status |errors | special (u16) |
 *      +---------------+---------------+-------+-------+---------------+
 * </pre>
 *
 * <p>The driver writes {@code buffer_addr} and clears {@code status}; the device writes the frame into
 * the buffer, then {@code length}, {@code errors} and {@code status} with {@link #STA_DD} (and
 * {@link #STA_EOP} on the last descriptor of a frame). QEMU skips a descriptor whose
 * {@code buffer_addr} is 0 (docs/hardware-reference.md B.4).
 *
 * <p>Every handle takes {@code (MemorySegment ring, long descriptorOffset)}, where the offset is
 * {@code index * BYTES}.
 */
public final class LegacyRxDescriptor {

    private LegacyRxDescriptor() {
    }

    /** {@code struct e1000_rx_desc}. */
    public static final StructLayout LAYOUT = MemoryLayout.structLayout(
            ValueLayout.JAVA_LONG.withOrder(ByteOrder.LITTLE_ENDIAN).withName("buffer_addr"),
            ValueLayout.JAVA_SHORT.withOrder(ByteOrder.LITTLE_ENDIAN).withName("length"),
            ValueLayout.JAVA_SHORT.withOrder(ByteOrder.LITTLE_ENDIAN).withName("csum"),
            ValueLayout.JAVA_BYTE.withName("status"),
            ValueLayout.JAVA_BYTE.withName("errors"),
            ValueLayout.JAVA_SHORT.withOrder(ByteOrder.LITTLE_ENDIAN).withName("special"))
            .withName("e1000_rx_desc");

    /** Size of one descriptor: 16. */
    public static final int BYTES = (int) LAYOUT.byteSize();
    /** {@code log2(BYTES)}: descriptor {@code i} is at {@code (long) i << SHIFT}. */
    public static final int SHIFT = Integer.numberOfTrailingZeros(BYTES);

    public static final VarHandle BUFFER_ADDR = LAYOUT.varHandle(PathElement.groupElement("buffer_addr"));
    public static final VarHandle LENGTH = LAYOUT.varHandle(PathElement.groupElement("length"));
    public static final VarHandle CSUM = LAYOUT.varHandle(PathElement.groupElement("csum"));
    public static final VarHandle STATUS = LAYOUT.varHandle(PathElement.groupElement("status"));
    public static final VarHandle ERRORS = LAYOUT.varHandle(PathElement.groupElement("errors"));
    public static final VarHandle SPECIAL = LAYOUT.varHandle(PathElement.groupElement("special"));

    public static final long OFFSET_BUFFER_ADDR = LAYOUT.byteOffset(PathElement.groupElement("buffer_addr"));
    public static final long OFFSET_LENGTH = LAYOUT.byteOffset(PathElement.groupElement("length"));
    public static final long OFFSET_CSUM = LAYOUT.byteOffset(PathElement.groupElement("csum"));
    public static final long OFFSET_STATUS = LAYOUT.byteOffset(PathElement.groupElement("status"));
    public static final long OFFSET_ERRORS = LAYOUT.byteOffset(PathElement.groupElement("errors"));
    public static final long OFFSET_SPECIAL = LAYOUT.byteOffset(PathElement.groupElement("special"));

    // ---- status -------------------------------------------------------------------------------------

    /** Descriptor done. */
    public static final int STA_DD = 0x01;
    /** End of packet: the last descriptor of a frame. */
    public static final int STA_EOP = 0x02;
    /** Ignore checksum indication. */
    public static final int STA_IXSM = 0x04;
    /** The frame had a VLAN tag ({@code special}). */
    public static final int STA_VP = 0x08;
    public static final int STA_UDPCS = 0x10;
    public static final int STA_TCPCS = 0x20;
    public static final int STA_IPCS = 0x40;
    /** Passed in-exact filter. */
    public static final int STA_PIF = 0x80;

    // ---- errors -------------------------------------------------------------------------------------

    /** CRC or alignment error. */
    public static final int ERR_CE = 0x01;
    /** Symbol error. */
    public static final int ERR_SE = 0x02;
    /** Sequence error. */
    public static final int ERR_SEQ = 0x04;
    /** Carrier extension error. */
    public static final int ERR_CXE = 0x10;
    /** TCP/UDP checksum error (only meaningful with checksum offload). */
    public static final int ERR_TCPE = 0x20;
    /** IP checksum error (only meaningful with checksum offload). */
    public static final int ERR_IPE = 0x40;
    /** RX data error. */
    public static final int ERR_RXE = 0x80;
    /** The errors that make the frame itself bad (not the checksum-offload verdicts). */
    public static final int ERR_FRAME = ERR_CE | ERR_SE | ERR_SEQ | ERR_CXE | ERR_RXE;
}

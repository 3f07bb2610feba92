package io.nicup.ndis.miniport.virtio;

import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemoryLayout.PathElement;
import java.lang.foreign.StructLayout;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * The three parts of a split virtqueue (virtio 1.2, 2.7; docs/hardware-reference.md C.5), little-endian as VERSION_1
 * requires. A queue of {@code qsz} entries (a power of two) has:
 *
 * <pre>
 * Descriptor table (driver writes), 16 * qsz bytes, align 16      struct virtq_desc
 *   ┌───────────────────────────────┬──────────────┬──────────┬──────────┐
 *   │ addr le64 (buffer IOVA)       │ len le32     │ flags 16 │ next 16  │   x qsz
 *   └───────────────────────────────┴──────────────┴──────────┴──────────┘
 * Available ring (driver writes), 6 + 2 * qsz bytes, align 2      struct virtq_avail
 *   ┌──────────┬──────────┬──────────────────────────────┬────────────┐
 *   │ flags 16 │ idx 16   │ ring[qsz] le16 (head indexes)│ used_event │
 *   └──────────┴──────────┴──────────────────────────────┴────────────┘
 * Used ring (device writes), 6 + 8 * qsz bytes, align 4           struct virtq_used
 *   ┌──────────┬──────────┬────────────────────────────────────┬─────────────┐
 *   │ flags 16 │ idx 16   │ ring[qsz] { id le32, len le32 }    │ avail_event │
 *   └──────────┴──────────┴────────────────────────────────────┴─────────────┘
 * </pre>
 *
 * {@code idx} fields are free-running 16-bit counters: entry {@code idx % qsz} is the next to fill.
 */
public final class Virtq {

    private Virtq() {
    }

    /** Largest queue size the split ring allows (2.7). */
    public static final int MAX_SIZE = 32768;

    /** {@code struct virtq_desc}. */
    public static final StructLayout DESC = MemoryLayout.structLayout(
            ValueLayout.JAVA_LONG.withOrder(ByteOrder.LITTLE_ENDIAN).withName("addr"),
            ValueLayout.JAVA_INT.withOrder(ByteOrder.LITTLE_ENDIAN).withName("len"),
            ValueLayout.JAVA_SHORT.withOrder(ByteOrder.LITTLE_ENDIAN).withName("flags"),
            ValueLayout.JAVA_SHORT.withOrder(ByteOrder.LITTLE_ENDIAN).withName("next")).withName("virtq_desc");
    public static final int DESC_BYTES = (int) DESC.byteSize();
    public static final int DESC_ALIGN = 16;
    public static final VarHandle DESC_ADDR = DESC.varHandle(PathElement.groupElement("addr"));
    public static final VarHandle DESC_LEN = DESC.varHandle(PathElement.groupElement("len"));
    public static final VarHandle DESC_FLAGS = DESC.varHandle(PathElement.groupElement("flags"));
    public static final VarHandle DESC_NEXT = DESC.varHandle(PathElement.groupElement("next"));

    /** Descriptor flags (2.7.5). */
    public static final int DESC_F_NEXT = 1;
    public static final int DESC_F_WRITE = 2;
    public static final int DESC_F_INDIRECT = 4;

    /** {@code struct virtq_avail} header; ring[] follows at {@link #AVAIL_RING}. */
    public static final StructLayout AVAIL_HEADER = MemoryLayout.structLayout(
            ValueLayout.JAVA_SHORT.withOrder(ByteOrder.LITTLE_ENDIAN).withName("flags"),
            ValueLayout.JAVA_SHORT.withOrder(ByteOrder.LITTLE_ENDIAN).withName("idx")).withName("virtq_avail");
    public static final int AVAIL_ALIGN = 2;
    public static final long AVAIL_FLAGS = AVAIL_HEADER.byteOffset(PathElement.groupElement("flags"));
    public static final long AVAIL_IDX = AVAIL_HEADER.byteOffset(PathElement.groupElement("idx"));
    public static final long AVAIL_RING = AVAIL_HEADER.byteSize();
    /** VRING_AVAIL_F_NO_INTERRUPT. */
    public static final int AVAIL_F_NO_INTERRUPT = 1;

    /** {@code struct virtq_used_elem}. */
    public static final StructLayout USED_ELEM = MemoryLayout.structLayout(
            ValueLayout.JAVA_INT.withOrder(ByteOrder.LITTLE_ENDIAN).withName("id"),
            ValueLayout.JAVA_INT.withOrder(ByteOrder.LITTLE_ENDIAN).withName("len")).withName("virtq_used_elem");
    public static final int USED_ELEM_BYTES = (int) USED_ELEM.byteSize();
    public static final long USED_ELEM_ID = USED_ELEM.byteOffset(PathElement.groupElement("id"));
    public static final long USED_ELEM_LEN = USED_ELEM.byteOffset(PathElement.groupElement("len"));
    /** {@code struct virtq_used} header; ring[] follows at {@link #USED_RING}. */
    public static final StructLayout USED_HEADER = AVAIL_HEADER.withName("virtq_used");
    public static final int USED_ALIGN = 4;
    public static final long USED_FLAGS = AVAIL_FLAGS;
    public static final long USED_IDX = AVAIL_IDX;
    public static final long USED_RING = AVAIL_RING;
    /** VRING_USED_F_NO_NOTIFY. */
    public static final int USED_F_NO_NOTIFY = 1;

    public static final ValueLayout.OfShort LE16 = ValueLayout.JAVA_SHORT.withOrder(ByteOrder.LITTLE_ENDIAN);
    public static final ValueLayout.OfInt LE32 = ValueLayout.JAVA_INT.withOrder(ByteOrder.LITTLE_ENDIAN);
    /** Acquire/release access to the 16-bit idx fields. */
    public static final VarHandle IDX16 = LE16.varHandle();

    public static long descTableBytes(int qsz) {
        return (long) DESC_BYTES * qsz;
    }

    /** Available ring with used_event. */
    public static long availBytes(int qsz) {
        return AVAIL_RING + 2L * qsz + 2;
    }

    /** Used ring with avail_event. */
    public static long usedBytes(int qsz) {
        return USED_RING + (long) USED_ELEM_BYTES * qsz + 2;
    }

    /** Offset of the available ring in one area holding all three parts. */
    public static long availOffset(int qsz) {
        return descTableBytes(qsz);
    }

    /** Offset of the used ring in one area holding all three parts (aligned to 4). */
    public static long usedOffset(int qsz) {
        return align(availOffset(qsz) + availBytes(qsz), USED_ALIGN);
    }

    /** Bytes of one area holding all three parts, desc at 0. */
    public static long areaBytes(int qsz) {
        return usedOffset(qsz) + usedBytes(qsz);
    }

    static long align(long v, long a) {
        return (v + a - 1) & -a;
    }

    /** Entries between two free-running 16-bit indexes ({@code later - earlier} modulo 2^16). */
    public static int distance(int earlier, int later) {
        return (later - earlier) & 0xFFFF;
    }
}

package io.nicup.ndis.datapath;

import io.nicup.ndis.NdisStatus;
import io.nicup.ndis.adapter.SharedMemory;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * NET_BUFFER: one frame's data, {@link #dataLength()} bytes at {@link #dataOffset()} in a contiguous
 * {@link #buffer()} (nicup's single-MDL "MdlChain"). When the buffer is DMA memory, typically a slice of
 * a {@link SharedMemory} region or a pool's data region, {@link #dataIova()} is the device address of the
 * first data byte: the value a miniport programs into a descriptor, so sending needs no copy.
 *
 * <p>All accessors are plain field reads; setters check bounds (a violation is a driver bug and throws
 * {@link IndexOutOfBoundsException}). Nothing here allocates.
 *
 * {@snippet lang=c :
 * typedef struct _NET_BUFFER {
 *     PNET_BUFFER Next;
 *     PMDL CurrentMdl; ULONG CurrentMdlOffset;
 *     ULONG DataLength;            // also stored as size_t in newer headers
 *     PMDL MdlChain;
 *     ULONG DataOffset;
 *     ...
 * } NET_BUFFER;
 * }
 */
public final class NetBuffer {

    /** No device address: the buffer is not DMA memory. */
    public static final long NO_IOVA = -1;

    NetBuffer next;
    private MemorySegment buffer;
    private long bufferIova = NO_IOVA;
    private int dataOffset;
    private int dataLength;
    private Object miniportReserved;

    NetBuffer() {
        this.buffer = MemorySegment.NULL;
    }

    public NetBuffer next() {
        return next;
    }

    /** The whole buffer the data lies in. */
    public MemorySegment buffer() {
        return buffer;
    }

    /** Device address of {@code buffer()} offset 0, or {@link #NO_IOVA}. */
    public long bufferIova() {
        return bufferIova;
    }

    /** Device address of the first data byte, or {@link #NO_IOVA}. */
    public long dataIova() {
        return bufferIova == NO_IOVA ? NO_IOVA : bufferIova + dataOffset;
    }

    public int dataOffset() {
        return dataOffset;
    }

    public int dataLength() {
        return dataLength;
    }

    /** Bytes the buffer holds. */
    public int capacity() {
        return (int) buffer.byteSize();
    }

    /** Points this NET_BUFFER at a (new) buffer: NdisAllocateNetBuffer's MdlChain/DataOffset/DataLength. */
    public void attach(MemorySegment newBuffer, long newBufferIova, int offset, int length) {
        checkRange(offset, length, newBuffer.byteSize());
        this.buffer = newBuffer;
        this.bufferIova = newBufferIova;
        this.dataOffset = offset;
        this.dataLength = length;
    }

    /** Sets where the data lies within the buffer. */
    public void setData(int offset, int length) {
        checkRange(offset, length, buffer.byteSize());
        this.dataOffset = offset;
        this.dataLength = length;
    }

    public void setDataLength(int length) {
        checkRange(dataOffset, length, buffer.byteSize());
        this.dataLength = length;
    }

    /** NdisAdvanceNetBufferDataStart: drop {@code bytes} from the front. */
    public void advanceDataStart(int bytes) {
        if (bytes < 0 || bytes > dataLength) {
            throw new IndexOutOfBoundsException("advance beyond data: bytes=" + bytes + " dataLength=" + dataLength);
        }
        dataOffset += bytes;
        dataLength -= bytes;
    }

    /**
     * NdisRetreatNetBufferDataStart: prepend {@code bytes} of the buffer's backfill.
     *
     * @return SUCCESS, or RESOURCES when the backfill is smaller (nicup never allocates a new MDL)
     */
    public int retreatDataStart(int bytes) {
        if (bytes < 0 || bytes > dataOffset) {
            return NdisStatus.RESOURCES;
        }
        dataOffset -= bytes;
        dataLength += bytes;
        return NdisStatus.SUCCESS;
    }

    public byte getByte(int index) {
        checkIndex(index);
        return buffer.get(ValueLayout.JAVA_BYTE, dataOffset + (long) index);
    }

    /** Copies the data into {@code dst} from {@code dstOffset}; returns the bytes copied. */
    public int copyDataTo(byte[] dst, int dstOffset) {
        int n = Math.min(dataLength, dst.length - dstOffset);
        MemorySegment.copy(buffer, ValueLayout.JAVA_BYTE, dataOffset, dst, dstOffset, n);
        return n;
    }

    /** Copies {@code src} into the buffer at the data offset and sets the data length. */
    public void copyDataFrom(byte[] src, int srcOffset, int length) {
        checkRange(dataOffset, length, buffer.byteSize());
        MemorySegment.copy(src, srcOffset, buffer, ValueLayout.JAVA_BYTE, dataOffset, length);
        dataLength = length;
    }

    /** The data as a new array (for tests and diagnostics; allocates). */
    public byte[] toByteArray() {
        byte[] b = new byte[dataLength];
        copyDataTo(b, 0);
        return b;
    }

    /** NET_BUFFER.MiniportReserved: the miniport's slot while it owns the NET_BUFFER. */
    public Object miniportReserved() {
        return miniportReserved;
    }

    public void setMiniportReserved(Object value) {
        this.miniportReserved = value;
    }

    /** Back to a pool's initial shape; the NET_BUFFER chain of a pool NBL is fixed. */
    void reset(int length) {
        dataOffset = 0;
        dataLength = length;
        miniportReserved = null;
    }

    private void checkIndex(int index) {
        if (index < 0 || index >= dataLength) {
            throw new IndexOutOfBoundsException("index=" + index + " dataLength=" + dataLength);
        }
    }

    private static void checkRange(int offset, int length, long capacity) {
        if (offset < 0 || length < 0 || (long) offset + length > capacity) {
            throw new IndexOutOfBoundsException("data outside buffer: offset=" + offset + " length=" + length
                    + " capacity=" + capacity);
        }
    }

    @Override
    public String toString() {
        return "NetBuffer{offset=" + dataOffset + " length=" + dataLength + " capacity=" + capacity()
                + (bufferIova == NO_IOVA ? "" : String.format(" iova=0x%x", bufferIova)) + "}";
    }
}

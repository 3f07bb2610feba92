package io.nicup.ndis.datapath;

import io.nicup.ndis.NdisStatus;
import io.nicup.ndis.adapter.SharedMemory;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * NET_BUFFER: one frame's data, {@link #dataLength()} bytes starting {@link #dataOffset()} bytes into a
 * chain of {@link Mdl MDLs} ({@link #mdlChain()}), as NET_BUFFER_DATA defines it
 * (docs/ndis-contract.md §16.1). {@link #currentMdl()} is the MDL holding the first data byte and {@link #currentMdlOffset()} its
 * offset there. Most NET_BUFFERs have one MDL (a pool's buffer, a receive buffer: NdisAllocateNetBufferMdlAndData);
 * then {@link #buffer()} is that buffer and {@link #dataIova()} the device address of the first data byte,
 * the value a miniport programs into a descriptor, so sending needs no copy. A NET_BUFFER whose data spans
 * several MDLs ({@link #contiguous()} false) is sent one piece per descriptor ({@link #attach(Mdl, int, int)},
 * {@link #split}).
 *
 * <p>All accessors are plain field reads, and with one MDL every setter is too: the MDL chain is walked only
 * when it has more than one MDL. Setters check bounds (a violation is a driver bug and throws
 * {@link IndexOutOfBoundsException}). Nothing here allocates except {@link #split} the first time a NET_BUFFER
 * is split into more pieces than before.
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
    /** The MDL the NET_BUFFER owns: its pool buffer, or the memory {@link #attach(MemorySegment, long, int, int)} names. */
    private final Mdl own = new Mdl();
    /** MDLs {@link #split} links after {@link #own}; grown on demand, never on the data path. */
    private Mdl[] pieces = new Mdl[0];
    private Mdl mdlChain = own;
    private Mdl currentMdl = own;
    private int currentMdlOffset;
    private int dataOffset;
    private int dataLength;
    private Object miniportReserved;

    NetBuffer() {
    }

    public NetBuffer next() {
        return next;
    }

    /** NET_BUFFER_FIRST_MDL. */
    public Mdl mdlChain() {
        return mdlChain;
    }

    /** NET_BUFFER_CURRENT_MDL: the MDL that holds the first data byte. */
    public Mdl currentMdl() {
        return currentMdl;
    }

    /** NET_BUFFER_CURRENT_MDL_OFFSET: where the data starts in {@link #currentMdl()}. */
    public int currentMdlOffset() {
        return currentMdlOffset;
    }

    /** Whether the data lies in one MDL (the common case, one descriptor): no walk. */
    public boolean contiguous() {
        return dataLength <= currentMdl.byteCount - currentMdlOffset;
    }

    /** The memory of the first MDL (the whole buffer when there is one MDL). */
    public MemorySegment buffer() {
        return mdlChain.memory;
    }

    /** Device address of the first MDL's first byte, or {@link #NO_IOVA}. */
    public long bufferIova() {
        return mdlChain.iova;
    }

    /** Device address of the first data byte (in {@link #currentMdl()}), or {@link #NO_IOVA}. */
    public long dataIova() {
        long iova = currentMdl.iova;
        return iova == NO_IOVA ? NO_IOVA : iova + currentMdlOffset;
    }

    /** NET_BUFFER_DATA_OFFSET: bytes from the start of the MDL chain to the data (the backfill). */
    public int dataOffset() {
        return dataOffset;
    }

    public int dataLength() {
        return dataLength;
    }

    /** Bytes the MDL chain holds. */
    public int capacity() {
        return (int) chainBytes(mdlChain);
    }

    /** Bytes of the chain from {@code first} on. */
    static long chainBytes(Mdl first) {
        if (first == null) {
            return 0;
        }
        if (first.next == null) {
            return first.byteCount;
        }
        long n = 0;
        for (Mdl m = first; m != null; m = m.next) {
            n += m.byteCount;
        }
        return n;
    }

    /** Points this NET_BUFFER at a (new) buffer of one MDL: NdisAllocateNetBuffer's MdlChain/DataOffset/DataLength. */
    public void attach(MemorySegment newBuffer, long newBufferIova, int offset, int length) {
        checkRange(offset, length, newBuffer.byteSize());
        own.describe(newBuffer, newBufferIova, newBuffer.byteSize());
        mdlChain = own;
        currentMdl = own;
        currentMdlOffset = offset;
        dataOffset = offset;
        dataLength = length;
    }

    /**
     * NdisAllocateNetBuffer(pool, MdlChain, DataOffset, DataLength): the data lies in the caller's MDLs,
     * which stay as they are while the NET_BUFFER is sent or indicated.
     */
    public void attach(Mdl chain, int offset, int length) {
        checkRange(offset, length, chainBytes(chain));
        mdlChain = chain;
        dataOffset = offset;
        dataLength = length;
        locate(offset);
    }

    /**
     * Spreads the data over {@code lengths.length} MDLs carved from this NET_BUFFER's own buffer, each
     * {@code gap} bytes after the previous one's end (so no piece touches the next, and a miniport that
     * reads past a piece reads the gap): the first MDL holds {@code dataOffset} bytes of backfill and the
     * first piece, the others one piece each. Data offset and length follow; the bytes stay where they lie.
     * For the protocol edge and tests; allocates only to grow its spare MDLs.
     */
    public void split(int dataOffset, int gap, int... lengths) {
        if (lengths.length == 0 || gap < 0 || dataOffset < 0) {
            throw new IllegalArgumentException("bad split: pieces=" + lengths.length + " gap=" + gap
                    + " dataOffset=" + dataOffset);
        }
        if (pieces.length < lengths.length - 1) {
            Mdl[] grown = java.util.Arrays.copyOf(pieces, lengths.length - 1);
            for (int i = pieces.length; i < grown.length; i++) {
                grown[i] = new Mdl();
            }
            pieces = grown;
        }
        MemorySegment memory = own.memory;
        long size = memory.byteSize();
        long at = (long) dataOffset + lengths[0];
        int total = lengths[0];
        checkRange(dataOffset, lengths[0], size);
        own.next = null;
        own.adjustLength((int) at);
        Mdl tail = own;
        for (int i = 1; i < lengths.length; i++) {
            at += gap;
            checkRange((int) Math.min(at, Integer.MAX_VALUE), lengths[i], size);
            Mdl m = pieces[i - 1];
            m.describe(memory.asSlice(at, lengths[i]), own.iova == NO_IOVA ? NO_IOVA : own.iova + at, lengths[i]);
            tail.next = m;
            tail = m;
            at += lengths[i];
            total += lengths[i];
        }
        mdlChain = own;
        this.dataOffset = dataOffset;
        this.dataLength = total;
        locate(dataOffset);
    }

    /** Sets where the data lies within the MDL chain. */
    public void setData(int offset, int length) {
        checkRange(offset, length, chainBytes(mdlChain));
        this.dataOffset = offset;
        this.dataLength = length;
        locate(offset);
    }

    public void setDataLength(int length) {
        checkRange(dataOffset, length, chainBytes(mdlChain));
        this.dataLength = length;
    }

    /** CurrentMdl and CurrentMdlOffset for a data offset of {@code offset} (no walk with one MDL). */
    private void locate(int offset) {
        Mdl m = mdlChain;
        int off = offset;
        while (m.next != null && off >= m.byteCount) {
            off -= m.byteCount;
            m = m.next;
        }
        currentMdl = m;
        currentMdlOffset = off;
    }

    /** NdisAdvanceNetBufferDataStart: drop {@code bytes} from the front. */
    public void advanceDataStart(int bytes) {
        if (bytes < 0 || bytes > dataLength) {
            throw new IndexOutOfBoundsException("advance beyond data: bytes=" + bytes + " dataLength=" + dataLength);
        }
        dataOffset += bytes;
        dataLength -= bytes;
        Mdl m = currentMdl;
        int off = currentMdlOffset + bytes;
        while (m.next != null && off >= m.byteCount) {
            off -= m.byteCount;
            m = m.next;
        }
        currentMdl = m;
        currentMdlOffset = off;
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
        if (bytes <= currentMdlOffset) {
            currentMdlOffset -= bytes;
        } else {
            locate(dataOffset);
        }
        return NdisStatus.SUCCESS;
    }

    public byte getByte(int index) {
        checkIndex(index);
        Mdl m = currentMdl;
        long at = (long) currentMdlOffset + index;
        while (at >= m.byteCount && m.next != null) {
            at -= m.byteCount;
            m = m.next;
        }
        return m.memory.get(ValueLayout.JAVA_BYTE, at);
    }

    /** Copies the data into {@code dst} from {@code dstOffset}; returns the bytes copied. */
    public int copyDataTo(byte[] dst, int dstOffset) {
        int n = Math.min(dataLength, dst.length - dstOffset);
        if (contiguous()) {
            MemorySegment.copy(currentMdl.memory, ValueLayout.JAVA_BYTE, currentMdlOffset, dst, dstOffset, n);
            return n;
        }
        int done = 0;
        long off = currentMdlOffset;
        for (Mdl m = currentMdl; m != null && done < n; m = m.next) {
            int k = (int) Math.min(n - done, m.byteCount - off);
            MemorySegment.copy(m.memory, ValueLayout.JAVA_BYTE, off, dst, dstOffset + done, k);
            done += k;
            off = 0;
        }
        return done;
    }

    /** Copies the data into {@code dst} at {@code dstOffset} (a bounce buffer); returns the bytes copied. */
    public int copyDataTo(MemorySegment dst, long dstOffset) {
        int done = 0;
        long off = currentMdlOffset;
        for (Mdl m = currentMdl; m != null && done < dataLength; m = m.next) {
            int k = (int) Math.min(dataLength - done, m.byteCount - off);
            MemorySegment.copy(m.memory, off, dst, dstOffset + done, k);
            done += k;
            off = 0;
        }
        return done;
    }

    /** Copies {@code src} into the MDL chain at the data offset and sets the data length. */
    public void copyDataFrom(byte[] src, int srcOffset, int length) {
        checkRange(dataOffset, length, chainBytes(mdlChain));
        int done = 0;
        long off = currentMdlOffset;
        for (Mdl m = currentMdl; m != null && done < length; m = m.next) {
            int k = (int) Math.min(length - done, m.byteCount - off);
            MemorySegment.copy(src, srcOffset + done, m.memory, ValueLayout.JAVA_BYTE, off, k);
            done += k;
            off = 0;
        }
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

    /** Back to a pool's initial shape: its own buffer as the one MDL; the NET_BUFFER chain of a pool NBL is fixed. */
    void reset(int length) {
        own.next = null;
        own.byteCount = (int) own.memory.byteSize();
        mdlChain = own;
        currentMdl = own;
        currentMdlOffset = 0;
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
        long iova = bufferIova();
        return "NetBuffer{offset=" + dataOffset + " length=" + dataLength + " capacity=" + capacity()
                + (mdlChain.next == null ? "" : " mdls=" + mdlCount())
                + (iova == NO_IOVA ? "" : String.format(" iova=0x%x", iova)) + "}";
    }

    /** MDLs in the chain (walks it: diagnostics only). */
    public int mdlCount() {
        int n = 0;
        for (Mdl m = mdlChain; m != null; m = m.next) {
            n++;
        }
        return n;
    }
}

package io.nicup.ndis.datapath;

import java.lang.foreign.MemorySegment;

/**
 * MDL: one piece of a NET_BUFFER's memory, {@link #byteCount()} bytes of {@link #memory()} at device
 * address {@link #iova()}, linked to the next piece by {@link #next()} (docs/ndis-contract.md §16.1). In
 * Windows an MDL describes virtual memory and a miniport gets the device addresses from a scatter-gather
 * list; nicup's pieces are slices of DMA memory, so each carries its IOVA, the address a descriptor takes.
 *
 * <p>Nothing here allocates after construction. A NET_BUFFER from a pool owns its MDLs; one made with
 * {@link NetBuffer#attach(Mdl, int, int)} points at the caller's, which the caller keeps unchanged while
 * the NET_BUFFER is sent or indicated (WDD sending-ethernet-frames: links changed are restored).
 *
 * {@snippet lang=c :
 * typedef struct _MDL {
 *     struct _MDL *Next;
 *     ...
 *     PVOID MappedSystemVa;   // nicup: memory()
 *     ULONG ByteCount;        // nicup: byteCount()
 *     ULONG ByteOffset;
 * } MDL;
 * }
 */
public final class Mdl {

    Mdl next;
    MemorySegment memory;
    long iova;
    int byteCount;

    /** An MDL over the whole of {@code memory}, whose first byte the device reaches at {@code iova} (or {@link NetBuffer#NO_IOVA}). */
    public Mdl(MemorySegment memory, long iova) {
        describe(memory, iova, memory.byteSize());
    }

    Mdl() {
        this.memory = MemorySegment.NULL;
        this.iova = NetBuffer.NO_IOVA;
    }

    final void describe(MemorySegment newMemory, long newIova, long bytes) {
        if (bytes < 0 || bytes > newMemory.byteSize() || bytes > Integer.MAX_VALUE) {
            throw new IndexOutOfBoundsException("MDL beyond its memory: byteCount=" + bytes + " memory="
                    + newMemory.byteSize());
        }
        this.memory = newMemory;
        this.iova = newIova;
        this.byteCount = (int) bytes;
        this.next = null;
    }

    /** NDIS_MDL_LINKAGE: the next piece, or null for the last. */
    public Mdl next() {
        return next;
    }

    /** Links {@code mdl} after this one (null ends the chain here). */
    public void setNext(Mdl mdl) {
        this.next = mdl;
    }

    /** The memory the piece lies in (MmGetSystemAddressForMdlSafe); {@link #byteCount()} bytes of it are the piece. */
    public MemorySegment memory() {
        return memory;
    }

    /** Device address of the piece's first byte, or {@link NetBuffer#NO_IOVA}. */
    public long iova() {
        return iova;
    }

    /** MmGetMdlByteCount. */
    public int byteCount() {
        return byteCount;
    }

    /** NdisAdjustMdlLength: at most the memory the MDL was made over. */
    public void adjustLength(int length) {
        if (length < 0 || length > memory.byteSize()) {
            throw new IndexOutOfBoundsException("MDL length beyond its memory: length=" + length + " memory="
                    + memory.byteSize());
        }
        this.byteCount = length;
    }

    @Override
    public String toString() {
        return "Mdl{byteCount=" + byteCount + (iova == NetBuffer.NO_IOVA ? "" : String.format(" iova=0x%x", iova)) + "}";
    }
}

package io.nicup.ndis.miniport.virtio;

import java.lang.foreign.MemorySegment;
import java.lang.invoke.VarHandle;

/**
 * The driver side of one split virtqueue in one zeroed DMA area (desc, avail, used; {@link Virtq}).
 * Publishing: {@link #publish} puts a head into the available ring at the shadow index, {@link #commit}
 * makes every published head visible with one release-ordered {@code avail.idx} store (the write
 * barrier of 2.7.13). Consuming: {@link #usedReady} reads {@code used.idx} with acquire order (the read
 * barrier) and {@link #usedId}/{@link #usedLen} read the entries, {@link #consume} moves past them.
 * Indexes are free-running 16-bit counters. Nothing here allocates; not thread-safe (the caller locks).
 */
public final class SplitRing {

    private final MemorySegment area;
    private final long iova;
    private final int size;
    private final int mask;
    private final long availOffset;
    private final long usedOffset;
    private int availShadow;
    private int lastUsed;

    /**
     * @param area zeroed memory of at least {@link Virtq#areaBytes}(size), aligned to 16
     * @param iova the device's address of {@code area}
     * @param size queue size, a power of two of at most {@link Virtq#MAX_SIZE}
     */
    public SplitRing(MemorySegment area, long iova, int size) {
        if (size < 1 || size > Virtq.MAX_SIZE || Integer.bitCount(size) != 1) {
            throw new IllegalArgumentException("queue size must be a power of two from 1 to 32768: size=" + size);
        }
        if (area.byteSize() < Virtq.areaBytes(size) || (iova & (Virtq.DESC_ALIGN - 1)) != 0) {
            throw new IllegalArgumentException("ring area too small or misaligned: size=" + size + " bytes="
                    + area.byteSize() + " needed=" + Virtq.areaBytes(size) + " iova=0x" + Long.toHexString(iova));
        }
        this.area = area;
        this.iova = iova;
        this.size = size;
        this.mask = size - 1;
        this.availOffset = Virtq.availOffset(size);
        this.usedOffset = Virtq.usedOffset(size);
    }

    public int size() {
        return size;
    }

    public long descIova() {
        return iova;
    }

    public long availIova() {
        return iova + availOffset;
    }

    public long usedIova() {
        return iova + usedOffset;
    }

    /** Writes descriptor {@code i}. */
    public void setDesc(int i, long addr, int len, int flags, int next) {
        long at = (long) i * Virtq.DESC_BYTES;
        Virtq.DESC_ADDR.set(area, at, addr);
        Virtq.DESC_LEN.set(area, at, len);
        Virtq.DESC_FLAGS.set(area, at, (short) flags);
        Virtq.DESC_NEXT.set(area, at, (short) next);
    }

    public long descAddr(int i) {
        return (long) Virtq.DESC_ADDR.get(area, (long) i * Virtq.DESC_BYTES);
    }

    public int descLen(int i) {
        return (int) Virtq.DESC_LEN.get(area, (long) i * Virtq.DESC_BYTES);
    }

    /** Sets only the length of descriptor {@code i} (the buffer address stays). */
    public void setDescLen(int i, int len) {
        Virtq.DESC_LEN.set(area, (long) i * Virtq.DESC_BYTES, len);
    }

    /** Puts {@code head} into the next available slot; invisible to the device until {@link #commit}. */
    public void publish(int head) {
        area.set(Virtq.LE16, availOffset + Virtq.AVAIL_RING + 2L * (availShadow & mask), (short) head);
        availShadow = (availShadow + 1) & 0xFFFF;
    }

    /** Makes the published heads visible: release fence, then {@code avail.idx}. Returns the new idx. */
    public int commit() {
        VarHandle.releaseFence();
        Virtq.IDX16.setRelease(area, availOffset + Virtq.AVAIL_IDX, (short) availShadow);
        VarHandle.fullFence();                              // idx visible before the notify decision (2.7.13)
        return availShadow;
    }

    /** Heads published and not yet used: what the device holds. */
    public int inFlight() {
        return Virtq.distance(lastUsed, availShadow);
    }

    /** The driver's available index (free-running). */
    public int availIndex() {
        return availShadow;
    }

    /** Used entries the device has returned and the driver has not consumed. */
    public int usedReady() {
        int idx = (short) Virtq.IDX16.getAcquire(area, usedOffset + Virtq.USED_IDX) & 0xFFFF;
        return Virtq.distance(lastUsed, idx);
    }

    /** The device's used index as last written. */
    public int usedIndex() {
        return (short) Virtq.IDX16.getAcquire(area, usedOffset + Virtq.USED_IDX) & 0xFFFF;
    }

    /** The driver's next used index to consume (free-running). */
    public int lastUsed() {
        return lastUsed;
    }

    /** Head id of the {@code k}-th unconsumed used entry. */
    public int usedId(int k) {
        return area.get(Virtq.LE32, usedElem(k) + Virtq.USED_ELEM_ID);
    }

    /** Bytes the device wrote for the {@code k}-th unconsumed used entry. */
    public int usedLen(int k) {
        return area.get(Virtq.LE32, usedElem(k) + Virtq.USED_ELEM_LEN);
    }

    private long usedElem(int k) {
        return usedOffset + Virtq.USED_RING + (long) Virtq.USED_ELEM_BYTES * ((lastUsed + k) & mask);
    }

    public void consume(int n) {
        lastUsed = (lastUsed + n) & 0xFFFF;
    }

    /** Whether the device asks to be notified (used.flags without NO_NOTIFY, 2.7.10). */
    public boolean needsNotify() {
        return (area.get(Virtq.LE16, usedOffset + Virtq.USED_FLAGS) & Virtq.USED_F_NO_NOTIFY) == 0;
    }

    /** Sets avail.flags (NO_INTERRUPT: the device should not interrupt for this queue). */
    public void setAvailFlags(int flags) {
        area.set(Virtq.LE16, availOffset + Virtq.AVAIL_FLAGS, (short) flags);
    }

    /**
     * Both indexes at {@code index} with nothing in flight, as after that many buffers went through: lets
     * a test reach the 16-bit wrap-around without 65536 round trips. The device side must agree.
     */
    void startAt(int index) {
        availShadow = index & 0xFFFF;
        lastUsed = index & 0xFFFF;
        area.set(Virtq.LE16, availOffset + Virtq.AVAIL_IDX, (short) index);
    }

    /** Back to the state after a device reset: all zeros, both indexes 0. */
    public void reset() {
        area.asSlice(0, Virtq.areaBytes(size)).fill((byte) 0);
        availShadow = 0;
        lastUsed = 0;
    }
}

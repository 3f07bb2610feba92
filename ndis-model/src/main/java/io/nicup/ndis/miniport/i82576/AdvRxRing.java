package io.nicup.ndis.miniport.i82576;

import static io.nicup.ndis.miniport.i82576.AdvRxDescriptor.HDR_ADDR;
import static io.nicup.ndis.miniport.i82576.AdvRxDescriptor.LENGTH;
import static io.nicup.ndis.miniport.i82576.AdvRxDescriptor.PKT_ADDR;
import static io.nicup.ndis.miniport.i82576.AdvRxDescriptor.SHIFT;
import static io.nicup.ndis.miniport.i82576.AdvRxDescriptor.STATUS_ERROR;

import io.nicup.ndis.miniport.i82574.FastPathChecks;
import io.nicup.ndis.miniport.i82574.PacketBufferPool;
import io.nicup.ndis.miniport.i82574.RingGeometry;

import io.nicup.vfio.DmaRegion;
import io.nicup.vfio.RegisterSpace;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.VarHandle;

/**
 * One receive queue of the 82576: a ring of {@link AdvRxDescriptor advanced one-buffer descriptors}
 * (SRRCTL.DESCTYPE = 001), each holding a buffer of a {@link PacketBufferPool}, and its tail doorbell:
 * the 82574L's {@code RxRing} with the 82576's descriptor format and registers. {@link #poll} hands the buffers of
 * received frames to the caller; {@link #refill} puts buffers (the same ones once the caller is done, or
 * fresh ones) back into the ring. The fast path allocates nothing, throws nothing on a device condition
 * and logs nothing: a bad frame is a frame with {@linkplain #faults(int) fault bits}, never an exception.
 *
 * <h2>Ring state</h2>
 * <pre>
 *               next                        tail (= RDT)
 *                v                            v
 *   +---+---+---+---+---+---+---+---+---+---+---+---+---+---+---+---+
 *   |   |   |   | F | F | h | h | h | h | h |   |   |   |   |   |   |
 *   +---+---+---+---+---+---+---+---+---+---+---+---+---+---+---+---+
 *                \___ hardwareOwned() ______/ \____ emptySlots() ______/
 *   F: frame received (DD), not yet polled      h: buffer waiting for a frame
 *   empty: its buffer was handed to the caller by poll; refill puts a buffer there
 * </pre>
 * <ul>
 *   <li>{@code tail} is the next slot to refill and the value last written to RDT; always
 *       {@code < count}. The device owns {@code [next, tail)}.</li>
 *   <li>At most {@code count - 1} slots hold buffers: {@code RDT == RDH} means "no buffers" to the device,
 *       so one slot always stays empty (ixy: "intentionally off by one"). A freshly written ring is filled
 *       with {@code refill} of {@code count - 1} buffers, which writes RDT = count - 1, after
 *       RXDCTL.ENABLE reads back as set (datasheet 4.5.9: the tail must not be bumped before).</li>
 *   <li>{@link #poll} reads only slots the device owns, so a stale DD in an empty slot is never seen;
 *       {@link #refill} writes {@code pkt_addr} and {@code hdr_addr = 0}, which clears
 *       {@code status_error} (it overlays {@code hdr_addr}), before the slot is handed back.</li>
 * </ul>
 *
 * <h2>Frames and faults</h2>
 * For every frame {@link #poll} reports the buffer index, the length and a {@code flags} word:
 * <pre>
 *  31      19  18   17   16  15      8 7       0
 * +---------+----+----+----+---------+---------+
 * |    0    |ERRS|LEN |FRAG| errors  | status  |   status: status_error bits 7:0
 *                                                 errors: status_error bits 31:24
 * +---------+----+----+----+---------+---------+
 * </pre>
 * <ul>
 *   <li>{@link #FAULT_FRAGMENT}: part of a frame spread over several descriptors (a descriptor without
 *       EOP, and the descriptors after it up to the one with EOP). With buffers as large as the RCTL
 *       buffer size and frames within the MTU this does not happen; each piece is reported with this bit
 *       and the caller drops them all.</li>
 *   <li>{@link #FAULT_LENGTH}: the device reported more bytes than the buffer holds (the {@code rx-length}
 *       fault): never read past {@link PacketBufferPool#bufferSize()}.</li>
 *   <li>{@link #FAULT_ERRORS}: one of the frame errors {@link AdvRxDescriptor#ERR_FRAME} is set.</li>
 * </ul>
 * Frame {@code i} of a poll came from descriptor {@code (pollIndex + i) & (count - 1)}, where
 * {@code pollIndex} is {@link #pollIndex()} before the call.
 *
 * <h2>Memory ordering</h2>
 * {@link #poll} first reads the {@code status} of the descriptors it may take (plain loads, stopping at
 * the first without DD), then issues one {@link VarHandle#acquireFence() acquire fence}, and only then
 * reads length, errors and (the caller) the frames: an acquire per batch rather than per descriptor, as
 * DPDK's ixgbe driver scans DD bits and then issues one read barrier. Per-descriptor acquires measured
 * slower at batch 32 on the FFM path (the barrier makes the JIT redo the segment's access checks for
 * every descriptor).
 * Refilled descriptors are written with plain stores, then a {@link VarHandle#releaseFence() release
 * fence} orders them before the RDT write (a volatile MMIO store, see {@link RegisterSpace}).
 *
 * <p>SRRCTL.BSIZEPKT must equal the pool's buffer size ({@link Srrctl#oneBuffer}). Not
 * thread-safe: one owner per queue (the receive path).
 */
public final class AdvRxRing {

    /** Smallest ring accepted. */
    public static final int MIN_DESCRIPTORS = RingGeometry.MIN_DESCRIPTORS;
    /** Largest ring accepted. */
    public static final int MAX_DESCRIPTORS = RingGeometry.MAX_DESCRIPTORS;

    /** Flags bits 7:0: the descriptor's {@code status}. */
    public static final int STATUS_MASK = 0xFF;
    /** Flags bits 15:8: the descriptor's {@code errors}. */
    public static final int ERRORS_SHIFT = 8;
    /** Part of a frame spread over several descriptors. */
    public static final int FAULT_FRAGMENT = 1 << 16;
    /** Length larger than the buffer. */
    public static final int FAULT_LENGTH = 1 << 17;
    /** A frame error ({@link AdvRxDescriptor#ERR_FRAME}). */
    public static final int FAULT_ERRORS = 1 << 18;
    /** All fault bits: a frame is good when none is set. */
    public static final int FAULT_MASK = FAULT_FRAGMENT | FAULT_LENGTH | FAULT_ERRORS;

    private static final int STA_DD = AdvRxDescriptor.STAT_DD;
    private static final int STA_EOP = AdvRxDescriptor.STAT_EOP;

    private final MemorySegment ring;
    private final RegisterSpace regs;
    private final long rdt;
    private final long ringIova;
    private final String purpose;
    private final int queue;
    private final int count;
    private final int mask;
    private final PacketBufferPool pool;
    private final int bufferSize;
    /** The pool buffer in each slot; meaningful for the slots the device owns. */
    private final int[] slotBuffer;
    /** Only maintained with {@link FastPathChecks#ENABLED}: which pool buffers sit in the ring. */
    private final boolean[] inRing;

    private int next;
    private int tail;
    /** A descriptor without EOP was seen and the frame's EOP has not been yet. */
    private boolean inFragmentedFrame;

    /**
     * A ring over the first {@code count * 16} bytes of {@code descriptors}, with buffers from {@code pool}.
     * Nothing is written to the device until {@link #writeRingRegisters()}.
     *
     * @param descriptors ring memory: 128-byte aligned IOVA, at least {@code count * 16} bytes, zeroed
     * @param regs BAR0 of the device (RDT, RDH and the ring base registers of {@code queue})
     * @param queue 0..15
     * @param count descriptors, a power of two from {@value #MIN_DESCRIPTORS} to {@value #MAX_DESCRIPTORS}
     * @param pool where the buffers given to {@link #refill} come from
     */
    public AdvRxRing(DmaRegion descriptors, RegisterSpace regs, int queue, int count, PacketBufferPool pool) {
        this.queue = Regs82576.queueChecked(queue);
        this.count = RingGeometry.checkCount("rx" + queue, count);
        this.ring = RingGeometry.ringSegment("rx" + queue, descriptors, count, AdvRxDescriptor.BYTES);
        this.regs = regs;
        this.rdt = Regs82576.RDT(queue);
        this.ringIova = descriptors.iova();
        this.purpose = descriptors.purpose();
        this.mask = count - 1;
        this.pool = pool;
        this.bufferSize = pool.bufferSize();
        this.slotBuffer = new int[count];
        this.inRing = new boolean[FastPathChecks.ENABLED ? pool.capacity() : 0];
    }

    /**
     * Programs the ring into the device: RDBAL/RDBAH, RDLEN, SRRCTL (one-buffer advanced descriptors of
     * the pool's buffer size), RDH = RDT = 0 (datasheet 4.5.9 "Receive Initialization"), and empties the
     * ring. Call while the queue is disabled (RXDCTL.ENABLE clear); enable it, then {@link #refill} or
     * {@link #refillFromPool} {@code count - 1} buffers.
     *
     * @throws IllegalStateException when the ring still holds buffers: {@link #drain} them first
     */
    public void writeRingRegisters() {
        if (hardwareOwned() != 0) {
            throw new IllegalStateException("ring still holds buffers, drain them first: queue=" + queue + ", buffers="
                    + hardwareOwned());
        }
        ring.fill((byte) 0);
        next = 0;
        tail = 0;
        inFragmentedFrame = false;
        regs.write32(Regs82576.RDBAL(queue), (int) ringIova);
        regs.write32(Regs82576.RDBAH(queue), (int) (ringIova >>> 32));
        regs.write32(Regs82576.RDLEN(queue), count * AdvRxDescriptor.BYTES);
        regs.write32(Regs82576.SRRCTL(queue), Srrctl.oneBuffer(bufferSize));
        regs.write32(Regs82576.RDH(queue), 0);
        regs.write32(rdt, 0);
    }

    /**
     * Takes up to {@code max} received descriptors (DD set), oldest first, and hands their buffers to the
     * caller. Touches no register.
     *
     * @param buffers receives the pool index of each frame's buffer; the caller owns it now and gives it
     *     back with {@link #refill} (or to the pool)
     * @param lengths receives each frame's length as the device reported it (check
     *     {@link #FAULT_LENGTH} before reading that many bytes)
     * @param flags receives each frame's status, errors and fault bits (see the class comment)
     * @param offset index of the first frame in the three arrays
     * @return how many frames (0 when none arrived)
     */
    public int poll(int[] buffers, int[] lengths, int[] flags, int offset, int max) {
        final MemorySegment ring = this.ring;
        final int[] slotBuffer = this.slotBuffer;
        final int mask = this.mask;
        final int bufferSize = this.bufferSize;
        int n = Math.min(max, (tail - next) & mask);
        int s = next;
        // Pass 1: how many descriptors, oldest first, has the device finished? Plain loads of DD only.
        int ready = 0;
        while (ready < n && ((int) STATUS_ERROR.get(ring, (long) ((s + ready) & mask) << SHIFT) & STA_DD) != 0) {
            ready++;
        }
        if (ready == 0) {
            return 0;
        }
        // One acquire for the batch: nothing below is read before the DD bits above (DPDK's scan-then-rmb).
        VarHandle.acquireFence();
        // Pass 2: read the finished descriptors and hand their buffers over.
        boolean fragmented = inFragmentedFrame;
        for (int i = 0; i < ready; i++) {
            long d = (long) s << SHIFT;
            int statusError = (int) STATUS_ERROR.get(ring, d);
            int status = statusError & 0xFF;
            int length = (short) LENGTH.get(ring, d) & 0xFFFF;
            int errors = statusError >>> 24;
            int f = status | errors << ERRORS_SHIFT;
            if ((status & STA_EOP) == 0 || fragmented) {
                f |= FAULT_FRAGMENT;
                fragmented = (status & STA_EOP) == 0;
            }
            if (length > bufferSize) {
                f |= FAULT_LENGTH;
            }
            if ((statusError & AdvRxDescriptor.ERR_FRAME) != 0) {
                f |= FAULT_ERRORS;
            }
            int buffer = slotBuffer[s];
            if (FastPathChecks.ENABLED) {
                inRing[buffer] = false;
            }
            buffers[offset + i] = buffer;
            lengths[offset + i] = length;
            flags[offset + i] = f;
            s = (s + 1) & mask;
        }
        next = s;
        inFragmentedFrame = fragmented;
        return ready;
    }

    /**
     * Puts up to {@code buffers} pool buffers into the empty slots and rings the doorbell once: a single
     * RDT write after the last descriptor, and none when nothing was accepted.
     *
     * @param bufferIndexes pool indexes, from {@code bufferIndexes[offset]}
     * @return how many buffers, from the first, went into the ring: {@code min(buffers, emptySlots())}; the
     *     caller keeps the rest
     */
    public int refill(int[] bufferIndexes, int offset, int buffers) {
        int n = Math.min(buffers, count - 1 - ((tail - next) & mask));
        if (n <= 0) {
            return 0;
        }
        final MemorySegment ring = this.ring;
        final int[] slotBuffer = this.slotBuffer;
        final PacketBufferPool pool = this.pool;
        final int mask = this.mask;
        int t = tail;
        for (int i = 0; i < n; i++) {
            int buffer = bufferIndexes[offset + i];
            if (FastPathChecks.ENABLED) {
                checkRefill(buffer);
            }
            long d = (long) t << SHIFT;
            slotBuffer[t] = buffer;
            PKT_ADDR.set(ring, d, pool.iova(buffer));
            HDR_ADDR.set(ring, d, 0L);                       // no header split; clears status_error
            t = (t + 1) & mask;
        }
        tail = t;
        // Every descriptor store above must be visible before the device sees the new tail.
        VarHandle.releaseFence();
        regs.write32(rdt, t);
        return n;
    }

    /**
     * Fills up to {@code max} empty slots with buffers taken from the pool, with one RDT write: to fill
     * the ring after {@link #writeRingRegisters()} (pass {@link #emptySlots()}), or when the caller keeps
     * the polled buffers.
     *
     * @return how many slots were filled (fewer when the pool runs out)
     */
    public int refillFromPool(int max) {
        int n = Math.min(max, count - 1 - ((tail - next) & mask));
        final MemorySegment ring = this.ring;
        final PacketBufferPool pool = this.pool;
        int t = tail;
        int i = 0;
        for (; i < n; i++) {
            int buffer = pool.allocate();
            if (buffer == PacketBufferPool.NONE) {
                break;
            }
            if (FastPathChecks.ENABLED) {
                checkRefill(buffer);
            }
            long d = (long) t << SHIFT;
            slotBuffer[t] = buffer;
            PKT_ADDR.set(ring, d, pool.iova(buffer));
            HDR_ADDR.set(ring, d, 0L);                       // no header split; clears status_error
            t = (t + 1) & mask;
        }
        if (i > 0) {
            tail = t;
            VarHandle.releaseFence();
            regs.write32(rdt, t);
        }
        return i;
    }

    /**
     * Takes back the buffers of every slot the device owns, received or not, oldest first: for when the
     * receiver has been stopped (RCTL.EN clear or the device reset). Frames in them are dropped. Touches
     * no register; call {@link #writeRingRegisters()} before refilling.
     *
     * @return how many buffer indexes were written (repeat until {@link #hardwareOwned()} is 0)
     */
    public int drain(int[] bufferIndexes, int offset, int max) {
        int n = Math.min(max, (tail - next) & mask);
        int s = next;
        for (int i = 0; i < n; i++) {
            int buffer = slotBuffer[s];
            if (FastPathChecks.ENABLED) {
                inRing[buffer] = false;
            }
            bufferIndexes[offset + i] = buffer;
            s = (s + 1) & mask;
        }
        next = s;
        inFragmentedFrame = false;
        return n;
    }

    private void checkRefill(int buffer) {
        if (buffer < 0 || buffer >= pool.capacity()) {
            throw new IllegalArgumentException("not a buffer of the ring's pool: queue=" + queue + ", buffer=" + buffer
                    + ", capacity=" + pool.capacity());
        }
        if (inRing[buffer]) {
            throw new IllegalStateException("buffer is already in the ring: queue=" + queue + ", buffer=" + buffer);
        }
        inRing[buffer] = true;
    }

    /** The {@code status} byte of a frame's flags. */
    public static int status(int flags) {
        return flags & STATUS_MASK;
    }

    /** The {@code errors} byte of a frame's flags. */
    public static int errors(int flags) {
        return flags >>> ERRORS_SHIFT & 0xFF;
    }

    /** The fault bits of a frame's flags ({@link #FAULT_MASK}); 0 for a good frame. */
    public static int faults(int flags) {
        return flags & FAULT_MASK;
    }

    /** Whether a frame is whole, fits its buffer and has no frame error. */
    public static boolean isGood(int flags) {
        return (flags & FAULT_MASK) == 0;
    }

    /** Reads RDH from the device (an MMIO read: for diagnostics, not for the fast path). */
    public int hardwareHead() {
        return regs.read32(Regs82576.RDH(queue));
    }

    /** Descriptors in the ring. */
    public int count() {
        return count;
    }

    public int queue() {
        return queue;
    }

    public PacketBufferPool pool() {
        return pool;
    }

    /** Slots holding a buffer for the device, received or not: {@code (tail - next) mod count}. */
    public int hardwareOwned() {
        return (tail - next) & mask;
    }

    /** Buffers {@link #refill} would accept now: {@code count - 1 - hardwareOwned()}. */
    public int emptySlots() {
        return count - 1 - hardwareOwned();
    }

    /** The next slot {@link #poll} reads. */
    public int pollIndex() {
        return next;
    }

    /** The next slot to refill; the value last written to RDT. */
    public int tail() {
        return tail;
    }

    /** Device address of the ring (RDBAL/RDBAH). */
    public long ringIova() {
        return ringIova;
    }

    /** Ring length in bytes (RDLEN). */
    public int ringBytes() {
        return count * AdvRxDescriptor.BYTES;
    }

    /** The descriptors, {@code count * 16} bytes: for traces and fault checks. */
    public MemorySegment descriptors() {
        return ring;
    }

    @Override
    public String toString() {
        return "AdvRxRing[queue=" + queue + ", count=" + count + ", next=" + next + ", tail=" + tail + ", hardwareOwned="
                + hardwareOwned() + ", region=" + purpose + "]";
    }
}

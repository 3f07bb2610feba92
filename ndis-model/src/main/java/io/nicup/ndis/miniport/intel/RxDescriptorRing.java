package io.nicup.ndis.miniport.intel;

import io.nicup.ndis.miniport.core.FastPathChecks;
import io.nicup.ndis.miniport.core.PacketBufferPool;
import io.nicup.vfio.DmaRegion;
import io.nicup.vfio.RegisterSpace;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * One receive queue of an Intel gigabit NIC: a ring of 16-byte descriptors, each holding a buffer of a
 * {@link PacketBufferPool}, and its tail doorbell. {@link #poll} hands the buffers of received frames to
 * the caller; {@link #refill} puts buffers (the same ones once the caller is done, or fresh ones) back
 * into the ring. The ring logic is the same for the 82574L's legacy descriptors and the 82576's advanced
 * ones; a subclass (one per family, final) says how a handed-back descriptor's write-back is cleared
 * ({@link #clearWriteBack}), how its status and errors read ({@link #writtenBackFlags}), where DD and the
 * length are written back, and gives its queue's register offsets. The buffer address (bytes 0-7 of both
 * layouts), DD and the length are read and written here. Those two hooks are the only per-descriptor
 * calls, each with exactly one implementation per ring class, so the JIT inlines them. The
 * fast path allocates nothing, throws nothing on a device condition and logs nothing: a bad frame is a
 * frame with {@linkplain #faults(int) fault bits}, never an exception.
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
 *       with {@code refill} of {@code count - 1} buffers, which writes RDT = count - 1.</li>
 *   <li>{@link #poll} reads only slots the device owns, so a stale DD in an empty slot is never seen;
 *       {@link #refill} clears DD ({@link #clearWriteBack}) before the slot is handed back.</li>
 * </ul>
 *
 * <h2>Frames and faults</h2>
 * For every frame {@link #poll} reports the buffer index, the length and a {@code flags} word:
 * <pre>
 *  31      19  18   17   16  15      8 7       0
 * +---------+----+----+----+---------+---------+
 * |    0    |ERRS|LEN |FRAG| errors  | status  |
 * +---------+----+----+----+---------+---------+
 * </pre>
 * <ul>
 *   <li>{@link #FAULT_FRAGMENT}: part of a frame spread over several descriptors (a descriptor without
 *       EOP, and the descriptors after it up to the one with EOP). With buffers as large as the
 *       configured buffer size and frames within the MTU this does not happen; each piece is reported
 *       with this bit and the caller drops them all.</li>
 *   <li>{@link #FAULT_LENGTH}: the device reported a length no frame can have: more bytes than the buffer
 *       holds (the {@code rx-length} fault), more than the receiver accepts ({@link #setFrameLimit}: the
 *       {@code rx-length-over-limit} fault), or less than an Ethernet header (0 included: the
 *       {@code rx-length-zero} fault). Never read past {@link PacketBufferPool#bufferSize()}; one unsigned
 *       comparison covers all three.</li>
 *   <li>{@link #FAULT_ERRORS}: one of the family's frame errors ({@code ERR_FRAME}) is set.</li>
 * </ul>
 * Frame {@code i} of a poll came from descriptor {@code (pollIndex + i) & (count - 1)}, where
 * {@code pollIndex} is {@link #pollIndex()} before the call.
 *
 * <h2>A device that writes where it should not</h2>
 * {@link #poll} clears the DD of each descriptor it takes, so a slot the device does not own never
 * shows DD unless the device wrote it. Each poll looks at the slot at the tail (RDT), which the device
 * was never given and reaches first when it runs past the tail: DD there is a write-back into a
 * descriptor never submitted. That frame is not taken (its buffer is not the device's); the DD is
 * cleared and counted ({@link #unsubmittedWriteBacks()}), and CheckForHang resets the adapter. One byte
 * load per poll and one byte store per frame.
 *
 * <h2>Memory ordering</h2>
 * {@link #poll} first reads the {@code status} of the descriptors it may take (plain loads, stopping at
 * the first without DD), then issues one {@link VarHandle#acquireFence() acquire fence}, and only then
 * reads length, errors and (the caller) the frames: an acquire per batch rather than per descriptor, as
 * DPDK's ixgbe driver scans DD bits and then issues one read barrier. Per-descriptor acquires measured
 * slower at batch 32 on the FFM path (the barrier makes the JIT redo the segment's access checks for
 * every descriptor).
 * Refilled descriptors are written with plain stores, then the RDT write is a doorbell
 * ({@link RegisterSpace#writeDoorbell32}, a release store) that orders them before it
 * (docs/ndis-contract.md §19).
 *
 * <p>The device's buffer size must equal the pool's buffer size. Not thread-safe: one owner per queue
 * (the receive path).
 */
public abstract class RxDescriptorRing extends DescriptorRing {


    /** Flags bits 7:0: the descriptor's {@code status}. */
    public static final int STATUS_MASK = 0xFF;
    /** Flags bits 15:8: the descriptor's {@code errors}. */
    public static final int ERRORS_SHIFT = 8;
    /** Part of a frame spread over several descriptors. */
    public static final int FAULT_FRAGMENT = 1 << 16;
    /** Length larger than the buffer. */
    public static final int FAULT_LENGTH = 1 << 17;
    /** A frame error (the family's {@code ERR_FRAME}). */
    public static final int FAULT_ERRORS = 1 << 18;
    /** All fault bits: a frame is good when none is set. */
    public static final int FAULT_MASK = FAULT_FRAGMENT | FAULT_LENGTH | FAULT_ERRORS;

    /** The shortest length a frame can have: its Ethernet header (IEEE 802.3 clause 3.1.1). */
    public static final int MIN_FRAME_LENGTH = 14;

    /**
     * End of packet in the flags' {@code status} byte: bit 1 of the 82574L's legacy {@code status} and of
     * the 82576's {@code status_error} alike.
     */
    private static final int STA_EOP = 0x02;

    /** Both layouts: 16 bytes a descriptor, the buffer address little-endian in bytes 0-7. */
    private static final int SHIFT = 4;
    private static final VarHandle BUFFER_ADDRESS = ValueLayout.JAVA_LONG.withOrder(ByteOrder.LITTLE_ENDIAN)
            .varHandle();
    private static final VarHandle STATUS_BYTE = ValueLayout.JAVA_BYTE.varHandle();
    private static final VarHandle LENGTH = ValueLayout.JAVA_SHORT.withOrder(ByteOrder.LITTLE_ENDIAN).varHandle();

    private final long doneOffset;
    private final int doneBit;
    private final long lengthOffset;
    private final PacketBufferPool pool;
    private final int bufferSize;
    /** The longest length a frame may report: the buffer size, or less ({@link #setFrameLimit}). */
    private int frameLimit;
    /** The pool buffer in each slot; meaningful for the slots the device owns. */
    private final int[] slotBuffer;
    /** Only maintained with {@link FastPathChecks#ENABLED}: which pool buffers sit in the ring. */
    private final boolean[] inRing;

    private int next;
    private int tail;
    /** A descriptor without EOP was seen and the frame's EOP has not been yet. */
    private boolean inFragmentedFrame;

    /**
     * A ring over the first {@code count * descriptorBytes} bytes of {@code descriptors}, with buffers from
     * {@code pool}. Nothing is written to the device until {@link #writeRingRegisters()}.
     *
     * @param descriptors ring memory: 128-byte aligned IOVA, at least {@code count * descriptorBytes}
     *     bytes, zeroed
     * @param regs BAR0 of the device
     * @param queue the queue number, already checked against the family's queue count
     * @param count descriptors, a power of two from {@value #MIN_DESCRIPTORS} to {@value #MAX_DESCRIPTORS}
     * @param registers RDBAL, RDBAH, RDLEN, RDH and RDT of {@code queue}
     * @param descriptorBytes size of one descriptor
     * @param pool where the buffers given to {@link #refill} come from
     * @param doneOffset the byte of a descriptor the device writes DD back into
     * @param doneBit DD in that byte
     * @param lengthOffset where the device writes the frame length back (16 bits, little-endian)
     */
    protected RxDescriptorRing(DmaRegion descriptors, RegisterSpace regs, int queue, int count,
            QueueRegisters registers, int descriptorBytes, PacketBufferPool pool, long doneOffset, int doneBit,
            long lengthOffset) {
        super("rx" + queue, descriptors, regs, queue, count, registers, descriptorBytes);
        if (descriptorBytes != 1 << SHIFT) {
            throw new IllegalArgumentException("Intel receive descriptors are 16 bytes: descriptorBytes="
                    + descriptorBytes);
        }
        this.doneOffset = doneOffset;
        this.doneBit = doneBit;
        this.lengthOffset = lengthOffset;
        this.pool = pool;
        this.bufferSize = pool.bufferSize();
        this.frameLimit = bufferSize;
        this.slotBuffer = new int[count];
        this.inRing = new boolean[FastPathChecks.ENABLED ? pool.capacity() : 0];
    }

    /**
     * The longest frame the receiver is programmed to accept, without FCS (the driver strips it): a
     * written-back length above it (or above the buffer size) is {@link #FAULT_LENGTH}.
     */
    public final void setFrameLimit(int maxFrameLength) {
        if (maxFrameLength < MIN_FRAME_LENGTH) {
            throw new IllegalArgumentException("frame limit below an Ethernet header: queue=" + queue + ", limit="
                    + maxFrameLength);
        }
        this.frameLimit = Math.min(maxFrameLength, bufferSize);
    }

    /** The longest written-back length taken as a frame. */
    public final int frameLimit() {
        return frameLimit;
    }

    /** Clears the DD of descriptor {@code slot} (with the rest of its status byte): a plain store. */
    private void clearDone(MemorySegment ring, int slot) {
        STATUS_BYTE.set(ring, ((long) slot << SHIFT) + doneOffset, (byte) 0);
    }

    /** Whether the device wrote DD into descriptor {@code slot}: a plain load ({@link #poll} fences after). */
    private boolean isDone(MemorySegment ring, int slot) {
        return ((byte) STATUS_BYTE.get(ring, ((long) slot << SHIFT) + doneOffset) & doneBit) != 0;
    }

    /**
     * The written-back {@code status} and {@code errors} of descriptor {@code slot} as flags
     * ({@code status | errors << ERRORS_SHIFT}), with {@link #FAULT_ERRORS} when one of the family's frame
     * errors is set.
     */
    protected abstract int writtenBackFlags(MemorySegment ring, int slot);

    /** {@code status | errors << ERRORS_SHIFT}, with {@link #FAULT_ERRORS} when {@code frameError}. */
    protected static int flags(int status, int errors, boolean frameError) {
        int f = status | errors << ERRORS_SHIFT;
        return frameError ? f | FAULT_ERRORS : f;
    }

    /** The written-back length of descriptor {@code slot}, unsigned. */
    private int writtenBackLength(MemorySegment ring, int slot) {
        return (short) LENGTH.get(ring, ((long) slot << SHIFT) + lengthOffset) & 0xFFFF;
    }

    /** Clears the write-back of the descriptor at byte {@code d}, DD with it, after its address was written. */
    protected abstract void clearWriteBack(MemorySegment ring, long d);

    /**
     * Hands the buffer at {@code iova} to the device in descriptor {@code slot} and clears its DD. Plain
     * stores: the doorbell {@link #refill} rings after them is a release store.
     */
    private void writeBuffer(MemorySegment ring, int slot, long iova) {
        long d = (long) slot << SHIFT;
        BUFFER_ADDRESS.set(ring, d, iova);
        clearWriteBack(ring, d);
    }

    /**
     * Writes the queue's own buffer-size register, where the family has one, in the place
     * {@link #writeRingRegisters()} programs it (after RDLEN, before RDH).
     */
    protected abstract void writeBufferSize(RegisterSpace regs, int queue, int bufferSize);

    /**
     * Programs the ring into the device: RDBAL/RDBAH, RDLEN, the family's per-queue buffer size, RDH = RDT
     * = 0, and empties the ring. Call while the receiver is off; then {@link #refill} or
     * {@link #refillFromPool} {@code count - 1} buffers.
     *
     * @throws IllegalStateException when the ring still holds buffers: {@link #drain} them first
     */
    public final void writeRingRegisters() {
        if (hardwareOwned() != 0) {
            throw new IllegalStateException("ring still holds buffers, drain them first: queue=" + queue + ", buffers="
                    + hardwareOwned());
        }
        next = 0;
        tail = 0;
        inFragmentedFrame = false;
        writeBaseAndLength();
        writeBufferSize(regs, queue, bufferSize);
        writeHeadAndTail();
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
    public final int poll(int[] buffers, int[] lengths, int[] flags, int offset, int max) {
        final MemorySegment ring = this.ring;
        final int[] slotBuffer = this.slotBuffer;
        final int mask = this.mask;
        final int limit = this.frameLimit - MIN_FRAME_LENGTH;
        if (isDone(ring, tail)) {
            unsubmittedWriteBacks++;                         // never handed over: not a frame of ours
            clearDone(ring, tail);
        }
        int n = Math.min(max, (tail - next) & mask);
        int s = next;
        // Pass 1: how many descriptors, oldest first, has the device finished? Plain loads of DD only.
        int ready = 0;
        while (ready < n && isDone(ring, (s + ready) & mask)) {
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
            int f = writtenBackFlags(ring, s);
            int length = writtenBackLength(ring, s);
            if ((f & STA_EOP) == 0 || fragmented) {
                f |= FAULT_FRAGMENT;
                fragmented = (f & STA_EOP) == 0;
            }
            if (Integer.compareUnsigned(length - MIN_FRAME_LENGTH, limit) > 0) {
                f |= FAULT_LENGTH;                           // 0..13, or beyond the limit or the buffer
            }
            clearDone(ring, s);                              // the slot is no longer the device's
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
    public final int refill(int[] bufferIndexes, int offset, int buffers) {
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
            slotBuffer[t] = buffer;
            writeBuffer(ring, t, pool.iova(buffer));
            t = (t + 1) & mask;
        }
        tail = t;
        // Every descriptor store above must be visible before the device sees the new tail.
        regs.writeDoorbell32(tailRegister, t);            // a release store: the descriptors first
        return n;
    }

    /**
     * Fills up to {@code max} empty slots with buffers taken from the pool, with one RDT write: to fill
     * the ring after {@link #writeRingRegisters()} (pass {@link #emptySlots()}), or when the caller keeps
     * the polled buffers.
     *
     * @return how many slots were filled (fewer when the pool runs out)
     */
    public final int refillFromPool(int max) {
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
            slotBuffer[t] = buffer;
            writeBuffer(ring, t, pool.iova(buffer));
            t = (t + 1) & mask;
        }
        if (i > 0) {
            tail = t;
            regs.writeDoorbell32(tailRegister, t);        // a release store: the descriptors first
        }
        return i;
    }

    /**
     * Takes back the buffers of every slot the device owns, received or not, oldest first: for when the
     * receiver has been stopped (the queue disabled or the device reset). Frames in them are dropped.
     * Touches no register; call {@link #writeRingRegisters()} before refilling.
     *
     * @return how many buffer indexes were written (repeat until {@link #hardwareOwned()} is 0)
     */
    public final int drain(int[] bufferIndexes, int offset, int max) {
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

    /**
     * What RDH (already checked to be inside the ring) says about the descriptors the driver has not
     * taken yet: {@link #HEAD_BEYOND_TAIL} when it lies beyond the tail (the device claims descriptors it
     * was never given), {@link #HEAD_AHEAD_WITHOUT_DD} when it is past the next descriptor to take but
     * that descriptor has no DD (the device says it wrote it back, memory says it did not), else
     * {@link #HEAD_CONSISTENT}. For CheckForHang: one DD load, holding the receive lock.
     */
    public final int headState(int head) {
        int owed = (head - next) & mask;
        if (owed > hardwareOwned()) {
            return HEAD_BEYOND_TAIL;
        }
        return owed > 0 && !isDone(ring, next) ? HEAD_AHEAD_WITHOUT_DD : HEAD_CONSISTENT;
    }

    /** {@link #headState}: RDH agrees with the descriptors in memory. */
    public static final int HEAD_CONSISTENT = 0;
    /** {@link #headState}: RDH lies beyond the tail. */
    public static final int HEAD_BEYOND_TAIL = 1;
    /** {@link #headState}: RDH moved past a descriptor without DD. */
    public static final int HEAD_AHEAD_WITHOUT_DD = 2;

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

    public final PacketBufferPool pool() {
        return pool;
    }

    /** Slots holding a buffer for the device, received or not: {@code (tail - next) mod count}. */
    public final int hardwareOwned() {
        return (tail - next) & mask;
    }

    /** Buffers {@link #refill} would accept now: {@code count - 1 - hardwareOwned()}. */
    public final int emptySlots() {
        return count - 1 - hardwareOwned();
    }

    /** The next slot {@link #poll} reads. */
    public final int pollIndex() {
        return next;
    }

    /** The next slot to refill; the value last written to RDT. */
    public final int tail() {
        return tail;
    }

    @Override
    public String toString() {
        return getClass().getSimpleName() + "[queue=" + queue + ", count=" + count + ", next=" + next + ", tail="
                + tail + ", hardwareOwned=" + hardwareOwned() + ", region=" + purpose() + "]";
    }
}

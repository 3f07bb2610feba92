package io.nicup.ndis.miniport.intel;

import io.nicup.ndis.miniport.core.FastPathChecks;
import io.nicup.vfio.DmaRegion;
import io.nicup.vfio.RegisterSpace;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * One transmit queue of an Intel gigabit NIC: a ring of 16-byte descriptors and its tail doorbell. The
 * ring logic is the same for the 82574L's legacy descriptors and the 82576's advanced ones; a subclass
 * (one per family, final) says how a frame's length and command are written into a descriptor
 * ({@link #writeCommand}), where the device writes DD back, and gives its queue's register offsets. The
 * buffer address sits in bytes 0-7 of both layouts and is written here. That hook is the only
 * per-descriptor call, with exactly one implementation per ring class, so the JIT inlines it. The fast path ({@link #submit}, {@link #clean}) allocates nothing, throws nothing
 * on a device condition and logs nothing; a full ring is the return value 0.
 *
 * <h2>Ring state</h2>
 * <pre>
 *            clean                           tail (= TDT)
 *              v                               v
 *   +---+---+---+---+---+---+---+---+---+---+---+---+---+---+---+---+
 *   |   |   | D | D | D | h | h | h | h | h |   |   |   |   |   |   |
 *   +---+---+---+---+---+---+---+---+---+---+---+---+---+---+---+---+
 *              \________ inFlight ____________/ \_____ free slots _____/
 *   D: done (DD written back), not yet cleaned    h: owned by the device
 * </pre>
 * <ul>
 *   <li>{@code tail} is the next slot to fill and the value last written to TDT; always
 *       {@code < count} (QEMU treats {@code TDT >= count} as an empty ring).</li>
 *   <li>{@code inFlight} descriptors, starting at {@code clean}, have been submitted and not yet cleaned.
 *       At most {@code count - 1} are in flight: one slot stays empty so that {@code TDT == TDH} always
 *       means "nothing to send" and never "ring full".</li>
 *   <li>A descriptor is one whole frame with end of packet, insert FCS and report status, or one piece of
 *       a frame whose data spans several MDLs ({@link #MORE}; end of packet on its last piece only): one
 *       descriptor per frame or piece, CRC inserted by the device, and a DD write-back for every descriptor (QEMU
 *       writes DD only with RS). A frame that asks for checksum offload may take a context descriptor
 *       before it ({@link #submit(long[], int[], int[], int[], int, int)}): no RS, no tag, done when the
 *       frame after it is.</li>
 *   <li>The device completes descriptors in order, so DD on descriptor {@code k} means every descriptor
 *       before it is done too. {@link #clean} uses that like ixy: it checks the DD of the last descriptor
 *       of a batch of up to {@link #CLEAN_BATCH}, and looks at single descriptors only when a batch is
 *       not complete yet.</li>
 * </ul>
 *
 * <h2>A device that writes where it should not</h2>
 * {@link #clean} clears the DD of each descriptor it retires, so a slot the driver has not submitted
 * never shows DD unless the device wrote it. {@link #clean} and {@link #submit} look at the slot at the
 * tail (TDT), which the device was never given and reaches first when it runs past the tail: DD there
 * is counted ({@link #unsubmittedWriteBacks()}) and cleared, and CheckForHang resets the adapter. One
 * byte load per call and one byte store per retired descriptor.
 *
 * <h2>Memory ordering</h2>
 * Descriptors are written with plain stores, then the TDT write is a doorbell
 * ({@link RegisterSpace#writeDoorbell32}, a release store) that orders them before it, without the full
 * fence of a volatile store (docs/ndis-contract.md §19). DD is read
 * with {@code getAcquire}, before anything the device wrote with it.
 *
 * <h2>Tags</h2>
 * Each submitted frame carries an {@code int} tag of the caller's choosing (a buffer index, an index
 * into the caller's table of NET_BUFFER_LISTs); {@link #clean} and {@link #drain} give the tags back in
 * submission order, each exactly once.
 *
 * <p>Not thread-safe: one owner per queue (the send path), as in every NIC driver's fast path.
 */
public abstract class TxDescriptorRing extends DescriptorRing {

    /** The tag of a context descriptor's slot: never given back, it completes with the frame after it. */
    private static final int CONTEXT_TAG = -1;
    /** {@link #lastContext} after a segmentation context, which no checksum context equals. */
    private static final int SEGMENTATION_CONTEXT = -1;

    /**
     * In a length given to {@link #submit}: the descriptor is a piece of a frame that continues in the next
     * one (no end of packet), as Linux e1000e and igb map a fragmented frame (docs/ndis-contract.md §16.3).
     */
    public static final int MORE = 1 << 31;

    /** Descriptors {@link #clean} retires per DD check when the device has finished them (ixy: 32). */
    public static final int CLEAN_BATCH = 32;

    /** Both layouts: 16 bytes a descriptor, the buffer address little-endian in bytes 0-7. */
    private static final int SHIFT = 4;
    private static final VarHandle BUFFER_ADDRESS = ValueLayout.JAVA_LONG.withOrder(ByteOrder.LITTLE_ENDIAN)
            .varHandle();
    private static final VarHandle STATUS_BYTE = ValueLayout.JAVA_BYTE.varHandle();

    private final int maxLength;
    private final long doneOffset;
    private final int doneBit;
    private final int[] tags;
    /** The context the device holds for this queue ({@link TxChecksum#context}); 0 after a reset: none. */
    private int lastContext;

    private int tail;
    private int clean;
    private int inFlight;

    /**
     * A ring over the first {@code count * descriptorBytes} bytes of {@code descriptors}. Nothing is
     * written to the device until {@link #writeRingRegisters()}.
     *
     * @param descriptors ring memory: 128-byte aligned IOVA, at least {@code count * descriptorBytes}
     *     bytes, zeroed
     * @param regs BAR0 of the device
     * @param queue the queue number, already checked against the family's queue count
     * @param count descriptors, a power of two from {@value #MIN_DESCRIPTORS} to {@value #MAX_DESCRIPTORS}
     * @param registers TDBAL, TDBAH, TDLEN, TDH and TDT of {@code queue}
     * @param descriptorBytes size of one descriptor
     * @param maxLength largest frame length one descriptor carries (checked with {@link FastPathChecks})
     * @param doneOffset the byte of a descriptor the device writes DD back into
     * @param doneBit DD in that byte
     */
    protected TxDescriptorRing(DmaRegion descriptors, RegisterSpace regs, int queue, int count,
            QueueRegisters registers, int descriptorBytes, int maxLength, long doneOffset, int doneBit) {
        super("tx" + queue, descriptors, regs, queue, count, registers, descriptorBytes);
        if (descriptorBytes != 1 << SHIFT) {
            throw new IllegalArgumentException("Intel transmit descriptors are 16 bytes: descriptorBytes="
                    + descriptorBytes);
        }
        this.maxLength = maxLength;
        this.doneOffset = doneOffset;
        this.doneBit = doneBit;
        this.tags = new int[count];
    }

    /**
     * The rest of one whole frame in the descriptor at byte {@code d}: length, the family's command bits
     * (end of packet, insert FCS, report status) and a cleared DD. Plain stores: the doorbell
     * {@link #submit} rings after them is a release store.
     */
    protected abstract void writeCommand(MemorySegment ring, long d, int length);

    /**
     * A context descriptor at byte {@code d} for the checksum request {@code offload} ({@link TxChecksum}):
     * the header offsets the device computes and inserts at; no buffer, no RS (plain stores).
     */
    protected abstract void writeContext(MemorySegment ring, long d, int offload);

    /**
     * The rest of one whole frame that asks for checksum insertion: like {@link #writeCommand}, as the
     * chip's data descriptor with POPTS from {@code offload} ({@link TxChecksum#IXSM}, {@link TxChecksum#TXSM}).
     */
    protected abstract void writeOffloadCommand(MemorySegment ring, long d, int length, int offload);

    /**
     * Fills the descriptors of one frame from slot {@code t} and returns the slot after them: a context
     * descriptor first when the frame's offsets differ from the last context this queue gave the device
     * (Linux caches it the same way), then the data descriptor. A frame without offload is one descriptor
     * and one branch more than before.
     */
    private int writeFrame(MemorySegment ring, int t, long iova, int length, int offload, int tag) {
        t = writeContextIfNew(ring, t, offload);
        long d = (long) t << SHIFT;
        BUFFER_ADDRESS.set(ring, d, iova);
        if (offload == 0) {
            writeCommand(ring, d, length);
        } else {
            writeOffloadCommand(ring, d, length, offload);
        }
        tags[t] = tag;
        return (t + 1) & mask;
    }

    /**
     * The context descriptor of a TCP segmentation (docs/hardware-reference.md B.17): the header offsets of
     * {@code offload} ({@link TxChecksum}), MSS and L4LEN of {@code segmentation} ({@link TxLargeSend}), and the
     * {@code payload} bytes to segment where the chip's context holds them; no buffer, no RS (plain stores).
     */
    protected abstract void writeSegmentationContext(MemorySegment ring, long d, int offload, int segmentation,
            int payload);

    /**
     * One data descriptor of a TCP segmentation: as {@link #writePiece}, with TSE, and {@code payload} (the TCP
     * payload bytes) on the first piece, 0 on the others. Plain stores.
     */
    protected abstract void writeSegmentPiece(MemorySegment ring, long d, int length, int payload, boolean endOfPacket,
            int offload);

    /**
     * One piece of a frame spread over several descriptors (docs/ndis-contract.md §16.3): its length, the
     * command bits with end of packet only on the last piece, and {@code frameLength} (the whole frame's
     * bytes) on the first piece, 0 on the others; {@code offload} the frame's checksum request (0: none), in
     * the chip's data-descriptor format for every piece and its POPTS on the first. Plain stores, as
     * {@link #writeCommand}.
     */
    protected abstract void writePiece(MemorySegment ring, long d, int length, int frameLength, boolean endOfPacket,
            int offload);

    /**
     * Fills the descriptors of a frame in {@code pieces} pieces from entry {@code i} on, a context descriptor
     * first when it needs one; returns the slot after them. Each piece carries its entry's tag.
     */
    private int writePieces(MemorySegment ring, int t, long[] iovas, int[] lengths, int[] frameTags, int i,
            int pieces, int offload, int segmentation) {
        int frameLength = 0;
        for (int j = i; j < i + pieces; j++) {
            frameLength += lengths[j] & ~MORE;
        }
        int payload = frameLength - TxLargeSend.headerLength(offload, segmentation);
        if (segmentation == 0) {
            t = writeContextIfNew(ring, t, offload);
        } else {
            BUFFER_ADDRESS.set(ring, (long) t << SHIFT, 0L);
            writeSegmentationContext(ring, (long) t << SHIFT, offload, segmentation, payload);
            tags[t] = CONTEXT_TAG;
            lastContext = SEGMENTATION_CONTEXT;              // the next checksum frame needs its own context
            t = (t + 1) & mask;
        }
        for (int j = i; j < i + pieces; j++) {
            long d = (long) t << SHIFT;
            BUFFER_ADDRESS.set(ring, d, iovas[j]);
            if (segmentation == 0) {
                writePiece(ring, d, lengths[j] & ~MORE, j == i ? frameLength : 0, lengths[j] >= 0, offload);
            } else {
                writeSegmentPiece(ring, d, lengths[j] & ~MORE, j == i ? payload : 0, lengths[j] >= 0, offload);
            }
            tags[t] = frameTags[j];
            t = (t + 1) & mask;
        }
        return t;
    }

    /** Pieces of the frame whose first piece is {@code lengths[from]}: up to the one without {@link #MORE}. */
    private static int pieces(int[] lengths, int from, int end) {
        int n = 1;
        for (int i = from; i < end - 1 && lengths[i] < 0; i++) {
            n++;
        }
        return n;
    }

    /**
     * Descriptors a frame of {@code pieces} pieces with checksum request {@code offload} takes now; a TCP
     * segmentation ({@code segmentation} not 0) always takes its own context, as Linux e1000e and igb give it.
     */
    private int descriptorsFor(int offload, int segmentation, int pieces) {
        return segmentation != 0 || offload != 0 && TxChecksum.context(offload) != lastContext ? pieces + 1 : pieces;
    }

    /** A context descriptor at slot {@code t} when {@code offload} differs from the queue's last; the slot after. */
    private int writeContextIfNew(MemorySegment ring, int t, int offload) {
        if (offload != 0) {
            int context = TxChecksum.context(offload);
            if (context != lastContext) {
                BUFFER_ADDRESS.set(ring, (long) t << SHIFT, 0L);
                writeContext(ring, (long) t << SHIFT, offload);
                tags[t] = CONTEXT_TAG;
                lastContext = context;
                t = (t + 1) & mask;
            }
        }
        return t;
    }

    /** Counts and clears a DD the device wrote into the slot at the tail, which it was never given. */
    private void checkTail(MemorySegment ring) {
        if (isDone(ring, tail)) {
            unsubmittedWriteBacks++;
            clearDone(ring, tail);
        }
    }

    private void clearDone(MemorySegment ring, int slot) {
        STATUS_BYTE.set(ring, ((long) slot << SHIFT) + doneOffset, (byte) 0);
    }

    /** Whether the device wrote DD back into descriptor {@code slot}, read with acquire semantics. */
    private boolean isDone(MemorySegment ring, int slot) {
        return ((byte) STATUS_BYTE.getAcquire(ring, ((long) slot << SHIFT) + doneOffset) & doneBit) != 0;
    }

    /**
     * Programs the ring into the device: TDBAL/TDBAH, TDLEN, TDH = TDT = 0, and empties the ring. Call
     * while the queue is stopped, before the first {@link #submit}.
     *
     * @throws IllegalStateException when frames are still in flight: {@link #drain} them first
     */
    public final void writeRingRegisters() {
        if (inFlight != 0) {
            throw new IllegalStateException("frames still in flight, drain them first: queue=" + queue + ", inFlight="
                    + inFlight);
        }
        tail = 0;
        clean = 0;
        lastContext = 0;                                     // a reset device holds no context
        writeBaseAndLength();
        writeHeadAndTail();
    }

    /**
     * Queues up to {@code frames} frames, one descriptor each, and rings the doorbell once: a single TDT
     * write after the last descriptor, and none when nothing was accepted.
     *
     * @param iovas device address of each frame (already in DMA memory)
     * @param lengths length of each frame in bytes, 1 to 65535 (the caller validates against the MTU); a
     *     frame spread over several descriptors gives each piece's length, {@link #MORE} on all but its
     *     last, and is accepted whole or not at all
     * @param frameTags tag of each frame, given back by {@link #clean}
     * @param offset index of the first frame in the three arrays
     * @param frames number of frames offered
     * @return how many frames, from the first, were queued: {@code min(frames, freeSlots())}; 0 when the
     *     ring is full (the caller keeps the rest and offers them again after {@link #clean})
     */
    public final int submit(long[] iovas, int[] lengths, int[] frameTags, int offset, int frames) {
        return submit(iovas, lengths, frameTags, null, offset, frames);
    }

    /**
     * {@link #submit(long[], int[], int[], int, int)} with a checksum request per frame ({@link TxChecksum},
     * 0 for none; {@code offloads} null when no frame asks): a frame whose offsets differ from the queue's
     * last context takes a context descriptor before its data descriptor, so fewer frames may fit.
     */
    public final int submit(long[] iovas, int[] lengths, int[] frameTags, int[] offloads, int offset, int frames) {
        return submit(iovas, lengths, frameTags, offloads, null, offset, frames);
    }

    /**
     * {@link #submit(long[], int[], int[], int[], int, int)} with a TCP segmentation request per frame
     * ({@link TxLargeSend}, 0 for none; {@code segmentations} null when no frame asks): such a frame takes a
     * segmentation context descriptor and data descriptors with TSE (docs/hardware-reference.md B.17).
     */
    public final int submit(long[] iovas, int[] lengths, int[] frameTags, int[] offloads, int[] segmentations,
            int offset, int frames) {
        int free = count - 1 - inFlight;
        if (free <= 0 || frames <= 0) {
            return 0;
        }
        final MemorySegment ring = this.ring;
        checkTail(ring);
        int t = tail;
        int used = 0;
        int n = 0;
        while (n < frames) {
            int i = offset + n;
            int offload = offloads == null ? 0 : offloads[i];
            int pieces = lengths[i] >= 0 ? 1 : pieces(lengths, i, offset + frames);
            int segmentation = segmentations == null ? 0 : segmentations[i];
            int need = descriptorsFor(offload, segmentation, pieces);
            if (used + need > free) {
                break;
            }
            if (FastPathChecks.ENABLED) {
                checkFrames(iovas, lengths, i, pieces);
            }
            if (lengths[i] >= 0 && segmentation == 0) {
                t = writeFrame(ring, t, iovas[i], lengths[i], offload, frameTags[i]);    // the common case
            } else {
                t = writePieces(ring, t, iovas, lengths, frameTags, i, pieces, offload, segmentation);
            }
            used += need;
            n += pieces;
        }
        if (n == 0) {
            return 0;
        }
        tail = t;
        inFlight += used;
        // Every descriptor store above must be visible before the device sees the new tail.
        regs.writeDoorbell32(tailRegister, t);            // a release store: the descriptors first
        return n;
    }

    /**
     * Retires descriptors the device has finished (DD written back), oldest first, and gives their tags
     * back. Touches no register.
     *
     * @param doneTags receives the tags, in submission order, from {@code doneTags[offset]}
     * @param max at most this many
     * @return how many tags were given back (0 when the device has finished none; a context descriptor
     *     retires without a tag)
     */
    public final int clean(int[] doneTags, int offset, int max) {
        final MemorySegment ring = this.ring;
        final int[] tags = this.tags;
        final int mask = this.mask;
        checkTail(ring);
        int c = clean;
        int pending = inFlight;
        int done = 0;
        int out = 0;
        while (pending > 0 && done < max) {
            int step = Math.min(Math.min(pending, max - done), CLEAN_BATCH);
            int last = (c + step - 1) & mask;
            if (!completed(ring, last)) {
                // The batch is not finished: retire the finished prefix (in-order completion) and stop.
                int k = 0;
                while (k < step - 1 && completed(ring, (c + k) & mask)) {
                    k++;
                }
                step = k;
                pending = 0;
            } else {
                pending -= step;
            }
            for (int j = 0; j < step; j++) {
                int slot = (c + j) & mask;
                if (tags[slot] != CONTEXT_TAG) {
                    doneTags[offset + out++] = tags[slot];
                }
                clearDone(ring, slot);                       // no longer the device's: DD must not linger
            }
            c = (c + step) & mask;
            done += step;
        }
        clean = c;
        inFlight -= done;
        return out;
    }

    /**
     * Whether the device is done with descriptor {@code slot}: its DD, or for a context descriptor (no
     * RS, so no DD) the DD of the data descriptor that always follows it.
     */
    private boolean completed(MemorySegment ring, int slot) {
        return isDone(ring, tags[slot] == CONTEXT_TAG ? (slot + 1) & mask : slot);
    }

    /**
     * Gives back the tags of frames still in flight, finished or not, oldest first: for when the queue has
     * been stopped (the queue disabled or the device reset) and what was queued will never complete.
     * Touches no register; call {@link #writeRingRegisters()} before submitting again.
     *
     * @return how many tags were written, context descriptors having none (repeat until {@link #inFlight()}
     *     is 0)
     */
    public final int drain(int[] abandonedTags, int offset, int max) {
        int n = Math.min(max, inFlight);
        int c = clean;
        int out = 0;
        for (int j = 0; j < n; j++) {
            if (tags[c] != CONTEXT_TAG) {
                abandonedTags[offset + out++] = tags[c];
            }
            c = (c + 1) & mask;
        }
        clean = c;
        inFlight -= n;
        return out;
    }

    private void checkFrames(long[] iovas, int[] lengths, int offset, int n) {
        for (int i = offset; i < offset + n; i++) {
            int length = lengths[i] & ~MORE;
            if (length < 1 || length > maxLength) {
                throw new IllegalArgumentException("frame length out of range: queue=" + queue + ", frame=" + i
                        + ", length=" + length);
            }
            if (iovas[i] == 0) {
                throw new IllegalArgumentException("frame at IOVA 0: queue=" + queue + ", frame=" + i);
            }
        }
    }

    /** Frames submitted and not yet cleaned or drained. */
    public final int inFlight() {
        return inFlight;
    }

    /** Frames {@link #submit} would accept now: {@code count - 1 - inFlight}. */
    public final int freeSlots() {
        return count - 1 - inFlight;
    }

    /** The next slot to fill; the value last written to TDT. */
    public final int tail() {
        return tail;
    }

    /** The oldest slot in flight (the next to clean). */
    public final int cleanIndex() {
        return clean;
    }

    @Override
    public String toString() {
        return getClass().getSimpleName() + "[queue=" + queue + ", count=" + count + ", tail=" + tail + ", clean="
                + clean + ", inFlight=" + inFlight + ", region=" + purpose() + "]";
    }
}

package io.nicup.ndis.miniport.i82576;

import static io.nicup.ndis.miniport.i82576.AdvTxDescriptor.BUFFER_ADDR;
import static io.nicup.ndis.miniport.i82576.AdvTxDescriptor.CMD_TYPE_LEN;
import static io.nicup.ndis.miniport.i82576.AdvTxDescriptor.OLINFO_STATUS;
import static io.nicup.ndis.miniport.i82576.AdvTxDescriptor.SHIFT;
import static io.nicup.ndis.miniport.i82576.AdvTxDescriptor.WB_STATUS;

import io.nicup.ndis.miniport.i82574.FastPathChecks;
import io.nicup.ndis.miniport.i82574.RingGeometry;

import io.nicup.vfio.DmaRegion;
import io.nicup.vfio.RegisterSpace;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.VarHandle;

/**
 * One transmit queue of the 82576: a ring of {@link AdvTxDescriptor advanced data descriptors} and its
 * tail doorbell (the 82574L's {@code TxRing} with the 82576's descriptor format and registers). The fast
 * path ({@link #submit}, {@link #clean}) allocates nothing, throws nothing on a device condition and logs
 * nothing; a full ring is the return value 0.
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
 *       {@code < count} (QEMU's {@code igb_ring_empty} treats {@code TDT >= count} as an empty ring).</li>
 *   <li>{@code inFlight} descriptors, starting at {@code clean}, have been submitted and not yet cleaned.
 *       At most {@code count - 1} are in flight: one slot stays empty so that {@code TDT == TDH} always
 *       means "nothing to send" and never "ring full".</li>
 *   <li>Every descriptor is an advanced data descriptor ({@code DEXT}, {@code DTYP = 0011}) with
 *       {@code EOP | IFCS | RS} and {@code PAYLEN} = the frame length: one descriptor per frame, CRC
 *       inserted by the device, and a DD write-back for every descriptor (QEMU's
 *       {@code igb_txdesc_writeback} writes DD only with RS).</li>
 *   <li>The device completes descriptors in order, so DD on descriptor {@code k} means every descriptor
 *       before it is done too. {@link #clean} uses that like ixy: it checks the DD of the last descriptor
 *       of a batch of up to {@link #CLEAN_BATCH}, and looks at single descriptors only when a batch is
 *       not complete yet.</li>
 * </ul>
 *
 * <h2>Memory ordering</h2>
 * Descriptors are written with plain stores, then a {@link VarHandle#releaseFence() release fence}
 * orders them before the TDT write (itself a volatile MMIO store, see {@link RegisterSpace}). DD is read
 * with {@code getAcquire}, before anything the device wrote with it.
 *
 * <h2>Tags</h2>
 * Each submitted frame carries an {@code int} tag of the caller's choosing (a buffer index, an index
 * into the caller's table of NET_BUFFER_LISTs); {@link #clean} and {@link #drain} give the tags back in
 * submission order, each exactly once.
 *
 * <p>Not thread-safe: one owner per queue (the send path), as in every NIC driver's fast path.
 */
public final class AdvTxRing {

    /** Smallest ring accepted. */
    public static final int MIN_DESCRIPTORS = RingGeometry.MIN_DESCRIPTORS;
    /** Largest ring accepted. */
    public static final int MAX_DESCRIPTORS = RingGeometry.MAX_DESCRIPTORS;
    /** Command and type of every descriptor: advanced data, end of packet, insert FCS, report status. */
    public static final int CMD = AdvTxDescriptor.DTYP_DATA | AdvTxDescriptor.DCMD_DEXT | AdvTxDescriptor.DCMD_EOP
            | AdvTxDescriptor.DCMD_IFCS | AdvTxDescriptor.DCMD_RS;
    /** Descriptors {@link #clean} retires per DD check when the device has finished them (ixy: 32). */
    public static final int CLEAN_BATCH = 32;

    private static final int LENGTH_MASK = AdvTxDescriptor.DTALEN_MASK;
    private static final int STA_DD = AdvTxDescriptor.STA_DD;

    private final MemorySegment ring;
    private final RegisterSpace regs;
    private final long tdt;
    private final long ringIova;
    private final String purpose;
    private final int queue;
    private final int count;
    private final int mask;
    private final int[] tags;

    private int tail;
    private int clean;
    private int inFlight;

    /**
     * A ring over the first {@code count * 16} bytes of {@code descriptors}. Nothing is written to the
     * device until {@link #writeRingRegisters()}.
     *
     * @param descriptors ring memory: 128-byte aligned IOVA, at least {@code count * 16} bytes, zeroed
     * @param regs BAR0 of the device (TDT, TDH and the ring base registers of {@code queue})
     * @param queue 0..15
     * @param count descriptors, a power of two from {@value #MIN_DESCRIPTORS} to {@value #MAX_DESCRIPTORS}
     */
    public AdvTxRing(DmaRegion descriptors, RegisterSpace regs, int queue, int count) {
        this.queue = Regs82576.queueChecked(queue);
        this.count = RingGeometry.checkCount("tx" + queue, count);
        this.ring = RingGeometry.ringSegment("tx" + queue, descriptors, count, AdvTxDescriptor.BYTES);
        this.regs = regs;
        this.tdt = Regs82576.TDT(queue);
        this.ringIova = descriptors.iova();
        this.purpose = descriptors.purpose();
        this.mask = count - 1;
        this.tags = new int[count];
    }

    /**
     * Programs the ring into the device: TDBAL/TDBAH, TDLEN, TDH = TDT = 0 (datasheet 4.5.10 "Transmit Initialization"), and
     * empties the ring. Call while the queue is stopped (TXDCTL.ENABLE clear), before the first
     * {@link #submit}.
     *
     * @throws IllegalStateException when frames are still in flight: {@link #drain} them first
     */
    public void writeRingRegisters() {
        if (inFlight != 0) {
            throw new IllegalStateException("frames still in flight, drain them first: queue=" + queue + ", inFlight="
                    + inFlight);
        }
        ring.fill((byte) 0);
        tail = 0;
        clean = 0;
        regs.write32(Regs82576.TDBAL(queue), (int) ringIova);
        regs.write32(Regs82576.TDBAH(queue), (int) (ringIova >>> 32));
        regs.write32(Regs82576.TDLEN(queue), count * AdvTxDescriptor.BYTES);
        regs.write32(Regs82576.TDH(queue), 0);
        regs.write32(tdt, 0);
    }

    /**
     * Queues up to {@code frames} frames, one descriptor each, and rings the doorbell once: a single TDT
     * write after the last descriptor, and none when nothing was accepted.
     *
     * @param iovas device address of each frame (already in DMA memory)
     * @param lengths length of each frame in bytes, 1 to 65535 (the caller validates against the MTU)
     * @param frameTags tag of each frame, given back by {@link #clean}
     * @param offset index of the first frame in the three arrays
     * @param frames number of frames offered
     * @return how many frames, from the first, were queued: {@code min(frames, freeSlots())}; 0 when the
     *     ring is full (the caller keeps the rest and offers them again after {@link #clean})
     */
    public int submit(long[] iovas, int[] lengths, int[] frameTags, int offset, int frames) {
        int n = Math.min(frames, count - 1 - inFlight);
        if (n <= 0) {
            return 0;
        }
        if (FastPathChecks.ENABLED) {
            checkFrames(iovas, lengths, offset, n);
        }
        final MemorySegment ring = this.ring;
        final int[] tags = this.tags;
        final int mask = this.mask;
        int t = tail;
        for (int i = 0; i < n; i++) {
            long d = (long) t << SHIFT;
            BUFFER_ADDR.set(ring, d, iovas[offset + i]);
            int length = lengths[offset + i];
            CMD_TYPE_LEN.set(ring, d, length & LENGTH_MASK | CMD);
            OLINFO_STATUS.set(ring, d, length << AdvTxDescriptor.PAYLEN_SHIFT);   // also clears DD
            tags[t] = frameTags[offset + i];
            t = (t + 1) & mask;
        }
        tail = t;
        inFlight += n;
        // Every descriptor store above must be visible before the device sees the new tail.
        VarHandle.releaseFence();
        regs.write32(tdt, t);
        return n;
    }

    /**
     * Retires descriptors the device has finished (DD written back), oldest first, and gives their tags
     * back. Touches no register.
     *
     * @param doneTags receives the tags, in submission order, from {@code doneTags[offset]}
     * @param max at most this many
     * @return how many were retired (0 when the device has finished none)
     */
    public int clean(int[] doneTags, int offset, int max) {
        final MemorySegment ring = this.ring;
        final int[] tags = this.tags;
        final int mask = this.mask;
        int c = clean;
        int pending = inFlight;
        int done = 0;
        while (pending > 0 && done < max) {
            int step = Math.min(Math.min(pending, max - done), CLEAN_BATCH);
            int last = (c + step - 1) & mask;
            if (((int) WB_STATUS.getAcquire(ring, (long) last << SHIFT) & STA_DD) == 0) {
                // The batch is not finished: retire the finished prefix (in-order completion) and stop.
                int k = 0;
                while (k < step - 1 && ((int) WB_STATUS.getAcquire(ring, (long) ((c + k) & mask) << SHIFT) & STA_DD) != 0) {
                    k++;
                }
                step = k;
                pending = 0;
            } else {
                pending -= step;
            }
            for (int j = 0; j < step; j++) {
                doneTags[offset + done + j] = tags[(c + j) & mask];
            }
            c = (c + step) & mask;
            done += step;
        }
        clean = c;
        inFlight -= done;
        return done;
    }

    /**
     * Gives back the tags of frames still in flight, finished or not, oldest first: for when the queue has
     * been stopped (TXDCTL.ENABLE clear or the device reset) and what was queued will never complete. Touches
     * no register; call {@link #writeRingRegisters()} before submitting again.
     *
     * @return how many tags were written (repeat until {@link #inFlight()} is 0)
     */
    public int drain(int[] abandonedTags, int offset, int max) {
        int n = Math.min(max, inFlight);
        int c = clean;
        for (int j = 0; j < n; j++) {
            abandonedTags[offset + j] = tags[c];
            c = (c + 1) & mask;
        }
        clean = c;
        inFlight -= n;
        return n;
    }

    private void checkFrames(long[] iovas, int[] lengths, int offset, int n) {
        for (int i = offset; i < offset + n; i++) {
            if (lengths[i] < 1 || lengths[i] > AdvTxDescriptor.DTALEN_MASK) {
                throw new IllegalArgumentException("frame length out of range: queue=" + queue + ", frame=" + i
                        + ", length=" + lengths[i]);
            }
            if (iovas[i] == 0) {
                throw new IllegalArgumentException("frame at IOVA 0: queue=" + queue + ", frame=" + i);
            }
        }
    }

    /** Reads TDH from the device (an MMIO read: for diagnostics, not for the fast path). */
    public int hardwareHead() {
        return regs.read32(Regs82576.TDH(queue));
    }

    /** Descriptors in the ring. */
    public int count() {
        return count;
    }

    public int queue() {
        return queue;
    }

    /** Frames submitted and not yet cleaned or drained. */
    public int inFlight() {
        return inFlight;
    }

    /** Frames {@link #submit} would accept now: {@code count - 1 - inFlight}. */
    public int freeSlots() {
        return count - 1 - inFlight;
    }

    /** The next slot to fill; the value last written to TDT. */
    public int tail() {
        return tail;
    }

    /** The oldest slot in flight (the next to clean). */
    public int cleanIndex() {
        return clean;
    }

    /** Device address of the ring (TDBAL/TDBAH). */
    public long ringIova() {
        return ringIova;
    }

    /** Ring length in bytes (TDLEN). */
    public int ringBytes() {
        return count * AdvTxDescriptor.BYTES;
    }

    /** The descriptors, {@code count * 16} bytes: for traces and fault checks. */
    public MemorySegment descriptors() {
        return ring;
    }

    @Override
    public String toString() {
        return "AdvTxRing[queue=" + queue + ", count=" + count + ", tail=" + tail + ", clean=" + clean + ", inFlight="
                + inFlight + ", region=" + purpose + "]";
    }
}

package io.nicup.benchmarks;

import com.sun.jna.Pointer;
import io.nicup.ndis.miniport.core.PacketBufferPool;
import io.nicup.ndis.miniport.i82574.ExtRxDescriptor;
import io.nicup.ndis.miniport.i82574.ExtRxRing;
import io.nicup.ndis.miniport.i82574.LegacyRxDescriptor;
import io.nicup.ndis.miniport.i82574.LegacyTxDescriptor;
import io.nicup.ndis.miniport.i82574.Regs82574;
import io.nicup.ndis.miniport.i82574.TxRing;
import io.nicup.ndis.miniport.intel.TxChecksum;
import java.lang.invoke.VarHandle;

/**
 * The rings of {@link JnaPath}: {@link io.nicup.ndis.miniport.intel.TxDescriptorRing} and
 * {@link io.nicup.ndis.miniport.intel.RxDescriptorRing} with the 82574L hooks of {@link TxRing} and {@link ExtRxRing}
 * written in place, line for line, each {@code VarHandle} access on the ring segment replaced by the JNA
 * {@code Pointer} call at the same offset. See {@link JnaPath}.
 */
final class JnaRings {

    private static final long TX_LOWER = LegacyTxDescriptor.OFFSET_LOWER;
    private static final long TX_UPPER = LegacyTxDescriptor.OFFSET_UPPER;
    private static final long RX_STATUS_ERROR = ExtRxDescriptor.OFFSET_STATUS_ERROR;

    /**
     * {@link TxRing} over JNA: {@code TxDescriptorRing.submit/clean} with {@code TxRing.writeCommand}, each
     * method under the product's name. The cold branches the benchmark never takes (checksum offload, a frame
     * in pieces, TCP segmentation) keep their conditions and throw.
     */
    static final class Tx {
        /** TxDescriptorRing's tag of a context descriptor's slot. */
        private static final int CONTEXT_TAG = -1;
        private static final int SHIFT = 4;
        private static final int LOWER_CMD = TxRing.CMD << LegacyTxDescriptor.LOWER_CMD_SHIFT;
        private static final int LENGTH_MASK = LegacyTxDescriptor.MAX_LENGTH;
        private final Pointer ring;
        private final Pointer regs;
        private final long tdt;
        private final int count;
        private final int mask;
        private final long doneOffset;
        private final int doneBit;
        private final int[] tags;
        private int lastContext;
        private int tail;
        private int clean;
        private int inFlight;
        private long unsubmittedWriteBacks;

        Tx(Fixture f) {
            this.ring = new Pointer(f.txRegion.segment().address());
            this.regs = new Pointer(f.registers.address());
            this.tdt = Regs82574.TDT(0);
            this.count = f.ringSize;
            this.mask = count - 1;
            this.doneOffset = LegacyTxDescriptor.OFFSET_STATUS;
            this.doneBit = LegacyTxDescriptor.STA_DD;
            this.tags = new int[count];
            ring.setMemory(0, (long) count * 16, (byte) 0);
            regs.setInt(tdt, 0);
            VarHandle.fullFence();
        }

        /** TxRing.writeCommand. */
        private static void writeCommand(Pointer ring, long d, int length) {
            ring.setInt(d + TX_LOWER, length & LENGTH_MASK | LOWER_CMD);
            ring.setInt(d + TX_UPPER, 0);
        }

        private int writeFrame(Pointer ring, int t, long iova, int length, int offload, int tag) {
            t = writeContextIfNew(ring, t, offload);
            long d = (long) t << SHIFT;
            ring.setLong(d, iova);
            if (offload == 0) {
                writeCommand(ring, d, length);
            } else {
                throw cold("checksum offload");
            }
            tags[t] = tag;
            return (t + 1) & mask;
        }

        private static int pieces(int[] lengths, int from, int end) {
            int n = 1;
            for (int i = from; i < end - 1 && lengths[i] < 0; i++) {
                n++;
            }
            return n;
        }

        private int descriptorsFor(int offload, int segmentation, int pieces) {
            return segmentation != 0 || offload != 0 && TxChecksum.context(offload) != lastContext ? pieces + 1
                    : pieces;
        }

        private int writeContextIfNew(Pointer ring, int t, int offload) {
            if (offload != 0) {
                throw cold("a checksum context descriptor");
            }
            return t;
        }

        private void checkTail(Pointer ring) {
            if (isDone(ring, tail)) {
                unsubmittedWriteBacks++;
                clearDone(ring, tail);
            }
        }

        private void clearDone(Pointer ring, int slot) {
            ring.setByte(((long) slot << SHIFT) + doneOffset, (byte) 0);
        }

        /** The product's {@code getAcquire}: a plain load, then an acquire fence. */
        private boolean isDone(Pointer ring, int slot) {
            byte status = ring.getByte(((long) slot << SHIFT) + doneOffset);
            VarHandle.acquireFence();
            return (status & doneBit) != 0;
        }

        int submit(long[] iovas, int[] lengths, int[] frameTags, int offset, int frames) {
            return submit(iovas, lengths, frameTags, null, null, offset, frames);
        }

        int submit(long[] iovas, int[] lengths, int[] frameTags, int[] offloads, int[] segmentations, int offset,
                int frames) {
            int free = count - 1 - inFlight;
            if (free <= 0 || frames <= 0) {
                return 0;
            }
            final Pointer ring = this.ring;
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
                if (lengths[i] >= 0 && segmentation == 0) {
                    t = writeFrame(ring, t, iovas[i], lengths[i], offload, frameTags[i]);
                } else {
                    throw cold("a frame in pieces or a TCP segmentation");
                }
                used += need;
                n += pieces;
            }
            if (n == 0) {
                return 0;
            }
            tail = t;
            inFlight += used;
            VarHandle.releaseFence();
            regs.setInt(tdt, t);                          // the doorbell: a release store
            return n;
        }

        int clean(int[] doneTags, int offset, int max) {
            final Pointer ring = this.ring;
            final int[] tags = this.tags;
            final int mask = this.mask;
            checkTail(ring);
            int c = clean;
            int pending = inFlight;
            int done = 0;
            int out = 0;
            while (pending > 0 && done < max) {
                int step = Math.min(Math.min(pending, max - done), TxRing.CLEAN_BATCH);
                int last = (c + step - 1) & mask;
                if (!completed(ring, last)) {
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
                    clearDone(ring, slot);
                }
                c = (c + step) & mask;
                done += step;
            }
            clean = c;
            inFlight -= done;
            return out;
        }

        private boolean completed(Pointer ring, int slot) {
            return isDone(ring, tags[slot] == CONTEXT_TAG ? (slot + 1) & mask : slot);
        }

        long unsubmittedWriteBacks() {
            return unsubmittedWriteBacks;
        }
    }

    /**
     * {@link ExtRxRing} over JNA: {@code RxDescriptorRing.poll/refill} with {@code ExtRxRing.writtenBackFlags}
     * and {@code clearWriteBack}, each method under the product's name. The product's
     * {@code FastPathChecks.ENABLED} blocks are left out: the flag is off in the benchmarks (no {@code -ea},
     * no property), so the JIT removes them from the product's code too.
     */
    static final class Rx {
        private static final int SHIFT = 4;
        private static final int STA_EOP = 0x02;
        private final Pointer ring;
        private final Pointer regs;
        private final long rdt;
        private final int count;
        private final int mask;
        private final long doneOffset;
        private final int doneBit;
        private final long lengthOffset;
        private final PacketBufferPool pool;
        private final int bufferSize;
        private int frameLimit;
        private final int[] slotBuffer;
        private int next;
        private int tail;
        private boolean inFragmentedFrame;
        private long unsubmittedWriteBacks;

        Rx(Fixture f) {
            this.ring = new Pointer(f.rxRegion.segment().address());
            this.regs = new Pointer(f.registers.address());
            this.rdt = Regs82574.RDT(0);
            this.count = f.ringSize;
            this.mask = count - 1;
            this.doneOffset = ExtRxDescriptor.OFFSET_STATUS_ERROR;
            this.doneBit = LegacyRxDescriptor.STA_DD;
            this.lengthOffset = ExtRxDescriptor.OFFSET_LENGTH;
            this.pool = f.pool;
            this.bufferSize = pool.bufferSize();
            this.frameLimit = bufferSize;
            this.slotBuffer = new int[count];
            ring.setMemory(0, (long) count * 16, (byte) 0);
            regs.setInt(rdt, 0);
            VarHandle.fullFence();
        }

        int emptySlots() {
            return count - 1 - ((tail - next) & mask);
        }

        private void clearDone(Pointer ring, int slot) {
            ring.setByte(((long) slot << SHIFT) + doneOffset, (byte) 0);
        }

        private boolean isDone(Pointer ring, int slot) {
            return (ring.getByte(((long) slot << SHIFT) + doneOffset) & doneBit) != 0;
        }

        /** ExtRxRing.writtenBackFlags. */
        private static int writtenBackFlags(Pointer ring, int slot) {
            int statusError = ring.getInt(((long) slot << SHIFT) + RX_STATUS_ERROR);
            int errors = statusError >>> ExtRxDescriptor.ERRORS_SHIFT;
            return flags(statusError & 0xFF, errors, (errors & LegacyRxDescriptor.ERR_FRAME) != 0);
        }

        private static int flags(int status, int errors, boolean frameError) {
            int f = status | errors << ExtRxRing.ERRORS_SHIFT;
            return frameError ? f | ExtRxRing.FAULT_ERRORS : f;
        }

        private int writtenBackLength(Pointer ring, int slot) {
            return ring.getShort(((long) slot << SHIFT) + lengthOffset) & 0xFFFF;
        }

        /** ExtRxRing.clearWriteBack. */
        private static void clearWriteBack(Pointer ring, long d) {
            ring.setLong(d + RX_STATUS_ERROR, 0L);
        }

        private static void writeBuffer(Pointer ring, int slot, long iova) {
            long d = (long) slot << SHIFT;
            ring.setLong(d, iova);
            clearWriteBack(ring, d);
        }

        int poll(int[] buffers, int[] lengths, int[] flags, int offset, int max) {
            final Pointer ring = this.ring;
            final int[] slotBuffer = this.slotBuffer;
            final int mask = this.mask;
            final int limit = this.frameLimit - ExtRxRing.MIN_FRAME_LENGTH;
            if (isDone(ring, tail)) {
                unsubmittedWriteBacks++;
                clearDone(ring, tail);
            }
            int n = Math.min(max, (tail - next) & mask);
            int s = next;
            int ready = 0;
            while (ready < n && isDone(ring, (s + ready) & mask)) {
                ready++;
            }
            if (ready == 0) {
                return 0;
            }
            VarHandle.acquireFence();
            boolean fragmented = inFragmentedFrame;
            for (int i = 0; i < ready; i++) {
                int f = writtenBackFlags(ring, s);
                int length = writtenBackLength(ring, s);
                if ((f & STA_EOP) == 0 || fragmented) {
                    f |= ExtRxRing.FAULT_FRAGMENT;
                    fragmented = (f & STA_EOP) == 0;
                }
                if (Integer.compareUnsigned(length - ExtRxRing.MIN_FRAME_LENGTH, limit) > 0) {
                    f |= ExtRxRing.FAULT_LENGTH;
                }
                clearDone(ring, s);
                int buffer = slotBuffer[s];
                buffers[offset + i] = buffer;
                lengths[offset + i] = length;
                flags[offset + i] = f;
                s = (s + 1) & mask;
            }
            next = s;
            inFragmentedFrame = fragmented;
            return ready;
        }

        int refill(int[] bufferIndexes, int offset, int buffers) {
            int n = Math.min(buffers, count - 1 - ((tail - next) & mask));
            if (n <= 0) {
                return 0;
            }
            final Pointer ring = this.ring;
            final int[] slotBuffer = this.slotBuffer;
            final PacketBufferPool pool = this.pool;
            final int mask = this.mask;
            int t = tail;
            for (int i = 0; i < n; i++) {
                int buffer = bufferIndexes[offset + i];
                slotBuffer[t] = buffer;
                writeBuffer(ring, t, pool.iova(buffer));
                t = (t + 1) & mask;
            }
            tail = t;
            VarHandle.releaseFence();
            regs.setInt(rdt, t);                          // the doorbell: a release store
            return n;
        }

        int refillFromPool(int max) {
            int n = Math.min(max, count - 1 - ((tail - next) & mask));
            final Pointer ring = this.ring;
            final PacketBufferPool pool = this.pool;
            int t = tail;
            int i = 0;
            for (; i < n; i++) {
                int buffer = pool.allocate();
                if (buffer == PacketBufferPool.NONE) {
                    break;
                }
                slotBuffer[t] = buffer;
                writeBuffer(ring, t, pool.iova(buffer));
                t = (t + 1) & mask;
            }
            if (i > 0) {
                tail = t;
                VarHandle.releaseFence();
                regs.setInt(rdt, t);
            }
            return i;
        }

        long unsubmittedWriteBacks() {
            return unsubmittedWriteBacks;
        }
    }

    /** The branch the benchmark never takes: the product has it, the peer does not copy it. */
    private static UnsupportedOperationException cold(String what) {
        return new UnsupportedOperationException("not in the benchmark peer: " + what);
    }

    private JnaRings() {
    }
}

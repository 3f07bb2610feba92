package io.nicup.benchmarks;

import static io.nicup.benchmarks.UnsafeRings.U;

import io.nicup.ndis.miniport.i82574.LegacyTxDescriptor;
import io.nicup.ndis.miniport.i82574.Regs82574;
import io.nicup.ndis.miniport.i82574.TxRing;
import io.nicup.ndis.miniport.intel.TxChecksum;
import java.lang.invoke.VarHandle;

/**
 * {@link TxRing} over Unsafe, for {@link UnsafePath}: {@code TxDescriptorRing.submit/clean} with the 82574L hook
 * {@code TxRing.writeFrameCommands} written in place, line for line, each method under the product's name:
 * {@code wholeFrames} finds a run of frames that take one descriptor each, {@code writeWholeFrames} writes their
 * addresses and tags, then one {@code writeFrameCommands} call writes their command words in the family's own loop.
 * Each {@code VarHandle} access on the ring segment is replaced by the {@code sun.misc.Unsafe} call at its base address
 * plus the same offset. The cold branches the benchmark never takes (checksum offload, a frame in pieces, TCP
 * segmentation) keep their conditions and throw.
 */
@SuppressWarnings("removal") // sun.misc.Unsafe memory access: this peer exists to measure it
final class UnsafeTxRing {

    private static final long TX_LOWER = LegacyTxDescriptor.OFFSET_LOWER;
    private static final long TX_UPPER = LegacyTxDescriptor.OFFSET_UPPER;
    /** TxDescriptorRing's tag of a context descriptor's slot. */
    private static final int CONTEXT_TAG = -1;
    private static final int SHIFT = 4;
    private static final int LOWER_CMD = TxRing.CMD << LegacyTxDescriptor.LOWER_CMD_SHIFT;
    private static final int LENGTH_MASK = LegacyTxDescriptor.MAX_LENGTH;
    private final long ring;
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

    UnsafeTxRing(Fixture f) {
        this.ring = f.txRegion.segment().address();
        this.tdt = f.registers.address() + Regs82574.TDT(0);
        this.count = f.ringSize;
        this.mask = count - 1;
        this.doneOffset = LegacyTxDescriptor.OFFSET_STATUS;
        this.doneBit = LegacyTxDescriptor.STA_DD;
        this.tags = new int[count];
        U.setMemory(ring, (long) count * 16, (byte) 0);
        U.putIntVolatile(null, tdt, 0);
    }

    /**
     * TxRing.writeFrameCommands: legacy descriptors; with a checksum request, data descriptors (DEXT) with
     * POPTS, which the benchmark never asks for. STA 0 clears DD.
     */
    private static void writeFrameCommands(long ring, int first, int n, int mask, int[] lengths, int[] offloads,
            int from) {
        for (int i = 0; i < n; i++) {
            long d = (long) ((first + i) & mask) << SHIFT;
            int length = lengths[from + i];
            int offload = offloads == null ? 0 : offloads[from + i];
            if (offload == 0) {
                U.putInt(ring + d + TX_LOWER, length & LENGTH_MASK | LOWER_CMD);
                U.putInt(ring + d + TX_UPPER, 0);
            } else {
                throw cold("checksum offload");
            }
        }
    }

    /** TxDescriptorRing.writeWholeFrames: addresses and tags here, the rest in one writeFrameCommands call. */
    private int writeWholeFrames(long ring, int t, long[] iovas, int[] lengths, int[] frameTags, int[] offloads,
            int i, int n) {
        final int[] tags = this.tags;
        final int mask = this.mask;
        for (int k = 0; k < n; k++) {
            int s = (t + k) & mask;
            U.putLong(ring + ((long) s << SHIFT), iovas[i + k]);
            tags[s] = frameTags[i + k];
        }
        writeFrameCommands(ring, t, n, mask, lengths, offloads, i);
        return (t + n) & mask;
    }

    /** TxDescriptorRing.wholeFrames: how many frames from entry i on take exactly one descriptor now. */
    private int wholeFrames(int[] lengths, int[] offloads, int[] segmentations, int i, int end, int room) {
        int limit = Math.min(end, i + room);
        int j = i;
        while (j < limit && lengths[j] >= 0 && (segmentations == null || segmentations[j] == 0)
                && (offloads == null || offloads[j] == 0 || TxChecksum.context(offloads[j]) == lastContext)) {
            j++;
        }
        return j - i;
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

    private int writeContextIfNew(long ring, int t, int offload) {
        if (offload != 0) {
            throw cold("a checksum context descriptor");
        }
        return t;
    }

    private int writePieces(long ring, int t, long[] iovas, int[] lengths, int[] frameTags, int i, int pieces,
            int offload, int segmentation) {
        throw cold("a frame in pieces or a TCP segmentation");
    }

    private void checkTail(long ring) {
        if (isDone(ring, tail)) {
            unsubmittedWriteBacks++;
            clearDone(ring, tail);
        }
    }

    private void clearDone(long ring, int slot) {
        U.putByte(ring + ((long) slot << SHIFT) + doneOffset, (byte) 0);
    }

    /** The product's {@code getAcquire}: a plain load, then an acquire fence. */
    private boolean isDone(long ring, int slot) {
        byte status = U.getByte(ring + ((long) slot << SHIFT) + doneOffset);
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
        final long ring = this.ring;
        checkTail(ring);
        int t = tail;
        int used = 0;
        int n = 0;
        while (n < frames) {
            int i = offset + n;
            int run = wholeFrames(lengths, offloads, segmentations, i, offset + frames, free - used);
            if (run > 0) {                               // the common case: one family call for the run
                t = writeWholeFrames(ring, t, iovas, lengths, frameTags, offloads, i, run);
                used += run;
                n += run;
                continue;
            }
            // This frame needs a new context, spans several descriptors, or does not fit.
            int offload = offloads == null ? 0 : offloads[i];
            int pieces = lengths[i] >= 0 ? 1 : pieces(lengths, i, offset + frames);
            int segmentation = segmentations == null ? 0 : segmentations[i];
            int need = descriptorsFor(offload, segmentation, pieces);
            if (used + need > free) {
                break;
            }
            if (lengths[i] >= 0 && segmentation == 0) {
                t = writeContextIfNew(ring, t, offload);    // then the frame leads the next run
                used++;
                continue;
            }
            t = writePieces(ring, t, iovas, lengths, frameTags, i, pieces, offload, segmentation);
            used += need;
            n += pieces;
        }
        if (n == 0) {
            return 0;
        }
        tail = t;
        inFlight += used;
        VarHandle.releaseFence();
        U.putInt(tdt, t);                             // the doorbell: a release store
        return n;
    }

    int clean(int[] doneTags, int offset, int max) {
        final long ring = this.ring;
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

    private boolean completed(long ring, int slot) {
        return isDone(ring, tags[slot] == CONTEXT_TAG ? (slot + 1) & mask : slot);
    }

    long unsubmittedWriteBacks() {
        return unsubmittedWriteBacks;
    }

    /** The branch the benchmark never takes: the product has it, the peer does not copy it. */
    private static UnsupportedOperationException cold(String what) {
        return new UnsupportedOperationException("not in the benchmark peer: " + what);
    }
}

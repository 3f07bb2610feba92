package io.nicup.benchmarks;

import com.sun.jna.Pointer;
import io.nicup.ndis.miniport.i82574.LegacyTxDescriptor;
import io.nicup.ndis.miniport.i82574.Regs82574;
import io.nicup.ndis.miniport.i82574.TxRing;
import io.nicup.ndis.miniport.intel.TxChecksum;
import java.lang.invoke.VarHandle;

/**
 * {@link TxRing} over JNA, for {@link JnaPath}: {@code TxDescriptorRing.submit/clean} with the 82574L hook
 * {@code TxRing.writeFrameCommands} written in place, line for line, each method under the product's name:
 * {@code wholeFrames} finds a run of frames that take one descriptor each, {@code writeWholeFrames} writes their
 * addresses and tags, then one {@code writeFrameCommands} call writes their command words in the family's own loop.
 * Each {@code VarHandle} access on the ring segment is replaced by the JNA {@code Pointer} call at the same offset. The
 * cold branches the benchmark never takes (checksum offload, a frame in pieces, TCP segmentation) keep their conditions
 * and throw.
 */
final class JnaTxRing {

    private static final long TX_LOWER = LegacyTxDescriptor.OFFSET_LOWER;
    private static final long TX_UPPER = LegacyTxDescriptor.OFFSET_UPPER;
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

    JnaTxRing(Fixture f) {
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

    /**
     * TxRing.writeFrameCommands: legacy descriptors; with a checksum request, data descriptors (DEXT) with
     * POPTS, which the benchmark never asks for. STA 0 clears DD.
     */
    private static void writeFrameCommands(Pointer ring, int first, int n, int mask, int[] lengths, int[] offloads,
            int from) {
        for (int i = 0; i < n; i++) {
            long d = (long) ((first + i) & mask) << SHIFT;
            int length = lengths[from + i];
            int offload = offloads == null ? 0 : offloads[from + i];
            if (offload == 0) {
                ring.setInt(d + TX_LOWER, length & LENGTH_MASK | LOWER_CMD);
                ring.setInt(d + TX_UPPER, 0);
            } else {
                throw cold("checksum offload");
            }
        }
    }

    /** TxDescriptorRing.writeWholeFrames: addresses and tags here, the rest in one writeFrameCommands call. */
    private int writeWholeFrames(Pointer ring, int t, long[] iovas, int[] lengths, int[] frameTags, int[] offloads,
            int i, int n) {
        final int[] tags = this.tags;
        final int mask = this.mask;
        for (int k = 0; k < n; k++) {
            int s = (t + k) & mask;
            ring.setLong((long) s << SHIFT, iovas[i + k]);
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

    private int writeContextIfNew(Pointer ring, int t, int offload) {
        if (offload != 0) {
            throw cold("a checksum context descriptor");
        }
        return t;
    }

    private int writePieces(Pointer ring, int t, long[] iovas, int[] lengths, int[] frameTags, int i, int pieces,
            int offload, int segmentation) {
        throw cold("a frame in pieces or a TCP segmentation");
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

    /** The branch the benchmark never takes: the product has it, the peer does not copy it. */
    private static UnsupportedOperationException cold(String what) {
        return new UnsupportedOperationException("not in the benchmark peer: " + what);
    }
}

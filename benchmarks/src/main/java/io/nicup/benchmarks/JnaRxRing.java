package io.nicup.benchmarks;

import com.sun.jna.Pointer;
import io.nicup.ndis.miniport.core.PacketBufferPool;
import io.nicup.ndis.miniport.i82574.ExtRxDescriptor;
import io.nicup.ndis.miniport.i82574.ExtRxRing;
import io.nicup.ndis.miniport.i82574.LegacyRxDescriptor;
import io.nicup.ndis.miniport.i82574.Regs82574;
import java.lang.invoke.VarHandle;

/**
 * {@link ExtRxRing} over JNA, for {@link JnaPath}: {@code RxDescriptorRing.poll/refill} with the 82574L hooks
 * {@code ExtRxRing.writtenBackFlags} and {@code clearWriteBacks} written in place, line for line, each method under the
 * product's name, each called once per batch with its own loop: {@code poll} scans DD, fences, reads the batch's flags
 * in one {@code writtenBackFlags} call, then lengths and faults; {@code refill} writes the buffer addresses, then
 * clears the write-backs in one {@code clearWriteBacks} call, then rings the doorbell. Each {@code VarHandle} access on
 * the ring segment is replaced by the JNA {@code Pointer} call at the same offset. The product's
 * {@code FastPathChecks.ENABLED} blocks are left out: the flag is off in the benchmarks (no {@code -ea}, no property),
 * so the JIT removes them from the product's code too.
 */
final class JnaRxRing {

    private static final long RX_STATUS_ERROR = ExtRxDescriptor.OFFSET_STATUS_ERROR;
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

    JnaRxRing(Fixture f) {
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

    /** ExtRxRing.writtenBackFlags: the flags of the n descriptors from slot first on, in one loop. */
    private static void writtenBackFlags(Pointer ring, int first, int n, int mask, int[] flags, int offset) {
        for (int i = 0; i < n; i++) {
            int statusError = ring.getInt(((long) ((first + i) & mask) << SHIFT) + RX_STATUS_ERROR);
            int errors = statusError >>> ExtRxDescriptor.ERRORS_SHIFT;
            flags[offset + i] = flags(statusError & 0xFF, errors, (errors & LegacyRxDescriptor.ERR_FRAME) != 0);
        }
    }

    private static int flags(int status, int errors, boolean frameError) {
        int f = status | errors << ExtRxRing.ERRORS_SHIFT;
        return frameError ? f | ExtRxRing.FAULT_ERRORS : f;
    }

    private int writtenBackLength(Pointer ring, int slot) {
        return ring.getShort(((long) slot << SHIFT) + lengthOffset) & 0xFFFF;
    }

    /** ExtRxRing.clearWriteBacks: the whole upper quadword of the n descriptors from slot first on. */
    private static void clearWriteBacks(Pointer ring, int first, int n, int mask) {
        for (int i = 0; i < n; i++) {
            ring.setLong(((long) ((first + i) & mask) << SHIFT) + RX_STATUS_ERROR, 0L);
        }
    }

    private static void writeBufferAddress(Pointer ring, int slot, long iova) {
        ring.setLong((long) slot << SHIFT, iova);
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
        // Pass 1: the DD scan.
        int ready = 0;
        while (ready < n && isDone(ring, (s + ready) & mask)) {
            ready++;
        }
        if (ready == 0) {
            return 0;
        }
        VarHandle.acquireFence();
        // Pass 2: status and errors of the whole batch, in one call.
        writtenBackFlags(ring, s, ready, mask, flags, offset);
        // Pass 3: lengths and faults, and the buffers handed over.
        boolean fragmented = inFragmentedFrame;
        for (int i = 0; i < ready; i++) {
            int f = flags[offset + i];
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
        final int first = tail;
        int t = first;
        for (int i = 0; i < n; i++) {
            int buffer = bufferIndexes[offset + i];
            slotBuffer[t] = buffer;
            writeBufferAddress(ring, t, pool.iova(buffer));
            t = (t + 1) & mask;
        }
        clearWriteBacks(ring, first, n, mask);
        tail = t;
        VarHandle.releaseFence();
        regs.setInt(rdt, t);                          // the doorbell: a release store
        return n;
    }

    int refillFromPool(int max) {
        int n = Math.min(max, count - 1 - ((tail - next) & mask));
        final Pointer ring = this.ring;
        final PacketBufferPool pool = this.pool;
        final int first = tail;
        int t = first;
        int i = 0;
        for (; i < n; i++) {
            int buffer = pool.allocate();
            if (buffer == PacketBufferPool.NONE) {
                break;
            }
            slotBuffer[t] = buffer;
            writeBufferAddress(ring, t, pool.iova(buffer));
            t = (t + 1) & mask;
        }
        if (i > 0) {
            clearWriteBacks(ring, first, i, mask);
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

package io.nicup.benchmarks;

import io.nicup.ndis.miniport.core.PacketBufferPool;
import io.nicup.ndis.miniport.i82574.LegacyRxDescriptor;
import io.nicup.ndis.miniport.i82574.LegacyTxDescriptor;
import io.nicup.ndis.miniport.i82574.Regs82574;
import io.nicup.ndis.miniport.i82574.RxRing;
import io.nicup.ndis.miniport.i82574.TxRing;
import java.lang.invoke.VarHandle;
import java.lang.reflect.Field;
import sun.misc.Unsafe;

/**
 * Peer: the same rings with {@code sun.misc.Unsafe} raw-address access, the way ixy.java reached
 * memory. {@link Tx} and {@link Rx} are {@link TxRing}/{@link RxRing} line for line (the loops of
 * {@link io.nicup.ndis.miniport.intel.TxDescriptorRing}/{@link io.nicup.ndis.miniport.intel.RxDescriptorRing}
 * with the 82574L descriptor hooks of {@code TxRing}/{@code RxRing} written in place) with each
 * {@code VarHandle} access replaced by the Unsafe call at the same address (native byte order, which is
 * little-endian on x86): DD read as a plain load with {@link VarHandle#acquireFence()} exactly where the
 * product has its acquire (after each DD check in clean, once per batch in poll), descriptors written with plain stores, then the doorbell as the product's
 * release store: {@link VarHandle#releaseFence()} and a plain 32-bit store (what {@code setRelease} is; no
 * trailing full fence, docs/ndis-contract.md §19). Setup writes stay volatile, as the product's control
 * registers do. No bounds or liveness checks: that is
 * what Unsafe gives up. Benchmarks only.
 */
@SuppressWarnings("removal") // sun.misc.Unsafe memory access: this peer exists to measure it
final class UnsafePath {

    static final Unsafe U;

    static {
        try {
            Field f = Unsafe.class.getDeclaredField("theUnsafe");
            f.setAccessible(true);
            U = (Unsafe) f.get(null);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private static final long TX_LOWER = LegacyTxDescriptor.OFFSET_LOWER;
    private static final long TX_UPPER = LegacyTxDescriptor.OFFSET_UPPER;
    private static final long TX_STATUS = LegacyTxDescriptor.OFFSET_STATUS;
    private static final long RX_LENGTH = LegacyRxDescriptor.OFFSET_LENGTH;
    private static final long RX_STATUS = LegacyRxDescriptor.OFFSET_STATUS;
    private static final long RX_ERRORS = LegacyRxDescriptor.OFFSET_ERRORS;

    /** {@link TxRing} over Unsafe. */
    static final class Tx {
        private static final int LOWER_CMD = TxRing.CMD << LegacyTxDescriptor.LOWER_CMD_SHIFT;
        private final long ring;
        private final long tdt;
        private final int count;
        private final int mask;
        private final int[] tags;
        private int tail;
        private int clean;
        private int inFlight;

        Tx(Fixture f) {
            this.ring = f.txRegion.segment().address();
            this.tdt = f.registers.address() + Regs82574.TDT(0);
            this.count = f.ringSize;
            this.mask = count - 1;
            this.tags = new int[count];
            U.setMemory(ring, (long) count * 16, (byte) 0);
            U.putIntVolatile(null, tdt, 0);
        }

        int submit(long[] iovas, int[] lengths, int[] frameTags, int offset, int frames) {
            int n = Math.min(frames, count - 1 - inFlight);
            if (n <= 0) {
                return 0;
            }
            final long ring = this.ring;
            final int[] tags = this.tags;
            final int mask = this.mask;
            int t = tail;
            for (int i = 0; i < n; i++) {
                long d = ring + ((long) t << 4);
                U.putLong(d, iovas[offset + i]);
                U.putInt(d + TX_LOWER, lengths[offset + i] & 0xFFFF | LOWER_CMD);
                U.putInt(d + TX_UPPER, 0);
                tags[t] = frameTags[offset + i];
                t = (t + 1) & mask;
            }
            tail = t;
            inFlight += n;
            VarHandle.releaseFence();
            U.putInt(tdt, t);                             // the doorbell: a release store
            return n;
        }

        private static int statusAcquire(long address) {
            int s = U.getByte(address);
            VarHandle.acquireFence();
            return s;
        }

        int clean(int[] doneTags, int offset, int max) {
            final long ring = this.ring;
            final int[] tags = this.tags;
            final int mask = this.mask;
            int c = clean;
            int pending = inFlight;
            int done = 0;
            while (pending > 0 && done < max) {
                int step = Math.min(Math.min(pending, max - done), TxRing.CLEAN_BATCH);
                int last = (c + step - 1) & mask;
                if ((statusAcquire(ring + ((long) last << 4) + TX_STATUS) & LegacyTxDescriptor.STA_DD) == 0) {
                    int k = 0;
                    while (k < step - 1
                            && (statusAcquire(ring + ((long) ((c + k) & mask) << 4) + TX_STATUS) & LegacyTxDescriptor.STA_DD) != 0) {
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
    }

    /** {@link RxRing} over Unsafe. */
    static final class Rx {
        private final long ring;
        private final long rdt;
        private final int count;
        private final int mask;
        private final PacketBufferPool pool;
        private final int bufferSize;
        private final int[] slotBuffer;
        private int next;
        private int tail;
        private boolean inFragmentedFrame;

        Rx(Fixture f) {
            this.ring = f.rxRegion.segment().address();
            this.rdt = f.registers.address() + Regs82574.RDT(0);
            this.count = f.ringSize;
            this.mask = count - 1;
            this.pool = f.pool;
            this.bufferSize = pool.bufferSize();
            this.slotBuffer = new int[count];
            U.setMemory(ring, (long) count * 16, (byte) 0);
            U.putIntVolatile(null, rdt, 0);
        }

        int emptySlots() {
            return count - 1 - ((tail - next) & mask);
        }

        int poll(int[] buffers, int[] lengths, int[] flags, int offset, int max) {
            final long ring = this.ring;
            final int[] slotBuffer = this.slotBuffer;
            final int mask = this.mask;
            final int bufferSize = this.bufferSize;
            int n = Math.min(max, (tail - next) & mask);
            int s = next;
            int ready = 0;
            while (ready < n && (U.getByte((ring + ((long) ((s + ready) & mask) << 4)) + RX_STATUS) & LegacyRxDescriptor.STA_DD) != 0) {
                ready++;
            }
            if (ready == 0) {
                return 0;
            }
            VarHandle.acquireFence();
            boolean fragmented = inFragmentedFrame;
            for (int i = 0; i < ready; i++) {
                long d = ring + ((long) s << 4);
                int status = U.getByte(d + RX_STATUS) & 0xFF;
                int length = U.getShort(d + RX_LENGTH) & 0xFFFF;
                int errors = U.getByte(d + RX_ERRORS) & 0xFF;
                int fl = status | errors << RxRing.ERRORS_SHIFT;
                if ((status & LegacyRxDescriptor.STA_EOP) == 0 || fragmented) {
                    fl |= RxRing.FAULT_FRAGMENT;
                    fragmented = (status & LegacyRxDescriptor.STA_EOP) == 0;
                }
                if (length > bufferSize) {
                    fl |= RxRing.FAULT_LENGTH;
                }
                if ((errors & LegacyRxDescriptor.ERR_FRAME) != 0) {
                    fl |= RxRing.FAULT_ERRORS;
                }
                buffers[offset + i] = slotBuffer[s];
                lengths[offset + i] = length;
                flags[offset + i] = fl;
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
            final long ring = this.ring;
            final int[] slotBuffer = this.slotBuffer;
            final PacketBufferPool pool = this.pool;
            final int mask = this.mask;
            int t = tail;
            for (int i = 0; i < n; i++) {
                int buffer = bufferIndexes[offset + i];
                long d = ring + ((long) t << 4);
                slotBuffer[t] = buffer;
                U.putLong(d, pool.iova(buffer));
                U.putByte(d + RX_STATUS, (byte) 0);
                t = (t + 1) & mask;
            }
            tail = t;
            VarHandle.releaseFence();
            U.putInt(rdt, t);                             // the doorbell: a release store
            return n;
        }

        int refillFromPool(int max) {
            int n = Math.min(max, emptySlots());
            int[] b = new int[n];
            n = pool.allocate(b, 0, n);
            return refill(b, 0, n);
        }
    }

    private final Tx tx;
    private final Rx rx;
    private final PacketBufferPool pool;
    private final BenchDevice device;
    private final int batch;
    private final long[] iovas;
    private final int[] lengths;
    private final int[] tags;
    private final int[] done;
    private final int[] rxBuffers;
    private final int[] rxLengths;
    private final int[] rxFlags;
    private final int[] drop;
    long shortBatches;

    UnsafePath(Fixture f, int batch) {
        this.batch = batch;
        this.pool = f.pool;
        this.device = f.device;
        this.tx = new Tx(f);
        this.rx = new Rx(f);
        iovas = new long[f.ringSize];
        lengths = new int[f.ringSize];
        tags = new int[f.ringSize];
        done = new int[f.ringSize];
        rxBuffers = new int[f.ringSize];
        rxLengths = new int[f.ringSize];
        rxFlags = new int[f.ringSize];
        drop = new int[f.ringSize];
        for (int i = 0; i < batch; i++) {
            tags[i] = pool.allocate();
            iovas[i] = pool.iova(tags[i]);
            lengths[i] = BenchDevice.FRAME_LENGTH;
        }
        rx.refillFromPool(rx.emptySlots());
    }

    // ---- the three loops: identical to FfmPath ------------------------------------------------------

    int transmitBatch() {
        int sent = tx.submit(iovas, lengths, tags, 0, batch);
        device.transmit();
        int cleaned = tx.clean(tags, 0, batch);
        for (int i = 0; i < cleaned; i++) {
            iovas[i] = pool.iova(tags[i]);
        }
        if (sent != batch || cleaned != batch) {
            shortBatches++;
        }
        return cleaned;
    }

    int receiveBatch() {
        device.receive(batch);
        int n = rx.poll(rxBuffers, rxLengths, rxFlags, 0, batch);
        int bytes = 0;
        for (int i = 0; i < n; i++) {
            if (RxRing.isGood(rxFlags[i])) {
                bytes += rxLengths[i];
            }
        }
        rx.refill(rxBuffers, 0, n);
        if (n != batch) {
            shortBatches++;
        }
        return bytes;
    }

    int forwardBatch() {
        device.receive(batch);
        int n = rx.poll(rxBuffers, rxLengths, rxFlags, 0, batch);
        int m = 0;
        int dropped = 0;
        for (int i = 0; i < n; i++) {
            int b = rxBuffers[i];
            if (RxRing.isGood(rxFlags[i])) {
                iovas[m] = pool.iova(b);
                lengths[m] = rxLengths[i];
                tags[m] = b;
                m++;
            } else {
                drop[dropped++] = b;
            }
        }
        int sent = tx.submit(iovas, lengths, tags, 0, m);
        device.transmit();
        int cleaned = tx.clean(done, 0, done.length);
        rx.refill(done, 0, cleaned);
        if (dropped != 0 || sent != m) {
            rx.refill(drop, 0, dropped);
            rx.refill(tags, sent, m - sent);
        }
        if (sent != batch) {
            shortBatches++;
        }
        return sent;
    }

    int transmit(int packets) {
        int s = 0;
        for (int p = 0; p < packets; p += batch) {
            s += transmitBatch();
        }
        return s;
    }

    int receive(int packets) {
        int s = 0;
        for (int p = 0; p < packets; p += batch) {
            s += receiveBatch();
        }
        return s;
    }

    int forward(int packets) {
        int s = 0;
        for (int p = 0; p < packets; p += batch) {
            s += forwardBatch();
        }
        return s;
    }
}

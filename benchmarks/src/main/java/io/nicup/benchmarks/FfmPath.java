package io.nicup.benchmarks;

import io.nicup.ndis.miniport.core.PacketBufferPool;
import io.nicup.ndis.miniport.i82574.ExtRxRing;
import io.nicup.ndis.miniport.i82574.TxRing;

/**
 * The product path: {@link TxRing} (legacy transmit descriptors), {@link ExtRxRing} (extended receive
 * descriptors, RFCTL.EXTEN) and {@link PacketBufferPool} from ndis-model, FFM {@code MemorySegment}s and
 * {@code VarHandle}s: the two rings the 82574L driver runs, as it runs them. The three loops below are
 * repeated verbatim (modulo the ring types) by every peer.
 */
final class FfmPath {

    private final TxRing tx;
    private final ExtRxRing rx;
    private final PacketBufferPool pool;
    private final BenchDevice device;
    private final int batch;
    // Per-batch scratch, allocated once.
    private final long[] iovas;
    private final int[] lengths;
    private final int[] tags;
    private final int[] done;
    private final int[] rxBuffers;
    private final int[] rxLengths;
    private final int[] rxFlags;
    private final int[] drop;
    /** Batches that moved fewer packets than asked: must stay 0 (checked at tear-down). */
    long shortBatches;

    FfmPath(Fixture f, int batch) {
        this.batch = batch;
        this.pool = f.pool;
        this.device = f.device;
        this.tx = new TxRing(f.txRegion, f.regs, 0, f.ringSize);
        this.rx = new ExtRxRing(f.rxRegion, f.regs, 0, f.ringSize, f.pool);
        tx.writeRingRegisters();
        rx.writeRingRegisters();
        iovas = new long[f.ringSize];
        lengths = new int[f.ringSize];
        tags = new int[f.ringSize];
        done = new int[f.ringSize];
        rxBuffers = new int[f.ringSize];
        rxLengths = new int[f.ringSize];
        rxFlags = new int[f.ringSize];
        drop = new int[f.ringSize];
        // Transmit: `batch` frames already in DMA buffers, sent again each time they complete.
        for (int i = 0; i < batch; i++) {
            tags[i] = pool.allocate();
            iovas[i] = pool.iova(tags[i]);
            lengths[i] = BenchDevice.FRAME_LENGTH;
        }
        // Receive and forward: the RX ring full of buffers (RDT = count - 1).
        rx.refillFromPool(rx.emptySlots());
    }

    /** Descriptors filled, one TDT write, the device sends, completions cleaned. */
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

    /** The device receives, the driver polls, indicates (looks at flags and length), refills: one RDT write. */
    int receiveBatch() {
        device.receive(batch);
        int n = rx.poll(rxBuffers, rxLengths, rxFlags, 0, batch);
        int bytes = 0;
        for (int i = 0; i < n; i++) {
            if (ExtRxRing.isGood(rxFlags[i])) {
                bytes += rxLengths[i];
            }
        }
        rx.refill(rxBuffers, 0, n);
        if (n != batch) {
            shortBatches++;
        }
        return bytes;
    }

    /** Receive a batch and transmit the same buffers (no copy); completed buffers refill the RX ring. */
    int forwardBatch() {
        device.receive(batch);
        int n = rx.poll(rxBuffers, rxLengths, rxFlags, 0, batch);
        int m = 0;
        int dropped = 0;
        for (int i = 0; i < n; i++) {
            int b = rxBuffers[i];
            if (ExtRxRing.isGood(rxFlags[i])) {
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

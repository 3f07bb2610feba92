package io.nicup.benchmarks;

import io.nicup.ndis.miniport.core.PacketBufferPool;
import io.nicup.ndis.miniport.i82574.ExtRxRing;
import io.nicup.ndis.miniport.i82574.TxRing;
import java.lang.invoke.VarHandle;

/**
 * Peer: the product's rings with {@code sun.misc.Unsafe} raw-address access, the way ixy.java reached
 * memory. {@link UnsafeRings.Tx} and {@link UnsafeRings.Rx} are {@link TxRing}/{@link ExtRxRing} line for line
 * as the product has them now: the loops of {@code TxDescriptorRing.submit/clean} and
 * {@code RxDescriptorRing.poll/refill} with the 82574L hooks ({@code writeCommand}, {@code writtenBackFlags},
 * {@code clearWriteBack}) written in place, each method under the product's name, and each {@code VarHandle}
 * access replaced by the Unsafe call at the same address (native byte order, little-endian on x86). So they
 * do the product's device-distrust work too: the slot at the tail checked once per submit, clean and poll (a
 * DD there counted as an unsubmitted write-back and cleared), DD cleared in every retired TX descriptor and
 * every taken RX descriptor, the written-back length checked by one unsigned compare against the frame
 * limit. The branches the benchmark never takes (checksum offload, a frame in pieces, TCP segmentation) keep
 * the product's conditions and throw {@link UnsupportedOperationException} instead of being copied; the
 * product's {@code FastPathChecks.ENABLED} blocks are left out, the flag being off in the benchmarks (no
 * {@code -ea}, no property), where the JIT folds them away.
 *
 * <p>Memory ordering as the product's: a TX DD read as a plain load followed by
 * {@link VarHandle#acquireFence()} (the product's {@code getAcquire}); RX DD bits scanned with plain loads,
 * then one acquire fence per batch; descriptors written with plain stores, then the doorbell as the
 * product's release store: {@link VarHandle#releaseFence()} and a plain 32-bit store (what
 * {@code setRelease} is, no trailing full fence, docs/ndis-contract.md §19). Setup writes stay volatile. No
 * bounds or liveness checks: that is what Unsafe gives up. {@code PeerConformanceTest} checks the rings, the
 * tail registers and the unsubmitted write-back counts against the product's. Benchmarks only.
 */
final class UnsafePath {

    private final UnsafeRings.Tx tx;
    private final UnsafeRings.Rx rx;
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
        this.tx = new UnsafeRings.Tx(f);
        this.rx = new UnsafeRings.Rx(f);
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

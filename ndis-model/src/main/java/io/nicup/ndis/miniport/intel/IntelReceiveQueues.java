package io.nicup.ndis.miniport.intel;

import io.nicup.ndis.miniport.core.OffloadOids;
import io.nicup.ndis.miniport.core.RxQueue;
import io.nicup.vfio.RegisterSpace;

/**
 * The receive queues of an {@link IntelAdapter} (docs/ndis-contract.md §21): queue q's descriptor ring in its
 * own shared memory, over the chip's queue-q registers, and the {@link IntelRxQueue} the data path drives it
 * through, under queue q's receive lock (docs/ndis-contract.md §21.3). The buffers of every ring come from one
 * pool; a returned buffer goes back to the ring it came from (the data path routes it by the NBL's
 * RECEIVE_QUEUE), and the pool is touched by a queue only under the pool's own lock. One queue without
 * multiple receive queues.
 */
final class IntelReceiveQueues {

    private RxDescriptorRing[] rings = new RxDescriptorRing[0];
    private IntelRxQueue[] queues = new IntelRxQueue[0];

    /**
     * Opens {@code count} rings of {@code descriptors} entries each over {@code memory}'s ring regions and
     * receive pool, frames of up to {@code frameLimit} bytes.
     */
    void open(int count, RingLayout layout, DataPathMemory memory, RegisterSpace io, int descriptors, int frameLimit,
            OffloadOids offloads, IntelChip chip) {
        rings = new RxDescriptorRing[count];
        queues = new IntelRxQueue[count];
        for (int q = 0; q < count; q++) {
            rings[q] = layout.rx().open(memory.rxRing(q), io, q, descriptors, memory.rxPool());
            rings[q].setFrameLimit(frameLimit);
            queues[q] = new IntelRxQueue(q, rings[q], memory, offloads, chip.receiveHash(rings[q]));
        }
    }

    /** The rings, queue q at index q. */
    RxDescriptorRing[] rings() {
        return rings.clone();
    }

    /** The queues as the data path takes them, queue q at index q. */
    RxQueue[] queues() {
        return queues.clone();
    }

    RxDescriptorRing ring(int queue) {
        return rings[queue];
    }

    /** Takes every buffer of every ring back into the pool, for a chip reset. Caller holds every receive lock. */
    void takeBackReceiveBuffers() {
        for (IntelRxQueue q : queues) {
            q.takeBackReceiveBuffers();
        }
    }

    long frames(int queue) {
        return queues[queue].frames();
    }

    long bytes(int queue) {
        return queues[queue].bytes();
    }
}

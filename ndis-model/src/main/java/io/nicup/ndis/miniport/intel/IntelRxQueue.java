package io.nicup.ndis.miniport.intel;

import io.nicup.ndis.datapath.NetBufferList;
import io.nicup.ndis.datapath.NetBufferListInfo;
import io.nicup.ndis.miniport.core.NdisDataPath;
import io.nicup.ndis.miniport.core.OffloadOids;
import io.nicup.ndis.miniport.core.PacketBufferPool;
import io.nicup.ndis.miniport.core.RxQueue;

/**
 * An Intel receive ring as the core data path drives it: a received frame is indicated in its buffer's NBL
 * ({@link DataPathMemory}), written into the data path's batch array (docs/ndis-contract.md §19.6); a bad
 * one, or any while not Running, goes back into the ring at once; returned buffers, an array of this queue's
 * NBLs the data path sorted out of the returned chain, go back with one RDT write per batch, or to the pool
 * when the device is gone. An indicated NBL carries the checksum verdicts in force and the RSS hash the chip
 * wrote back ({@link ReceiveHash}) and the number of its queue (NetBufferListInfo.RECEIVE_QUEUE,
 * docs/ndis-contract.md §21), and is counted in this queue's frames and bytes. Called holding this queue's
 * receive lock ({@link NdisDataPath#rxLock(int)}), so the counters have one writer and two queues run at
 * once; the pool all the rings share is touched only under its own monitor, and only off the steady path (a
 * device gone or stopped, a ring that cannot take a buffer back). Allocates nothing after construction.
 */
final class IntelRxQueue implements RxQueue {

    private final RxDescriptorRing ring;
    private final PacketBufferPool pool;
    private final DataPathMemory memory;
    /** The offload configuration in force: which checksum verdicts a receive reports. */
    private final OffloadOids offloads;
    /** The RSS hash in the chip's write-back. */
    private final ReceiveHash hash;
    private final int[] bufs = new int[NdisDataPath.RX_BATCH];
    private final int[] lens = new int[NdisDataPath.RX_BATCH];
    private final int[] flags = new int[NdisDataPath.RX_BATCH];
    /** The RSS hash info and value of each polled frame, read in one call per poll (docs/ndis-contract.md §19.4). */
    private final int[] hashInfos = new int[NdisDataPath.RX_BATCH];
    private final int[] hashValues = new int[NdisDataPath.RX_BATCH];
    private final int[] refillBufs;
    private int lastPolled;
    private int lastTaken;
    private long dropped;
    /** This queue's number, stored in each NBL it indicates. */
    private final int queue;
    /** Frames and bytes indicated from this queue (written under this queue's receive lock only). */
    private long frames;
    private long bytes;

    /**
     * @param queue the queue number (0 on a single-queue adapter)
     * @param memory where the receive NBLs are
     */
    IntelRxQueue(int queue, RxDescriptorRing ring, DataPathMemory memory, OffloadOids offloads, ReceiveHash hash) {
        this.queue = queue;
        this.ring = ring;
        this.offloads = offloads;
        this.hash = hash;
        this.pool = ring.pool();
        this.memory = memory;
        this.refillBufs = new int[Math.max(NdisDataPath.RX_BATCH, ring.count())];
    }

    @Override
    public int size() {
        return ring.count();
    }

    @Override
    public int take(NetBufferList[] taken, int max, boolean indicate, boolean repost) {
        int n = 0;
        int first = ring.pollIndex();                    // frame i came from slot first + i (RxDescriptorRing#poll)
        int mask = ring.count() - 1;
        int got = ring.poll(bufs, lens, flags, 0, Math.min(max, bufs.length));
        if (got == 0) {
            lastPolled = 0;
            lastTaken = 0;
            return 0;
        }
        int verdicts = offloads.receiveChecksums();
        hash.read(first, got, mask, hashInfos, hashValues);   // the write-backs are still there: refills come later
        int refill = 0;
        for (int i = 0; i < got; i++) {
            int b = bufs[i];
            if (!indicate || !RxDescriptorRing.isGood(flags[i])) {
                refillBufs[refill++] = b;
                dropped++;
                continue;
            }
            NetBufferList nbl = memory.rxNbl(b);
            nbl.firstNetBuffer().setData(0, lens[i]);
            // always written: a reused NBL must not carry the verdict of its previous frame
            nbl.setInfo(NetBufferListInfo.TCP_IP_CHECKSUM,
                    verdicts == 0 ? 0 : IntelChecksum.receiveVerdict(flags[i], nbl.firstNetBuffer(), verdicts));
            nbl.setInfo(NetBufferListInfo.HASH_INFO, hashInfos[i]);
            nbl.setInfo(NetBufferListInfo.HASH_VALUE, hashValues[i]);
            nbl.setInfo(NetBufferListInfo.RECEIVE_QUEUE, queue);
            bytes += lens[i];
            taken[n++] = nbl;
        }
        if (refill > 0) {
            refillRing(refillBufs, refill, repost);
        }
        lastPolled = got;
        lastTaken = n;
        frames += n;
        return n;
    }

    /** This queue's number. */
    int queue() {
        return queue;
    }

    /** The descriptor ring under this queue. */
    RxDescriptorRing ring() {
        return ring;
    }

    /** Frames indicated from this queue. */
    long frames() {
        return frames;
    }

    /** Bytes of the frames indicated from this queue. */
    long bytes() {
        return bytes;
    }

    @Override
    public int lastTaken() {
        return lastTaken;
    }

    @Override
    public int lastPolled() {
        return lastPolled;
    }

    @Override
    public void giveBack(NetBufferList[] returned, int count, boolean repost) {
        int k = 0;
        for (int i = 0; i < count; i++) {
            refillBufs[k++] = returned[i].miniportReservedIndex();
            if (k == refillBufs.length) {                    // never with the data path's arrays: none is longer
                refillRing(refillBufs, k, repost);
                k = 0;
            }
        }
        if (k > 0) {
            refillRing(refillBufs, k, repost);
        }
    }

    /** Puts buffers back into the ring (one RDT write); any the ring cannot take go to the pool. */
    private void refillRing(int[] buffers, int count, boolean repost) {
        if (!repost) {
            toPool(buffers, 0, count);                       // no RDT write to a device that is gone
            return;
        }
        int accepted = ring.refill(buffers, 0, count);
        if (accepted < count) {
            toPool(buffers, accepted, count - accepted);
        }
    }

    /**
     * The pool is every queue's, and two queues run at once (docs/ndis-contract.md §21.3): it is changed
     * under its own monitor, a leaf lock taken inside a queue's lock. Not the steady path.
     */
    private void toPool(int[] buffers, int offset, int count) {
        synchronized (pool) {
            pool.free(buffers, offset, count);
        }
    }

    /**
     * Takes every buffer out of the receive ring back into the pool, for a chip reset: the ring is
     * written again afterwards. Caller holds every receive lock.
     */
    void takeBackReceiveBuffers() {
        int k;
        while ((k = ring.drain(refillBufs, 0, refillBufs.length)) > 0) {
            toPool(refillBufs, 0, k);
        }
    }

    /**
     * Frames dropped here (bad, or received while not Running), and frames the device wrote back into the
     * descriptor it was never given ({@link RxDescriptorRing#unsubmittedWriteBacks()}): never taken, as
     * their buffer is not the device's, but the device received them.
     */
    @Override
    public long dropped() {
        return dropped + ring.unsubmittedWriteBacks();
    }
}

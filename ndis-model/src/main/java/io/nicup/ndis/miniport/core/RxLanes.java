package io.nicup.ndis.miniport.core;

import io.nicup.ndis.Ndis;
import io.nicup.ndis.adapter.NdisAdapterHandle;
import io.nicup.ndis.datapath.NetBufferList;
import io.nicup.ndis.datapath.NetBufferListInfo;
import java.util.function.Supplier;

/**
 * The receive half of {@link NdisDataPath}: its receive queues, each with a lock of its own
 * (docs/ndis-contract.md §21.3). Queue {@code q}'s receive DPC and the returns of the NBLs it indicated hold
 * queue {@code q}'s lock only, so queue 0's DPC and queue 1's DPC indicate and take returns at once, as
 * their MSI-X messages run on two processors; what a queue counts is written under its lock, one writer
 * at a time. What needs every ring quiet (a chip reset, recovery, an offline self-test, a queue set-up)
 * takes every lock, in queue order ({@link #underEveryLock}); nothing else holds two.
 *
 * <p>Nothing on the receive or return paths allocates, throws or logs; each takes one lock per batch,
 * never per packet.
 */
final class RxLanes {

    /** One receive queue and what only its DPC and its returns change; the lane is the queue's lock. */
    private static final class Lane {
        final RxQueue queue;
        /** What one {@link RxQueue#take} writes, {@link NdisDataPath#RX_BATCH} long (under the lane's lock). */
        final NetBufferList[] taken = new NetBufferList[NdisDataPath.RX_BATCH];
        /** The returned NBLs of this queue for one {@link RxQueue#giveBack} (under the lane's lock). */
        final NetBufferList[] returned;
        /** NBLs of this queue indicated and not yet returned (under the lane's lock). */
        int outstanding;
        /** Frames this queue indicated (written under the lane's lock, read without it for statistics). */
        long indicated;

        Lane(RxQueue queue) {
            this.queue = queue;
            this.returned = new NetBufferList[Math.max(NdisDataPath.RX_BATCH, queue.size())];
        }
    }

    private final Ndis ndis;
    private final NdisAdapterHandle handle;
    private final Lane[] lanes;

    RxLanes(Ndis ndis, NdisAdapterHandle handle, RxQueue[] queues) {
        this.ndis = ndis;
        this.handle = handle;
        this.lanes = new Lane[queues.length];
        for (int q = 0; q < queues.length; q++) {
            lanes[q] = new Lane(queues[q]);
        }
    }

    int count() {
        return lanes.length;
    }

    /**
     * Takes received frames off queue {@code queue} and indicates them, one chain per batch of
     * {@link NdisDataPath#RX_BATCH}, holding that queue's lock around each take and never around the
     * indication (NDIS allows the return from inside it). The queue writes the NBLs into the lane's array;
     * they are linked into the chain here, once, in the same hold (docs/ndis-contract.md §19.6).
     *
     * @param indicate Running: frames go to the protocol; else they go back to the device
     * @param repost the device is there to take buffers back
     */
    void service(int queue, boolean indicate, boolean repost) {
        Lane lane = lanes[queue];
        RxQueue rx = lane.queue;
        for (int round = 0; round < rx.size() / NdisDataPath.RX_BATCH + 1; round++) {
            NetBufferList head;
            int n;
            int polled;
            synchronized (lane) {
                n = rx.take(lane.taken, NdisDataPath.RX_BATCH, indicate, repost);
                polled = rx.lastPolled();
                head = NblChain.link(lane.taken, n);
                lane.outstanding += n;                       // before: the return may come during the call
                lane.indicated += n;
            }
            if (head != null) {
                ndis.NdisMIndicateReceiveNetBufferLists(handle, head, 0, n, 0);
            }
            if (polled < NdisDataPath.RX_BATCH) {
                break;
            }
        }
    }

    /**
     * The protocol returned {@code chain}: one walk of it puts each NBL into the array of the queue its
     * RECEIVE_QUEUE names, the ring it came from, and each queue gets its array back in one
     * {@link RxQueue#giveBack} (one tail write) under its own lock, a full array at a time. A queue's lock is
     * held while the walk reads a run of its NBLs, so the protocol's usual return, what one indication gave
     * it, is one lock hold and one call for its queue; a chain that alternates between queues is one hold and
     * one call per run, as the data path never holds two receive locks. Nothing is shared between the
     * returns of two queues.
     */
    void giveBack(NetBufferList chain, boolean repost) {
        Lane[] lanes = this.lanes;
        boolean oneQueue = lanes.length == 1;
        NetBufferList nbl = chain;
        while (nbl != null) {
            int q = oneQueue ? 0 : nbl.info(NetBufferListInfo.RECEIVE_QUEUE);
            Lane lane = lanes[q];
            synchronized (lane) {
                NetBufferList[] returned = lane.returned;
                int k = 0;
                do {
                    returned[k++] = nbl;
                    nbl = nbl.next();                        // read before the buffer goes back to the device
                    if (k == returned.length) {
                        lane.queue.giveBack(returned, k, repost);
                        lane.outstanding -= k;
                        k = 0;
                    }
                } while (nbl != null && (oneQueue || nbl.info(NetBufferListInfo.RECEIVE_QUEUE) == q));
                if (k > 0) {
                    lane.queue.giveBack(returned, k, repost);
                    lane.outstanding -= k;
                }
            }
        }
    }

    /**
     * No queue's NBL is with the protocol. Each queue is looked at under its own lock, one after the other:
     * a pause stopped the indications first, so each count only falls and a queue seen at 0 stays at 0.
     */
    boolean drained() {
        for (Lane lane : lanes) {
            synchronized (lane) {
                if (lane.outstanding != 0) {
                    return false;
                }
            }
        }
        return true;
    }

    /** NBLs with the protocol, all queues (each read under its lock). */
    int outstanding() {
        int outstanding = 0;
        for (Lane lane : lanes) {
            synchronized (lane) {
                outstanding += lane.outstanding;
            }
        }
        return outstanding;
    }

    /** Frames indicated, all queues. */
    long indicated() {
        long indicated = 0;
        for (Lane lane : lanes) {
            indicated += lane.indicated;
        }
        return indicated;
    }

    /** Frames the queues dropped. */
    long dropped() {
        long dropped = 0;
        for (Lane lane : lanes) {
            dropped += lane.queue.dropped();
        }
        return dropped;
    }

    /** Queue {@code queue}'s lock. */
    Object lock(int queue) {
        return lanes[queue];
    }

    /** Runs {@code body} holding every queue's lock, taken in queue order. */
    <T> T underEveryLock(Supplier<T> body) {
        return underLocksFrom(0, body);
    }

    private <T> T underLocksFrom(int queue, Supplier<T> body) {
        if (queue == lanes.length) {
            return body.get();
        }
        synchronized (lanes[queue]) {
            return underLocksFrom(queue + 1, body);
        }
    }
}

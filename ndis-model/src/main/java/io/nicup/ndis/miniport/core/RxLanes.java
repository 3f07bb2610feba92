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
        /** NBLs of this queue indicated and not yet returned (under the lane's lock). */
        int outstanding;
        /** Frames this queue indicated (written under the lane's lock, read without it for statistics). */
        long indicated;

        Lane(RxQueue queue) {
            this.queue = queue;
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
     * indication (NDIS allows the return from inside it).
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
                head = rx.take(NdisDataPath.RX_BATCH, indicate, repost);
                n = rx.lastTaken();
                polled = rx.lastPolled();
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
     * The protocol returned {@code chain}: each NBL goes back to the queue its RECEIVE_QUEUE names, the ring
     * it came from. The chain is cut into runs of one queue (one run when the protocol returns what one
     * indication gave it), each given back in one hold of its queue's lock and with one doorbell; nothing is
     * shared between the returns of two queues.
     */
    void giveBack(NetBufferList chain, boolean repost) {
        Lane[] lanes = this.lanes;
        if (lanes.length == 1) {
            Lane lane = lanes[0];
            synchronized (lane) {
                lane.outstanding -= lane.queue.giveBack(chain, repost);
            }
            return;
        }
        NetBufferList run = chain;
        while (run != null) {
            int q = run.info(NetBufferListInfo.RECEIVE_QUEUE);
            NetBufferList last = run;
            NetBufferList next = run.next();
            while (next != null && next.info(NetBufferListInfo.RECEIVE_QUEUE) == q) {
                last = next;
                next = next.next();
            }
            last.setNext(null);                              // the run ends here; the rest follows it
            Lane lane = lanes[q];
            synchronized (lane) {
                lane.outstanding -= lane.queue.giveBack(run, repost);
            }
            run = next;
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

package io.nicup.benchmarks;

import io.nicup.ndis.NdisHost;
import io.nicup.ndis.adapter.MiniportAdapter;
import io.nicup.ndis.datapath.NetBufferList;
import io.nicup.ndis.datapath.NetBufferListInfo;
import io.nicup.ndis.datapath.NetBufferListPool;
import io.nicup.ndis.protocol.NdisProtocolEdge;

/**
 * {@link BenchProtocol}'s zero-copy forwarder, one per receive queue: a frame indicated on queue q is sent
 * on a send NBL of queue q's pool (the thread that runs queue q's DPC owns that pool's cache), and a
 * completed send goes back to the pool it came from, whichever thread completes it. So two queues' DPCs
 * forward at once without sharing the protocol's state; what they share is the adapter's one transmit
 * queue (its txLock and ring).
 */
final class QueueProtocol implements NdisProtocolEdge {

    private final NdisHost host;
    private final NetBufferListPool[] pools;
    private final NetBufferList[][] txNbls;

    QueueProtocol(NdisHost host, int queues) {
        this.host = host;
        this.pools = new NetBufferListPool[queues];
        this.txNbls = new NetBufferList[queues][];
    }

    void setUp(MiniportAdapter adapter, int ringSize) {
        for (int q = 0; q < pools.length; q++) {
            pools[q] = host.allocateSendPool(adapter, ringSize, 0);
            txNbls[q] = new NetBufferList[ringSize];
        }
    }

    @Override
    public void receiveNetBufferLists(MiniportAdapter adapter, NetBufferList netBufferLists, int portNumber,
            int numberOfNetBufferLists, int receiveFlags) {
        int q = netBufferLists.info(NetBufferListInfo.RECEIVE_QUEUE);   // one indication is one queue's
        NetBufferList[] out = txNbls[q];
        int got = pools[q].allocate(out, 0, numberOfNetBufferLists);
        BenchProtocol.chainForward(out, got, netBufferLists);
        if (got != numberOfNetBufferLists) {
            throw new IllegalStateException("forward pool ran dry: queue=" + q + " got=" + got + " wanted="
                    + numberOfNetBufferLists);
        }
        host.send(adapter, out[0], 0, 0);
    }

    /** The received NBLs go back to NDIS in one chain; the send NBLs to their pools, one run per pool. */
    @Override
    public void sendNetBufferListsComplete(MiniportAdapter adapter, NetBufferList netBufferLists,
            int sendCompleteFlags) {
        NetBufferList head = null;
        NetBufferList tail = null;
        NetBufferList tx = netBufferLists;
        while (tx != null) {
            NetBufferListPool pool = tx.pool();
            NetBufferList runHead = tx;
            NetBufferList last = null;
            while (tx != null && tx.pool() == pool) {
                NetBufferList rx = (NetBufferList) tx.protocolReserved();
                rx.setNext(null);
                if (head == null) {
                    head = rx;
                } else {
                    tail.setNext(rx);
                }
                tail = rx;
                last = tx;
                tx = tx.next();
            }
            last.setNext(null);
            pool.freeChain(runHead);
        }
        host.returnNetBufferLists(adapter, head, 0);
    }
}

package io.nicup.benchmarks;

import io.nicup.ndis.NdisHost;
import io.nicup.ndis.adapter.MiniportAdapter;
import io.nicup.ndis.datapath.NetBuffer;
import io.nicup.ndis.datapath.NetBufferList;
import io.nicup.ndis.datapath.NetBufferListPool;
import io.nicup.ndis.miniport.core.PacketBufferPool;
import io.nicup.ndis.protocol.NdisProtocolEdge;

/**
 * What stands above NDIS: a sender, a receiver that returns at once, and a zero-copy forwarder. The same
 * edge drives the benchmark miniport ({@link NdisPath}) and the product's ({@link ProductPath}).
 */
final class BenchProtocol implements NdisProtocolEdge {
    private final NdisHost host;
    private final int ringSize;
    private NetBufferList[] sendNbls;
    private NetBufferListPool forwardPool;
    private NetBufferList[] txNbls;
    boolean forwarding;
    /** Completed sends go back to their pool, as nicup's protocol edge does (the traffic generator's). */
    boolean freeCompletedSends;
    private int bytes;
    private int completedSends;

    private MiniportAdapter adapter;

    BenchProtocol(NdisHost host, int ringSize) {
        this.host = host;
        this.ringSize = ringSize;
    }

    void setUp(MiniportAdapter adapter, int batch) {
        this.adapter = adapter;
        NetBufferListPool sendPool = host.allocateSendPool(adapter, batch, PacketBufferPool.DEFAULT_BUFFER_SIZE);
        sendNbls = new NetBufferList[batch];
        for (int i = 0; i < batch; i++) {
            sendNbls[i] = sendPool.allocate();
            sendNbls[i].firstNetBuffer().setDataLength(BenchDevice.FRAME_LENGTH);
        }
        forwardPool = host.allocateSendPool(adapter, ringSize, 0);
        txNbls = new NetBufferList[ringSize];
    }

    /** Sends the protocol's frames as one chain. */
    int sendBatch() {
        NetBufferList[] nbls = sendNbls;
        for (int i = 0; i < nbls.length - 1; i++) {
            nbls[i].setNext(nbls[i + 1]);
        }
        nbls[nbls.length - 1].setNext(null);
        completedSends = 0;
        host.send(adapter, nbls[0], 0, 0);
        return nbls.length;
    }

    /** Sends completed since the last call (transmit). */
    int takeCompletedSends() {
        int n = completedSends;
        completedSends = 0;
        return n;
    }

    int takeBytes() {
        int b = bytes;
        bytes = 0;
        return b;
    }

    @Override
    public void receiveNetBufferLists(MiniportAdapter adapter, NetBufferList netBufferLists, int portNumber,
            int numberOfNetBufferLists, int receiveFlags) {
        if (!forwarding) {
            int b = 0;
            for (NetBufferList nbl = netBufferLists; nbl != null; nbl = nbl.next()) {
                b += nbl.firstNetBuffer().dataLength();
            }
            bytes += b;
            host.returnNetBufferLists(adapter, netBufferLists, 0);
            return;
        }
        // Forward: a send NBL per frame (one pool call per batch), on the received buffer (no copy);
        // the received NBL rides along in ProtocolReserved.
        int got = forwardPool.allocate(txNbls, 0, numberOfNetBufferLists);
        chainForward(txNbls, got, netBufferLists);
        if (got != numberOfNetBufferLists) {
            throw new IllegalStateException("forward pool ran dry: got=" + got + " wanted=" + numberOfNetBufferLists);
        }
        host.send(adapter, txNbls[0], 0, 0);
    }

    @Override
    public void sendNetBufferListsComplete(MiniportAdapter adapter, NetBufferList netBufferLists,
            int sendCompleteFlags) {
        if (netBufferLists.pool() != forwardPool) {
            // Transmit: the protocol keeps its NBLs and sends them again, or frees them for the generator.
            for (NetBufferList nbl = netBufferLists; nbl != null; nbl = nbl.next()) {
                completedSends++;
            }
            if (freeCompletedSends) {
                netBufferLists.pool().freeChain(netBufferLists);
            }
            return;
        }
        NetBufferList head = null;
        NetBufferList tail = null;
        for (NetBufferList tx = netBufferLists; tx != null; tx = tx.next()) {
            NetBufferList rx = (NetBufferList) tx.protocolReserved();
            rx.setNext(null);
            if (head == null) {
                head = rx;
            } else {
                tail.setNext(rx);
            }
            tail = rx;
        }
        forwardPool.freeChain(netBufferLists);   // one pool call per batch
        host.returnNetBufferLists(adapter, head, 0);
    }

    /**
     * Links {@code out[0..got)} into a send chain, each on the buffer of the received NBL at the same place in
     * {@code received} (no copy), with that NBL in its ProtocolReserved for the send-complete to return.
     */
    static void chainForward(NetBufferList[] out, int got, NetBufferList received) {
        NetBufferList rx = received;
        for (int i = 0; i < got; i++, rx = rx.next()) {
            NetBuffer nb = rx.firstNetBuffer();
            NetBufferList tx = out[i];
            tx.firstNetBuffer().attach(nb.buffer(), nb.bufferIova(), nb.dataOffset(), nb.dataLength());
            tx.setProtocolReserved(rx);
            tx.setNext(i + 1 < got ? out[i + 1] : null);
        }
    }
}

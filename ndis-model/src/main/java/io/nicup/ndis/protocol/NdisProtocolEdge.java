package io.nicup.ndis.protocol;

import io.nicup.ndis.NdisHost;
import io.nicup.ndis.adapter.MiniportAdapter;
import io.nicup.ndis.datapath.NdisReceiveFlags;
import io.nicup.ndis.datapath.NetBufferList;
import io.nicup.ndis.oid.NdisStatusIndication;

/**
 * What stands above NDIS in place of a protocol driver: it receives the indications, the send
 * completions and the status indications of one adapter. Given to {@link NdisHost#addAdapter}.
 *
 * <p>Receives indicated without {@link NdisReceiveFlags#RESOURCES} belong to the protocol until it hands
 * them back with {@link NdisHost#returnNetBufferLists} (at once, from inside the callback, or later);
 * those indicated with it must be consumed during the call. Completed sends belong to the protocol again
 * (free them to their pool or send them again).
 */
public interface NdisProtocolEdge {

    void receiveNetBufferLists(MiniportAdapter adapter, NetBufferList netBufferLists, int portNumber,
            int numberOfNetBufferLists, int receiveFlags);

    void sendNetBufferListsComplete(MiniportAdapter adapter, NetBufferList netBufferLists, int sendCompleteFlags);

    default void statusEx(MiniportAdapter adapter, NdisStatusIndication indication) {
    }

    /** A protocol that returns every receive at once and frees every completed send to its pool. */
    static NdisProtocolEdge discarding() {
        return new NdisProtocolEdge() {
            @Override
            public void receiveNetBufferLists(MiniportAdapter adapter, NetBufferList netBufferLists, int portNumber,
                    int numberOfNetBufferLists, int receiveFlags) {
                if ((receiveFlags & NdisReceiveFlags.RESOURCES) == 0) {
                    adapter.host().returnNetBufferLists(adapter, netBufferLists, 0);
                }
            }

            @Override
            public void sendNetBufferListsComplete(MiniportAdapter adapter, NetBufferList netBufferLists,
                    int sendCompleteFlags) {
                NetBufferList nbl = netBufferLists;
                while (nbl != null) {
                    NetBufferList next = nbl.next();
                    nbl.setNext(null);
                    nbl.pool().free(nbl);
                    nbl = next;
                }
            }
        };
    }
}

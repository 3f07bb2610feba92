package io.nicup.ndis;

import io.nicup.ndis.adapter.MiniportAdapter;
import io.nicup.ndis.datapath.NdisReceiveFlags;
import io.nicup.ndis.datapath.NetBufferList;
import io.nicup.ndis.oid.NdisStatusIndication;
import io.nicup.ndis.protocol.NdisProtocolEdge;
import java.util.ArrayList;
import java.util.List;

/** The protocol side of tests: records what NDIS delivers; returns or holds receives; frees or keeps sends. */
final class RecordingEdge implements NdisProtocolEdge {

    enum ReceiveMode {
        RETURN_AT_ONCE,
        HOLD
    }

    ReceiveMode receiveMode = ReceiveMode.RETURN_AT_ONCE;
    boolean freeCompletedSends = true;
    boolean copyReceivedData = true;
    final List<byte[]> received = new ArrayList<>();
    final List<Integer> indicationCounts = new ArrayList<>();
    final List<Integer> indicationFlags = new ArrayList<>();
    final List<NetBufferList> held = new ArrayList<>();
    final List<Integer> completedStatuses = new ArrayList<>();
    final List<NetBufferList> completedSends = new ArrayList<>();
    final List<NdisStatusIndication> indications = new ArrayList<>();
    int completionCalls;

    @Override
    public void receiveNetBufferLists(MiniportAdapter adapter, NetBufferList netBufferLists, int portNumber,
            int numberOfNetBufferLists, int receiveFlags) {
        indicationCounts.add(numberOfNetBufferLists);
        indicationFlags.add(receiveFlags);
        if (copyReceivedData) {
            for (NetBufferList nbl = netBufferLists; nbl != null; nbl = nbl.next()) {
                received.add(nbl.firstNetBuffer().toByteArray());
            }
        }
        if ((receiveFlags & NdisReceiveFlags.RESOURCES) != 0) {
            return;
        }
        if (receiveMode == ReceiveMode.RETURN_AT_ONCE) {
            adapter.host().returnNetBufferLists(adapter, netBufferLists, 0);
        } else {
            held.add(netBufferLists);
        }
    }

    /** Hands back everything held. */
    void returnHeld(MiniportAdapter adapter) {
        List<NetBufferList> chains = new ArrayList<>(held);
        held.clear();
        for (NetBufferList chain : chains) {
            adapter.host().returnNetBufferLists(adapter, chain, 0);
        }
    }

    @Override
    public void sendNetBufferListsComplete(MiniportAdapter adapter, NetBufferList netBufferLists,
            int sendCompleteFlags) {
        completionCalls++;
        NetBufferList nbl = netBufferLists;
        while (nbl != null) {
            NetBufferList next = nbl.next();
            completedStatuses.add(nbl.status());
            if (freeCompletedSends) {
                nbl.setNext(null);
                nbl.pool().free(nbl);
            } else {
                completedSends.add(nbl);
            }
            nbl = next;
        }
    }

    @Override
    public void statusEx(MiniportAdapter adapter, NdisStatusIndication indication) {
        indications.add(indication);
    }
}

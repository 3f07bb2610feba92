package io.nicup.ndis.datapath;

import io.nicup.ndis.NdisCall;
import io.nicup.ndis.NdisInternal;
import io.nicup.ndis.NdisStatus;
import io.nicup.ndis.adapter.AdapterLifecycle;
import io.nicup.ndis.adapter.AdapterState;
import io.nicup.ndis.adapter.MiniportAdapter;
import io.nicup.ndis.adapter.NdisAdapterHandle;
import io.nicup.ndis.host.HostServices;
import io.nicup.ndis.host.NdisCallSupport;
import io.nicup.ndis.protocol.ProtocolDelivery;
import io.nicup.ndis.trace.Rule;
import io.nicup.ndis.trace.Violation;
import java.util.List;

/**
 * The miniport's half of the data path: NdisMSendNetBufferListsComplete and
 * NdisMIndicateReceiveNetBufferLists. Per call, not per packet: no allocation, lock, trace or exception
 * unless a rule is broken, and then only the violations are allocated.
 */
@NdisInternal
public final class DataPathCalls extends NdisCallSupport {

    private static final long SEND_BOUND_NANOS = io.nicup.ndis.trace.TimedRules.SEND_COMPLETE.toNanos();

    private final AdapterLifecycle lifecycle;

    public DataPathCalls(HostServices services, ProtocolDelivery delivery, Object owner, AdapterLifecycle lifecycle) {
        super(services, delivery, owner);
        this.lifecycle = lifecycle;
    }

    public void NdisMSendNetBufferListsComplete(NdisAdapterHandle miniportAdapterHandle, NetBufferList netBufferLists,
            int sendCompleteFlags) {
        MiniportAdapter a = alive(miniportAdapterHandle, NdisCall.NdisMSendNetBufferListsComplete);
        if (a == null) {
            return;
        }
        List<Violation> found = null;
        NetBufferList head = netBufferLists;   // filtered in place: a refused NBL is unlinked, the rest stay linked
        NetBufferList kept = null;
        int completed = 0;
        int failed = 0;
        long now = verifier.timedRules().now();
        NetBufferList nbl = netBufferLists;
        while (nbl != null) {
            NetBufferList next = nbl.next;
            int owner = nbl.owner();
            if (owner != NetBufferList.SENDING || nbl.adapter != a) {
                Rule rule = owner != NetBufferList.SENDING && nbl.lastCompletedOn == a
                        ? Rule.SEND_COMPLETE_TWICE : Rule.SEND_COMPLETE_UNKNOWN;
                found = add(found, record(a, rule, "nbl=" + nbl.pool.purpose() + "#" + nbl.index + " owner="
                        + NetBufferList.ownerName(owner)));
                if (kept == null) {
                    head = next;
                } else {
                    kept.next = next;             // its own link is left as it was: it is not ours to change
                }
                nbl = next;
                continue;
            }
            int status = nbl.status();
            if (!isDocumentedSendStatus(status)) {
                found = add(found, record(a, Rule.SEND_COMPLETE_STATUS, "status=" + NdisStatus.describe(status)));
            }
            if (nbl.sentWhilePausing && status != NdisStatus.PAUSED) {
                found = add(found, record(a, Rule.SEND_WHILE_PAUSING, "status=" + NdisStatus.describe(status)));
            }
            if (status != NdisStatus.SUCCESS) {
                failed++;
            }
            if (now - nbl.sentAtNanos > SEND_BOUND_NANOS) {
                found = add(found, verifier.timedRules().lateSend(a, nbl.sentAtNanos, now));
            }
            nbl.lastCompletedOn = a;
            nbl.setOwner(NetBufferList.ALLOCATED);
            kept = nbl;
            completed++;
            nbl = next;
        }
        a.dataPath.completed(completed, failed);
        verifier.timedRules().sendsCompleted(a, now);
        if (head != null) {
            try {
                a.edge.sendNetBufferListsComplete(a, head, sendCompleteFlags);
            } catch (RuntimeException e) {
                delivery.protocolEdgeFailed(a, NdisCall.ProtocolSendNetBufferListsComplete, e);
            }
        }
        if (found != null) {
            verifier.raise(found);
        }
    }

    /**
     * The cold path of an indication that breaks a rule: the NBLs before {@code broken} were already marked
     * INDICATED by the one walk; nothing is delivered, so they are the miniport's again, as if the walk had
     * never started (the stamps only count while INDICATED).
     */
    private static void withdrawIndication(NetBufferList chain, NetBufferList broken) {
        for (NetBufferList nbl = chain; nbl != broken; nbl = nbl.next) {
            nbl.setOwner(NetBufferList.ALLOCATED);
        }
    }

    static boolean isDocumentedSendStatus(int status) {
        return status == NdisStatus.SUCCESS || status == NdisStatus.INVALID_LENGTH || status == NdisStatus.RESOURCES
                || status == NdisStatus.PAUSED || status == NdisStatus.SEND_ABORTED
                || status == NdisStatus.RESET_IN_PROGRESS || status == NdisStatus.FAILURE;
    }

    public void NdisMIndicateReceiveNetBufferLists(NdisAdapterHandle miniportAdapterHandle,
            NetBufferList netBufferLists, int portNumber, int numberOfNetBufferLists, int receiveFlags) {
        MiniportAdapter a = alive(miniportAdapterHandle, NdisCall.NdisMIndicateReceiveNetBufferLists);
        if (a == null || netBufferLists == null) {
            return;
        }
        AdapterState state = lifecycle.stateForIndication(a);
        if (!state.allowsDataPath()) {
            report(a, Rule.RECEIVE_STATE, "state=" + state + " nbls=" + numberOfNetBufferLists);
            return;
        }
        boolean resources = (receiveFlags & NdisReceiveFlags.RESOURCES) != 0;
        int n = 0;
        long bytes = 0;
        for (NetBufferList nbl = netBufferLists; nbl != null; nbl = nbl.next) {
            if (nbl.owner() != NetBufferList.ALLOCATED) {
                withdrawIndication(netBufferLists, nbl);
                report(a, Rule.RECEIVE_OWNERSHIP, "nbl=" + nbl.pool.purpose() + "#" + nbl.index + " owner="
                        + NetBufferList.ownerName(nbl.owner()));
                return;
            }
            Rule shape = NetBufferRules.broken(nbl);
            if (shape != null) {
                withdrawIndication(netBufferLists, nbl);
                report(a, shape, NetBufferRules.describe(nbl));   // nothing is delivered: the protocol would read astray
                return;
            }
            nbl.adapter = a;
            nbl.indicatedWithResources = resources;
            nbl.setOwner(NetBufferList.INDICATED);
            n++;
            bytes += nbl.dataLength();
        }
        List<Violation> found = null;
        if (n != numberOfNetBufferLists) {
            found = add(null, record(a, Rule.RECEIVE_COUNT, "number_of_nbls=" + numberOfNetBufferLists + " chain=" + n));
        }
        a.dataPath.indicated(n, bytes, resources);
        try {
            a.edge.receiveNetBufferLists(a, netBufferLists, portNumber, n, receiveFlags);
        } catch (RuntimeException e) {
            delivery.protocolEdgeFailed(a, NdisCall.ProtocolReceiveNetBufferLists, e);
        } finally {
            if (resources) {
                for (NetBufferList nbl = netBufferLists; nbl != null; nbl = nbl.next) {
                    nbl.casOwner(NetBufferList.INDICATED, NetBufferList.ALLOCATED);
                }
            }
        }
        if (found != null) {
            verifier.raise(found);
        }
    }
}

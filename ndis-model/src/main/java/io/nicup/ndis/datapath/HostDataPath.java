package io.nicup.ndis.datapath;

import io.nicup.ndis.NdisCall;
import io.nicup.ndis.NdisException;
import io.nicup.ndis.NdisInternal;
import io.nicup.ndis.NdisStatus;
import io.nicup.ndis.NdisStatusException;
import io.nicup.ndis.adapter.AdapterState;
import io.nicup.ndis.adapter.MiniportAdapter;
import io.nicup.ndis.adapter.NdisInterruptHandle;
import io.nicup.ndis.host.HostPart;
import io.nicup.ndis.host.HostServices;
import io.nicup.ndis.trace.NdisTrace;
import io.nicup.ndis.trace.NdisVerifierException;
import io.nicup.ndis.trace.Rule;
import io.nicup.vfio.DeviceAccessException;
import io.nicup.vfio.DmaRegion;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The protocol side of the data path: sends a protocol's NBL chain to MiniportSendNetBufferLists (or
 * completes it with PAUSED when the adapter cannot send), returns indicated NBLs to
 * MiniportReturnNetBufferLists, allocates send pools in the device's DMA memory, and traces the counts.
 * Per call, never per packet: no allocation, lock or trace on the send and return paths.
 */
@NdisInternal
public final class HostDataPath extends HostPart {

    public HostDataPath(HostServices services) {
        super(services);
    }

    public NetBufferListPool allocateSendPool(MiniportAdapter a, int count, int netBuffersPerList, int bufferSize) {
        NetBufferListPool pool = newPool(a, new NetBufferListPoolParameters(count, netBuffersPerList, bufferSize,
                "protocol-send"), false);
        a.resources.hostPools.add(pool);
        return pool;
    }

    public NetBufferListPool newPool(MiniportAdapter a, NetBufferListPoolParameters parameters, boolean miniportOwned) {
        DmaRegion region = null;
        if (parameters.dataSize() > 0) {
            try {
                region = a.device().dma().allocate("nbl-pool:" + parameters.purpose(),
                        NetBufferListPool.regionSize(parameters), Math.min(4096, a.device().dma().pageSize()));
            } catch (DeviceAccessException e) {
                throw new NdisStatusException(NdisCall.NdisAllocateNetBufferListPool, NdisStatus.RESOURCES,
                        "adapter=" + a.name() + " pool=" + parameters.purpose() + " error=" + e.getMessage());
            }
        }
        return new NetBufferListPool(parameters, a, miniportOwned, region);
    }

    /**
     * NdisSendNetBufferLists. One walk checks each NBL and hands it on (to the miniport: SENDING, stamped;
     * or, when the adapter cannot send, back to the protocol with PAUSED); an NBL the protocol does not own
     * rolls the walk back (the cold path) so a refused chain changes nothing (docs/ndis-contract.md §19).
     */
    public void send(MiniportAdapter a, NetBufferList netBufferLists, int portNumber, int sendFlags) {
        verifier.rethrowDeferred();
        AdapterState state = a.state();
        if (!state.allowsDataPath()) {
            int n = 0;
            for (NetBufferList nbl = netBufferLists; nbl != null; nbl = nbl.next) {
                if (nbl.owner() != NetBufferList.ALLOCATED) {
                    throw refusedSend(netBufferLists, nbl);
                }
                nbl.statusBeforeSend = nbl.status();
                nbl.setStatus(NdisStatus.PAUSED);
                n++;
            }
            a.dataPath.rejectedByNdis(n);
            a.edge.sendNetBufferListsComplete(a, netBufferLists, 0);
            return;
        }
        boolean pausing = state == AdapterState.PAUSING;
        long now = verifier.timedRules().now();
        int n = 0;
        for (NetBufferList nbl = netBufferLists; nbl != null; nbl = nbl.next) {
            if (nbl.owner() != NetBufferList.ALLOCATED) {
                throw refusedSend(netBufferLists, nbl);
            }
            nbl.sentAtNanos = now;
            nbl.adapter = a;
            nbl.sentWhilePausing = pausing;
            nbl.statusBeforeSend = nbl.status();
            nbl.setStatus(NdisStatus.SUCCESS);
            nbl.setOwner(NetBufferList.SENDING);
            n++;
        }
        // The progress stamp before the count: a sweep on the timer thread that sees these sends outstanding
        // also sees the stamp (the counters are published with release stores, read with acquire loads).
        // Counted first, a sweep between the two saw a fresh adapter's sends against a stamp of 0 and reported
        // NdisTimedDataHang with the whole uptime as the stall (found in the QEMU guest under load).
        long outstandingBefore = a.dataPath.sendsOutstanding();
        verifier.timedRules().sendsQueued(a, outstandingBefore, now);
        a.dataPath.sent(n);
        try {
            a.driver().characteristics.sendNetBufferListsHandler().sendNetBufferLists(a.miniportContext(), netBufferLists,
                    portNumber, sendFlags);
        } catch (NdisVerifierException e) {
            throw e;
        } catch (RuntimeException e) {
            verifier.report(Rule.HANDLER_THREW, a.driver().name(), a.name(),
                    "handler=MiniportSendNetBufferLists exception=" + e, e);
        }
    }

    /**
     * The cold path of {@link #send}: the NBLs before {@code refused} go back to the protocol as they came
     * (owner and status; the stamps only count while SENDING), and the error names the one it does not own.
     */
    private static NdisException refusedSend(NetBufferList chain, NetBufferList refused) {
        for (NetBufferList nbl = chain; nbl != refused; nbl = nbl.next) {
            nbl.setStatus(nbl.statusBeforeSend);
            nbl.setOwner(NetBufferList.ALLOCATED);
        }
        return new NdisException("send of an NBL the protocol does not own: nbl=" + refused);
    }

    /**
     * NdisReturnNetBufferLists: one walk checks each NBL and gives it back to the miniport; one NDIS did
     * not indicate to this protocol rolls the walk back (the cold path), so a refused chain changes nothing.
     */
    public void returnNetBufferLists(MiniportAdapter a, NetBufferList netBufferLists, int returnFlags) {
        int n = 0;
        for (NetBufferList nbl = netBufferLists; nbl != null; nbl = nbl.next) {
            if (nbl.owner() != NetBufferList.INDICATED || nbl.adapter != a || nbl.indicatedWithResources) {
                throw refusedReturn(a, netBufferLists, nbl);
            }
            nbl.setOwner(NetBufferList.ALLOCATED);
            n++;
        }
        a.dataPath.returned(n);
        try {
            a.driver().characteristics.returnNetBufferListsHandler().returnNetBufferLists(a.miniportContext(), netBufferLists,
                    returnFlags);
        } catch (NdisVerifierException e) {
            throw e;
        } catch (RuntimeException e) {
            verifier.report(Rule.HANDLER_THREW, a.driver().name(), a.name(),
                    "handler=MiniportReturnNetBufferLists exception=" + e, e);
        }
    }

    /** The cold path of {@link #returnNetBufferLists}: the NBLs before {@code refused} are the protocol's again. */
    private static NdisException refusedReturn(MiniportAdapter a, NetBufferList chain, NetBufferList refused) {
        for (NetBufferList nbl = chain; nbl != refused; nbl = nbl.next) {
            nbl.setOwner(NetBufferList.INDICATED);
        }
        return new NdisException("return of an NBL NDIS did not indicate to the protocol: adapter=" + a.name()
                + " nbl=" + refused + (refused.indicatedWithResources
                        ? " (indicated with NDIS_RECEIVE_FLAGS_RESOURCES)" : ""));
    }

    public void cancelSend(MiniportAdapter a, long cancelId) {
        synchronized (control) {
            verifier.rethrowDeferred();
            invoker.invokeVoid(NdisCall.MiniportCancelSend, a.driver(), a,
                    () -> a.driver().characteristics.cancelSendHandler().cancelSend(a.miniportContext(), cancelId));
        }
    }

    public void traceCounters(MiniportAdapter a) {
        DataPathCounters c = a.counters();
        Map<String, String> detail = new LinkedHashMap<>();
        detail.put("sends", Long.toString(c.sends()));
        detail.put("sends_completed", Long.toString(c.sendsCompleted()));
        detail.put("sends_failed", Long.toString(c.sendsFailed()));
        detail.put("sends_rejected_by_ndis", Long.toString(c.sendsRejectedByNdis()));
        detail.put("sends_outstanding", Long.toString(c.sendsOutstanding()));
        detail.put("receive_indications", Long.toString(c.receiveIndications()));
        detail.put("received_nbls", Long.toString(c.receivedNbls()));
        detail.put("received_bytes", Long.toString(c.receivedBytes()));
        detail.put("received_with_resources", Long.toString(c.receivedWithResources()));
        detail.put("returned_nbls", Long.toString(c.returnedNbls()));
        detail.put("receives_outstanding", Long.toString(c.receivesOutstanding()));
        NdisInterruptHandle ih = a.resources.interrupt;
        if (ih != null) {
            detail.put("isr_calls", Long.toString(ih.isrCalls()));
            detail.put("dpc_calls", Long.toString(ih.dpcCalls()));
        }
        trace.instant(NdisTrace.Kind.COUNTERS, NdisTrace.Direction.NONE, "DataPath", a.driver().name(), a.name(),
                NdisTrace.NO_STATUS, detail);
    }
}

package io.nicup.ndis.oid;

import io.nicup.ndis.NdisCall;
import io.nicup.ndis.NdisException;
import io.nicup.ndis.NdisInternal;
import io.nicup.ndis.NdisStatus;
import io.nicup.ndis.adapter.MiniportAdapter;
import io.nicup.ndis.adapter.MiniportAdapterAttributes;
import io.nicup.ndis.driver.LoadedDriver;
import io.nicup.ndis.host.HostPart;
import io.nicup.ndis.host.HostScheduler;
import io.nicup.ndis.host.HostServices;
import io.nicup.ndis.trace.NdisTrace;
import io.nicup.ndis.trace.Rule;
import io.nicup.ndis.trace.Violation;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * OID requests, one at a time per adapter: NDIS answers a few queries from the attributes, queues a
 * request while another is with the miniport, completes the caller's future when MiniportOidRequest
 * returns or NdisMOidRequestComplete arrives, and before a halt cancels what is pending. What the
 * miniport answered is checked by {@link OidRules}.
 */
@NdisInternal
public final class OidDispatcher extends HostPart {

    private final HostScheduler scheduler;
    private final OidRules rules;
    private long nextRequestId = 1;

    public OidDispatcher(HostServices services, HostScheduler scheduler) {
        super(services);
        this.scheduler = scheduler;
        this.rules = new OidRules(services.verifier());
    }

    public CompletableFuture<OidResult> oid(MiniportAdapter a, NdisOidRequest request, boolean direct) {
        verifier.rethrowDeferred();
        if (!a.state().allowsOidRequests()) {
            throw new NdisException("OID requests need Paused, Restarting, Running or Pausing: adapter=" + a.name()
                    + " state=" + a.state() + " oid=" + Oid.name(request.oid()));
        }
        CompletableFuture<OidResult> future = new CompletableFuture<>();
        OidQueue.PendingOid p;
        synchronized (a.oids.lock) {
            request.requestId = nextRequestId++;
            if (!direct && answeredByNdis(a, request, future)) {
                return future;
            }
            p = new OidQueue.PendingOid(request, future, direct);
            if (a.oids.current != null) {
                a.oids.queue.add(p);
                return future;
            }
            a.oids.current = p;
        }
        issue(a, p);
        return future;
    }

    boolean answeredByNdis(MiniportAdapter a, NdisOidRequest request, CompletableFuture<OidResult> future) {
        if (!request.requestType().isQuery()) {
            return false;
        }
        MiniportAdapterAttributes.General g = a.generalAttributes();
        int status;
        switch (request.oid()) {
            case Oid.GEN_LINK_STATE -> status = request.queryLinkState(a.linkState());
            case Oid.GEN_MAXIMUM_FRAME_SIZE -> status = request.queryUlong(g.mtuSize());
            case Oid.GEN_SUPPORTED_LIST -> status = request.queryUlongs(g.supportedOidList());
            case Oid.TCP_OFFLOAD_CURRENT_CONFIG -> {
                if (a.currentOffload() == null) {
                    return false;                         // no offload attributes: the miniport answers
                }
                status = request.queryOffload(a.currentOffload());
            }
            case Oid.GEN_RECEIVE_SCALE_CAPABILITIES -> {
                if (g.recvScaleCapabilities() == null) {
                    return false;
                }
                status = request.queryReceiveScaleCapabilities(g.recvScaleCapabilities());
            }
            default -> {
                return false;
            }
        }
        trace.instant(NdisTrace.Kind.CALL, NdisTrace.Direction.HOST_TO_NDIS, NdisCall.OidRequest.name(),
                a.driver().name(), a.name(), status, Map.of("oid", Oid.name(request.oid()), "answered_by", "ndis"));
        future.complete(new OidResult(status, request.bytesWritten(), request.bytesRead(), request.bytesNeeded(),
                request, true));
        return true;
    }

    void issue(MiniportAdapter a, OidQueue.PendingOid p) {
        LoadedDriver d = a.driver();
        synchronized (a.oids.lock) {
            p.inCall = true;
            p.issuedNanos = verifier.timedRules().now();
        }
        Map<String, String> detail = Map.of("oid", Oid.name(p.request.oid()), "type", p.request.requestType().name(),
                "length", Integer.toString(p.request.informationBufferLength()));
        int status;
        try {
            status = p.direct
                    ? invoker.invokeStatus(NdisCall.MiniportDirectOidRequest, d, a, detail,
                            () -> d.characteristics.directOidRequestHandler().directOidRequest(a.miniportContext(), p.request))
                    : invoker.invokeStatus(NdisCall.MiniportOidRequest, d, a, detail,
                            () -> d.characteristics.oidRequestHandler().oidRequest(a.miniportContext(), p.request));
        } catch (RuntimeException e) {
            synchronized (a.oids.lock) {
                p.inCall = false;
            }
            finishOid(a, p, NdisStatus.FAILURE, false);
            throw e;
        }
        int finalStatus;
        Violation twice = null;
        synchronized (a.oids.lock) {
            p.inCall = false;
            if (status == NdisStatus.PENDING) {
                if (!p.completedInCall) {
                    return;
                }
                finalStatus = p.completionStatus;
            } else {
                if (p.completedInCall) {
                    twice = verifier.record(Rule.OID_COMPLETE_UNKNOWN, d.name(), a.name(), "oid="
                            + Oid.name(p.request.oid()) + " returned=" + NdisStatus.name(status) + " and_completed="
                            + NdisStatus.name(p.completionStatus));
                }
                finalStatus = status;
            }
        }
        finishOid(a, p, finalStatus);
        if (twice != null) {
            verifier.raise(List.of(twice));
        }
    }

    public void finishOid(MiniportAdapter a, OidQueue.PendingOid p, int status) {
        finishOid(a, p, status, true);
    }

    public void finishOid(MiniportAdapter a, OidQueue.PendingOid p, int status, boolean check) {
        OidQueue.PendingOid next;
        synchronized (a.oids.lock) {
            if (p.done) {
                return;
            }
            p.done = true;
            a.oids.current = null;
            next = a.oids.queue.poll();
            a.oids.current = next;
        }
        List<Violation> found = check ? rules.check(a, p.request, status) : List.of();
        Violation late = verifier.timedRules().lateOid(a, p, verifier.timedRules().now());
        if (late != null) {
            found = new ArrayList<>(found);
            found.add(late);
        }
        NdisOidRequest r = p.request;
        if (status == NdisStatus.SUCCESS && r.requestType() == OidRequestType.NdisRequestSetInformation) {
            byte[] data = r.informationBuffer().toArray(java.lang.foreign.ValueLayout.JAVA_BYTE);
            if (r.oid() == Oid.GEN_CURRENT_PACKET_FILTER) {
                a.oids.lastPacketFilter = data;
            } else if (r.oid() == Oid.OID_802_3_MULTICAST_LIST) {
                a.oids.lastMulticastList = data;
            }
        }
        p.future.complete(new OidResult(status, r.bytesWritten(), r.bytesRead(), r.bytesNeeded(), r, false));
        if (next != null) {
            if (a.state().allowsOidRequests()) {
                issue(a, next);
            } else {
                abort(a, next);
            }
        }
        verifier.raise(found);
    }

    void abort(MiniportAdapter a, OidQueue.PendingOid p) {
        synchronized (a.oids.lock) {
            p.done = true;
            if (a.oids.current == p) {
                a.oids.current = null;
            }
        }
        p.future.complete(new OidResult(NdisStatus.REQUEST_ABORTED, 0, 0, 0, p.request, false));
    }

    /** Before a halt: cancel the pending request, wait for its completion; fail the queued ones. */
    public void cancelOids(MiniportAdapter a, List<Violation> found) {
        OidQueue.PendingOid p;
        List<OidQueue.PendingOid> queued;
        synchronized (a.oids.lock) {
            p = a.oids.current;
            queued = new ArrayList<>(a.oids.queue);
            a.oids.queue.clear();
        }
        for (OidQueue.PendingOid q : queued) {
            abort(a, q);
        }
        if (p == null) {
            return;
        }
        LoadedDriver d = a.driver();
        if (p.direct) {
            invoker.invokeVoid(NdisCall.MiniportCancelOidRequest, d, a, () -> d.characteristics.cancelDirectOidRequestHandler()
                    .cancelDirectOidRequest(a.miniportContext(), p.request.requestId));
        } else {
            invoker.invokeVoid(NdisCall.MiniportCancelOidRequest, d, a,
                    () -> d.characteristics.cancelOidRequestHandler().cancelOidRequest(a.miniportContext(), p.request.requestId));
        }
        boolean completed = scheduler.waitUntil(() -> {
            synchronized (a.oids.lock) {
                return p.done;
            }
        }, options.waitTimeout(), a);
        if (!completed) {
            found.add(verifier.record(Rule.OID_OUTSTANDING_AT_HALT, d.name(), a.name(),
                    "oid=" + Oid.name(p.request.oid()) + " cancelled_but_not_completed"));
            abort(a, p);
        }
    }
}

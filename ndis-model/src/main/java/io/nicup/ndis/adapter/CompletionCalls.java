package io.nicup.ndis.adapter;

import io.nicup.ndis.NdisCall;
import io.nicup.ndis.NdisInternal;
import io.nicup.ndis.NdisStatus;
import io.nicup.ndis.host.HostServices;
import io.nicup.ndis.host.NdisCallSupport;
import io.nicup.ndis.oid.NdisOidRequest;
import io.nicup.ndis.oid.Oid;
import io.nicup.ndis.oid.OidDispatcher;
import io.nicup.ndis.oid.OidQueue;
import io.nicup.ndis.protocol.ProtocolDelivery;
import io.nicup.ndis.trace.Rule;
import java.util.Map;

/**
 * The completions of work the miniport returned PENDING for: NdisMPauseComplete, NdisMRestartComplete,
 * NdisMResetComplete and NdisMOidRequestComplete. A completion from inside the call that started the
 * work is noted and handled when that call returns; one with nothing pending is reported.
 */
@NdisInternal
public final class CompletionCalls extends NdisCallSupport {

    private final AdapterLifecycle lifecycle;
    private final HangWatchdog watchdog;
    private final OidDispatcher oidDispatcher;

    public CompletionCalls(HostServices services, ProtocolDelivery delivery, Object owner, AdapterLifecycle lifecycle, HangWatchdog watchdog, OidDispatcher oidDispatcher) {
        super(services, delivery, owner);
        this.lifecycle = lifecycle;
        this.watchdog = watchdog;
        this.oidDispatcher = oidDispatcher;
    }

    public void NdisMPauseComplete(NdisAdapterHandle miniportAdapterHandle) {
        adapterStatusCall(NdisCall.NdisMPauseComplete, miniportAdapterHandle, Map.of(), a -> {
            synchronized (a.lifecycle.lock) {
                if (a.state() != AdapterState.PAUSING || !(a.lifecycle.inPauseCall || a.lifecycle.pausePending) || a.lifecycle.pauseCompletedInCall) {
                    return reject(a, Rule.STATE_PAUSE_COMPLETE, NdisStatus.FAILURE, "state=" + a.state());
                }
                if (a.lifecycle.inPauseCall) {
                    a.lifecycle.pauseCompletedInCall = true;
                    return NdisStatus.SUCCESS;
                }
                a.lifecycle.pausePending = false;
            }
            lifecycle.completePause(a);
            return NdisStatus.SUCCESS;
        });
    }

    public void NdisMRestartComplete(NdisAdapterHandle miniportAdapterHandle, int status) {
        adapterStatusCall(NdisCall.NdisMRestartComplete, miniportAdapterHandle, Map.of("restart_status",
                NdisStatus.name(status)), a -> {
                    synchronized (a.lifecycle.lock) {
                        if (a.state() != AdapterState.RESTARTING || !(a.lifecycle.inRestartCall || a.lifecycle.restartPending)
                                || a.lifecycle.restartCompletedInCall) {
                            return reject(a, Rule.STATE_RESTART_COMPLETE, NdisStatus.FAILURE, "state=" + a.state());
                        }
                        if (a.lifecycle.inRestartCall) {
                            a.lifecycle.restartCompletedInCall = true;
                            a.lifecycle.restartCompletionStatus = status;
                            return NdisStatus.SUCCESS;
                        }
                        a.lifecycle.restartPending = false;
                    }
                    lifecycle.finishRestart(a, status);
                    return NdisStatus.SUCCESS;
                });
    }

    public void NdisMResetComplete(NdisAdapterHandle miniportAdapterHandle, int status, boolean addressingReset) {
        adapterStatusCall(NdisCall.NdisMResetComplete, miniportAdapterHandle, Map.of("reset_status",
                NdisStatus.name(status)), a -> {
                    synchronized (a.lifecycle.lock) {
                        if (!a.lifecycle.resetPending || a.lifecycle.resetCompletedInCall) {
                            return reject(a, Rule.RESET_COMPLETE, NdisStatus.FAILURE, "reset_pending=" + a.lifecycle.resetPending);
                        }
                        if (a.lifecycle.inResetCall) {
                            a.lifecycle.resetCompletedInCall = true;
                            a.lifecycle.resetCompletion = new ResetResult(status, addressingReset);
                            return NdisStatus.SUCCESS;
                        }
                    }
                    watchdog.finishReset(a, new ResetResult(status, addressingReset));
                    return NdisStatus.SUCCESS;
                });
    }

    public void NdisMOidRequestComplete(NdisAdapterHandle miniportAdapterHandle, NdisOidRequest oidRequest, int status) {
        completeOid(NdisCall.NdisMOidRequestComplete, miniportAdapterHandle, oidRequest, status, false);
    }

    public void NdisMDirectOidRequestComplete(NdisAdapterHandle miniportAdapterHandle, NdisOidRequest oidRequest, int status) {
        completeOid(NdisCall.NdisMDirectOidRequestComplete, miniportAdapterHandle, oidRequest, status, true);
    }

    private void completeOid(NdisCall call, NdisAdapterHandle handle, NdisOidRequest request, int status, boolean direct) {
        adapterStatusCall(call, handle, Map.of("oid", Oid.name(request.oid()), "oid_status", NdisStatus.name(status)), a -> {
            OidQueue.PendingOid p;
            synchronized (a.oids.lock) {
                p = a.oids.current;
                if (p == null || p.request != request || p.done || p.direct != direct || p.completedInCall) {
                    return reject(a, Rule.OID_COMPLETE_UNKNOWN, NdisStatus.FAILURE, "oid=" + Oid.name(request.oid())
                            + " pending=" + (p == null ? "none" : Oid.name(p.request.oid())));
                }
                if (p.inCall) {
                    p.completedInCall = true;
                    p.completionStatus = status;
                    return NdisStatus.SUCCESS;
                }
            }
            oidDispatcher.finishOid(a, p, status);
            return NdisStatus.SUCCESS;
        });
    }
}

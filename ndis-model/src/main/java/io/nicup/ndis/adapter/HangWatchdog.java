package io.nicup.ndis.adapter;

import io.nicup.ndis.NdisCall;
import io.nicup.ndis.NdisException;
import io.nicup.ndis.NdisInternal;
import io.nicup.ndis.NdisStatus;
import io.nicup.ndis.driver.LoadedDriver;
import io.nicup.ndis.host.HostPart;
import io.nicup.ndis.host.HostServices;
import io.nicup.ndis.host.TimerQueue;
import io.nicup.ndis.oid.NdisOidRequest;
import io.nicup.ndis.oid.Oid;
import io.nicup.ndis.oid.OidDispatcher;
import io.nicup.ndis.trace.NdisTrace;
import io.nicup.ndis.trace.Rule;
import java.util.Map;

/**
 * CheckForHang and reset: a periodic MiniportCheckForHangEx on the device clock while the adapter is
 * live, MiniportResetEx when it reports a hang, when the miniport asks with NdisMResetMiniport (or the host
 * asks), and after an addressing reset the packet filter and multicast list set again.
 */
@NdisInternal
public final class HangWatchdog extends HostPart {

    private final TimerQueue timers;
    private OidDispatcher oidDispatcher;

    public HangWatchdog(HostServices services) {
        super(services);
        this.timers = services.timers();
    }

    /** The dispatcher that sets the filters again after an addressing reset (created after this). */
    public void setOidDispatcher(OidDispatcher value) {
        this.oidDispatcher = value;
    }

    public int reset(MiniportAdapter a) {
        synchronized (control) {
            verifier.rethrowDeferred();
            if (!a.state().isLive()) {
                throw new NdisException("cannot reset: adapter=" + a.name() + " state=" + a.state());
            }
            return doReset(a);
        }
    }


    int doReset(MiniportAdapter a) {
        return doReset(a, Map.of());
    }

    /**
     * NdisMResetMiniport: queues NDIS's work item, due at once, which calls MiniportResetEx from the thread
     * that runs the host's timers (the timer thread, or {@code runTimers}/{@code idle}), never inside the
     * caller. Requests made before it runs are one reset (DDI {@code ndis/nf-ndis-ndismresetminiport}).
     */
    void requestReset(MiniportAdapter a) {
        TimerQueue.Scheduled item;
        synchronized (a.lifecycle.lock) {
            if (a.lifecycle.resetWorkItem == null) {
                a.lifecycle.resetWorkItem = new TimerQueue.Scheduled(() -> resetWorkItem(a));
            }
            item = a.lifecycle.resetWorkItem;
        }
        timers.set(item, 0, 0);
    }

    /**
     * The work item: MiniportResetEx unless the adapter is no longer live (halted or shut down before the
     * item ran) or a reset is already under way (it is the one asked for).
     */
    private void resetWorkItem(MiniportAdapter a) {
        synchronized (control) {
            if (!a.state().isLive() || a.lifecycle.resetPending) {
                return;
            }
            doReset(a, Map.of("requested_by", NdisCall.NdisMResetMiniport.name()));
        }
    }

    private int doReset(MiniportAdapter a, Map<String, String> detail) {
        LoadedDriver d = a.driver();
        synchronized (a.lifecycle.lock) {
            if (a.lifecycle.resetPending) {
                return NdisStatus.RESET_IN_PROGRESS;
            }
            a.lifecycle.resetPending = true;
            a.lifecycle.inResetCall = true;
            a.lifecycle.resetCompletedInCall = false;
        }
        NdisTrace.Span span = trace.begin(NdisCall.ResetAdapter, d.name(), a.name(), detail);
        ResetResult[] result = {new ResetResult(NdisStatus.FAILURE, false)};
        try {
            invoker.invokeStatus(NdisCall.MiniportResetEx, d, a, Map.of(), () -> {
                ResetResult r = d.characteristics.resetHandlerEx().resetEx(a.miniportContext());
                result[0] = r == null ? new ResetResult(NdisStatus.FAILURE, false) : r;
                return result[0].status();
            });
        } catch (RuntimeException e) {
            synchronized (a.lifecycle.lock) {
                a.lifecycle.inResetCall = false;
                a.lifecycle.resetPending = false;
            }
            span.end(NdisStatus.FAILURE);
            throw e;
        }
        ResetResult r = result[0];
        ResetResult early;
        synchronized (a.lifecycle.lock) {
            a.lifecycle.inResetCall = false;
            early = a.lifecycle.resetCompletedInCall ? a.lifecycle.resetCompletion : null;
            if (r.status() == NdisStatus.PENDING && early == null) {
                span.end(NdisStatus.PENDING);
                return NdisStatus.PENDING;
            }
        }
        span.end(r.status());
        if (r.status() == NdisStatus.PENDING) {
            finishReset(a, early);
            return early.status();
        }
        finishReset(a, r);
        if (early != null) {
            verifier.report(Rule.RESET_COMPLETE, a, "returned=" + NdisStatus.name(r.status()) + " and_completed=true");
        }
        return r.status();
    }

    void finishReset(MiniportAdapter a, ResetResult r) {
        synchronized (a.lifecycle.lock) {
            a.lifecycle.resetPending = false;
            a.lifecycle.lastReset = r;
        }
        trace.instant(NdisTrace.Kind.INDICATION, NdisTrace.Direction.NONE, "ResetComplete", a.driver().name(), a.name(),
                r.status(), Map.of("addressing_reset", Boolean.toString(r.addressingReset())));
        if (r.status() == NdisStatus.SUCCESS && r.addressingReset() && a.state().allowsOidRequests()) {
            if (a.oids.lastPacketFilter != null) {
                oidDispatcher.oid(a, NdisOidRequest.set(Oid.GEN_CURRENT_PACKET_FILTER, a.oids.lastPacketFilter), false);
            }
            if (a.oids.lastMulticastList != null) {
                oidDispatcher.oid(a, NdisOidRequest.set(Oid.OID_802_3_MULTICAST_LIST, a.oids.lastMulticastList), false);
            }
        }
    }

    void startCheckForHang(MiniportAdapter a) {
        if (a.driver().characteristics.checkForHangHandlerEx() == null) {
            return;
        }
        long period = a.registrationAttributes().effectiveCheckForHangSeconds() * 1_000_000_000L;
        a.lifecycle.checkForHangTimer = new TimerQueue.Scheduled(() -> checkForHang(a));
        timers.set(a.lifecycle.checkForHangTimer, period, period);
    }

    void stopCheckForHang(MiniportAdapter a) {
        if (a.lifecycle.checkForHangTimer != null) {
            timers.cancel(a.lifecycle.checkForHangTimer);
            a.lifecycle.checkForHangTimer = null;
        }
        TimerQueue.Scheduled item;
        synchronized (a.lifecycle.lock) {
            item = a.lifecycle.resetWorkItem;
        }
        if (item != null) {
            timers.cancel(item);                             // a reset asked for and not yet run: the adapter halts
        }
    }

    void checkForHang(MiniportAdapter a) {
        synchronized (control) {
            if (!a.state().isLive() || a.lifecycle.resetPending) {
                return;
            }
            LoadedDriver d = a.driver();
            boolean[] hung = {false};
            invoker.invokeStatus(NdisCall.MiniportCheckForHangEx, d, a, Map.of(), () -> {
                hung[0] = d.characteristics.checkForHangHandlerEx().checkForHangEx(a.miniportContext());
                return hung[0] ? NdisStatus.HARD_ERRORS : NdisStatus.SUCCESS;
            });
            if (hung[0]) {
                doReset(a);
            }
        }
    }
}

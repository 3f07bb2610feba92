package io.nicup.ndis.adapter;

import io.nicup.ndis.NdisCall;
import io.nicup.ndis.NdisException;
import io.nicup.ndis.NdisInternal;
import io.nicup.ndis.NdisStatus;
import io.nicup.ndis.datapath.HostDataPath;
import io.nicup.ndis.driver.LoadedDriver;
import io.nicup.ndis.host.HostPart;
import io.nicup.ndis.host.HostScheduler;
import io.nicup.ndis.host.HostServices;
import io.nicup.ndis.oid.OidDispatcher;
import io.nicup.ndis.trace.NdisTrace;
import io.nicup.ndis.trace.Rule;
import io.nicup.ndis.trace.Violation;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The state machine's transitions after initialization, as NDIS drives them: MiniportRestart
 * (Paused to Running), MiniportPause (Running to Paused, waiting for the data path to drain), halt
 * (pausing first, cancelling OIDs), MiniportShutdownEx and surprise removal; plus the completions of a
 * pause or restart the miniport returned PENDING for.
 */
@NdisInternal
public final class AdapterLifecycle extends HostPart {

    private final HostScheduler scheduler;
    private final AdapterInitializer initializer;
    private final OidDispatcher oidDispatcher;
    private final HangWatchdog watchdog;
    private final HostDataPath hostDataPath;

    public AdapterLifecycle(HostServices services, HostScheduler scheduler, AdapterInitializer initializer,
            OidDispatcher oidDispatcher, HangWatchdog watchdog, HostDataPath hostDataPath) {
        super(services);
        this.scheduler = scheduler;
        this.initializer = initializer;
        this.oidDispatcher = oidDispatcher;
        this.watchdog = watchdog;
        this.hostDataPath = hostDataPath;
    }

    public int restart(MiniportAdapter a) {
        synchronized (control) {
            verifier.rethrowDeferred();
            requireState(a, "restart", AdapterState.PAUSED);
            NdisTrace.Span span = trace.begin(NdisCall.RestartAdapter, a.driver().name(), a.name(), Map.of());
            int result = NdisStatus.FAILURE;
            try {
                result = doRestart(a);
                return result;
            } finally {
                span.end(result, Map.of("state", a.state().name()));
            }
        }
    }

    int doRestart(MiniportAdapter a) {
        LoadedDriver d = a.driver();
        synchronized (a.lifecycle.lock) {
            a.lifecycle.transition(AdapterState.Event.RESTART_CALLED);
            a.lifecycle.inRestartCall = true;
            a.lifecycle.restartThread = Thread.currentThread();
            a.lifecycle.restartCompletedInCall = false;
        }
        int status;
        try {
            status = invoker.invokeStatus(NdisCall.MiniportRestart, d, a, Map.of(),
                    () -> d.characteristics.restartHandler().restart(a.miniportContext(), RestartParameters.DEFAULT));
        } catch (RuntimeException e) {
            synchronized (a.lifecycle.lock) {
                a.lifecycle.inRestartCall = false;
            }
            finishRestart(a, NdisStatus.FAILURE);
            throw e;
        }
        int completion;
        boolean earlyCompletion;
        synchronized (a.lifecycle.lock) {
            a.lifecycle.inRestartCall = false;
            earlyCompletion = a.lifecycle.restartCompletedInCall;
            completion = a.lifecycle.restartCompletionStatus;
            if (status == NdisStatus.PENDING && !earlyCompletion) {
                a.lifecycle.restartPending = true;
                return NdisStatus.PENDING;
            }
        }
        if (status == NdisStatus.PENDING) {
            finishRestart(a, completion);
            return completion;
        }
        if (earlyCompletion) {
            finishRestart(a, status);
            verifier.report(Rule.STATE_RESTART_COMPLETE, a, "returned=" + NdisStatus.name(status)
                    + " and_completed=" + NdisStatus.name(completion));
            return status;
        }
        if (status != NdisStatus.SUCCESS && !NdisStatus.isError(status)) {
            finishRestart(a, NdisStatus.FAILURE);
            verifier.report(Rule.STATE_RESTART_STATUS, a, "status=" + NdisStatus.describe(status));
            return NdisStatus.FAILURE;
        }
        finishRestart(a, status);
        return status;
    }

    void finishRestart(MiniportAdapter a, int status) {
        a.lifecycle.transition(status == NdisStatus.SUCCESS ? AdapterState.Event.RESTART_SUCCEEDED
                : AdapterState.Event.RESTART_FAILED);
    }

    public int pause(MiniportAdapter a) {
        synchronized (control) {
            verifier.rethrowDeferred();
            requireState(a, "pause", AdapterState.RUNNING);
            NdisTrace.Span span = trace.begin(NdisCall.PauseAdapter, a.driver().name(), a.name(), Map.of());
            int result = NdisStatus.FAILURE;
            try {
                result = doPause(a);
                a.resources.flushPoolCaches();       // this thread's NBL caches back to their pools: docs/ndis-contract.md §19.3
                return result;
            } finally {
                span.end(result, Map.of("state", a.state().name()));
            }
        }
    }

    int doPause(MiniportAdapter a) {
        LoadedDriver d = a.driver();
        verifier.timedRules().pauseStarted(a, verifier.timedRules().now());
        synchronized (a.lifecycle.lock) {
            a.lifecycle.transition(AdapterState.Event.PAUSE_CALLED);
            a.lifecycle.inPauseCall = true;
            a.lifecycle.pauseCompletedInCall = false;
        }
        int status;
        try {
            status = invoker.invokeStatus(NdisCall.MiniportPause, d, a, Map.of(),
                    () -> d.characteristics.pauseHandler().pause(a.miniportContext(), PauseParameters.DEFAULT));
        } catch (RuntimeException e) {
            synchronized (a.lifecycle.lock) {
                a.lifecycle.inPauseCall = false;
            }
            pauseCompleted(a, new ArrayList<>());
            throw e;
        }
        boolean earlyCompletion;
        synchronized (a.lifecycle.lock) {
            a.lifecycle.inPauseCall = false;
            earlyCompletion = a.lifecycle.pauseCompletedInCall;
            if (status == NdisStatus.PENDING && !earlyCompletion) {
                a.lifecycle.pausePending = true;
                return NdisStatus.PENDING;
            }
        }
        List<Violation> found = new ArrayList<>();
        if (status != NdisStatus.SUCCESS && status != NdisStatus.PENDING) {
            found.add(verifier.record(Rule.STATE_PAUSE_CANNOT_FAIL, d.name(), a.name(),
                    "status=" + NdisStatus.describe(status)));
        } else if (status == NdisStatus.SUCCESS && earlyCompletion) {
            found.add(verifier.record(Rule.STATE_PAUSE_COMPLETE, d.name(), a.name(),
                    "returned=SUCCESS and_called=NdisMPauseComplete"));
        }
        pauseCompleted(a, found);
        verifier.raise(found);
        return NdisStatus.SUCCESS;
    }

    /** A pending pause completed (NdisMPauseComplete). */
    void completePause(MiniportAdapter a) {
        List<Violation> found = new ArrayList<>();
        pauseCompleted(a, found);
        verifier.raise(found);
    }

    void pauseCompleted(MiniportAdapter a, List<Violation> found) {
        long sendsLeft = a.dataPath.sendsOutstanding();
        long receivesLeft = a.dataPath.receivesOutstanding();
        if (sendsLeft > 0) {
            found.add(verifier.record(Rule.PAUSE_SENDS_OUTSTANDING, a.driver().name(), a.name(),
                    "sends_outstanding=" + sendsLeft));
        }
        if (receivesLeft > 0) {
            found.add(verifier.record(Rule.PAUSE_RECEIVES_OUTSTANDING, a.driver().name(), a.name(),
                    "receives_outstanding=" + receivesLeft));
        }
        Violation late = verifier.timedRules().pauseCompleted(a, verifier.timedRules().now());
        if (late != null) {
            found.add(late);
        }
        a.lifecycle.transition(AdapterState.Event.PAUSE_COMPLETED);
        hostDataPath.traceCounters(a);
    }

    public void halt(MiniportAdapter a, HaltAction haltAction) {
        synchronized (control) {
            verifier.rethrowDeferred();
            NdisTrace.Span span = trace.begin(NdisCall.HaltAdapter, a.driver().name(), a.name(),
                    Map.of("halt_action", haltAction.name()));
            int result = NdisStatus.FAILURE;
            try {
                doHalt(a, haltAction);
                result = NdisStatus.SUCCESS;
            } finally {
                span.end(result, Map.of("state", a.state().name()));
            }
        }
    }

    void doHalt(MiniportAdapter a, HaltAction action) {
        doHalt(a, action, null);
    }

    /** The halt, with {@code whilePaused} (or null) run once the adapter is Paused, before MiniportHaltEx. */
    private void doHalt(MiniportAdapter a, HaltAction action, Runnable whilePaused) {
        if (a.state() == AdapterState.RESTARTING) {
            scheduler.awaitAny(a, AdapterState.RUNNING, AdapterState.PAUSED);
        }
        if (a.state() == AdapterState.RUNNING && doPause(a) == NdisStatus.PENDING) {
            scheduler.awaitAny(a, AdapterState.PAUSED);
        } else if (a.state() == AdapterState.PAUSING) {
            scheduler.awaitAny(a, AdapterState.PAUSED);
        }
        requireState(a, "halt", AdapterState.PAUSED);
        if (whilePaused != null) {
            whilePaused.run();
        }
        List<Violation> found = new ArrayList<>();
        oidDispatcher.cancelOids(a, found);
        a.lifecycle.transition(AdapterState.Event.HALT_CALLED);
        initializer.callHalt(a, action, found);
        hostDataPath.traceCounters(a);
        verifier.raise(found);
    }

    public void shutdown(MiniportAdapter a, ShutdownAction shutdownAction) {
        synchronized (control) {
            verifier.rethrowDeferred();
            if (!a.state().isLive()) {
                throw new NdisException("cannot shut down: adapter=" + a.name() + " state=" + a.state());
            }
            NdisTrace.Span span = trace.begin(NdisCall.ShutdownAdapter, a.driver().name(), a.name(),
                    Map.of("shutdown_action", shutdownAction.name()));
            try {
                watchdog.stopCheckForHang(a);
                a.lifecycle.transition(AdapterState.Event.SHUTDOWN_CALLED);
                invoker.invokeVoid(NdisCall.MiniportShutdownEx, a.driver(), a,
                        () -> a.driver().characteristics.shutdownHandlerEx().shutdownEx(a.miniportContext(), shutdownAction));
            } finally {
                span.end(NdisStatus.SUCCESS);
            }
        }
    }

    public void surpriseRemove(MiniportAdapter a) {
        synchronized (control) {
            verifier.rethrowDeferred();
            if (!a.state().isLive()) {
                throw new NdisException("cannot remove: adapter=" + a.name() + " state=" + a.state());
            }
            NdisTrace.Span span = trace.begin(NdisCall.SurpriseRemoveAdapter, a.driver().name(), a.name(), Map.of());
            int result = NdisStatus.FAILURE;
            try {
                invoker.invokeVoid(NdisCall.MiniportDevicePnPEventNotify, a.driver(), a, () -> a.driver().characteristics
                        .devicePnPEventNotifyHandler().devicePnPEventNotify(a.miniportContext(),
                                DevicePnPEvent.NdisDevicePnPEventSurpriseRemoved));
                doHalt(a, HaltAction.NdisHaltDeviceSurpriseRemoved);
                result = NdisStatus.SUCCESS;
            } finally {
                span.end(result);
            }
        }
    }

    /**
     * The PnP remove of a present device (docs/ndis-contract.md §22): NDIS pauses the adapter, so that every
     * send completes through MiniportPause as it does on any pause, and halts it with NdisHaltDeviceDisabled
     * ("in response to a PnP remove message"). No MiniportDevicePnPEventNotify: SurpriseRemoved is for
     * hardware already gone. {@code whilePaused} (or null) runs between the pause and the halt, where the
     * protocol's unbind takes its last look at a device that is still there (OID requests are allowed in
     * Paused); it must not throw.
     */
    public void removeDevice(MiniportAdapter a, Runnable whilePaused) {
        synchronized (control) {
            verifier.rethrowDeferred();
            if (!a.state().isLive()) {
                throw new NdisException("cannot remove: adapter=" + a.name() + " state=" + a.state());
            }
            NdisTrace.Span span = trace.begin(NdisCall.RemoveAdapter, a.driver().name(), a.name(),
                    Map.of("halt_action", HaltAction.NdisHaltDeviceDisabled.name()));
            int result = NdisStatus.FAILURE;
            try {
                doHalt(a, HaltAction.NdisHaltDeviceDisabled, whilePaused);
                result = NdisStatus.SUCCESS;
            } finally {
                span.end(result, Map.of("state", a.state().name()));
            }
        }
    }

    /**
     * The state a receive indication from another thread sees when it races the end of MiniportRestart:
     * once the miniport is Running in its own view (MiniportRestart returning SUCCESS) its interrupt DPC
     * may indicate frames before this host has recorded the transition. NDIS makes the adapter Running by
     * MiniportRestart's return, so the indication waits (bounded, wall clock) for the restart's outcome
     * instead of being rejected and its NBLs never returned. The restarting thread itself, and a pending
     * restart the miniport completes later, are not waited for: indicating then is the miniport's bug.
     */
    public AdapterState stateForIndication(MiniportAdapter a) {
        AdapterState state = a.state();
        if (state != AdapterState.RESTARTING) {
            return state;
        }
        synchronized (a.lifecycle.lock) {
            if (a.lifecycle.restartPending || a.lifecycle.restartThread == Thread.currentThread()) {
                return state;
            }
        }
        long deadline = System.nanoTime() + options.waitTimeout().toNanos();
        while (a.state() == AdapterState.RESTARTING && System.nanoTime() - deadline < 0) {
            java.util.concurrent.locks.LockSupport.parkNanos(50_000L);
        }
        return a.state();
    }

    static void requireState(MiniportAdapter a, String operation, AdapterState required) {
        if (a.state() != required) {
            throw new NdisException("cannot " + operation + ": adapter=" + a.name() + " state=" + a.state()
                    + " required=" + required);
        }
    }
}

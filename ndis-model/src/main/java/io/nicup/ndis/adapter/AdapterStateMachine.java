package io.nicup.ndis.adapter;

import io.nicup.ndis.NdisInternal;
import io.nicup.ndis.NdisStatus;
import io.nicup.ndis.host.TimerQueue;

/**
 * One adapter's place in the documented state table (Halted, Initializing, Paused, Restarting, Running,
 * Pausing, Shutdown) and the flags NDIS keeps while it calls the miniport: which handler is running,
 * whether a pause, restart or reset is pending, and whether the miniport completed one from inside the
 * call that started it. The host's lifecycle classes and the completion DDIs share this object.
 *
 * <p>{@link #lock} guards the state and the flags; it is never held while calling the miniport.
 */
@NdisInternal
public final class AdapterStateMachine {

    /** Told of every transition, for the trace. */
    interface Listener {
        void transitioned(AdapterState from, AdapterState to, AdapterState.Event event);
    }

    private final String adapterName;
    private final Listener listener;

    final Object lock = new Object();
    private volatile AdapterState state = AdapterState.HALTED;

    // initialization and halt
    public volatile boolean inInitialize;
    public volatile boolean inHalt;
    public int initViolations;
    volatile int initStatus = NdisStatus.PENDING;

    // pause / restart / reset (guarded by lock)
    boolean inPauseCall;
    boolean pausePending;
    boolean pauseCompletedInCall;
    boolean inRestartCall;
    /** The thread inside MiniportRestart while {@link #inRestartCall}. */
    Thread restartThread;
    boolean restartPending;
    boolean restartCompletedInCall;
    int restartCompletionStatus;
    volatile boolean resetPending;
    boolean inResetCall;
    boolean resetCompletedInCall;
    ResetResult resetCompletion;
    /** How the last reset completed (its status and AddressingReset); null before the first. */
    volatile ResetResult lastReset;
    /** CheckForHang's periodic timer while the adapter is live (null otherwise). */
    TimerQueue.Scheduled checkForHangTimer;
    /** NDIS's work item that calls MiniportResetEx after NdisMResetMiniport (created at the first request). */
    TimerQueue.Scheduled resetWorkItem;

    AdapterStateMachine(String adapterName, Listener listener) {
        this.adapterName = adapterName;
        this.listener = listener;
    }

    AdapterState state() {
        return state;
    }

    /**
     * Halted and in no handler that may still call NDIS (MiniportInitializeEx, MiniportHaltEx): a call
     * with the adapter's handle now is a call after halt.
     */
    boolean isHaltedOutsideCalls() {
        return state == AdapterState.HALTED && !inInitialize && !inHalt;
    }

    /** Moves along the documented table; anything else is a bug in the model itself. */
    AdapterState transition(AdapterState.Event event) {
        synchronized (lock) {
            AdapterState from = state;
            AdapterState to = from.next(event).orElseThrow(() -> new IllegalStateException(
                    "undocumented transition: adapter=" + adapterName + " state=" + from + " event=" + event));
            state = to;
            listener.transitioned(from, to, event);
            return to;
        }
    }
}

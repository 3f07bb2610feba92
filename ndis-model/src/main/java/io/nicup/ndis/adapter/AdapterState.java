package io.nicup.ndis.adapter;

import java.util.List;
import java.util.Optional;

/**
 * The miniport adapter states and the only transitions between them (docs/ndis-contract.md §3; WDD
 * adapter-states-of-a-miniport-driver.md). Pairs not in {@link #TRANSITIONS} are invalid: the model
 * never makes them, and a miniport call that would need one is rejected and reported.
 */
public enum AdapterState {
    HALTED,
    INITIALIZING,
    PAUSED,
    RESTARTING,
    RUNNING,
    PAUSING,
    /** Terminal. */
    SHUTDOWN;

    /** What happens to an adapter. */
    public enum Event {
        INITIALIZE_CALLED,
        INITIALIZE_SUCCEEDED,
        INITIALIZE_FAILED,
        RESTART_CALLED,
        /** SUCCESS, or PENDING then NdisMRestartComplete(SUCCESS). */
        RESTART_SUCCEEDED,
        RESTART_FAILED,
        PAUSE_CALLED,
        /** SUCCESS, or PENDING then NdisMPauseComplete. */
        PAUSE_COMPLETED,
        HALT_CALLED,
        SHUTDOWN_CALLED
    }

    public record Transition(AdapterState from, Event event, AdapterState to) {
    }

    /** The documented table, one row per allowed (state, event). */
    public static final List<Transition> TRANSITIONS = List.of(
            new Transition(HALTED, Event.INITIALIZE_CALLED, INITIALIZING),
            new Transition(INITIALIZING, Event.INITIALIZE_SUCCEEDED, PAUSED),
            new Transition(INITIALIZING, Event.INITIALIZE_FAILED, HALTED),
            new Transition(PAUSED, Event.RESTART_CALLED, RESTARTING),
            new Transition(RESTARTING, Event.RESTART_SUCCEEDED, RUNNING),
            new Transition(RESTARTING, Event.RESTART_FAILED, PAUSED),
            new Transition(RUNNING, Event.PAUSE_CALLED, PAUSING),
            new Transition(PAUSING, Event.PAUSE_COMPLETED, PAUSED),
            new Transition(PAUSED, Event.HALT_CALLED, HALTED),
            new Transition(PAUSED, Event.SHUTDOWN_CALLED, SHUTDOWN),
            new Transition(RESTARTING, Event.SHUTDOWN_CALLED, SHUTDOWN),
            new Transition(RUNNING, Event.SHUTDOWN_CALLED, SHUTDOWN),
            new Transition(PAUSING, Event.SHUTDOWN_CALLED, SHUTDOWN));

    /** The state {@code event} leads to from this one, if the table allows it. */
    public Optional<AdapterState> next(Event event) {
        for (Transition t : TRANSITIONS) {
            if (t.from == this && t.event == event) {
                return Optional.of(t.to);
            }
        }
        return Optional.empty();
    }

    /** Sends and receive indications happen only in Running and Pausing. */
    public boolean allowsDataPath() {
        return this == RUNNING || this == PAUSING;
    }

    /** OID requests: Paused, Restarting, Running and Pausing. */
    public boolean allowsOidRequests() {
        return this == PAUSED || this == RESTARTING || this == RUNNING || this == PAUSING;
    }

    /** Initialized and not yet halted or shut down. */
    public boolean isLive() {
        return allowsOidRequests();
    }
}

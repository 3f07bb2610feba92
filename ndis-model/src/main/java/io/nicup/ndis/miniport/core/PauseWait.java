package io.nicup.ndis.miniport.core;

import java.util.function.BooleanSupplier;

/**
 * MiniportPause returning PENDING and the data path that completes it (NdisMPauseComplete) once drained,
 * without the completion, return and send paths taking a lock to ask whether a pause waits: they read one
 * volatile flag, and only when it is set take the adapter's state lock. Exactly one side completes a pause.
 *
 * <p>Why no wake-up is lost (docs/ndis-contract.md §19.2): the pause sets the flag before it looks whether
 * the data path drained, and a completer changes its queue (under txLock or that receive queue's lock) before
 * it reads the flag. A completer that read the flag clear did so before the pause set it (volatile accesses
 * are totally ordered), so its queue change precedes the pause's look at that queue, which takes the same
 * lock; a completer that read it set takes the state lock, where it and the pause decide one after the other.
 * With one lock per receive queue the look is one queue at a time (docs/ndis-contract.md §21.3): the argument
 * holds per queue, and a paused adapter indicates nothing, so a queue seen drained stays drained.
 *
 * <p>What "drained" must include: everything NDIS still counts as outstanding. A send is outstanding for NDIS
 * until NdisMSendNetBufferListsComplete counts it, and a completer makes that call after it took the chain off
 * the ring and released txLock. So a chain in the middle of its completion counts as outstanding
 * ({@link NdisDataPath}'s {@code completing}), and the completer's queue change, the one that must precede its
 * read of the flag, is the uncount after NDIS took the chain, not the take: a pause that looked between the
 * two found the ring empty and completed with the sends outstanding (Driver Verifier STATE-05,
 * docs/ndis-contract.md §19.2). The receive side needs no such count: a queue counts an NBL with the protocol
 * in the hold that takes it, before the indication, and uncounts it after the return gave it back.
 */
public final class PauseWait {

    private final Object stateLock;
    /** Pause returned PENDING and waits for the data path to drain (written under stateLock). */
    private volatile boolean pending;

    /** @param stateLock the adapter's lock for its Running state */
    public PauseWait(Object stateLock) {
        this.stateLock = stateLock;
    }

    /**
     * The pause's side: true when the data path has drained (MiniportPause returns SUCCESS), false when it
     * has not and a completer will call {@link #completeIfDrained} true once it has (PENDING).
     */
    public boolean begin(BooleanSupplier drained) {
        synchronized (stateLock) {
            pending = true;                                  // before looking: see the class comment
            if (drained.getAsBoolean()) {
                pending = false;
                return true;
            }
            return false;
        }
    }

    /**
     * A completer's side, after its queue changed: true exactly once per PENDING pause, when it has drained;
     * the caller then calls NdisMPauseComplete. One volatile read when no pause waits.
     */
    public boolean completeIfDrained(BooleanSupplier drained) {
        if (!pending) {
            return false;
        }
        synchronized (stateLock) {
            if (pending && drained.getAsBoolean()) {
                pending = false;
                return true;
            }
            return false;
        }
    }

    /** Whether a pause waits (for diagnostics). */
    public boolean pending() {
        return pending;
    }
}

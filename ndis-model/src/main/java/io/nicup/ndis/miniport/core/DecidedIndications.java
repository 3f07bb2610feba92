package io.nicup.ndis.miniport.core;

/**
 * The IND-01 rule for the link indications a DPC makes. The DPC decides to indicate under the adapter's
 * stateLock, in the same critical section as its check of Running, and counts the decision here
 * ({@link #decided}); it calls NdisMIndicateStatusEx with no lock held, so the protocol's status handler
 * may call NDIS, and then reports {@link #finished}. MiniportPause, having cleared Running under the same
 * lock, {@link #awaitNone waits} for the decided ones: a DPC that read Running just before pause cleared
 * it would otherwise indicate after NDIS moved on to MiniportHaltEx (found by the 100-cycle soak in the
 * QEMU guest).
 */
public final class DecidedIndications {

    /** How long MiniportPause waits: far longer than one NdisMIndicateStatusEx takes. */
    private static final long DRAIN_NANOS = 1_000_000_000L;

    private final Object stateLock;
    /** Indications decided on while Running and not finished (guarded by stateLock). */
    private int inProgress;

    /** @param stateLock the adapter's lock that guards Running and the decision to indicate */
    public DecidedIndications(Object stateLock) {
        this.stateLock = stateLock;
    }

    /** A DPC decided to indicate; the caller holds stateLock. */
    public void decided() {
        assert Thread.holdsLock(stateLock) : "decide under stateLock, with the check of Running";
        inProgress++;
    }

    /** The decided indication returned (or threw): wakes a waiting MiniportPause when it was the last. */
    public void finished() {
        synchronized (stateLock) {
            if (--inProgress == 0) {
                stateLock.notifyAll();
            }
        }
    }

    /**
     * Waits (bounded, wall-clock: the indicating thread is a real one) until no DPC is inside a decided
     * indication. On the simulated device everything runs in the caller's thread, so there is never one.
     * Past the bound, pause goes on: a stuck protocol status handler must not hang NDIS's pause.
     */
    public void awaitNone() {
        long deadline = System.nanoTime() + DRAIN_NANOS;
        synchronized (stateLock) {
            while (inProgress > 0) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return;
                }
                try {
                    stateLock.wait(left / 1_000_000L + 1);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }
}

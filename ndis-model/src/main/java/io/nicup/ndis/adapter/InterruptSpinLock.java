package io.nicup.ndis.adapter;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.locks.LockSupport;

/**
 * The interrupt object's spin lock: what excludes {@link MiniportInterrupt} from a
 * MiniportSynchronizeInterrupt function run by NdisMSynchronizeWithInterruptEx, and one ISR from another
 * (WDK "NdisMSynchronizeWithInterruptEx": the shared resources are protected by a system spin lock that both
 * run under; docs/ndis-contract.md §19.8).
 *
 * <p>Taken by every interrupt, so it costs what a lock must and no more: one compare-and-set to take it and a
 * release store to give it back (a plain store on x86, where a {@code ReentrantLock}'s volatile unlock is a
 * second locked instruction). Holders are short (an ISR, a synchronize function), so a waiter spins, then
 * yields, then parks for a few microseconds at a time: it never blocks on a queue that a holder would have to
 * wake. Not reentrant, as a spin lock is not: taking it again on the thread that holds it (a synchronize call
 * from inside the ISR or from inside a synchronize function) throws instead of spinning forever.
 */
final class InterruptSpinLock {

    private static final VarHandle HELD;
    /** Spins before the waiter starts yielding its processor to the holder. */
    private static final int SPINS = 128;
    /** Yields before the waiter starts parking. */
    private static final int YIELDS = 1024;
    private static final long PARK_NANOS = 10_000;

    static {
        try {
            HELD = MethodHandles.lookup().findVarHandle(InterruptSpinLock.class, "held", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    @SuppressWarnings("unused") // through HELD
    private volatile int held;
    /**
     * The holder, written after taking and cleared before giving back. Read unlocked only to recognise the
     * caller itself: a thread can only read itself here if it wrote itself, so a stale value never misleads.
     */
    private Thread owner;

    /** Takes the lock, waiting for the holder to give it back. */
    void acquire() {
        if (!HELD.compareAndSet(this, 0, 1)) {
            waitFor();
        }
        owner = Thread.currentThread();
    }

    /** Gives the lock back: everything written while holding it is visible to the next holder. */
    void release() {
        owner = null;
        HELD.setRelease(this, 0);
    }

    private void waitFor() {
        Thread me = Thread.currentThread();
        if (owner == me) {
            throw new IllegalStateException("the interrupt's spin lock is already held by this thread: thread="
                    + me.getName() + " (NdisMSynchronizeWithInterruptEx from inside MiniportInterrupt or a"
                    + " synchronize function deadlocks on Windows)");
        }
        for (int tries = 0; ; tries++) {
            if ((int) HELD.getOpaque(this) == 0 && HELD.compareAndSet(this, 0, 1)) {
                return;
            }
            if (tries < SPINS) {
                Thread.onSpinWait();
            } else if (tries < SPINS + YIELDS) {
                Thread.yield();
            } else {
                LockSupport.parkNanos(PARK_NANOS);
            }
        }
    }
}

package io.nicup.ndis.host;

import io.nicup.ndis.HostOptions;
import io.nicup.ndis.NdisCall;
import io.nicup.ndis.NdisException;
import io.nicup.ndis.NdisInternal;
import io.nicup.ndis.adapter.AdapterState;
import io.nicup.ndis.adapter.MiniportAdapter;
import io.nicup.ndis.adapter.NdisInterruptHandle;
import io.nicup.ndis.adapter.NdisTimer;
import io.nicup.ndis.driver.LoadedDriver;
import io.nicup.ndis.trace.Verifier;
import io.nicup.vfio.DeviceClock;
import java.time.Duration;
import java.util.List;
import java.util.function.BooleanSupplier;

/**
 * Time on the host: runs the timers due on the device clock (CheckForHang and the miniports' timer
 * objects), dispatches polled interrupts, and waits for an adapter to reach a state while both keep
 * running. With {@link HostOptions#timerThread()} a daemon thread runs the timers.
 */
@NdisInternal
public final class HostScheduler {

    /** Granularity of waits and idling on the device clock. */
    private static final long STEP_NANOS = 1_000_000;
    private static final long TIMER_THREAD_MAX_WAIT_NANOS = 10_000_000;

    private final HostOptions options;
    private final DeviceClock clock;
    private final Verifier verifier;
    private final MiniportInvoker invoker;
    private final TimerQueue timers;
    private final List<LoadedDriver> drivers;
    private Thread timerThread;
    private volatile boolean closed;

    public HostScheduler(HostServices services, List<LoadedDriver> drivers) {
        this.options = services.options();
        this.clock = services.clock();
        this.verifier = services.verifier();
        this.invoker = services.invoker();
        this.timers = services.timers();
        this.drivers = drivers;
    }

    /** Starts the timer thread when the options ask for one. */
    public void start() {
        if (options.timerThread()) {
            timerThread = Thread.ofPlatform().daemon().name("ndis-timers").start(this::timerLoop);
        }
    }

    /** Stops the timer thread and waits for it. */
    public void stop() {
        closed = true;
        if (timerThread != null) {
            try {
                timerThread.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    public int runTimers() {
        int ran = runDueTimers();
        verifier.rethrowDeferred();
        return ran;
    }

    int runDueTimers() {
        try {
            return timers.runDue();
        } catch (RuntimeException e) {
            verifier.deferred(e);
            return 0;
        } finally {
            sweepTimedRules();
        }
    }

    /** Whatever has been outstanding longer than its timed rule allows (docs/ndis-contract.md §14). */
    private void sweepTimedRules() {
        for (LoadedDriver d : drivers) {
            for (MiniportAdapter a : d.adapters) {
                verifier.timedRules().sweep(a);
            }
        }
    }

    public void fireTimer(NdisTimer timer) {
        MiniportAdapter a = timer.adapter;
        if (!a.resources.ledger.holds(timer.entry) || (a.state() == AdapterState.HALTED && !a.lifecycle.inInitialize && !a.lifecycle.inHalt)) {
            return;
        }
        invoker.invokeVoid(NdisCall.MiniportTimer, a.driver(), a, () -> timer.function.timerFunction(timer.context));
    }

    public int pollInterrupts(MiniportAdapter a) {
        if (options.interruptDelivery() != HostOptions.InterruptDelivery.POLLED) {
            return 0;
        }
        NdisInterruptHandle ih = a.resources.interrupt;
        int n = ih == null ? 0 : ih.poll();
        verifier.rethrowDeferred();
        return n;
    }

    public void idle(Duration duration) {
        long deadline = clock.nanoTime() + duration.toNanos();
        while (true) {
            runDueTimers();
            if (options.interruptDelivery() == HostOptions.InterruptDelivery.POLLED) {
                for (LoadedDriver d : drivers) {
                    for (MiniportAdapter a : d.adapters) {
                        NdisInterruptHandle ih = a.resources.interrupt;
                        if (ih != null) {
                            ih.poll();
                        }
                    }
                }
            }
            verifier.rethrowDeferred();
            long now = clock.nanoTime();
            if (now - deadline >= 0) {
                return;
            }
            long step = Math.min(deadline - now, Math.max(0, timers.nextDue() - now));
            if (options.interruptDelivery() == HostOptions.InterruptDelivery.POLLED) {
                step = Math.min(step, STEP_NANOS);
            }
            clock.sleepNanos(Math.max(step, 1));
        }
    }

    public boolean awaitState(MiniportAdapter a, AdapterState state, Duration timeout) {
        return waitUntil(() -> a.state() == state, timeout, a);
    }

    public void awaitAny(MiniportAdapter a, AdapterState... states) {
        boolean reached = waitUntil(() -> List.of(states).contains(a.state()), options.waitTimeout(), a);
        if (!reached) {
            throw new NdisException("adapter did not reach " + List.of(states) + ": adapter=" + a.name() + " state="
                    + a.state() + " waited_ms=" + options.waitTimeout().toMillis()
                    + " (a pending pause or restart was never completed)");
        }
    }

    public boolean waitUntil(BooleanSupplier condition, Duration timeout, MiniportAdapter a) {
        long deadline = clock.nanoTime() + timeout.toNanos();
        while (true) {
            verifier.rethrowDeferred();
            if (condition.getAsBoolean()) {
                return true;
            }
            if (clock.nanoTime() - deadline >= 0) {
                return false;
            }
            runDueTimers();
            if (options.interruptDelivery() == HostOptions.InterruptDelivery.POLLED && a != null) {
                pollInterrupts(a);
            }
            if (condition.getAsBoolean()) {
                return true;
            }
            clock.sleepNanos(STEP_NANOS);
        }
    }

    void timerLoop() {
        while (!closed) {
            runDueTimers();
            long wait = Math.min(TIMER_THREAD_MAX_WAIT_NANOS, Math.max(100_000, timers.nextDue() - clock.nanoTime()));
            clock.sleepNanos(wait);
        }
    }
}

package io.nicup.ndis;

import io.nicup.vfio.DeviceAccessException;
import io.nicup.vfio.DeviceClock;
import io.nicup.vfio.DmaRegion;
import io.nicup.vfio.PciDevice;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BiConsumer;
import java.util.function.BooleanSupplier;
import java.util.function.IntSupplier;

/**
 * NDIS itself, as the CLI drives it: loads a miniport (DriverEntry), adds adapters
 * (MiniportInitializeEx with the device's resources), restarts, pauses, halts, shuts down, unloads;
 * carries traffic between a {@link NdisProtocolEdge} and the miniport; issues OID requests; runs
 * CheckForHang and the miniport's timers on the device clock. Every step is in {@link #trace()}; every
 * broken rule in {@link #verifier()}.
 *
 * <p>Host operations are serialized (one at a time). Interrupt dispatch runs on a thread per adapter
 * ({@link InterruptDelivery#THREAD}) or when the caller polls ({@link InterruptDelivery#POLLED},
 * deterministic, for tests); timers run on the timer thread ({@link Options#timerThread()}) or when the
 * caller runs them ({@link #runTimers()}, {@link #idle}).
 */
public final class NdisHost implements AutoCloseable {

    /** How interrupts reach the ISR. */
    public enum InterruptDelivery {
        /** A thread per interrupt registration waits on the device's interrupt events. */
        THREAD,
        /** Nothing runs on its own: {@link #pollInterrupts} dispatches what fired. */
        POLLED
    }

    /**
     * @param clock the time base of the trace, the timers and every wait
     * @param waitTimeout how long halt waits (device-clock time) for a pending pause or OID to complete
     * @param timerThread run timers on a host thread (only with a real clock)
     * @param traceCapacity events kept in the trace
     */
    public record Options(DeviceClock clock, VerifierMode verifierMode, InterruptDelivery interruptDelivery,
            boolean timerThread, int traceCapacity, Duration waitTimeout) {

        /** For the CLI: system clock, RECORD, interrupt thread, timer thread. */
        public static Options defaults() {
            return new Options(DeviceClock.SYSTEM, VerifierMode.RECORD, InterruptDelivery.THREAD, true, 100_000,
                    Duration.ofSeconds(5));
        }

        /** For tests: the given (virtual) clock, STRICT, polled interrupts, no threads. */
        public static Options deterministic(DeviceClock clock) {
            return new Options(clock, VerifierMode.STRICT, InterruptDelivery.POLLED, false, 100_000,
                    Duration.ofSeconds(5));
        }

        public Options withClock(DeviceClock value) {
            return new Options(value, verifierMode, interruptDelivery, timerThread, traceCapacity, waitTimeout);
        }

        public Options withVerifierMode(VerifierMode value) {
            return new Options(clock, value, interruptDelivery, timerThread, traceCapacity, waitTimeout);
        }

        public Options withInterruptDelivery(InterruptDelivery value) {
            return new Options(clock, verifierMode, value, timerThread, traceCapacity, waitTimeout);
        }

        public Options withTimerThread(boolean value) {
            return new Options(clock, verifierMode, interruptDelivery, value, traceCapacity, waitTimeout);
        }

        public Options withTraceCapacity(int value) {
            return new Options(clock, verifierMode, interruptDelivery, timerThread, value, waitTimeout);
        }

        public Options withWaitTimeout(Duration value) {
            return new Options(clock, verifierMode, interruptDelivery, timerThread, traceCapacity, value);
        }
    }

    /** Granularity of waits and idling on the device clock. */
    private static final long STEP_NANOS = 1_000_000;
    private static final long TIMER_THREAD_MAX_WAIT_NANOS = 10_000_000;

    final Options options;
    final DeviceClock clock;
    final NdisTrace trace;
    private final Verifier verifier;
    final FaultInjection faults = new FaultInjection();
    final TimerQueue timers;
    private final Ndis ndis;
    private final List<LoadedDriver> drivers = new CopyOnWriteArrayList<>();
    private final List<BiConsumer<MiniportAdapter, NdisStatusIndication>> statusListeners = new CopyOnWriteArrayList<>();
    private final List<ParameterValue> parameterProblems = new CopyOnWriteArrayList<>();
    private final Object control = new Object();
    private int nextIfIndex = 1;
    private long nextRequestId = 1;
    private final Thread timerThread;
    private volatile boolean closed;

    public NdisHost(Options options) {
        this.options = options;
        this.clock = options.clock();
        this.trace = new NdisTrace(clock, options.traceCapacity());
        this.verifier = new Verifier(options.verifierMode(), trace);
        this.timers = new TimerQueue(clock);
        this.ndis = new Ndis(this);
        this.timerThread = options.timerThread()
                ? Thread.ofPlatform().daemon().name("ndis-timers").start(this::timerLoop) : null;
    }

    /** The NDIS library instance miniports of this host call (also {@link DriverObject#ndis()}). */
    public Ndis ndis() {
        return ndis;
    }

    public NdisTrace trace() {
        return trace;
    }

    public Verifier verifier() {
        return verifier;
    }

    public FaultInjection faults() {
        return faults;
    }

    public DeviceClock clock() {
        return clock;
    }

    public List<LoadedDriver> drivers() {
        return List.copyOf(drivers);
    }

    /** Configuration values that were out of range (the defaults were used). */
    public List<ParameterValue> parameterProblems() {
        return List.copyOf(parameterProblems);
    }

    /** Called with every status indication of every adapter (after the protocol edge). */
    public void addStatusListener(BiConsumer<MiniportAdapter, NdisStatusIndication> listener) {
        statusListeners.add(listener);
    }

    // ------------------------------------------------------------------------------------------------
    // Driver load and unload
    // ------------------------------------------------------------------------------------------------

    /**
     * Loads a miniport: creates its driver object and calls DriverEntry. The result's
     * {@link LoadedDriver#phase()} is LOADED when DriverEntry succeeded with the driver registered.
     */
    public LoadedDriver loadDriver(String name, MiniportDriverEntry driverEntry, RegistryPath registryPath) {
        synchronized (control) {
            verifier.rethrowDeferred();
            LoadedDriver d = new LoadedDriver(this, name, new DriverObject(name, ndis), registryPath, driverEntry);
            drivers.add(d);
            NdisTrace.Span span = trace.begin(NdisCall.LoadDriver, name, "", Map.of("registry_path", registryPath.path()));
            int status = NdisStatus.FAILURE;
            try {
                status = invokeStatus(NdisCall.DriverEntry, d, null, Map.of(),
                        () -> driverEntry.driverEntry(d.driverObject, registryPath));
                d.driverEntryStatus = status;
                List<Violation> found = new ArrayList<>();
                if (status == NdisStatus.SUCCESS) {
                    if (!d.registered || d.deregistered) {
                        found.add(verifier.record(Rule.DRV_ENTRY_SUCCESS_REGISTERED, name, "",
                                "registered=" + d.registered + " deregistered=" + d.deregistered));
                        d.phase = LoadedDriver.Phase.FAILED;
                    } else {
                        d.phase = LoadedDriver.Phase.LOADED;
                    }
                } else {
                    if (d.registered && !d.deregistered) {
                        found.add(verifier.record(Rule.DRV_ENTRY_FAILURE_DEREGISTERS, name, "",
                                "driver_entry_status=" + NdisStatus.describe(status)));
                        d.deregistered = true;
                    }
                    d.phase = LoadedDriver.Phase.FAILED;
                }
                verifier.raise(found);
                return d;
            } catch (RuntimeException e) {
                d.phase = LoadedDriver.Phase.FAILED;
                d.driverEntryStatus = NdisStatus.FAILURE;
                if (d.registered) {
                    d.deregistered = true;
                }
                throw e;
            } finally {
                span.end(status, Map.of("phase", d.phase.name()));
            }
        }
    }

    /**
     * Unloads a loaded driver: MiniportDriverUnload, which must deregister. Every adapter must be halted
     * (or shut down) first; otherwise this is a {@link Rule#DRV_UNLOAD_AFTER_HALT} violation and nothing
     * happens.
     *
     * @return SUCCESS, or FAILURE when refused
     */
    public int unloadDriver(LoadedDriver driver) {
        synchronized (control) {
            verifier.rethrowDeferred();
            if (driver.phase != LoadedDriver.Phase.LOADED) {
                throw new NdisException("driver not loaded: driver=" + driver.name() + " phase=" + driver.phase);
            }
            NdisTrace.Span span = trace.begin(NdisCall.UnloadDriver, driver.name(), "", Map.of());
            int status = NdisStatus.FAILURE;
            try {
                for (MiniportAdapter a : driver.adapters) {
                    if (a.state() != AdapterState.HALTED && a.state() != AdapterState.SHUTDOWN) {
                        verifier.report(Rule.DRV_UNLOAD_AFTER_HALT, driver, "adapter=" + a.name() + " state=" + a.state());
                        return status;
                    }
                }
                driver.phase = LoadedDriver.Phase.UNLOADING;
                try {
                    invokeVoid(NdisCall.MiniportDriverUnload, driver, null,
                            () -> driver.characteristics.unloadHandler().unload(driver.driverObject));
                } finally {
                    driver.phase = LoadedDriver.Phase.UNLOADED;
                    for (MiniportAdapter a : driver.adapters) {
                        forceRelease(a);
                    }
                }
                if (!driver.deregistered) {
                    driver.deregistered = true;
                    verifier.report(Rule.DRV_UNLOAD_DEREGISTERS, driver, "deregistered=false");
                }
                status = NdisStatus.SUCCESS;
                return status;
            } finally {
                span.end(status);
            }
        }
    }

    // ------------------------------------------------------------------------------------------------
    // Adapters: initialize, restart, pause, halt, shutdown
    // ------------------------------------------------------------------------------------------------

    /**
     * Adds an adapter for {@code device}: Halted → Initializing, MiniportInitializeEx with the device's
     * BARs and interrupt vectors, then Paused (success) or Halted (failure: everything the miniport left
     * is reported by name and released). The adapter's {@link MiniportAdapter#initStatus()} says which.
     */
    public MiniportAdapter addAdapter(LoadedDriver driver, PciDevice device, NdisProtocolEdge protocolEdge) {
        synchronized (control) {
            verifier.rethrowDeferred();
            if (driver.phase != LoadedDriver.Phase.LOADED) {
                throw new NdisException("driver not loaded: driver=" + driver.name() + " phase=" + driver.phase);
            }
            for (LoadedDriver d : drivers) {
                for (MiniportAdapter other : d.adapters) {
                    if (other.device() == device && other.state() != AdapterState.HALTED) {
                        throw new NdisException("device already has a live adapter: device=" + device.address()
                                + " driver=" + d.name() + " state=" + other.state());
                    }
                }
            }
            MiniportAdapter a = new MiniportAdapter(this, driver, device, protocolEdge, nextIfIndex++);
            driver.adapters.add(a);
            NdisTrace.Span span = trace.begin(NdisCall.AddAdapter, driver.name(), a.name(),
                    Map.of("device", device.description(), "identity", device.identity().toString()));
            try {
                initialize(a);
                return a;
            } finally {
                span.end(a.initStatus(), Map.of("state", a.state().name()));
            }
        }
    }

    private void initialize(MiniportAdapter a) {
        LoadedDriver d = a.driver();
        long luid = ((long) MiniportAdapterAttributes.General.IF_TYPE_ETHERNET_CSMACD << 48) | ((long) a.ifIndex() << 24);
        InitParameters params = new InitParameters(0, AllocatedResources.of(a.device()), a.ifIndex(), luid,
                a.device().address(), a.device().identity());
        a.transition(AdapterState.Event.INITIALIZE_CALLED);
        a.inInitialize = true;
        int status;
        try {
            status = invokeStatus(NdisCall.MiniportInitializeEx, d, a, Map.of(),
                    () -> d.characteristics.initializeHandlerEx().initializeEx(a.handle, d.driverContext, params));
        } catch (RuntimeException e) {
            a.inInitialize = false;
            a.transition(AdapterState.Event.INITIALIZE_FAILED);
            a.initStatus = NdisStatus.FAILURE;
            forceRelease(a);
            throw e;
        }
        a.inInitialize = false;
        List<Violation> found = new ArrayList<>();
        if (status == NdisStatus.SUCCESS) {
            if (a.general == null || a.initViolations > 0) {
                if (a.general == null) {
                    found.add(verifier.record(Rule.ATTR_GENERAL_MANDATORY, d.name(), a.name(), "general=missing"));
                }
                a.transition(AdapterState.Event.INITIALIZE_FAILED);
                a.initStatus = NdisStatus.FAILURE;
                callHalt(a, HaltAction.NdisHaltDeviceInitializationFailed, found);
            } else {
                a.ledger.clearTeardown();
                a.initStatus = NdisStatus.SUCCESS;
                a.transition(AdapterState.Event.INITIALIZE_SUCCEEDED);
                startCheckForHang(a);
            }
        } else {
            if (status != NdisStatus.NOT_ACCEPTED && status != NdisStatus.RESOURCES && status != NdisStatus.FAILURE) {
                found.add(verifier.record(Rule.INIT_STATUS, d.name(), a.name(), "status=" + NdisStatus.describe(status)));
            }
            a.initStatus = NdisStatus.isError(status) ? status : NdisStatus.FAILURE;
            a.transition(AdapterState.Event.INITIALIZE_FAILED);
            recordTeardownProblems(a, found);
            for (ResourceLedger.Entry leaked : forceRelease(a)) {
                found.add(verifier.record(Rule.INIT_FAILURE_RELEASES, d.name(), a.name(), "leaked=" + leaked.name));
            }
        }
        verifier.raise(found);
    }

    /** MiniportHaltEx, then the leak check; the adapter is already Halted. */
    private void callHalt(MiniportAdapter a, HaltAction action, List<Violation> found) {
        LoadedDriver d = a.driver();
        stopCheckForHang(a);
        a.inHalt = true;
        try {
            invokeVoid(NdisCall.MiniportHaltEx, d, a, () -> d.characteristics.haltHandlerEx().haltEx(a.context, action));
        } catch (RuntimeException e) {
            a.inHalt = false;
            forceRelease(a);
            throw e;
        }
        a.inHalt = false;
        recordTeardownProblems(a, found);
        for (ResourceLedger.Entry leaked : forceRelease(a)) {
            found.add(verifier.record(Rule.HALT_RELEASES, d.name(), a.name(), "leaked=" + leaked.name));
        }
    }

    private void recordTeardownProblems(MiniportAdapter a, List<Violation> found) {
        for (ResourceLedger.Problem p : a.ledger.teardownProblems()) {
            found.add(verifier.record(p.rule(), a.driver().name(), a.name(), p.detail()));
        }
    }

    /**
     * Paused → Restarting → Running: MiniportRestart. Returns SUCCESS (Running), PENDING (Restarting
     * until NdisMRestartComplete) or the failure (Paused).
     */
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

    private int doRestart(MiniportAdapter a) {
        LoadedDriver d = a.driver();
        synchronized (a.lock) {
            a.transition(AdapterState.Event.RESTART_CALLED);
            a.inRestartCall = true;
            a.restartThread = Thread.currentThread();
            a.restartCompletedInCall = false;
        }
        int status;
        try {
            status = invokeStatus(NdisCall.MiniportRestart, d, a, Map.of(),
                    () -> d.characteristics.restartHandler().restart(a.context, RestartParameters.DEFAULT));
        } catch (RuntimeException e) {
            synchronized (a.lock) {
                a.inRestartCall = false;
            }
            finishRestart(a, NdisStatus.FAILURE);
            throw e;
        }
        int completion;
        boolean earlyCompletion;
        synchronized (a.lock) {
            a.inRestartCall = false;
            earlyCompletion = a.restartCompletedInCall;
            completion = a.restartCompletionStatus;
            if (status == NdisStatus.PENDING && !earlyCompletion) {
                a.restartPending = true;
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
        a.transition(status == NdisStatus.SUCCESS ? AdapterState.Event.RESTART_SUCCEEDED
                : AdapterState.Event.RESTART_FAILED);
    }

    /**
     * Running → Pausing → Paused: MiniportPause. Returns SUCCESS (Paused) or PENDING (Pausing until
     * NdisMPauseComplete).
     */
    public int pause(MiniportAdapter a) {
        synchronized (control) {
            verifier.rethrowDeferred();
            requireState(a, "pause", AdapterState.RUNNING);
            NdisTrace.Span span = trace.begin(NdisCall.PauseAdapter, a.driver().name(), a.name(), Map.of());
            int result = NdisStatus.FAILURE;
            try {
                result = doPause(a);
                return result;
            } finally {
                span.end(result, Map.of("state", a.state().name()));
            }
        }
    }

    private int doPause(MiniportAdapter a) {
        LoadedDriver d = a.driver();
        synchronized (a.lock) {
            a.transition(AdapterState.Event.PAUSE_CALLED);
            a.inPauseCall = true;
            a.pauseCompletedInCall = false;
        }
        int status;
        try {
            status = invokeStatus(NdisCall.MiniportPause, d, a, Map.of(),
                    () -> d.characteristics.pauseHandler().pause(a.context, PauseParameters.DEFAULT));
        } catch (RuntimeException e) {
            synchronized (a.lock) {
                a.inPauseCall = false;
            }
            pauseCompleted(a, new ArrayList<>());
            throw e;
        }
        boolean earlyCompletion;
        synchronized (a.lock) {
            a.inPauseCall = false;
            earlyCompletion = a.pauseCompletedInCall;
            if (status == NdisStatus.PENDING && !earlyCompletion) {
                a.pausePending = true;
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

    private void pauseCompleted(MiniportAdapter a, List<Violation> found) {
        long sendsLeft = a.sendsOutstanding.get();
        long receivesLeft = a.receivesOutstanding.get();
        if (sendsLeft > 0) {
            found.add(verifier.record(Rule.PAUSE_SENDS_OUTSTANDING, a.driver().name(), a.name(),
                    "sends_outstanding=" + sendsLeft));
        }
        if (receivesLeft > 0) {
            found.add(verifier.record(Rule.PAUSE_RECEIVES_OUTSTANDING, a.driver().name(), a.name(),
                    "receives_outstanding=" + receivesLeft));
        }
        a.transition(AdapterState.Event.PAUSE_COMPLETED);
        traceCounters(a);
    }

    /**
     * Halts an adapter: pauses it first if Running (waiting up to {@link Options#waitTimeout()} for a
     * pending pause), cancels a pending OID request, then Paused → Halted with MiniportHaltEx, and
     * reports by name everything the miniport did not release.
     */
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

    private void doHalt(MiniportAdapter a, HaltAction action) {
        if (a.state() == AdapterState.RESTARTING) {
            awaitAny(a, AdapterState.RUNNING, AdapterState.PAUSED);
        }
        if (a.state() == AdapterState.RUNNING && doPause(a) == NdisStatus.PENDING) {
            awaitAny(a, AdapterState.PAUSED);
        } else if (a.state() == AdapterState.PAUSING) {
            awaitAny(a, AdapterState.PAUSED);
        }
        requireState(a, "halt", AdapterState.PAUSED);
        List<Violation> found = new ArrayList<>();
        cancelOids(a, found);
        a.transition(AdapterState.Event.HALT_CALLED);
        callHalt(a, action, found);
        traceCounters(a);
        verifier.raise(found);
    }

    /** Live adapter → Shutdown (terminal): MiniportShutdownEx. */
    public void shutdown(MiniportAdapter a, ShutdownAction shutdownAction) {
        synchronized (control) {
            verifier.rethrowDeferred();
            if (!a.state().isLive()) {
                throw new NdisException("cannot shut down: adapter=" + a.name() + " state=" + a.state());
            }
            NdisTrace.Span span = trace.begin(NdisCall.ShutdownAdapter, a.driver().name(), a.name(),
                    Map.of("shutdown_action", shutdownAction.name()));
            try {
                stopCheckForHang(a);
                a.transition(AdapterState.Event.SHUTDOWN_CALLED);
                invokeVoid(NdisCall.MiniportShutdownEx, a.driver(), a,
                        () -> a.driver().characteristics.shutdownHandlerEx().shutdownEx(a.context, shutdownAction));
            } finally {
                span.end(NdisStatus.SUCCESS);
            }
        }
    }

    /** Surprise removal: MiniportDevicePnPEventNotify(SurpriseRemoved), then a halt with NdisHaltDeviceSurpriseRemoved. */
    public void surpriseRemove(MiniportAdapter a) {
        synchronized (control) {
            verifier.rethrowDeferred();
            if (!a.state().isLive()) {
                throw new NdisException("cannot remove: adapter=" + a.name() + " state=" + a.state());
            }
            NdisTrace.Span span = trace.begin(NdisCall.SurpriseRemoveAdapter, a.driver().name(), a.name(), Map.of());
            int result = NdisStatus.FAILURE;
            try {
                invokeVoid(NdisCall.MiniportDevicePnPEventNotify, a.driver(), a, () -> a.driver().characteristics
                        .devicePnPEventNotifyHandler().devicePnPEventNotify(a.context,
                                DevicePnPEvent.NdisDevicePnPEventSurpriseRemoved));
                doHalt(a, HaltAction.NdisHaltDeviceSurpriseRemoved);
                result = NdisStatus.SUCCESS;
            } finally {
                span.end(result);
            }
        }
    }

    /**
     * Waits (device-clock time) until the adapter is in {@code state}, running timers and, when polled,
     * interrupts meanwhile.
     *
     * @return whether it got there before the timeout
     */
    public boolean awaitState(MiniportAdapter a, AdapterState state, Duration timeout) {
        return waitUntil(() -> a.state() == state, timeout, a);
    }

    private void awaitAny(MiniportAdapter a, AdapterState... states) {
        boolean reached = waitUntil(() -> List.of(states).contains(a.state()), options.waitTimeout(), a);
        if (!reached) {
            throw new NdisException("adapter did not reach " + List.of(states) + ": adapter=" + a.name() + " state="
                    + a.state() + " waited_ms=" + options.waitTimeout().toMillis()
                    + " (a pending pause or restart was never completed)");
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
    AdapterState stateForIndication(MiniportAdapter a) {
        AdapterState state = a.state();
        if (state != AdapterState.RESTARTING) {
            return state;
        }
        synchronized (a.lock) {
            if (a.restartPending || a.restartThread == Thread.currentThread()) {
                return state;
            }
        }
        long deadline = System.nanoTime() + options.waitTimeout().toNanos();
        while (a.state() == AdapterState.RESTARTING && System.nanoTime() - deadline < 0) {
            java.util.concurrent.locks.LockSupport.parkNanos(50_000L);
        }
        return a.state();
    }

    private boolean waitUntil(BooleanSupplier condition, Duration timeout, MiniportAdapter a) {
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
            if (options.interruptDelivery() == InterruptDelivery.POLLED && a != null) {
                pollInterrupts(a);
            }
            if (condition.getAsBoolean()) {
                return true;
            }
            clock.sleepNanos(STEP_NANOS);
        }
    }

    // ------------------------------------------------------------------------------------------------
    // Data path
    // ------------------------------------------------------------------------------------------------

    /**
     * A pool of send NBLs for the protocol side, with {@code bufferSize}-byte DMA buffers of the adapter's
     * device, so a frame written into {@link NetBuffer#buffer()} goes to the NIC without a copy. Freed when
     * the adapter halts.
     */
    public NetBufferListPool allocateSendPool(MiniportAdapter a, int count, int bufferSize) {
        NetBufferListPool pool = newPool(a, NetBufferListPoolParameters.withData(count, bufferSize, "protocol-send"),
                false);
        a.hostPools.add(pool);
        return pool;
    }

    NetBufferListPool newPool(MiniportAdapter a, NetBufferListPoolParameters parameters, boolean miniportOwned) {
        DmaRegion region = null;
        if (parameters.dataSize() > 0) {
            try {
                region = a.device().dma().allocate("nbl-pool:" + parameters.purpose(),
                        NetBufferListPool.regionSize(parameters), Math.min(4096, a.device().dma().pageSize()));
            } catch (DeviceAccessException e) {
                throw new NdisStatusException(NdisCall.NdisAllocateNetBufferListPool, NdisStatus.RESOURCES,
                        "adapter=" + a.name() + " pool=" + parameters.purpose() + " error=" + e.getMessage());
            }
        }
        return new NetBufferListPool(parameters, a, miniportOwned, region);
    }

    /**
     * Sends a chain of NBLs the protocol owns. While Running or Pausing they go to
     * MiniportSendNetBufferLists; otherwise NDIS completes them at once with PAUSED.
     */
    public void send(MiniportAdapter a, NetBufferList netBufferLists, int portNumber, int sendFlags) {
        verifier.rethrowDeferred();
        int n = 0;
        for (NetBufferList nbl = netBufferLists; nbl != null; nbl = nbl.next) {
            if (nbl.owner() != NetBufferList.ALLOCATED) {
                throw new NdisException("send of an NBL the protocol does not own: nbl=" + nbl);
            }
            n++;
        }
        AdapterState state = a.state();
        if (!state.allowsDataPath()) {
            for (NetBufferList nbl = netBufferLists; nbl != null; nbl = nbl.next) {
                nbl.setStatus(NdisStatus.PAUSED);
            }
            a.sendsRejectedByNdis.addAndGet(n);
            a.edge.sendNetBufferListsComplete(a, netBufferLists, 0);
            return;
        }
        boolean pausing = state == AdapterState.PAUSING;
        for (NetBufferList nbl = netBufferLists; nbl != null; nbl = nbl.next) {
            nbl.adapter = a;
            nbl.sentWhilePausing = pausing;
            nbl.setStatus(NdisStatus.SUCCESS);
            nbl.setOwner(NetBufferList.SENDING);
        }
        a.sends.addAndGet(n);
        a.sendsOutstanding.addAndGet(n);
        try {
            a.driver().characteristics.sendNetBufferListsHandler().sendNetBufferLists(a.context, netBufferLists,
                    portNumber, sendFlags);
        } catch (NdisVerifierException e) {
            throw e;
        } catch (RuntimeException e) {
            verifier.report(Rule.HANDLER_THREW, a.driver().name(), a.name(),
                    "handler=MiniportSendNetBufferLists exception=" + e, e);
        }
    }

    /**
     * The protocol hands back NBLs indicated without the RESOURCES flag (NdisReturnNetBufferLists):
     * MiniportReturnNetBufferLists runs at once, also when called from inside the protocol's receive
     * handler (before the miniport's indication returns), as NDIS allows.
     */
    public void returnNetBufferLists(MiniportAdapter a, NetBufferList netBufferLists, int returnFlags) {
        int n = 0;
        for (NetBufferList nbl = netBufferLists; nbl != null; nbl = nbl.next) {
            if (nbl.owner() != NetBufferList.INDICATED || nbl.adapter != a || nbl.indicatedWithResources) {
                throw new NdisException("return of an NBL NDIS did not indicate to the protocol: adapter=" + a.name()
                        + " nbl=" + nbl + (nbl.indicatedWithResources ? " (indicated with NDIS_RECEIVE_FLAGS_RESOURCES)" : ""));
            }
            n++;
        }
        for (NetBufferList nbl = netBufferLists; nbl != null; nbl = nbl.next) {
            nbl.setOwner(NetBufferList.ALLOCATED);
        }
        a.receivesOutstanding.addAndGet(-n);
        a.returnedNbls.addAndGet(n);
        try {
            a.driver().characteristics.returnNetBufferListsHandler().returnNetBufferLists(a.context, netBufferLists,
                    returnFlags);
        } catch (NdisVerifierException e) {
            throw e;
        } catch (RuntimeException e) {
            verifier.report(Rule.HANDLER_THREW, a.driver().name(), a.name(),
                    "handler=MiniportReturnNetBufferLists exception=" + e, e);
        }
    }

    /** MiniportCancelSend for the NBLs marked with {@code cancelId}. */
    public void cancelSend(MiniportAdapter a, long cancelId) {
        synchronized (control) {
            verifier.rethrowDeferred();
            invokeVoid(NdisCall.MiniportCancelSend, a.driver(), a,
                    () -> a.driver().characteristics.cancelSendHandler().cancelSend(a.context, cancelId));
        }
    }

    /** Records the data-path counters in the trace (also done at every pause and halt). */
    public void traceCounters(MiniportAdapter a) {
        DataPathCounters c = a.counters();
        Map<String, String> detail = new LinkedHashMap<>();
        detail.put("sends", Long.toString(c.sends()));
        detail.put("sends_completed", Long.toString(c.sendsCompleted()));
        detail.put("sends_failed", Long.toString(c.sendsFailed()));
        detail.put("sends_rejected_by_ndis", Long.toString(c.sendsRejectedByNdis()));
        detail.put("sends_outstanding", Long.toString(c.sendsOutstanding()));
        detail.put("receive_indications", Long.toString(c.receiveIndications()));
        detail.put("received_nbls", Long.toString(c.receivedNbls()));
        detail.put("received_bytes", Long.toString(c.receivedBytes()));
        detail.put("received_with_resources", Long.toString(c.receivedWithResources()));
        detail.put("returned_nbls", Long.toString(c.returnedNbls()));
        detail.put("receives_outstanding", Long.toString(c.receivesOutstanding()));
        NdisInterruptHandle ih = a.interrupt;
        if (ih != null) {
            detail.put("isr_calls", Long.toString(ih.isrCount.get()));
            detail.put("dpc_calls", Long.toString(ih.dpcCount.get()));
        }
        trace.instant(NdisTrace.Kind.COUNTERS, NdisTrace.Direction.NONE, "DataPath", a.driver().name(), a.name(),
                NdisTrace.NO_STATUS, detail);
    }

    // ------------------------------------------------------------------------------------------------
    // OID requests
    // ------------------------------------------------------------------------------------------------

    /**
     * Issues an OID request (Paused, Restarting, Running or Pausing). NDIS answers OID_GEN_LINK_STATE,
     * OID_GEN_MAXIMUM_FRAME_SIZE and OID_GEN_SUPPORTED_LIST queries from the attributes; the rest go to
     * MiniportOidRequest, one at a time (a request issued while another is pending waits its turn).
     * The future completes when the request does (at once unless the miniport returned PENDING).
     */
    public CompletableFuture<OidResult> oidRequest(MiniportAdapter a, NdisOidRequest request) {
        return oid(a, request, false);
    }

    /** The same through MiniportDirectOidRequest (the driver must have registered the Direct OID pair). */
    public CompletableFuture<OidResult> directOidRequest(MiniportAdapter a, NdisOidRequest request) {
        if (a.driver().characteristics.directOidRequestHandler() == null) {
            throw new NdisException("driver has no DirectOidRequestHandler: driver=" + a.driver().name());
        }
        return oid(a, request, true);
    }

    /** Convenience: a query with a buffer of {@code bufferLength} bytes. */
    public CompletableFuture<OidResult> query(MiniportAdapter a, int oid, int bufferLength) {
        return oidRequest(a, NdisOidRequest.query(oid, bufferLength));
    }

    /** Convenience: a set carrying {@code data}. */
    public CompletableFuture<OidResult> set(MiniportAdapter a, int oid, byte[] data) {
        return oidRequest(a, NdisOidRequest.set(oid, data));
    }

    private CompletableFuture<OidResult> oid(MiniportAdapter a, NdisOidRequest request, boolean direct) {
        verifier.rethrowDeferred();
        if (!a.state().allowsOidRequests()) {
            throw new NdisException("OID requests need Paused, Restarting, Running or Pausing: adapter=" + a.name()
                    + " state=" + a.state() + " oid=" + Oid.name(request.oid()));
        }
        CompletableFuture<OidResult> future = new CompletableFuture<>();
        MiniportAdapter.PendingOid p;
        synchronized (a.oidLock) {
            request.requestId = nextRequestId++;
            if (!direct && answeredByNdis(a, request, future)) {
                return future;
            }
            p = new MiniportAdapter.PendingOid(request, future, direct);
            if (a.currentOid != null) {
                a.oidQueue.add(p);
                return future;
            }
            a.currentOid = p;
        }
        issue(a, p);
        return future;
    }

    private boolean answeredByNdis(MiniportAdapter a, NdisOidRequest request, CompletableFuture<OidResult> future) {
        if (!request.requestType().isQuery()) {
            return false;
        }
        MiniportAdapterAttributes.General g = a.general;
        int status;
        switch (request.oid()) {
            case Oid.GEN_LINK_STATE -> status = request.queryLinkState(a.linkState);
            case Oid.GEN_MAXIMUM_FRAME_SIZE -> status = request.queryUlong(g.mtuSize());
            case Oid.GEN_SUPPORTED_LIST -> status = request.queryUlongs(g.supportedOidList());
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

    private void issue(MiniportAdapter a, MiniportAdapter.PendingOid p) {
        LoadedDriver d = a.driver();
        synchronized (a.oidLock) {
            p.inCall = true;
        }
        Map<String, String> detail = Map.of("oid", Oid.name(p.request.oid()), "type", p.request.requestType().name(),
                "length", Integer.toString(p.request.informationBufferLength()));
        int status;
        try {
            status = p.direct
                    ? invokeStatus(NdisCall.MiniportDirectOidRequest, d, a, detail,
                            () -> d.characteristics.directOidRequestHandler().directOidRequest(a.context, p.request))
                    : invokeStatus(NdisCall.MiniportOidRequest, d, a, detail,
                            () -> d.characteristics.oidRequestHandler().oidRequest(a.context, p.request));
        } catch (RuntimeException e) {
            synchronized (a.oidLock) {
                p.inCall = false;
            }
            finishOid(a, p, NdisStatus.FAILURE, false);
            throw e;
        }
        int finalStatus;
        Violation twice = null;
        synchronized (a.oidLock) {
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

    void finishOid(MiniportAdapter a, MiniportAdapter.PendingOid p, int status) {
        finishOid(a, p, status, true);
    }

    private void finishOid(MiniportAdapter a, MiniportAdapter.PendingOid p, int status, boolean check) {
        MiniportAdapter.PendingOid next;
        synchronized (a.oidLock) {
            if (p.done) {
                return;
            }
            p.done = true;
            a.currentOid = null;
            next = a.oidQueue.poll();
            a.currentOid = next;
        }
        List<Violation> found = check ? checkOid(a, p.request, status) : List.of();
        NdisOidRequest r = p.request;
        if (status == NdisStatus.SUCCESS && r.requestType() == OidRequestType.NdisRequestSetInformation) {
            byte[] data = r.informationBuffer().toArray(java.lang.foreign.ValueLayout.JAVA_BYTE);
            if (r.oid() == Oid.GEN_CURRENT_PACKET_FILTER) {
                a.lastPacketFilter = data;
            } else if (r.oid() == Oid.OID_802_3_MULTICAST_LIST) {
                a.lastMulticastList = data;
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

    private void abort(MiniportAdapter a, MiniportAdapter.PendingOid p) {
        synchronized (a.oidLock) {
            p.done = true;
            if (a.currentOid == p) {
                a.currentOid = null;
            }
        }
        p.future.complete(new OidResult(NdisStatus.REQUEST_ABORTED, 0, 0, 0, p.request, false));
    }

    private List<Violation> checkOid(MiniportAdapter a, NdisOidRequest r, int status) {
        List<Violation> found = new ArrayList<>();
        String d = a.driver().name();
        String oid = "oid=" + Oid.name(r.oid()) + " status=" + NdisStatus.name(status);
        int length = r.informationBufferLength();
        if (!isDocumentedOidStatus(status)) {
            found.add(verifier.record(Rule.OID_STATUS, d, a.name(), oid));
        }
        if ((status == NdisStatus.BUFFER_TOO_SHORT && r.bytesNeeded() <= length)
                || (status == NdisStatus.INVALID_LENGTH && r.bytesNeeded() == 0)) {
            found.add(verifier.record(Rule.OID_BYTES_NEEDED, d, a.name(), oid + " bytes_needed=" + r.bytesNeeded()
                    + " length=" + length));
        }
        if (status == NdisStatus.SUCCESS && r.requestType().isQuery() && r.bytesWritten() > length) {
            found.add(verifier.record(Rule.OID_BYTES_WRITTEN, d, a.name(), oid + " bytes_written=" + r.bytesWritten()
                    + " length=" + length));
        }
        boolean unsupported = status == NdisStatus.INVALID_OID
                || (status == NdisStatus.NOT_SUPPORTED && r.requestType().isQuery());
        if (unsupported && a.general != null && a.general.supportsOid(r.oid())) {
            found.add(verifier.record(Rule.OID_LISTED_SUPPORTED, d, a.name(), oid));
        }
        boolean set = r.requestType() == OidRequestType.NdisRequestSetInformation;
        if (set && r.oid() == Oid.OID_802_3_MULTICAST_LIST && a.general != null) {
            if (length % MacAddress.LENGTH != 0 && status != NdisStatus.INVALID_LENGTH) {
                found.add(verifier.record(Rule.OID_MULTICAST_LIST, d, a.name(), oid + " length=" + length
                        + " expected=NDIS_STATUS_INVALID_LENGTH"));
            } else if (length % MacAddress.LENGTH == 0 && length / MacAddress.LENGTH > a.general.maxMulticastListSize()
                    && status != NdisStatus.MULTICAST_FULL) {
                found.add(verifier.record(Rule.OID_MULTICAST_LIST, d, a.name(), oid + " entries="
                        + length / MacAddress.LENGTH + " max=" + a.general.maxMulticastListSize()
                        + " expected=NDIS_STATUS_MULTICAST_FULL"));
            }
        }
        if (set && r.oid() == Oid.GEN_CURRENT_PACKET_FILTER && status == NdisStatus.SUCCESS && length >= 4
                && a.general != null) {
            int filter = r.informationBuffer().get(NdisOidRequest.ULONG, 0);
            if ((filter & ~a.general.supportedPacketFilters()) != 0) {
                found.add(verifier.record(Rule.OID_PACKET_FILTER, d, a.name(), oid + String.format(
                        " filter=0x%X supported=0x%X", filter, a.general.supportedPacketFilters())));
            }
        }
        return found;
    }

    private static boolean isDocumentedOidStatus(int s) {
        return s == NdisStatus.SUCCESS || s == NdisStatus.INVALID_OID || s == NdisStatus.NOT_SUPPORTED
                || s == NdisStatus.BUFFER_TOO_SHORT || s == NdisStatus.INVALID_LENGTH || s == NdisStatus.INVALID_DATA
                || s == NdisStatus.NOT_ACCEPTED || s == NdisStatus.REQUEST_ABORTED || s == NdisStatus.MULTICAST_FULL
                || s == NdisStatus.RESOURCES || s == NdisStatus.FAILURE;
    }

    /** Before a halt: cancel the pending request, wait for its completion; fail the queued ones. */
    private void cancelOids(MiniportAdapter a, List<Violation> found) {
        MiniportAdapter.PendingOid p;
        List<MiniportAdapter.PendingOid> queued;
        synchronized (a.oidLock) {
            p = a.currentOid;
            queued = new ArrayList<>(a.oidQueue);
            a.oidQueue.clear();
        }
        for (MiniportAdapter.PendingOid q : queued) {
            abort(a, q);
        }
        if (p == null) {
            return;
        }
        LoadedDriver d = a.driver();
        if (p.direct) {
            invokeVoid(NdisCall.MiniportCancelOidRequest, d, a, () -> d.characteristics.cancelDirectOidRequestHandler()
                    .cancelDirectOidRequest(a.context, p.request.requestId));
        } else {
            invokeVoid(NdisCall.MiniportCancelOidRequest, d, a,
                    () -> d.characteristics.cancelOidRequestHandler().cancelOidRequest(a.context, p.request.requestId));
        }
        boolean completed = waitUntil(() -> {
            synchronized (a.oidLock) {
                return p.done;
            }
        }, options.waitTimeout(), a);
        if (!completed) {
            found.add(verifier.record(Rule.OID_OUTSTANDING_AT_HALT, d.name(), a.name(),
                    "oid=" + Oid.name(p.request.oid()) + " cancelled_but_not_completed"));
            abort(a, p);
        }
    }

    // ------------------------------------------------------------------------------------------------
    // Reset and CheckForHang
    // ------------------------------------------------------------------------------------------------

    /**
     * MiniportResetEx, as NDIS issues it when CheckForHang reports a hang. Returns SUCCESS, PENDING (until
     * NdisMResetComplete), RESET_IN_PROGRESS (one is already running) or the reset's failure.
     */
    public int reset(MiniportAdapter a) {
        synchronized (control) {
            verifier.rethrowDeferred();
            if (!a.state().isLive()) {
                throw new NdisException("cannot reset: adapter=" + a.name() + " state=" + a.state());
            }
            return doReset(a);
        }
    }

    private int doReset(MiniportAdapter a) {
        LoadedDriver d = a.driver();
        synchronized (a.lock) {
            if (a.resetPending) {
                return NdisStatus.RESET_IN_PROGRESS;
            }
            a.resetPending = true;
            a.inResetCall = true;
            a.resetCompletedInCall = false;
        }
        NdisTrace.Span span = trace.begin(NdisCall.ResetAdapter, d.name(), a.name(), Map.of());
        ResetResult[] result = {new ResetResult(NdisStatus.FAILURE, false)};
        try {
            invokeStatus(NdisCall.MiniportResetEx, d, a, Map.of(), () -> {
                ResetResult r = d.characteristics.resetHandlerEx().resetEx(a.context);
                result[0] = r == null ? new ResetResult(NdisStatus.FAILURE, false) : r;
                return result[0].status();
            });
        } catch (RuntimeException e) {
            synchronized (a.lock) {
                a.inResetCall = false;
                a.resetPending = false;
            }
            span.end(NdisStatus.FAILURE);
            throw e;
        }
        ResetResult r = result[0];
        ResetResult early;
        synchronized (a.lock) {
            a.inResetCall = false;
            early = a.resetCompletedInCall ? a.resetCompletion : null;
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
        synchronized (a.lock) {
            a.resetPending = false;
        }
        trace.instant(NdisTrace.Kind.INDICATION, NdisTrace.Direction.NONE, "ResetComplete", a.driver().name(), a.name(),
                r.status(), Map.of("addressing_reset", Boolean.toString(r.addressingReset())));
        if (r.status() == NdisStatus.SUCCESS && r.addressingReset() && a.state().allowsOidRequests()) {
            if (a.lastPacketFilter != null) {
                oid(a, NdisOidRequest.set(Oid.GEN_CURRENT_PACKET_FILTER, a.lastPacketFilter), false);
            }
            if (a.lastMulticastList != null) {
                oid(a, NdisOidRequest.set(Oid.OID_802_3_MULTICAST_LIST, a.lastMulticastList), false);
            }
        }
    }

    private void startCheckForHang(MiniportAdapter a) {
        if (a.driver().characteristics.checkForHangHandlerEx() == null) {
            return;
        }
        long period = a.registration.effectiveCheckForHangSeconds() * 1_000_000_000L;
        a.checkForHangTimer = new TimerQueue.Scheduled(() -> checkForHang(a));
        timers.set(a.checkForHangTimer, period, period);
    }

    private void stopCheckForHang(MiniportAdapter a) {
        if (a.checkForHangTimer != null) {
            timers.cancel(a.checkForHangTimer);
            a.checkForHangTimer = null;
        }
    }

    private void checkForHang(MiniportAdapter a) {
        synchronized (control) {
            if (!a.state().isLive() || a.resetPending) {
                return;
            }
            LoadedDriver d = a.driver();
            boolean[] hung = {false};
            invokeStatus(NdisCall.MiniportCheckForHangEx, d, a, Map.of(), () -> {
                hung[0] = d.characteristics.checkForHangHandlerEx().checkForHangEx(a.context);
                return hung[0] ? NdisStatus.HARD_ERRORS : NdisStatus.SUCCESS;
            });
            if (hung[0]) {
                doReset(a);
            }
        }
    }

    // ------------------------------------------------------------------------------------------------
    // Timers and interrupts
    // ------------------------------------------------------------------------------------------------

    /** Runs the timers (CheckForHang, miniport timers) due on the device clock; returns how many ran. */
    public int runTimers() {
        int ran = runDueTimers();
        verifier.rethrowDeferred();
        return ran;
    }

    private int runDueTimers() {
        try {
            return timers.runDue();
        } catch (RuntimeException e) {
            verifier.deferred(e);
            return 0;
        }
    }

    void fireTimer(NdisTimer timer) {
        MiniportAdapter a = timer.adapter;
        if (!a.ledger.holds(timer.entry) || (a.state() == AdapterState.HALTED && !a.inInitialize && !a.inHalt)) {
            return;
        }
        invokeVoid(NdisCall.MiniportTimer, a.driver(), a, () -> timer.function.timerFunction(timer.context));
    }

    /**
     * Dispatches the interrupts that fired since the last look ({@link InterruptDelivery#POLLED}; with
     * interrupt threads this does nothing).
     *
     * @return vectors dispatched
     */
    public int pollInterrupts(MiniportAdapter a) {
        if (options.interruptDelivery() != InterruptDelivery.POLLED) {
            return 0;
        }
        NdisInterruptHandle ih = a.interrupt;
        int n = ih == null ? 0 : ih.poll();
        verifier.rethrowDeferred();
        return n;
    }

    /**
     * Lets {@code duration} of device-clock time pass, running timers and (polled) interrupts as it goes:
     * with a virtual clock this is how tests make CheckForHang fire.
     */
    public void idle(Duration duration) {
        long deadline = clock.nanoTime() + duration.toNanos();
        while (true) {
            runDueTimers();
            if (options.interruptDelivery() == InterruptDelivery.POLLED) {
                for (LoadedDriver d : drivers) {
                    for (MiniportAdapter a : d.adapters) {
                        NdisInterruptHandle ih = a.interrupt;
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
            if (options.interruptDelivery() == InterruptDelivery.POLLED) {
                step = Math.min(step, STEP_NANOS);
            }
            clock.sleepNanos(Math.max(step, 1));
        }
    }

    /**
     * An ISR or DPC threw (or broke a rule in STRICT mode): recorded, and thrown from the next host call.
     *
     * @return what the dispatcher assumes the ISR said
     */
    IsrResult interruptHandlerFailed(MiniportAdapter a, NdisCall handler, RuntimeException e) {
        if (e instanceof NdisVerifierException v) {
            verifier.deferred(v);
        } else {
            Violation v = verifier.record(Rule.HANDLER_THREW, a.driver().name(), a.name(),
                    "handler=" + handler + " exception=" + e);
            verifier.deferred(new NdisVerifierException(v, e));
        }
        return IsrResult.NOT_RECOGNIZED;
    }

    private void timerLoop() {
        while (!closed) {
            runDueTimers();
            long wait = Math.min(TIMER_THREAD_MAX_WAIT_NANOS, Math.max(100_000, timers.nextDue() - clock.nanoTime()));
            clock.sleepNanos(wait);
        }
    }

    // ------------------------------------------------------------------------------------------------
    // internals shared with Ndis
    // ------------------------------------------------------------------------------------------------

    LoadedDriver driverOf(DriverObject driverObject) {
        for (LoadedDriver d : drivers) {
            if (d.driverObject == driverObject) {
                return d;
            }
        }
        throw new NdisException("driver object unknown to this NDIS instance: driver_object=" + driverObject);
    }

    void parameterProblem(ParameterValue value) {
        parameterProblems.add(value);
    }

    void deliverStatus(MiniportAdapter a, NdisStatusIndication indication) {
        trace.instant(NdisTrace.Kind.INDICATION, NdisTrace.Direction.NDIS_TO_PROTOCOL,
                NdisStatus.name(indication.statusCode()), a.driver().name(), a.name(), indication.statusCode(),
                Map.of("buffer", String.valueOf(indication.statusBuffer())));
        try {
            a.edge.statusEx(a, indication);
            for (BiConsumer<MiniportAdapter, NdisStatusIndication> l : statusListeners) {
                l.accept(a, indication);
            }
        } catch (RuntimeException e) {
            protocolEdgeFailed(a, NdisCall.ProtocolStatusEx, e);
        }
    }

    /**
     * The protocol edge (host code, not the miniport) threw while NDIS called it from inside a miniport
     * call: the miniport is not blamed; the failure is thrown from the next host call, in both verifier
     * modes.
     */
    void protocolEdgeFailed(MiniportAdapter a, NdisCall callback, RuntimeException e) {
        verifier.deferred(new NdisException("protocol edge failed: callback=" + callback + " adapter=" + a.name()
                + " error=" + e, e));
    }

    void traceState(MiniportAdapter a, AdapterState from, AdapterState to, AdapterState.Event event) {
        trace.instant(NdisTrace.Kind.STATE, NdisTrace.Direction.NONE, name(from) + "->" + name(to), a.driver().name(),
                a.name(), NdisTrace.NO_STATUS, Map.of("event", event.name()));
    }

    private static String name(AdapterState s) {
        String n = s.name().toLowerCase(java.util.Locale.ROOT);
        return Character.toUpperCase(n.charAt(0)) + n.substring(1);
    }

    /** Releases whatever the adapter still holds, plus its protocol pools; returns what the miniport left. */
    private List<ResourceLedger.Entry> forceRelease(MiniportAdapter a) {
        List<ResourceLedger.Entry> left = a.ledger.releaseAll();
        for (ResourceLedger.Entry e : left) {
            trace.instant(NdisTrace.Kind.RELEASE, NdisTrace.Direction.NONE, e.name, a.driver().name(), a.name(),
                    NdisTrace.NO_STATUS, Map.of("forced", "true"));
        }
        for (NetBufferListPool pool : a.hostPools) {
            pool.close();
        }
        a.hostPools.clear();
        return left;
    }

    int invokeStatus(NdisCall call, LoadedDriver d, MiniportAdapter a, Map<String, String> detail, IntSupplier body) {
        NdisTrace.Span span = trace.begin(call, d.name(), a == null ? "" : a.name(), detail);
        int status = NdisStatus.FAILURE;
        try {
            status = body.getAsInt();
            return status;
        } catch (NdisVerifierException | NdisStatusException e) {
            throw e;
        } catch (RuntimeException e) {
            verifier.report(Rule.HANDLER_THREW, d.name(), a == null ? "" : a.name(), "handler=" + call
                    + " exception=" + e, e);
            return NdisStatus.FAILURE;
        } finally {
            span.end(status);
        }
    }

    void invokeVoid(NdisCall call, LoadedDriver d, MiniportAdapter a, Runnable body) {
        NdisTrace.Span span = trace.begin(call, d.name(), a == null ? "" : a.name(), Map.of());
        try {
            body.run();
        } catch (NdisVerifierException e) {
            throw e;
        } catch (RuntimeException e) {
            verifier.report(Rule.HANDLER_THREW, d.name(), a == null ? "" : a.name(), "handler=" + call
                    + " exception=" + e, e);
        } finally {
            span.end(NdisTrace.NO_STATUS);
        }
    }

    private static void requireState(MiniportAdapter a, String operation, AdapterState required) {
        if (a.state() != required) {
            throw new NdisException("cannot " + operation + ": adapter=" + a.name() + " state=" + a.state()
                    + " required=" + required);
        }
    }

    /**
     * Halts every live adapter (pausing first), releases what shut-down adapters still hold, unloads every
     * loaded driver and stops the timer thread. The first failure is thrown after everything was tried.
     */
    @Override
    public void close() {
        RuntimeException first = null;
        for (LoadedDriver d : drivers) {
            for (MiniportAdapter a : d.adapters) {
                try {
                    if (a.state().isLive()) {
                        halt(a, HaltAction.NdisHaltDeviceStopped);
                    } else {
                        forceRelease(a);
                    }
                } catch (RuntimeException e) {
                    first = keep(first, e);
                    try {
                        forceRelease(a);
                    } catch (RuntimeException e2) {
                        first = keep(first, e2);
                    }
                }
            }
            try {
                if (d.phase == LoadedDriver.Phase.LOADED) {
                    unloadDriver(d);
                }
            } catch (RuntimeException e) {
                first = keep(first, e);
            }
        }
        closed = true;
        if (timerThread != null) {
            try {
                timerThread.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (first != null) {
            throw first;
        }
    }

    private static RuntimeException keep(RuntimeException first, RuntimeException e) {
        if (first == null) {
            return e;
        }
        first.addSuppressed(e);
        return first;
    }
}

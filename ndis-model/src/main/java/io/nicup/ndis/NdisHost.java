package io.nicup.ndis;

import io.nicup.ndis.adapter.AdapterInitializer;
import io.nicup.ndis.adapter.AdapterLifecycle;
import io.nicup.ndis.adapter.AdapterState;
import io.nicup.ndis.adapter.HaltAction;
import io.nicup.ndis.adapter.HangWatchdog;
import io.nicup.ndis.adapter.MiniportAdapter;
import io.nicup.ndis.adapter.ShutdownAction;
import io.nicup.ndis.config.ParameterValue;
import io.nicup.ndis.config.RegistryPath;
import io.nicup.ndis.datapath.HostDataPath;
import io.nicup.ndis.datapath.NetBuffer;
import io.nicup.ndis.datapath.NetBufferList;
import io.nicup.ndis.datapath.NetBufferListPool;
import io.nicup.ndis.driver.DriverLoader;
import io.nicup.ndis.driver.DriverObject;
import io.nicup.ndis.driver.LoadedDriver;
import io.nicup.ndis.driver.MiniportDriverEntry;
import io.nicup.ndis.host.HostScheduler;
import io.nicup.ndis.host.HostServices;
import io.nicup.ndis.host.MiniportInvoker;
import io.nicup.ndis.host.TimerQueue;
import io.nicup.ndis.oid.NdisOidRequest;
import io.nicup.ndis.oid.NdisStatusIndication;
import io.nicup.ndis.oid.OidDispatcher;
import io.nicup.ndis.oid.OidResult;
import io.nicup.ndis.protocol.NdisProtocolEdge;
import io.nicup.ndis.protocol.ProtocolDelivery;
import io.nicup.ndis.trace.FaultInjection;
import io.nicup.ndis.trace.NdisTrace;
import io.nicup.ndis.trace.Rule;
import io.nicup.ndis.trace.Verifier;
import io.nicup.vfio.DeviceClock;
import io.nicup.vfio.PciDevice;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BiConsumer;

/**
 * NDIS itself, as the CLI drives it: loads a miniport (DriverEntry), adds adapters
 * (MiniportInitializeEx with the device's resources), restarts, pauses, halts, shuts down, unloads;
 * carries traffic between a {@link NdisProtocolEdge} and the miniport; issues OID requests; runs
 * CheckForHang and the miniport's timers on the device clock. Every step is in {@link #trace()}; every
 * broken rule in {@link #verifier()}.
 *
 * <p>Host operations are serialized (one at a time). Interrupt dispatch runs on threads of the adapter's
 * own, an interrupt thread for the ISRs and a DPC thread per message
 * ({@link HostOptions.InterruptDelivery#THREAD}), or when the caller polls
 * ({@link HostOptions.InterruptDelivery#POLLED}, deterministic, for tests); timers run on the timer thread
 * ({@link HostOptions#timerThread()}) or when the caller runs them ({@link #runTimers()}, {@link #idle}).
 *
 * <p>This class is the front door only: each operation is serialized here and carried out by one of
 * the parts it delegates to ({@link DriverLoader}, {@link AdapterInitializer}, {@link AdapterLifecycle},
 * {@link HostDataPath}, {@link OidDispatcher}, {@link HangWatchdog}, {@link HostScheduler}); how it is
 * configured is {@link HostOptions}, how it ends is {@code HostTeardown}.
 */
public final class NdisHost implements AutoCloseable {

    final HostOptions options;
    final DeviceClock clock;
    final NdisTrace trace;
    private final Verifier verifier;
    final FaultInjection faults = new FaultInjection();
    final TimerQueue timers;
    private final Ndis ndis;
    private final List<LoadedDriver> drivers = new CopyOnWriteArrayList<>();
    private final List<ParameterValue> parameterProblems = new CopyOnWriteArrayList<>();

    final HostServices services;
    @NdisInternal
    public final MiniportInvoker invoker;
    final ProtocolDelivery delivery;
    final HostScheduler scheduler;
    final DriverLoader loader;
    final HangWatchdog watchdog;
    final OidDispatcher oidDispatcher;
    final HostDataPath dataPath;
    final AdapterInitializer initializer;
    final AdapterLifecycle lifecycle;

    public NdisHost(HostOptions options) {
        this.options = options;
        this.clock = options.clock();
        this.trace = new NdisTrace(clock, options.traceCapacity());
        this.verifier = new Verifier(options.verifierMode(), trace);
        this.timers = new TimerQueue(clock);
        this.invoker = new MiniportInvoker(trace, verifier);
        this.services = new HostServices(options, clock, trace, verifier, faults, timers, new Object(), invoker);
        this.delivery = new ProtocolDelivery(trace, verifier);
        this.scheduler = new HostScheduler(services, drivers);
        this.loader = new DriverLoader(services, this, drivers);
        this.watchdog = new HangWatchdog(services);
        this.oidDispatcher = new OidDispatcher(services, scheduler);
        watchdog.setOidDispatcher(oidDispatcher);
        this.dataPath = new HostDataPath(services);
        this.initializer = new AdapterInitializer(services, this, drivers, watchdog);
        this.lifecycle = new AdapterLifecycle(services, scheduler, initializer, oidDispatcher, watchdog, dataPath);
        this.ndis = new Ndis(this);
        scheduler.start();
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
        delivery.addStatusListener(listener);
    }

    // ------------------------------------------------------------------------------------------------
    // Driver load and unload
    // ------------------------------------------------------------------------------------------------

    /**
     * Loads a miniport: creates its driver object and calls DriverEntry. The result's
     * {@link LoadedDriver#phase()} is LOADED when DriverEntry succeeded with the driver registered.
     */
    public LoadedDriver loadDriver(String name, MiniportDriverEntry driverEntry, RegistryPath registryPath) {
        return loader.loadDriver(name, driverEntry, registryPath);
    }

    /**
     * Unloads a loaded driver: MiniportDriverUnload, which must deregister. Every adapter must be halted
     * (or shut down) first; otherwise this is a {@link Rule#DRV_UNLOAD_AFTER_HALT} violation and nothing
     * happens.
     *
     * @return SUCCESS, or FAILURE when refused
     */
    public int unloadDriver(LoadedDriver driver) {
        return loader.unloadDriver(driver);
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
        return initializer.addAdapter(driver, device, protocolEdge);
    }

    /**
     * Paused → Restarting → Running: MiniportRestart. Returns SUCCESS (Running), PENDING (Restarting
     * until NdisMRestartComplete) or the failure (Paused).
     */
    public int restart(MiniportAdapter a) {
        return lifecycle.restart(a);
    }

    /**
     * Running → Pausing → Paused: MiniportPause. Returns SUCCESS (Paused) or PENDING (Pausing until
     * NdisMPauseComplete).
     */
    public int pause(MiniportAdapter a) {
        return lifecycle.pause(a);
    }

    /**
     * Halts an adapter: pauses it first if Running (waiting up to {@link HostOptions#waitTimeout()} for a
     * pending pause), cancels a pending OID request, then Paused → Halted with MiniportHaltEx, and
     * reports by name everything the miniport did not release.
     */
    public void halt(MiniportAdapter a, HaltAction haltAction) {
        lifecycle.halt(a, haltAction);
    }

    /** Live adapter → Shutdown (terminal): MiniportShutdownEx. */
    public void shutdown(MiniportAdapter a, ShutdownAction shutdownAction) {
        lifecycle.shutdown(a, shutdownAction);
    }

    /** Surprise removal: MiniportDevicePnPEventNotify(SurpriseRemoved), then a halt with NdisHaltDeviceSurpriseRemoved. */
    public void surpriseRemove(MiniportAdapter a) {
        lifecycle.surpriseRemove(a);
    }

    /**
     * Removal of a device that is still present, as the PnP manager's remove of a started device plays it
     * (docs/ndis-contract.md §22): the pause, then MiniportHaltEx(NdisHaltDeviceDisabled); no device PnP
     * event, as the hardware is still there. For the kernel asking for the device back (a hot-unplug, an
     * unbind): afterwards the caller releases the device.
     */
    public void removeDevice(MiniportAdapter a) {
        lifecycle.removeDevice(a, null);
    }

    /**
     * {@link #removeDevice(MiniportAdapter)}, running {@code whilePaused} once the adapter is Paused and before
     * MiniportHaltEx: the protocol's unbind, the last moment the present device's counters can be read
     * (OID_GEN_STATISTICS is allowed in Paused). It must not throw.
     */
    public void removeDevice(MiniportAdapter a, Runnable whilePaused) {
        lifecycle.removeDevice(a, whilePaused);
    }

    /**
     * Waits (device-clock time) until the adapter is in {@code state}, running timers and, when polled,
     * interrupts meanwhile.
     *
     * @return whether it got there before the timeout
     */
    public boolean awaitState(MiniportAdapter a, AdapterState state, Duration timeout) {
        return scheduler.awaitState(a, state, timeout);
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
        return dataPath.allocateSendPool(a, count, 1, bufferSize);
    }

    /**
     * A send pool whose NBLs carry up to {@code netBuffersPerList} NET_BUFFERs of {@code bufferSize} bytes
     * each ({@link NetBufferListPool#allocate(int)} takes as many as a send needs; {@code NetBuffer.split}
     * spreads one over several MDLs): the shapes of send HLK's 1c_Mini6Send gives (docs/ndis-contract.md §16).
     */
    public NetBufferListPool allocateSendPool(MiniportAdapter a, int count, int netBuffersPerList, int bufferSize) {
        return dataPath.allocateSendPool(a, count, netBuffersPerList, bufferSize);
    }

    /**
     * Sends a chain of NBLs the protocol owns. While Running or Pausing they go to
     * MiniportSendNetBufferLists; otherwise NDIS completes them at once with PAUSED.
     */
    public void send(MiniportAdapter a, NetBufferList netBufferLists, int portNumber, int sendFlags) {
        dataPath.send(a, netBufferLists, portNumber, sendFlags);
    }

    /**
     * The protocol hands back NBLs indicated without the RESOURCES flag (NdisReturnNetBufferLists):
     * MiniportReturnNetBufferLists runs at once, also when called from inside the protocol's receive
     * handler (before the miniport's indication returns), as NDIS allows.
     */
    public void returnNetBufferLists(MiniportAdapter a, NetBufferList netBufferLists, int returnFlags) {
        dataPath.returnNetBufferLists(a, netBufferLists, returnFlags);
    }

    /** MiniportCancelSend for the NBLs marked with {@code cancelId}. */
    public void cancelSend(MiniportAdapter a, long cancelId) {
        dataPath.cancelSend(a, cancelId);
    }

    /** Records the data-path counters in the trace (also done at every pause and halt). */
    public void traceCounters(MiniportAdapter a) {
        dataPath.traceCounters(a);
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
        return oidDispatcher.oid(a, request, false);
    }

    /** The same through MiniportDirectOidRequest (the driver must have registered the Direct OID pair). */
    public CompletableFuture<OidResult> directOidRequest(MiniportAdapter a, NdisOidRequest request) {
        if (a.driver().characteristics.directOidRequestHandler() == null) {
            throw new NdisException("driver has no DirectOidRequestHandler: driver=" + a.driver().name());
        }
        return oidDispatcher.oid(a, request, true);
    }

    /** Convenience: a query with a buffer of {@code bufferLength} bytes. */
    public CompletableFuture<OidResult> query(MiniportAdapter a, int oid, int bufferLength) {
        return oidRequest(a, NdisOidRequest.query(oid, bufferLength));
    }

    /** Convenience: a set carrying {@code data}. */
    public CompletableFuture<OidResult> set(MiniportAdapter a, int oid, byte[] data) {
        return oidRequest(a, NdisOidRequest.set(oid, data));
    }

    // ------------------------------------------------------------------------------------------------
    // Reset, timers and interrupts
    // ------------------------------------------------------------------------------------------------

    /**
     * MiniportResetEx, as NDIS issues it when CheckForHang reports a hang. Returns SUCCESS, PENDING (until
     * NdisMResetComplete), RESET_IN_PROGRESS (one is already running) or the reset's failure.
     */
    public int reset(MiniportAdapter a) {
        return watchdog.reset(a);
    }

    /** Runs the timers (CheckForHang, miniport timers) due on the device clock; returns how many ran. */
    public int runTimers() {
        return scheduler.runTimers();
    }

    /**
     * Dispatches the interrupts that fired since the last look ({@link HostOptions.InterruptDelivery#POLLED};
     * with interrupt threads this does nothing).
     *
     * @return vectors dispatched
     */
    public int pollInterrupts(MiniportAdapter a) {
        return scheduler.pollInterrupts(a);
    }

    /**
     * Lets {@code duration} of device-clock time pass, running timers and (polled) interrupts as it goes:
     * with a virtual clock this is how tests make CheckForHang fire.
     */
    public void idle(Duration duration) {
        scheduler.idle(duration);
    }

    // ------------------------------------------------------------------------------------------------
    // internals shared with Ndis and the adapter
    // ------------------------------------------------------------------------------------------------

    void parameterProblem(ParameterValue value) {
        parameterProblems.add(value);
    }

    @NdisInternal
    public void traceState(MiniportAdapter a, AdapterState from, AdapterState to, AdapterState.Event event) {
        trace.instant(NdisTrace.Kind.STATE, NdisTrace.Direction.NONE, name(from) + "->" + name(to), a.driver().name(),
                a.name(), NdisTrace.NO_STATUS, Map.of("event", event.name()));
    }

    private static String name(AdapterState s) {
        String n = s.name().toLowerCase(java.util.Locale.ROOT);
        return Character.toUpperCase(n.charAt(0)) + n.substring(1);
    }

    /**
     * Halts every live adapter (pausing first), releases what shut-down adapters still hold, unloads every
     * loaded driver and stops the timer thread. The first failure is thrown after everything was tried.
     */
    @Override
    public void close() {
        HostTeardown.close(drivers, lifecycle, loader, scheduler, trace);
    }
}

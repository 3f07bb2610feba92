package io.nicup.cli;

import io.nicup.mock.MockPciDevice;
import io.nicup.ndis.MacAddress;
import io.nicup.ndis.NdisHost;
import io.nicup.ndis.NdisStatus;
import io.nicup.ndis.adapter.AdapterState;
import io.nicup.ndis.adapter.MiniportAdapter;
import io.nicup.ndis.config.RegistryPath;
import io.nicup.ndis.datapath.NetBufferListPool;
import io.nicup.ndis.driver.LoadedDriver;
import io.nicup.ndis.miniport.MiniportCatalog;
import io.nicup.ndis.miniport.core.InitFailure;
import io.nicup.ndis.miniport.core.NicDiagnostics;
import io.nicup.ndis.miniport.core.NicDriver;
import io.nicup.ndis.oid.NdisPacketFilter;
import io.nicup.ndis.oid.NdisStatisticsInfo;
import io.nicup.ndis.oid.Oid;
import io.nicup.ndis.oid.OidResult;
import io.nicup.ndis.protocol.FrameEdge;
import io.nicup.vfio.PciDevice;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * One device under the NDIS host with the miniport the catalog names for it: the documented bring-up
 * (DriverEntry, InitializeEx, Restart) and an orderly teardown (Pause, Halt, Unload) that {@link #close()}
 * always completes, so that no error leaves a DMA mapping or bus mastering on. A simulated device runs
 * on its own virtual clock (deterministic); a VFIO device on the system clock with interrupt threads.
 *
 * <p>{@link SessionOpener} makes one; {@link DevicePresence} says whether the device is still there,
 * {@link Teardown} ends the driver in order and finds the removal, and {@link RemovalFirst} picks the
 * failure the user hears.
 */
final class Session implements AutoCloseable {

    static final int DEFAULT_FILTER = NdisPacketFilter.DIRECTED | NdisPacketFilter.BROADCAST | NdisPacketFilter.MULTICAST;

    final String spec;
    final PciDevice device;
    final MockPciDevice mock;
    final NdisHost host;
    /** The catalog line of the device's family (model, driver name). */
    final MiniportCatalog.Entry family;
    final NicDriver driver;
    final FrameEdge edge = new FrameEdge();
    final LoadedDriver loaded;
    MiniportAdapter adapter;
    private NetBufferListPool sendPool;
    /** Whether the device is still there and still nicup's: the loops and the teardown ask it. */
    private final DevicePresence presence;
    /** Pause, Halt, Unload and the removal they found: run and read only under this session's monitor. */
    private final Teardown teardown;
    /** The --bind of this run, given back on close. */
    private final RunBinding binding;
    /** The --params file, or null. */
    private final Path params;
    private java.util.function.Consumer<String> parameterWarnings = w -> { };
    /** Asked by SIGINT/SIGTERM to stop the traffic early (see {@link StopSignal}); never by default. */
    private java.util.function.BooleanSupplier stop = () -> false;

    /**
     * Loads the driver (DriverEntry) for a device {@link SessionOpener} opened and matched; the session owns
     * {@code binding} from here on and gives the device back when it closes.
     */
    Session(String spec, PciDevice device, NdisHost host, MiniportCatalog.Entry family, RegistryPath registryPath,
            RunBinding binding, Path params) {
        this.spec = spec;
        this.family = family;
        this.driver = family.newDriver();
        this.device = device;
        this.mock = device instanceof MockPciDevice m ? m : null;
        this.host = host;
        this.loaded = driver.load(host, registryPath == null ? RegistryPath.empty(driver.name()) : registryPath);
        this.presence = new DevicePresence(device);
        this.teardown = new Teardown(spec, host, loaded, driver, presence);
        this.binding = binding;
        this.params = params;
    }

    boolean isMock() {
        return mock != null;
    }

    /** Called once the session has closed (after the teardown): --trace writes the trace here. */
    private java.util.function.Consumer<Session> closed = s -> { };
    private boolean closedOnce;

    void onClosed(java.util.function.Consumer<Session> then) {
        this.closed = then;
    }

    /** Where the parameter file's problems go once the driver has read it (see {@link ParameterWarnings}). */
    void onParameterWarning(java.util.function.Consumer<String> sink) {
        this.parameterWarnings = sink;
    }

    /** MiniportInitializeEx; a failure (the miniport already released everything) is HARDWARE. */
    MiniportAdapter initialize() {
        adapter = host.addAdapter(loaded, device, edge);
        if (params != null) {
            ParameterWarnings.of(params, loaded.name(), host.trace()).forEach(parameterWarnings);
        }
        if (adapter.initStatus() != NdisStatus.SUCCESS) {
            String reason = driver.initFailure(adapter).map(InitFailure::detail).orElse(null);
            throw new CliException(ExitCode.HARDWARE, "initialization failed: status="
                    + NdisStatus.name(adapter.initStatus()) + (reason == null ? "" : " reason=" + reason),
                    isMock() ? "the simulated NIC's fault did this: mock-device/README.md says what each fault does"
                            : "check the device (nicup info), reset it (nicup unbind --restore, then nicup bind), and"
                            + " see where the sequence stops with nicup bringup DEVICE --trace FILE");
        }
        return adapter;
    }

    /** Sets the packet filter and restarts; Running afterwards or HARDWARE. */
    void restart(int filter) {
        FrameEdge.setPacketFilter(host, adapter, filter);
        int status = host.restart(adapter);
        if (status != NdisStatus.SUCCESS || adapter.state() != AdapterState.RUNNING) {
            throw new CliException(ExitCode.HARDWARE, "restart failed: status=" + NdisStatus.name(status) + " state="
                    + adapter.state(), "rerun with --verbose and look at the trace (nicup bringup --trace)");
        }
    }

    boolean awaitLink(Duration timeout) {
        return driver.awaitLink(host, adapter, timeout);
    }

    /** Initialized, restarted and with the link up (HARDWARE otherwise): what the traffic commands need. */
    void running(int filter) {
        initialize();
        restart(filter);
        if (!awaitLink(Duration.ofSeconds(10))) {
            throw new CliException(ExitCode.HARDWARE, "link did not come up within 10 s: link_state=" + adapter.linkState(),
                    "check the cable and the link partner (nicup selftest runs the link test)");
        }
    }

    /** The speed of the link NDIS was told of, in bits per second; 0 while it is down or unknown. */
    long linkSpeedBps() {
        var link = adapter == null ? null : adapter.linkState();
        return link == null || link.mediaConnectState() != io.nicup.ndis.oid.MediaConnectState.MediaConnectStateConnected
                ? 0 : link.xmitLinkSpeed();
    }

    /** What a traffic summary needs to know of the clock it was timed on and the link it ran over. */
    TrafficSummary.Timing timing(long elapsedNanos) {
        return new TrafficSummary.Timing(elapsedNanos, virtualTime(), linkSpeedBps());
    }

    /**
     * Whether the device clock (the trace's, the waits', every time nicup measures on the device) is
     * virtual: a simulated NIC's is, and what nicup prints from it says so ({@link VirtualTime}).
     */
    boolean virtualTime() {
        return isMock();
    }

    NicDiagnostics diagnostics() {
        return driver.diagnostics(host, adapter);
    }

    int mtu() {
        return adapter.generalAttributes().mtuSize();
    }

    MacAddress currentMac() {
        return adapter.generalAttributes().currentMacAddress();
    }

    /** Lets time pass: virtual time (timers and polled interrupts) on the mock, wall-clock sleep otherwise. */
    void pump(Duration d) {
        if (isMock()) {
            host.idle(d);
        } else {
            try {
                Thread.sleep(d);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new CliException(ExitCode.INTERRUPTED, "interrupted", "");
            }
        }
    }

    /** See {@link DevicePresence#deviceGone()}. One config read. */
    boolean deviceGone() {
        return presence.deviceGone();
    }

    /** See {@link DevicePresence#vanished()}: the hardware itself is gone. One config read. */
    boolean vanished() {
        return presence.vanished();
    }

    /** See {@link DevicePresence#knownGone()}: no config read, for the send loop. */
    boolean knownGone() {
        return presence.knownGone();
    }

    /** This run asks for the device's removal itself: the kernel's request then ends no command with exit 8. */
    void expectRemoval() {
        teardown.expectRemoval();
    }

    /** {@link #deviceGone()} at most every 100 ms of device time: for loops that wait on traffic. */
    boolean deviceGoneLately() {
        return presence.deviceGoneLately(nanoTime());
    }

    /**
     * The surprise removal the teardown handled, or null: whatever else failed on the way, this is what
     * the user must hear (see {@link #run}).
     */
    synchronized CliException removal() {
        return teardown.removal();
    }

    /**
     * Runs {@code body} on this session and closes it (teardown, host, device, binding), also when the
     * body fails. When the device went away, the removal is the failure the user hears and what failed
     * because of it rides along as suppressed; a removal found by a run that otherwise succeeded is left
     * for the command to raise once it has printed what it found ({@link #removal()}).
     */
    <T> T run(java.util.function.Function<Session, T> body) {
        T result;
        try {
            result = body.apply(this);
        } catch (RuntimeException e) {
            try {
                close();
            } catch (RuntimeException c) {
                e.addSuppressed(c);
            }
            throw removedInstead(e);
        }
        try {
            close();
        } catch (RuntimeException e) {
            throw removedInstead(e);
        }
        return result;
    }

    /**
     * The end of a command that printed what it found: the removal the teardown handled if any (the
     * other failure rides along), else {@code failure}, else the interruption; exit 0 otherwise.
     */
    int finish(CliException failure, boolean interrupted) {
        return RemovalFirst.finish(removal(), failure, interrupted);
    }

    private RuntimeException removedInstead(RuntimeException e) {
        return RemovalFirst.instead(removal(), e);
    }

    /** Traffic loops end early once {@code stop} says so (a signal): the caller then tears down and reports. */
    void stopWhen(java.util.function.BooleanSupplier stop) {
        this.stop = stop;
    }

    boolean stopRequested() {
        return stop.getAsBoolean();
    }

    /** What the driver wrote to the NDIS error log (a masked interrupt storm, ...), oldest first. */
    List<String> driverErrorLog() {
        return adapter == null ? List.of() : adapter.errorLog();
    }

    long nanoTime() {
        return host.clock().nanoTime();
    }

    NetBufferListPool sendPool() {
        return sendPool(0);
    }

    /** The send pool, its buffers holding frames of {@code largest} bytes too when it is made now (large sends). */
    NetBufferListPool sendPool(int largest) {
        if (sendPool == null) {
            sendPool = host.allocateSendPool(adapter, 256, Math.max(Math.max(2048, mtu() + 18), largest));
        }
        return sendPool;
    }

    /** OID_GEN_STATISTICS. */
    NdisStatisticsInfo statistics() {
        OidResult r = host.query(adapter, Oid.GEN_STATISTICS, NdisStatisticsInfo.SIZEOF_REVISION_1).join();
        if (r.status() != NdisStatus.SUCCESS) {
            throw new CliException(ExitCode.HARDWARE, "OID_GEN_STATISTICS failed: status=" + NdisStatus.name(r.status()),
                    "rerun with --verbose");
        }
        return NdisStatisticsInfo.read(r.request().informationBuffer(), 0);
    }

    /** Pause (if Running), Halt (if live), Unload (if loaded): each step once, in order, traced. */
    void teardown() {
        teardown(null);
    }

    /**
     * The teardown, and what {@code read} reads from a device the kernel asked back (still present, its
     * counters true): read once the removal's pause has completed every send, before the halt and the
     * release. Null when the device vanished (all-ones: what it counted is unknown), no removal was asked
     * for, or the reading failed.
     */
    <T> T teardownReading(java.util.function.Supplier<T> read) {
        List<T> got = new java.util.ArrayList<>(1);
        teardown(() -> {
            try {
                got.add(read.get());
            } catch (RuntimeException e) {
                // not read: the summary says unknown rather than a number it cannot know
            }
        });
        return got.isEmpty() ? null : got.getFirst();
    }

    private synchronized void teardown(Runnable whilePaused) {
        teardown.run(adapter, whilePaused);
    }

    @Override
    public synchronized void close() {
        try {
            teardown();
        } finally {
            try {
                host.close();     // force-releases whatever a failed teardown left
            } finally {
                try {
                    device.close();   // interrupts off, bus master off, every DMA region freed, lock released
                } finally {
                    binding.close();  // --bind: back to the driver it had (needs the device lock free)
                    if (!closedOnce) {
                        closedOnce = true;
                        closed.accept(this);
                    }
                }
            }
        }
    }
}

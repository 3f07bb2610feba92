package io.nicup.cli;

import io.nicup.mock.MockPciDevice;
import io.nicup.ndis.MacAddress;
import io.nicup.ndis.NdisException;
import io.nicup.ndis.NdisHost;
import io.nicup.ndis.NdisStatus;
import io.nicup.ndis.adapter.AdapterState;
import io.nicup.ndis.adapter.HaltAction;
import io.nicup.ndis.adapter.MiniportAdapter;
import io.nicup.ndis.config.RegistryPath;
import io.nicup.ndis.datapath.NetBufferListPool;
import io.nicup.ndis.driver.LoadedDriver;
import io.nicup.ndis.miniport.MiniportCatalog;
import io.nicup.ndis.miniport.Miniports;
import io.nicup.ndis.miniport.core.InitFailure;
import io.nicup.ndis.miniport.core.NicDiagnostics;
import io.nicup.ndis.miniport.core.NicDriver;
import io.nicup.ndis.oid.NdisPacketFilter;
import io.nicup.ndis.oid.NdisStatisticsInfo;
import io.nicup.ndis.oid.Oid;
import io.nicup.ndis.oid.OidResult;
import io.nicup.ndis.protocol.FrameEdge;
import io.nicup.ndis.trace.VerifierMode;
import io.nicup.vfio.PciDevice;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * One device under the NDIS host with the miniport the catalog names for it: the documented bring-up
 * (DriverEntry, InitializeEx, Restart) and an orderly teardown (Pause, Halt, Unload) that {@link #close()}
 * always completes, so that no error leaves a DMA mapping or bus mastering on. A simulated device runs
 * on its own virtual clock (deterministic); a VFIO device on the system clock with interrupt threads.
 */
final class Session implements AutoCloseable {

    /** A parameter file holds a few dozen lines; anything over 1 MiB is the wrong file. */
    static final long MAX_PARAMETER_FILE = 1L << 20;

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
    private boolean tornDown;
    /** The surprise removal a teardown of this thread found, for the error reporter (see {@link #takeRemoval}). */
    private static final ThreadLocal<CliException> REMOVAL = new ThreadLocal<>();
    private long lastPresenceCheck = Long.MIN_VALUE;
    private boolean gone;
    /** The --bind of this run, given back on close. */
    private RunBinding binding = RunBinding.NONE;
    /** Asked by SIGINT/SIGTERM to stop the traffic early (see {@link StopSignal}); never by default. */
    private java.util.function.BooleanSupplier stop = () -> false;

    private Session(String spec, PciDevice device, NdisHost host, MiniportCatalog.Entry family, RegistryPath registryPath) {
        this.spec = spec;
        this.family = family;
        this.driver = family.newDriver();
        this.device = device;
        this.mock = device instanceof MockPciDevice m ? m : null;
        this.host = host;
        this.loaded = driver.load(host, registryPath == null ? RegistryPath.empty(driver.name()) : registryPath);
    }

    /** Opens {@code spec}, checks the catalog has a driver for it and loads the driver (DriverEntry). */
    static Session open(Environment env, String spec, Path params) {
        return open(env, spec, params, RunBinding.NONE);
    }

    /**
     * Same, for a device {@code binding} put on vfio-pci for this run: the session owns the binding from
     * here on and gives the device back when it closes (or now, when the open fails).
     */
    static Session open(Environment env, String spec, Path params, RunBinding binding) {
        PciDevice device;
        RegistryPath registryPath;
        try {
            registryPath = registryPath(params);
            device = DeviceOpener.open(env, spec);
        } catch (RuntimeException e) {
            giveBack(binding, e);
            throw e;
        }
        NdisHost host = null;
        try {
            if (device.identity().vendorId() == 0xFFFF) {
                // Config space reads all-ones: nothing answers at this address any more (PCI Local Bus
                // Specification 3.0, 6.2.1: 0xFFFF is never a valid vendor ID).
                throw new CliException(ExitCode.HARDWARE, "device reads all-ones: spec=" + spec
                        + " vendor_id=0xffff", "the device is gone (surprise removal, powered off or hung):"
                        + " check `nicup list` and the kernel log, then rescan or reseat it");
            }
            Optional<MiniportCatalog.Entry> entry = Miniports.CATALOG.find(device.identity());
            if (entry.isEmpty()) {
                throw new CliException(ExitCode.NOT_SUPPORTED, String.format("no driver for device %04x:%04x: spec=%s",
                        device.identity().vendorId(), device.identity().deviceId(), spec), "nicup drives "
                        + Miniports.CATALOG.entries().stream().map(MiniportCatalog.Entry::toString)
                                .collect(Collectors.joining(", ")));
            }
            NdisHost.Options options = device instanceof MockPciDevice m
                    ? NdisHost.Options.deterministic(m.clock()).withVerifierMode(VerifierMode.RECORD)
                    : NdisHost.Options.defaults();
            host = new NdisHost(options);
            Session s = new Session(spec, device, host, entry.get(), registryPath);
            s.binding = binding;
            return s;
        } catch (RuntimeException e) {
            try {
                if (host != null) {
                    host.close();
                }
            } catch (RuntimeException suppressed) {
                e.addSuppressed(suppressed);
            } finally {
                try {
                    device.close();
                } finally {
                    giveBack(binding, e);
                }
            }
            throw e;
        }
    }

    /** After a failed open: the device back to its driver; a failure to do so rides along with the cause. */
    private static void giveBack(RunBinding binding, RuntimeException cause) {
        try {
            binding.close();
        } catch (RuntimeException e) {
            cause.addSuppressed(e);
        }
    }

    private static RegistryPath registryPath(Path params) {
        if (params == null) {
            return null;   // an empty one under the driver's name
        }
        if (!Files.isRegularFile(params)) {
            throw new CliException(ExitCode.USAGE, "parameter file not found: file=" + params, "check the path");
        }
        long size;
        try {
            size = Files.size(params);
        } catch (java.io.IOException e) {
            throw new CliException(ExitCode.USAGE, "cannot read parameter file: file=" + params + " error=" + e.getMessage(),
                    "check the path and its permissions");
        }
        if (size > MAX_PARAMETER_FILE) {   // read whole: a wrong path must not fill the heap
            throw new CliException(ExitCode.USAGE, "parameter file too large: file=" + params + " bytes=" + size
                    + " limit=" + MAX_PARAMETER_FILE, "give the driver's parameter file (KEYWORD = VALUE per line)");
        }
        try {
            return RegistryPath.load(params);
        } catch (NdisException e) {
            throw new CliException(ExitCode.USAGE, "invalid parameter file: file=" + params + " error="
                    + e.getMessage(), "fix the file (format: KEYWORD = VALUE per line)");
        }
    }

    boolean isMock() {
        return mock != null;
    }

    /** MiniportInitializeEx; a failure (the miniport already released everything) is HARDWARE. */
    MiniportAdapter initialize() {
        adapter = host.addAdapter(loaded, device, edge);
        if (adapter.initStatus() != NdisStatus.SUCCESS) {
            String reason = driver.initFailure(adapter).map(InitFailure::detail).orElse(null);
            throw new CliException(ExitCode.HARDWARE, "initialization failed: status="
                    + NdisStatus.name(adapter.initStatus()) + (reason == null ? "" : " reason=" + reason),
                    "check the device (nicup info), reset it (nicup unbind/bind) and rerun with --trace");
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

    /**
     * Whether the device has vanished: its config space reads all-ones (PCI Local Bus Specification 3.0,
     * 6.2.1: 0xFFFF is never a vendor ID), as after a surprise removal. One config read.
     */
    boolean deviceGone() {
        if (!gone) {
            try {
                gone = device.config().read16(0) == 0xFFFF;
            } catch (RuntimeException e) {
                gone = true;                                 // the config space itself is gone
            }
        }
        return gone;
    }

    /** {@link #deviceGone()} at most every 100 ms of device time: for loops that wait on traffic. */
    boolean deviceGoneLately() {
        long now = nanoTime();
        if (lastPresenceCheck != Long.MIN_VALUE && now - lastPresenceCheck < 100_000_000L) {
            return gone;
        }
        lastPresenceCheck = now;
        return deviceGone();
    }

    /**
     * The surprise removal the last teardown on this thread handled, once: whatever else failed on the
     * way, this is what the user must hear (the error reporter asks before printing anything else).
     */
    static CliException takeRemoval() {
        CliException e = REMOVAL.get();
        REMOVAL.remove();
        return e;
    }

    /** Traffic loops end early once {@code stop} says so (a signal): the caller then tears down and reports. */
    void stopWhen(java.util.function.BooleanSupplier stop) {
        this.stop = stop;
    }

    boolean stopRequested() {
        return stop.getAsBoolean();
    }

    /**
     * The first DMA access the IOMMU refused during this session, as the HARDWARE failure the user sees,
     * or null. Only the simulated IOMMU reports its faults to nicup; with VFIO the kernel logs them
     * (DMAR/AMD-Vi) and the device sees a failed transaction.
     */
    CliException iommuFault() {
        if (mock == null || mock.dmaFaults().isEmpty()) {
            return null;
        }
        var f = mock.dmaFaults().getFirst();
        return new CliException(ExitCode.HARDWARE, String.format("IOMMU fault: the device %s outside its DMA mappings:"
                + " iova=0x%x length=%d context=%s faults=%d", f.write() ? "wrote" : "read", f.iova(), f.length(),
                f.context(), mock.dmaAllocator().faultCount()), "the transfer was blocked (the counts above say what"
                + " arrived): reset the device (nicup unbind, nicup bind) and check the kernel log");
    }

    /** What the driver wrote to the NDIS error log (a masked interrupt storm, ...), oldest first. */
    List<String> driverErrorLog() {
        return adapter == null ? List.of() : adapter.errorLog();
    }

    long nanoTime() {
        return host.clock().nanoTime();
    }

    NetBufferListPool sendPool() {
        if (sendPool == null) {
            sendPool = host.allocateSendPool(adapter, 256, Math.max(2048, mtu() + 18));
        }
        return sendPool;
    }

    /**
     * What {@link #send} did: {@code submitted} frames were handed to NDIS (the first ones: fewer than
     * asked when stopped or when the device went away), {@code completed} of them came back before it returned.
     */
    record Sent(int submitted, long completed) {
    }

    /**
     * Sends {@code frames} (at {@code rate} frames per second of device-clock time, 0 = as fast as the
     * ring takes them) and waits up to 10 s for every completion. When the device goes away it stops
     * at once: what it held completes with the teardown, which the caller runs before counting.
     */
    Sent send(List<byte[]> frames, int rate, Runnable progress) {
        long before = edge.completedOk() + edge.completedFailed();
        long start = nanoTime();
        int next = 0;
        long deadline = Long.MAX_VALUE;
        while (next < frames.size() && !stopRequested() && !gone) {
            int end = rate > 0 ? next + 1 : Math.min(frames.size(), next + 64);
            if (rate > 0) {
                long due = start + (long) next * 1_000_000_000L / rate;
                while (nanoTime() - due < 0) {
                    pump(Duration.ofNanos(Math.min(1_000_000, due - nanoTime())));
                }
            }
            int n = FrameEdge.send(host, adapter, sendPool(), frames.subList(next, end));
            next += n;
            if (n == 0) {
                if (deviceGoneLately()) {
                    break;                                   // nothing will complete: the teardown says why
                }
                if (deadline == Long.MAX_VALUE) {
                    deadline = nanoTime() + 10_000_000_000L;
                } else if (nanoTime() - deadline > 0) {
                    throw new CliException(ExitCode.HARDWARE, "send stalled: no send completed for 10 s: sent=" + next,
                            "check the link and run nicup selftest");
                }
                pump(Duration.ofMillis(1));
            } else {
                deadline = Long.MAX_VALUE;
                if (isMock()) {
                    pump(Duration.ofNanos(1000));
                }
            }
            progress.run();
        }
        // Bounded by progress: 10 s without a completion (a CheckForHang reset takes a few seconds per hang).
        long wait = nanoTime() + 10_000_000_000L;
        long seen = edge.completedOk() + edge.completedFailed();
        while (seen - before < next && nanoTime() - wait < 0 && !deviceGoneLately()) {
            pump(Duration.ofMillis(1));
            long now = edge.completedOk() + edge.completedFailed();
            if (now != seen) {
                seen = now;
                wait = nanoTime() + 10_000_000_000L;
            }
        }
        progress.run();
        return new Sent(next, edge.completedOk() + edge.completedFailed() - before);
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
    synchronized void teardown() {
        if (tornDown) {
            return;
        }
        tornDown = true;
        if (adapter != null && adapter.state().isLive() && deviceGone()) {
            // What the PnP manager does when the bus loses a device: MiniportDevicePnPEventNotify
            // (SurpriseRemoved), then Pause and MiniportHaltEx(NdisHaltDeviceSurpriseRemoved).
            try {
                host.surpriseRemove(adapter);
            } finally {
                REMOVAL.set(new CliException(ExitCode.HARDWARE, "device removed: it reads all-ones: spec=" + spec
                        + " vendor_id=0xffff (surprise removal): adapter halted with NdisHaltDeviceSurpriseRemoved",
                        "the device is gone (surprise removal, powered off or hung): check `nicup list` and the"
                        + " kernel log, then rescan or reseat it"));
            }
        }
        try {
            if (adapter != null && adapter.state() == AdapterState.RUNNING) {
                host.pause(adapter);
                host.awaitState(adapter, AdapterState.PAUSED, Duration.ofSeconds(5));
            }
        } finally {
            try {
                if (adapter != null && adapter.state().isLive()) {
                    host.halt(adapter, HaltAction.NdisHaltDeviceDisabled);
                }
            } finally {
                if (loaded.phase() == LoadedDriver.Phase.LOADED) {
                    host.unloadDriver(loaded);
                }
            }
        }
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
                }
            }
        }
    }
}

package io.nicup.ndis.adapter;

import io.nicup.ndis.NdisCall;
import io.nicup.ndis.NdisException;
import io.nicup.ndis.NdisHost;
import io.nicup.ndis.NdisInternal;
import io.nicup.ndis.NdisStatus;
import io.nicup.ndis.driver.LoadedDriver;
import io.nicup.ndis.host.HostPart;
import io.nicup.ndis.host.HostServices;
import io.nicup.ndis.protocol.NdisProtocolEdge;
import io.nicup.ndis.trace.NdisTrace;
import io.nicup.ndis.trace.Rule;
import io.nicup.ndis.trace.Violation;
import io.nicup.vfio.PciDevice;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Brings an adapter up and takes it down: MiniportInitializeEx with the device's resources (then Paused,
 * or Halted with everything the miniport left released and reported by name), and MiniportHaltEx with
 * the leak and release-order checks that follow it.
 */
@NdisInternal
public final class AdapterInitializer extends HostPart {

    private final NdisHost host;
    private final List<LoadedDriver> drivers;
    private final HangWatchdog watchdog;
    private int nextIfIndex = 1;

    public AdapterInitializer(HostServices services, NdisHost host, List<LoadedDriver> drivers, HangWatchdog watchdog) {
        super(services);
        this.host = host;
        this.drivers = drivers;
        this.watchdog = watchdog;
    }

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
            MiniportAdapter a = new MiniportAdapter(host, driver, device, protocolEdge, nextIfIndex++);
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

    void initialize(MiniportAdapter a) {
        LoadedDriver d = a.driver();
        long luid = ((long) MiniportAdapterAttributes.General.IF_TYPE_ETHERNET_CSMACD << 48) | ((long) a.ifIndex() << 24);
        InitParameters params = new InitParameters(0, AllocatedResources.of(a.device()), a.ifIndex(), luid,
                a.device().address(), a.device().identity());
        a.lifecycle.transition(AdapterState.Event.INITIALIZE_CALLED);
        a.lifecycle.inInitialize = true;
        int status;
        try {
            status = invoker.invokeStatus(NdisCall.MiniportInitializeEx, d, a, Map.of(),
                    () -> d.characteristics.initializeHandlerEx().initializeEx(a.handle, d.driverContext, params));
        } catch (RuntimeException e) {
            a.lifecycle.inInitialize = false;
            a.lifecycle.transition(AdapterState.Event.INITIALIZE_FAILED);
            a.lifecycle.initStatus = NdisStatus.FAILURE;
            a.resources.forceRelease(trace, a);
            throw e;
        }
        a.lifecycle.inInitialize = false;
        List<Violation> found = new ArrayList<>();
        if (status == NdisStatus.SUCCESS) {
            if (a.generalAttributes() == null || a.lifecycle.initViolations > 0) {
                if (a.generalAttributes() == null) {
                    found.add(verifier.record(Rule.ATTR_GENERAL_MANDATORY, d.name(), a.name(), "general=missing"));
                }
                a.lifecycle.transition(AdapterState.Event.INITIALIZE_FAILED);
                a.lifecycle.initStatus = NdisStatus.FAILURE;
                callHalt(a, HaltAction.NdisHaltDeviceInitializationFailed, found);
            } else {
                a.resources.ledger.clearTeardown();
                a.lifecycle.initStatus = NdisStatus.SUCCESS;
                a.lifecycle.transition(AdapterState.Event.INITIALIZE_SUCCEEDED);
                watchdog.startCheckForHang(a);
            }
        } else {
            if (status != NdisStatus.NOT_ACCEPTED && status != NdisStatus.RESOURCES && status != NdisStatus.FAILURE) {
                found.add(verifier.record(Rule.INIT_STATUS, d.name(), a.name(), "status=" + NdisStatus.describe(status)));
            }
            a.lifecycle.initStatus = NdisStatus.isError(status) ? status : NdisStatus.FAILURE;
            a.lifecycle.transition(AdapterState.Event.INITIALIZE_FAILED);
            recordTeardownProblems(a, found);
            for (ResourceLedger.Entry leaked : a.resources.forceRelease(trace, a)) {
                found.add(verifier.record(Rule.INIT_FAILURE_RELEASES, d.name(), a.name(), "leaked=" + leaked.name));
            }
        }
        verifier.raise(found);
    }

    /** MiniportHaltEx, then the leak check; the adapter is already Halted. */
    void callHalt(MiniportAdapter a, HaltAction action, List<Violation> found) {
        LoadedDriver d = a.driver();
        watchdog.stopCheckForHang(a);
        a.lifecycle.inHalt = true;
        try {
            invoker.invokeVoid(NdisCall.MiniportHaltEx, d, a, () -> d.characteristics.haltHandlerEx().haltEx(a.miniportContext(), action));
        } catch (RuntimeException e) {
            a.lifecycle.inHalt = false;
            a.resources.forceRelease(trace, a);
            throw e;
        }
        a.lifecycle.inHalt = false;
        recordTeardownProblems(a, found);
        for (ResourceLedger.Entry leaked : a.resources.forceRelease(trace, a)) {
            found.add(verifier.record(Rule.HALT_RELEASES, d.name(), a.name(), "leaked=" + leaked.name));
        }
    }

    void recordTeardownProblems(MiniportAdapter a, List<Violation> found) {
        for (ResourceLedger.Problem p : a.resources.ledger.teardownProblems()) {
            found.add(verifier.record(p.rule(), a.driver().name(), a.name(), p.detail()));
        }
    }
}

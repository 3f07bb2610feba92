package io.nicup.ndis.driver;

import io.nicup.ndis.NdisCall;
import io.nicup.ndis.NdisException;
import io.nicup.ndis.NdisHost;
import io.nicup.ndis.NdisInternal;
import io.nicup.ndis.NdisStatus;
import io.nicup.ndis.adapter.AdapterState;
import io.nicup.ndis.adapter.MiniportAdapter;
import io.nicup.ndis.config.RegistryPath;
import io.nicup.ndis.host.HostPart;
import io.nicup.ndis.host.HostServices;
import io.nicup.ndis.trace.NdisTrace;
import io.nicup.ndis.trace.Rule;
import io.nicup.ndis.trace.Violation;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Loads and unloads miniport drivers: creates the driver object, calls DriverEntry and checks that it
 * registered (or deregistered on failure); MiniportDriverUnload only after every adapter is halted, and
 * it must deregister. Knows the drivers of this host, so a DDI can find the driver behind its object.
 */
@NdisInternal
public final class DriverLoader extends HostPart {

    private final NdisHost host;
    private final List<LoadedDriver> drivers;

    public DriverLoader(HostServices services, NdisHost host, List<LoadedDriver> drivers) {
        super(services);
        this.host = host;
        this.drivers = drivers;
    }

    public LoadedDriver loadDriver(String name, MiniportDriverEntry driverEntry, RegistryPath registryPath) {
        synchronized (control) {
            verifier.rethrowDeferred();
            LoadedDriver d = new LoadedDriver(host, name, new DriverObject(name, host.ndis()), registryPath, driverEntry);
            drivers.add(d);
            NdisTrace.Span span = trace.begin(NdisCall.LoadDriver, name, "", Map.of("registry_path", registryPath.path()));
            int status = NdisStatus.FAILURE;
            try {
                status = invoker.invokeStatus(NdisCall.DriverEntry, d, null, Map.of(),
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
                    invoker.invokeVoid(NdisCall.MiniportDriverUnload, driver, null,
                            () -> driver.characteristics.unloadHandler().unload(driver.driverObject));
                } finally {
                    driver.phase = LoadedDriver.Phase.UNLOADED;
                    for (MiniportAdapter a : driver.adapters) {
                        a.resources.forceRelease(trace, a);
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

    LoadedDriver driverOf(DriverObject driverObject) {
        for (LoadedDriver d : drivers) {
            if (d.driverObject == driverObject) {
                return d;
            }
        }
        throw new NdisException("driver object unknown to this NDIS instance: driver_object=" + driverObject);
    }
}

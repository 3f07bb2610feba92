package io.nicup.ndis;

import io.nicup.ndis.adapter.AdapterLifecycle;
import io.nicup.ndis.adapter.HaltAction;
import io.nicup.ndis.adapter.MiniportAdapter;
import io.nicup.ndis.driver.DriverLoader;
import io.nicup.ndis.driver.LoadedDriver;
import io.nicup.ndis.host.HostScheduler;
import io.nicup.ndis.trace.NdisTrace;
import java.util.List;

/**
 * The end of a host ({@link NdisHost#close()}): halts every live adapter, releases what the others still
 * hold, unloads every loaded driver and stops the scheduler, trying every step and throwing the first
 * failure with the rest suppressed.
 */
final class HostTeardown {

    private HostTeardown() {
    }

    static void close(List<LoadedDriver> drivers, AdapterLifecycle lifecycle, DriverLoader loader,
            HostScheduler scheduler, NdisTrace trace) {
        RuntimeException first = null;
        for (LoadedDriver d : drivers) {
            for (MiniportAdapter a : d.adapters) {
                try {
                    if (a.state().isLive()) {
                        lifecycle.halt(a, HaltAction.NdisHaltDeviceStopped);
                    } else {
                        a.resources.forceRelease(trace, a);
                    }
                } catch (RuntimeException e) {
                    first = keep(first, e);
                    try {
                        a.resources.forceRelease(trace, a);
                    } catch (RuntimeException e2) {
                        first = keep(first, e2);
                    }
                }
            }
            try {
                if (d.phase == LoadedDriver.Phase.LOADED) {
                    loader.unloadDriver(d);
                }
            } catch (RuntimeException e) {
                first = keep(first, e);
            }
        }
        scheduler.stop();
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

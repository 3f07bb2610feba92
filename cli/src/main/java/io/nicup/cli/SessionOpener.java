package io.nicup.cli;

import io.nicup.mock.MockPciDevice;
import io.nicup.ndis.HostOptions;
import io.nicup.ndis.NdisHost;
import io.nicup.ndis.config.RegistryPath;
import io.nicup.ndis.miniport.MiniportCatalog;
import io.nicup.ndis.trace.VerifierMode;
import io.nicup.vfio.PciDevice;
import java.nio.file.Path;

/**
 * Opens a {@link Session}: the parameter file, the device, its miniport, the NDIS host on the right clock
 * and the loaded driver. A step that fails undoes the ones before it (host, device, --bind), so a bad
 * DEVICE or --params changes nothing.
 */
final class SessionOpener {

    private SessionOpener() {
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
            registryPath = ParameterFile.load(params);
            device = DeviceOpener.open(env, spec);
        } catch (RuntimeException e) {
            giveBack(binding, e);
            throw e;
        }
        NdisHost host = null;
        try {
            MiniportCatalog.Entry family = DriverMatch.of(device, spec);
            HostOptions options = device instanceof MockPciDevice m
                    ? HostOptions.deterministic(m.clock()).withVerifierMode(VerifierMode.RECORD)
                    : HostOptions.defaults();
            host = new NdisHost(options);
            return new Session(spec, device, host, family, registryPath, binding, params);
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
}

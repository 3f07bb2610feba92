package io.nicup.ndis.driver;

import io.nicup.ndis.NdisHost;
import io.nicup.ndis.NdisInternal;
import io.nicup.ndis.NdisStatus;
import io.nicup.ndis.NdisVersion;
import io.nicup.ndis.adapter.MiniportAdapter;
import io.nicup.ndis.config.RegistryPath;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A miniport driver the host loaded (NDIS's miniport driver block): its DriverEntry status, its copy of
 * the characteristics and its adapters. Returned by {@link NdisHost#loadDriver}.
 */
public final class LoadedDriver {

    /** Where the driver is in its life. */
    public enum Phase {
        /** DriverEntry is running. */
        LOADING,
        /** DriverEntry succeeded with the driver registered. */
        LOADED,
        /** DriverEntry failed; nothing more happens. */
        FAILED,
        /** MiniportDriverUnload is running. */
        UNLOADING,
        UNLOADED
    }

    final NdisHost host;
    private final String name;
    final DriverObject driverObject;
    @NdisInternal
    public final RegistryPath registryPath;
    final MiniportDriverEntry entry;
    @NdisInternal
    public final List<MiniportAdapter> adapters = new CopyOnWriteArrayList<>();

    @NdisInternal
    public volatile Phase phase = Phase.LOADING;
    /** Set while NdisMRegisterMiniportDriver runs (MiniportSetOptions may call back). */
    volatile boolean registering;
    volatile boolean registered;
    volatile boolean deregistered;
    @NdisInternal
    public MiniportDriverCharacteristics<Object, Object> characteristics;
    @NdisInternal
    public Object driverContext;
    NdisDriverHandle handle;
    volatile int driverEntryStatus = NdisStatus.PENDING;

    LoadedDriver(NdisHost host, String name, DriverObject driverObject, RegistryPath registryPath,
            MiniportDriverEntry entry) {
        this.host = host;
        this.name = name;
        this.driverObject = driverObject;
        this.registryPath = registryPath;
        this.entry = entry;
    }

    public String name() {
        return name;
    }

    public Phase phase() {
        return phase;
    }

    /** What DriverEntry returned (PENDING while it runs). */
    public int driverEntryStatus() {
        return driverEntryStatus;
    }

    /** Registered with NDIS and not deregistered. */
    public boolean registered() {
        return registered && !deregistered;
    }

    public boolean deregistered() {
        return deregistered;
    }

    /** The NDIS version the driver registered with, or null. */
    public NdisVersion ndisVersion() {
        MiniportDriverCharacteristics<Object, Object> c = characteristics;
        return c == null ? null : c.ndisVersion();
    }

    public RegistryPath registryPath() {
        return registryPath;
    }

    public List<MiniportAdapter> adapters() {
        return List.copyOf(adapters);
    }

    @Override
    public String toString() {
        return "LoadedDriver{" + name + " " + phase + "}";
    }
}

package io.nicup.ndis.config;

import io.nicup.ndis.Ndis;
import java.nio.file.Path;

/**
 * The registry path passed to DriverEntry: where the driver's parameters live. In nicup it names a
 * {@link ParameterStore}, a file in the format documented there, with a driver-wide section and one
 * section per adapter. The miniport reads it in MiniportInitializeEx through
 * {@link Ndis#NdisOpenConfigurationEx(NdisAdapterHandle)} and {@link Ndis#NdisReadConfiguration}.
 */
public final class RegistryPath {

    private final String path;
    private final ParameterStore store;

    private RegistryPath(String path, ParameterStore store) {
        this.path = path;
        this.store = store;
    }

    /** A path backed by a parameter file. */
    public static RegistryPath load(Path file) {
        return new RegistryPath(file.toString(), ParameterStore.load(file));
    }

    /** A path backed by parameters already parsed (or built in a test). */
    public static RegistryPath of(String path, ParameterStore store) {
        return new RegistryPath(path, store);
    }

    /** A path with no parameters: every keyword reads its default. */
    public static RegistryPath empty(String driverName) {
        return new RegistryPath("nicup:/drivers/" + driverName, ParameterStore.empty("nicup:/drivers/" + driverName));
    }

    public String path() {
        return path;
    }

    public ParameterStore store() {
        return store;
    }

    @Override
    public String toString() {
        return path;
    }
}

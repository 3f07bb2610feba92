package io.nicup.ndis.driver;

import io.nicup.ndis.Ndis;

/**
 * NdisMiniportDriverHandle: what {@link Ndis#NdisMRegisterMiniportDriver} returns and
 * {@link Ndis#NdisMDeregisterMiniportDriver} takes. Opaque to the miniport.
 */
public final class NdisDriverHandle {

    final LoadedDriver driver;

    NdisDriverHandle(LoadedDriver driver) {
        this.driver = driver;
    }

    @Override
    public String toString() {
        return "NdisDriverHandle{" + driver.name() + "}";
    }
}

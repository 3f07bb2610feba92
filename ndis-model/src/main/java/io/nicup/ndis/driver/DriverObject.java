package io.nicup.ndis.driver;

import io.nicup.ndis.Ndis;

/**
 * The driver object the host creates when it loads a miniport and passes to DriverEntry (docs/ndis-contract.md §1.1:
 * "pointer to the driver object, which was created by the I/O system"). The miniport passes it
 * on to {@link Ndis#NdisMRegisterMiniportDriver}. {@link #ndis()} is how a miniport reaches the NDIS
 * library it is linked against.
 */
public final class DriverObject {

    private final String driverName;
    private final Ndis ndis;

    DriverObject(String driverName, Ndis ndis) {
        this.driverName = driverName;
        this.ndis = ndis;
    }

    /** The name the host loaded the driver under. */
    public String driverName() {
        return driverName;
    }

    /** The NDIS library: every NdisXxx call a miniport makes. */
    public Ndis ndis() {
        return ndis;
    }

    @Override
    public String toString() {
        return "DriverObject{" + driverName + "}";
    }
}

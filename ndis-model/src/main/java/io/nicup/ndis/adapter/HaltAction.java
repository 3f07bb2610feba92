package io.nicup.ndis.adapter;

/** NDIS_HALT_ACTION, in ndis.h enumeration order (docs/ndis-contract.md §4); {@link #value()} is the C value. */
public enum HaltAction {
    NdisHaltDeviceDisabled,
    NdisHaltDeviceInstanceDeInitialized,
    NdisHaltDevicePoweredDown,
    NdisHaltDeviceSurpriseRemoved,
    NdisHaltDeviceFailed,
    NdisHaltDeviceInitializationFailed,
    NdisHaltDeviceStopped;

    public int value() {
        return ordinal();
    }
}

package io.nicup.ndis.adapter;

/** NDIS_DEVICE_PNP_EVENT values nicup can deliver (names only; the C numbering is not relied on). */
public enum DevicePnPEvent {
    NdisDevicePnPEventQueryRemoved,
    NdisDevicePnPEventRemoved,
    NdisDevicePnPEventSurpriseRemoved,
    NdisDevicePnPEventQueryStopped,
    NdisDevicePnPEventStopped
}

package io.nicup.ndis.driver;

import io.nicup.ndis.adapter.DevicePnPEvent;

/** MiniportDevicePnPEventNotify: PnP events such as surprise removal, before the halt that follows. */
@FunctionalInterface
public interface MiniportDevicePnPEventNotify<A> {

    void devicePnPEventNotify(A miniportAdapterContext, DevicePnPEvent event);
}

package io.nicup.ndis.miniport.core;

import io.nicup.vfio.DeviceAccessException;

/**
 * The function's configuration space says something no conforming device says (a capability chain that
 * loops or leaves the space, an MSI-X table outside its BAR): a HARDWARE failure that MiniportInitializeEx
 * reports as its reason, with {@code key=value} detail.
 */
public final class DeviceConfigException extends DeviceAccessException {

    public DeviceConfigException(String message) {
        super(Reason.HARDWARE, message, "the device's configuration space is malformed: check its firmware (or the"
                + " simulated fault), then reset it");
    }
}

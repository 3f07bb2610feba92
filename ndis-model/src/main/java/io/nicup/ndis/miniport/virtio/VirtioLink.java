package io.nicup.ndis.miniport.virtio;

import io.nicup.ndis.Ndis;
import io.nicup.ndis.adapter.NdisAdapterHandle;
import io.nicup.ndis.miniport.core.LinkIndications;
import io.nicup.ndis.miniport.core.NdisDataPath;
import io.nicup.ndis.oid.MediaDuplexState;
import io.nicup.ndis.oid.NdisLinkState;

/**
 * The link of one virtio-net adapter: read from virtio_net_config.status (always up without
 * VIRTIO_NET_F_STATUS), followed on configuration-change interrupts (4.1.4.5), which also carry
 * DEVICE_NEEDS_RESET; indicated through {@link LinkIndications}.
 */
final class VirtioLink {

    /** virtio-net has no link speed: the nominal one, as Linux reports for it. */
    static final long NOMINAL_SPEED = 10_000_000_000L;

    private final VirtioDevice device;
    private final DeviceHealth health;
    private final LinkIndications indications;

    long configInterrupts;

    VirtioLink(Ndis ndis, NdisAdapterHandle handle, VirtioDevice device, NdisDataPath dataPath,
            DeviceHealth health, Object stateLock) {
        this.device = device;
        this.health = health;
        this.indications = new LinkIndications(ndis, handle, stateLock, dataPath, up -> up
                ? NdisLinkState.connected(NOMINAL_SPEED, MediaDuplexState.MediaDuplexStateFull)
                : NdisLinkState.disconnected());
    }

    /** The link now; when its state cannot be read consistently, down, and the device is to be reset. */
    boolean up() {
        try {
            return device.linkUp();
        } catch (VirtioInitException e) {
            health.requestReset(e.getMessage());
            return false;
        }
    }

    /** MiniportRestartEx: the link as it is now goes to the transmit side and to NDIS. */
    void restart() {
        indications.restart(up());
    }

    /** MiniportPause: no indication a DPC decided on may arrive once NDIS moves on to halt. */
    void awaitDecidedIndications() {
        indications.awaitDecided();
    }

    /**
     * After MiniportResetEx: the link as it is now; indicated when it changed while Running. A link state
     * that still cannot be read fails the reset (it throws) rather than asking for another one.
     */
    void afterReset() {
        indications.afterReset(device.linkUp());
    }

    /** A configuration change (4.1.4.5): DEVICE_NEEDS_RESET, or the link status. */
    void configChanged() {
        configInterrupts++;
        int status = device.transport.status();
        if (status == 0xFF) {
            health.requestReset("device_status reads 0xFF: the device is gone (all-ones)");
            return;
        }
        if ((status & DeviceStatus.DEVICE_NEEDS_RESET) != 0) {
            // 2.1.2: the driver must reset the device
            health.requestReset(String.format("device_status=0x%02X (%s)", status, DeviceStatus.decode(status)));
            return;
        }
        String lost = device.statusContradiction(status);
        if (lost != null) {
            health.requestReset(lost);
            return;
        }
        indications.changed(up());
    }
}

package io.nicup.ndis.miniport.virtio;

import io.nicup.ndis.MediaDuplexState;
import io.nicup.ndis.Ndis;
import io.nicup.ndis.NdisAdapterHandle;
import io.nicup.ndis.NdisLinkState;
import io.nicup.ndis.NdisStatusIndication;
import io.nicup.ndis.miniport.DecidedIndications;

/**
 * The link of one adapter: read from virtio_net_config.status (always up without VIRTIO_NET_F_STATUS),
 * followed on configuration-change interrupts (4.1.4.5), which also carry DEVICE_NEEDS_RESET, and
 * indicated to NDIS as NDIS_STATUS_LINK_STATE when it changes while Running. The transmit side gets it
 * first: sends wait while it is down.
 */
final class VirtioLink {

    /** virtio-net has no link speed: the nominal one, as Linux reports for it. */
    static final long NOMINAL_SPEED = 10_000_000_000L;

    private final Ndis ndis;
    private final NdisAdapterHandle handle;
    private final VirtioDevice device;
    private final NdisDataPath dataPath;
    private final DeviceHealth health;
    private final Object stateLock;
    /** Link indications a DPC decided on while Running: MiniportPause waits for them (IND-01). */
    private final DecidedIndications dpcIndications;
    /** The state last indicated (stateLock). */
    private boolean lastLinkUp;

    long configInterrupts;

    VirtioLink(Ndis ndis, NdisAdapterHandle handle, VirtioDevice device, NdisDataPath dataPath,
            DeviceHealth health, Object stateLock) {
        this.ndis = ndis;
        this.handle = handle;
        this.device = device;
        this.dataPath = dataPath;
        this.health = health;
        this.stateLock = stateLock;
        this.dpcIndications = new DecidedIndications(stateLock);
    }

    boolean up() {
        return device.linkUp();
    }

    /** MiniportRestartEx: the link as it is now goes to the transmit side and to NDIS. */
    void restart() {
        boolean up = up();
        synchronized (stateLock) {
            lastLinkUp = up;
            dataPath.setLinkUp(up);
        }
        indicate(up);
    }

    /** MiniportPause: no indication a DPC decided on may arrive once NDIS moves on to halt. */
    void awaitDecidedIndications() {
        dpcIndications.awaitNone();
    }

    /** After MiniportResetEx: the link as it is now; indicated when it changed while Running. */
    void afterReset() {
        boolean up = up();
        dataPath.setLinkUp(up);
        if (up != lastLinkUp && dataPath.running()) {
            lastLinkUp = up;
            indicate(up);
        }
    }

    private void indicate(boolean up) {
        NdisLinkState state = up
                ? NdisLinkState.connected(NOMINAL_SPEED, MediaDuplexState.MediaDuplexStateFull)
                : NdisLinkState.disconnected();
        ndis.NdisMIndicateStatusEx(handle, NdisStatusIndication.linkState(state));
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
        boolean up = up();
        dataPath.setLinkUp(up);
        // Decided under stateLock with Running; MiniportPause waits for it to finish, so no indication
        // arrives after NDIS moved on to MiniportHaltEx (as in the 82574L driver). No lock is held across
        // NdisMIndicateStatusEx itself.
        boolean indicate;
        synchronized (stateLock) {
            indicate = up != lastLinkUp && dataPath.running();
            if (indicate) {
                lastLinkUp = up;
                dpcIndications.decided();
            }
        }
        if (indicate) {
            try {
                indicate(up);
            } finally {
                dpcIndications.finished();
            }
        }
        if (up) {
            dataPath.serviceTx();
        }
    }
}

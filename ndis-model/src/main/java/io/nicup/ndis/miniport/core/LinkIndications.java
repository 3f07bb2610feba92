package io.nicup.ndis.miniport.core;

import io.nicup.ndis.Ndis;
import io.nicup.ndis.adapter.NdisAdapterHandle;
import io.nicup.ndis.oid.NdisLinkState;
import io.nicup.ndis.oid.NdisStatusIndication;

/**
 * The link as NDIS hears of it: NDIS_STATUS_LINK_STATE at MiniportRestartEx and whenever the link
 * changes while Running, and the transmit side told first (sends wait while it is down). The family reads
 * the link from its device and says how an up link looks ({@link LinkStates}); the rules here are the
 * same for every family.
 *
 * <p>A change seen by a DPC (or the poll timer, or CheckForHang) is decided under the adapter's stateLock
 * together with Running, and MiniportPause waits for a decided indication to finish: a DPC that read
 * Running just before MiniportPause cleared it would otherwise indicate after NDIS moved on to
 * MiniportHaltEx (IND-01, found by the 100-cycle soak in the QEMU guest). No lock is held across
 * NdisMIndicateStatusEx itself, so the protocol's status handler may call NDIS.
 */
public final class LinkIndications {

    /** The NDIS link state for an up or down link (speed and duplex are the device's). */
    @FunctionalInterface
    public interface LinkStates {
        NdisLinkState of(boolean up);
    }

    private final Ndis ndis;
    private final NdisAdapterHandle handle;
    private final Object stateLock;
    private final NdisDataPath dataPath;
    private final LinkStates states;
    /** Link indications a DPC decided on while Running: MiniportPause waits for them. */
    private final DecidedIndications dpcIndications;
    /** The state last indicated (stateLock). */
    private boolean lastLinkUp;

    /** @param stateLock the adapter's lock for its Running state, the one the data path's pause uses */
    public LinkIndications(Ndis ndis, NdisAdapterHandle handle, Object stateLock, NdisDataPath dataPath,
            LinkStates states) {
        this.ndis = ndis;
        this.handle = handle;
        this.stateLock = stateLock;
        this.dataPath = dataPath;
        this.states = states;
        this.dpcIndications = new DecidedIndications(stateLock);
    }

    /** MiniportRestartEx: the link as it is now goes to the transmit side and to NDIS. */
    public void restart(boolean up) {
        synchronized (stateLock) {
            lastLinkUp = up;
            dataPath.setLinkUp(up);
        }
        indicate(up);
    }

    /** A DPC saw the link (it may not have changed): indicated when it changed while Running. */
    public void changed(boolean up) {
        dataPath.setLinkUp(up);
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
            dataPath.serviceTx();                            // what waited for the link goes now
        }
    }

    /** After MiniportResetEx (no DPC runs then): the link as it is now; indicated when it changed while Running. */
    public void afterReset(boolean up) {
        dataPath.setLinkUp(up);
        if (up != lastLinkUp && dataPath.running()) {
            lastLinkUp = up;
            indicate(up);
        }
    }

    /** The state last indicated. */
    public boolean lastIndicated() {
        return lastLinkUp;
    }

    /** MiniportPause: no indication a DPC decided on may arrive once NDIS moves on to halt. */
    public void awaitDecided() {
        dpcIndications.awaitNone();
    }

    private void indicate(boolean up) {
        ndis.NdisMIndicateStatusEx(handle, NdisStatusIndication.linkState(states.of(up)));
    }
}

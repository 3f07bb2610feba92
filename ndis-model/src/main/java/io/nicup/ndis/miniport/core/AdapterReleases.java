package io.nicup.ndis.miniport.core;

import io.nicup.ndis.Ndis;
import io.nicup.ndis.adapter.NdisInterruptHandle;
import io.nicup.ndis.adapter.NdisTimer;

/**
 * Handing an adapter's interrupt and timers back to NDIS, the same for every family: halt and the failure
 * path of initialization both release whatever was registered, and a handle that was never registered is
 * skipped. Each method returns null for the caller to store, so a second release does nothing.
 */
public final class AdapterReleases {

    private AdapterReleases() {
    }

    /** NdisMDeregisterInterruptEx when an interrupt is registered; null in every case. */
    public static NdisInterruptHandle deregister(Ndis ndis, NdisInterruptHandle interrupt) {
        if (interrupt != null) {
            ndis.NdisMDeregisterInterruptEx(interrupt);
        }
        return null;
    }

    /** A timer cancelled (its pending run dropped) and freed when one was allocated; null in every case. */
    public static NdisTimer free(Ndis ndis, NdisTimer timer) {
        if (timer != null) {
            ndis.NdisCancelTimerObject(timer);
            ndis.NdisFreeTimerObject(timer);
        }
        return null;
    }
}

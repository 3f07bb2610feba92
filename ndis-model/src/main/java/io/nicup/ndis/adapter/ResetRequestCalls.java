package io.nicup.ndis.adapter;

import io.nicup.ndis.NdisCall;
import io.nicup.ndis.NdisInternal;
import io.nicup.ndis.NdisStatus;
import io.nicup.ndis.host.HostServices;
import io.nicup.ndis.host.NdisCallSupport;
import io.nicup.ndis.protocol.ProtocolDelivery;
import java.util.Map;

/**
 * NdisMResetMiniport (NDIS 6.30): the miniport asks for a reset without waiting for MiniportCheckForHangEx.
 * NDIS only queues a work item here; MiniportResetEx runs later on NDIS's own context
 * ({@link HangWatchdog#requestReset}), never inside the caller (docs/ndis-contract.md §17).
 */
@NdisInternal
public final class ResetRequestCalls extends NdisCallSupport {

    private final HangWatchdog watchdog;

    public ResetRequestCalls(HostServices services, ProtocolDelivery delivery, Object owner, HangWatchdog watchdog) {
        super(services, delivery, owner);
        this.watchdog = watchdog;
    }

    public void NdisMResetMiniport(NdisAdapterHandle miniportAdapterHandle) {
        adapterStatusCall(NdisCall.NdisMResetMiniport, miniportAdapterHandle, Map.of(), a -> {
            watchdog.requestReset(a);
            return NdisStatus.SUCCESS;
        });
    }
}

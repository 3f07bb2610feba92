package io.nicup.ndis;

import io.nicup.ndis.trace.FaultInjection;
import io.nicup.ndis.trace.NdisTrace;

/**
 * Every call across the miniport contract, by its DDI name, with its direction. Names trace events and
 * selects calls for {@link FaultInjection}.
 */
public enum NdisCall {
    // host operations (what the CLI asks NDIS to do)
    LoadDriver(NdisTrace.Direction.HOST_TO_NDIS),
    UnloadDriver(NdisTrace.Direction.HOST_TO_NDIS),
    AddAdapter(NdisTrace.Direction.HOST_TO_NDIS),
    RestartAdapter(NdisTrace.Direction.HOST_TO_NDIS),
    PauseAdapter(NdisTrace.Direction.HOST_TO_NDIS),
    HaltAdapter(NdisTrace.Direction.HOST_TO_NDIS),
    ShutdownAdapter(NdisTrace.Direction.HOST_TO_NDIS),
    SurpriseRemoveAdapter(NdisTrace.Direction.HOST_TO_NDIS),
    RemoveAdapter(NdisTrace.Direction.HOST_TO_NDIS),
    OidRequest(NdisTrace.Direction.HOST_TO_NDIS),
    ResetAdapter(NdisTrace.Direction.HOST_TO_NDIS),

    // NDIS → miniport
    DriverEntry(NdisTrace.Direction.NDIS_TO_MINIPORT),
    MiniportSetOptions(NdisTrace.Direction.NDIS_TO_MINIPORT),
    MiniportInitializeEx(NdisTrace.Direction.NDIS_TO_MINIPORT),
    MiniportHaltEx(NdisTrace.Direction.NDIS_TO_MINIPORT),
    MiniportDriverUnload(NdisTrace.Direction.NDIS_TO_MINIPORT),
    MiniportPause(NdisTrace.Direction.NDIS_TO_MINIPORT),
    MiniportRestart(NdisTrace.Direction.NDIS_TO_MINIPORT),
    MiniportShutdownEx(NdisTrace.Direction.NDIS_TO_MINIPORT),
    MiniportDevicePnPEventNotify(NdisTrace.Direction.NDIS_TO_MINIPORT),
    MiniportOidRequest(NdisTrace.Direction.NDIS_TO_MINIPORT),
    MiniportDirectOidRequest(NdisTrace.Direction.NDIS_TO_MINIPORT),
    MiniportCancelOidRequest(NdisTrace.Direction.NDIS_TO_MINIPORT),
    MiniportCheckForHangEx(NdisTrace.Direction.NDIS_TO_MINIPORT),
    MiniportResetEx(NdisTrace.Direction.NDIS_TO_MINIPORT),
    MiniportSendNetBufferLists(NdisTrace.Direction.NDIS_TO_MINIPORT),
    MiniportReturnNetBufferLists(NdisTrace.Direction.NDIS_TO_MINIPORT),
    MiniportCancelSend(NdisTrace.Direction.NDIS_TO_MINIPORT),
    MiniportInterrupt(NdisTrace.Direction.NDIS_TO_MINIPORT),
    MiniportInterruptDpc(NdisTrace.Direction.NDIS_TO_MINIPORT),
    MiniportTimer(NdisTrace.Direction.NDIS_TO_MINIPORT),

    // miniport → NDIS
    NdisMRegisterMiniportDriver(NdisTrace.Direction.MINIPORT_TO_NDIS),
    NdisMDeregisterMiniportDriver(NdisTrace.Direction.MINIPORT_TO_NDIS),
    NdisMSetMiniportAttributes(NdisTrace.Direction.MINIPORT_TO_NDIS),
    NdisOpenConfigurationEx(NdisTrace.Direction.MINIPORT_TO_NDIS),
    NdisReadConfiguration(NdisTrace.Direction.MINIPORT_TO_NDIS),
    NdisReadNetworkAddress(NdisTrace.Direction.MINIPORT_TO_NDIS),
    NdisCloseConfiguration(NdisTrace.Direction.MINIPORT_TO_NDIS),
    NdisMMapIoSpace(NdisTrace.Direction.MINIPORT_TO_NDIS),
    NdisMUnmapIoSpace(NdisTrace.Direction.MINIPORT_TO_NDIS),
    NdisMGetBusData(NdisTrace.Direction.MINIPORT_TO_NDIS),
    NdisMSetBusData(NdisTrace.Direction.MINIPORT_TO_NDIS),
    NdisMRegisterInterruptEx(NdisTrace.Direction.MINIPORT_TO_NDIS),
    NdisMDeregisterInterruptEx(NdisTrace.Direction.MINIPORT_TO_NDIS),
    NdisMRegisterScatterGatherDma(NdisTrace.Direction.MINIPORT_TO_NDIS),
    NdisMDeregisterScatterGatherDma(NdisTrace.Direction.MINIPORT_TO_NDIS),
    NdisMAllocateSharedMemory(NdisTrace.Direction.MINIPORT_TO_NDIS),
    NdisMFreeSharedMemory(NdisTrace.Direction.MINIPORT_TO_NDIS),
    NdisAllocateNetBufferListPool(NdisTrace.Direction.MINIPORT_TO_NDIS),
    NdisFreeNetBufferListPool(NdisTrace.Direction.MINIPORT_TO_NDIS),
    NdisAllocateTimerObject(NdisTrace.Direction.MINIPORT_TO_NDIS),
    NdisSetTimerObject(NdisTrace.Direction.MINIPORT_TO_NDIS),
    NdisCancelTimerObject(NdisTrace.Direction.MINIPORT_TO_NDIS),
    NdisFreeTimerObject(NdisTrace.Direction.MINIPORT_TO_NDIS),
    NdisMPauseComplete(NdisTrace.Direction.MINIPORT_TO_NDIS),
    NdisMRestartComplete(NdisTrace.Direction.MINIPORT_TO_NDIS),
    NdisMOidRequestComplete(NdisTrace.Direction.MINIPORT_TO_NDIS),
    NdisMDirectOidRequestComplete(NdisTrace.Direction.MINIPORT_TO_NDIS),
    NdisMResetComplete(NdisTrace.Direction.MINIPORT_TO_NDIS),
    NdisMResetMiniport(NdisTrace.Direction.MINIPORT_TO_NDIS),
    NdisMIndicateStatusEx(NdisTrace.Direction.MINIPORT_TO_NDIS),
    NdisWriteErrorLogEntry(NdisTrace.Direction.MINIPORT_TO_NDIS),
    NdisMSendNetBufferListsComplete(NdisTrace.Direction.MINIPORT_TO_NDIS),
    NdisMIndicateReceiveNetBufferLists(NdisTrace.Direction.MINIPORT_TO_NDIS),

    // NDIS → protocol edge
    ProtocolReceiveNetBufferLists(NdisTrace.Direction.NDIS_TO_PROTOCOL),
    ProtocolSendNetBufferListsComplete(NdisTrace.Direction.NDIS_TO_PROTOCOL),
    ProtocolStatusEx(NdisTrace.Direction.NDIS_TO_PROTOCOL);

    private final NdisTrace.Direction direction;

    NdisCall(NdisTrace.Direction direction) {
        this.direction = direction;
    }

    public NdisTrace.Direction direction() {
        return direction;
    }
}

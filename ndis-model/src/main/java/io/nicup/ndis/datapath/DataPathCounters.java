package io.nicup.ndis.datapath;

/**
 * The data path of one adapter, as counts: the trace records these (kind {@code counters}) instead of
 * per-packet events.
 *
 * @param sends NBLs handed to MiniportSendNetBufferLists
 * @param sendsCompleted NBLs completed by the miniport
 * @param sendsFailed of those, completed with a status other than SUCCESS
 * @param sendsRejectedByNdis NBLs NDIS completed itself with PAUSED (adapter not Running or Pausing)
 * @param sendsOutstanding with the miniport now
 * @param receiveIndications NdisMIndicateReceiveNetBufferLists calls
 * @param receivedNbls NBLs indicated
 * @param receivedBytes data bytes indicated
 * @param receivedWithResources NBLs indicated with NDIS_RECEIVE_FLAGS_RESOURCES
 * @param returnedNbls NBLs handed back through MiniportReturnNetBufferLists
 * @param receivesOutstanding indicated and not yet returned
 */
public record DataPathCounters(long sends, long sendsCompleted, long sendsFailed, long sendsRejectedByNdis,
        long sendsOutstanding, long receiveIndications, long receivedNbls, long receivedBytes,
        long receivedWithResources, long returnedNbls, long receivesOutstanding) {
}

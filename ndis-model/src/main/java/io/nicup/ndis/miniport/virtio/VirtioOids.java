package io.nicup.ndis.miniport.virtio;

import io.nicup.ndis.NdisStatus;
import io.nicup.ndis.miniport.core.OffloadOids;
import io.nicup.ndis.miniport.core.QueryOnlyOids;
import io.nicup.ndis.miniport.core.ReceiveFilterOids;
import io.nicup.ndis.oid.NdisOidRequest;
import io.nicup.ndis.oid.NdisPacketFilter;
import io.nicup.ndis.oid.NdisStatisticsInfo;
import io.nicup.ndis.oid.Oid;
import io.nicup.ndis.oid.OidRequestType;

/**
 * MiniportOidRequest of one adapter: the packet filter and the multicast list (kept in
 * {@link ReceiveFilterOids}, applied through the {@link ControlQueue} when there is one; a command the
 * device refuses fails the OID and keeps the old setting), the addresses and the statistics. Every OID
 * completes synchronously, so none is ever pending to cancel.
 */
final class VirtioOids {

    static final int MAX_MULTICAST = 64;
    static final int[] SUPPORTED_OIDS = {Oid.GEN_SUPPORTED_LIST, Oid.GEN_CURRENT_PACKET_FILTER, Oid.GEN_LINK_STATE,
        Oid.GEN_MAXIMUM_FRAME_SIZE, Oid.GEN_STATISTICS, Oid.OID_802_3_PERMANENT_ADDRESS, Oid.OID_802_3_CURRENT_ADDRESS,
        Oid.OID_802_3_MULTICAST_LIST, Oid.OID_802_3_MAXIMUM_LIST_SIZE};
    static final int SUPPORTED_STATISTICS = NdisStatisticsInfo.VALID_DIRECTED_FRAMES_RCV
            | NdisStatisticsInfo.VALID_MULTICAST_FRAMES_RCV | NdisStatisticsInfo.VALID_BROADCAST_FRAMES_RCV
            | NdisStatisticsInfo.VALID_BYTES_RCV | NdisStatisticsInfo.VALID_RCV_DISCARDS
            | NdisStatisticsInfo.VALID_RCV_ERROR | NdisStatisticsInfo.VALID_DIRECTED_FRAMES_XMIT
            | NdisStatisticsInfo.VALID_MULTICAST_FRAMES_XMIT | NdisStatisticsInfo.VALID_BROADCAST_FRAMES_XMIT
            | NdisStatisticsInfo.VALID_BYTES_XMIT | NdisStatisticsInfo.VALID_XMIT_ERROR;

    private final VirtioDevice device;
    private final VirtioQueues queues;
    /** The packet filter and multicast list the protocol set. */
    final ReceiveFilterOids filters = new ReceiveFilterOids(MAX_MULTICAST);
    /** The offload and RSS OIDs, once the adapter has read its configuration. */
    OffloadOids offloads;

    VirtioOids(VirtioDevice device, VirtioQueues queues) {
        this.device = device;
        this.queues = queues;
    }

    int oidRequest(NdisOidRequest r) {
        if (QueryOnlyOids.isSetOfQueryOnly(r)) {
            return NdisStatus.NOT_SUPPORTED;
        }
        boolean set = r.requestType() == OidRequestType.NdisRequestSetInformation;
        return switch (r.oid()) {
            case Oid.GEN_CURRENT_PACKET_FILTER -> set ? setPacketFilter(r) : r.queryUlong(filters.packetFilter());
            case Oid.OID_802_3_PERMANENT_ADDRESS -> r.queryMacAddress(device.permanent);
            case Oid.OID_802_3_CURRENT_ADDRESS -> r.queryMacAddress(device.current);
            case Oid.OID_802_3_MULTICAST_LIST -> set ? setMulticastList(r) : r.queryBytes(filters.multicast());
            case Oid.OID_802_3_MAXIMUM_LIST_SIZE -> r.queryUlong(MAX_MULTICAST);
            case Oid.GEN_STATISTICS -> r.queryStatistics(statistics());
            default -> offloads == null ? NdisStatus.NOT_SUPPORTED : offloads.request(r);
        };
    }

    private int setPacketFilter(NdisOidRequest r) {
        int old = filters.packetFilter();
        int status = filters.setPacketFilter(r);
        if (status != NdisStatus.SUCCESS) {
            return status;
        }
        if (!applyFilter()) {
            filters.restorePacketFilter(old);
            return NdisStatus.FAILURE;
        }
        return NdisStatus.SUCCESS;
    }

    private int setMulticastList(NdisOidRequest r) {
        byte[] old = filters.multicast();
        int status = filters.setMulticastList(r);
        if (status != NdisStatus.SUCCESS) {
            return status;
        }
        if (!applyFilter()) {
            filters.restoreMulticast(old);
            return NdisStatus.FAILURE;
        }
        return NdisStatus.SUCCESS;
    }

    /** The filter to the device's control queue; true without one (the driver then filters alone). */
    boolean applyFilter() {
        ControlQueue ctrl = queues.ctrl;
        return ctrl == null || ctrl.applyFilter(filters.packetFilter(), filters.multicast(), device.current);
    }

    boolean promiscuous() {
        return (filters.packetFilter() & NdisPacketFilter.PROMISCUOUS) != 0;
    }

    /** NDIS_STATISTICS_INFO from the driver's queue counters. */
    NdisStatisticsInfo statistics() {
        long dropped = 0;
        long errors = 0;
        long bytes = 0;
        long frames = 0;
        long multicast = 0;
        long broadcast = 0;
        for (VirtioRxQueue rx : queues.rxQueues) {
            dropped += rx.dropped;
            errors += rx.lengthErrors + rx.ringErrors;
            bytes += rx.bytes;
            frames += rx.frames;
            multicast += rx.multicast;
            broadcast += rx.broadcast;
        }
        VirtioTxQueue tx = queues.tx;
        return new NdisStatisticsInfo(SUPPORTED_STATISTICS, dropped, errors, bytes,
                frames - multicast - broadcast, multicast, broadcast, tx.bytes,
                tx.frames - tx.multicast - tx.broadcast, tx.multicast, tx.broadcast, tx.errors, 0, 0, 0, 0, 0, 0, 0);
    }
}

package io.nicup.ndis.miniport.intel;

import io.nicup.ndis.MacAddress;
import io.nicup.ndis.NdisStatus;
import io.nicup.ndis.miniport.core.QueryOnlyOids;
import io.nicup.ndis.miniport.core.ReceiveFilterOids;
import io.nicup.ndis.oid.NdisOidRequest;
import io.nicup.ndis.oid.NdisPacketFilter;
import io.nicup.ndis.oid.Oid;
import io.nicup.ndis.oid.OidRequestType;

/**
 * MiniportOidRequest of an {@link IntelAdapter}: the packet filter and multicast list to the chip (receive
 * address 0, the multicast table, RCTL), the addresses and OID_GEN_STATISTICS. Every OID completes
 * synchronously.
 */
final class IntelOids {

    private final IntelAdapter<?> adapter;
    /** The packet filter and multicast list the protocol set. */
    private final ReceiveFilterOids filters = new ReceiveFilterOids(IntelAdapter.MAX_MULTICAST);
    private int[] mtaScratch;

    IntelOids(IntelAdapter<?> adapter) {
        this.adapter = adapter;
    }

    int request(NdisOidRequest r) {
        if (QueryOnlyOids.isSetOfQueryOnly(r)) {
            return NdisStatus.NOT_SUPPORTED;
        }
        boolean set = r.requestType() == OidRequestType.NdisRequestSetInformation;
        return switch (r.oid()) {
            case Oid.GEN_CURRENT_PACKET_FILTER -> set ? setPacketFilter(r) : r.queryUlong(filters.packetFilter());
            case Oid.OID_802_3_PERMANENT_ADDRESS -> r.queryMacAddress(adapter.permanent);
            case Oid.OID_802_3_CURRENT_ADDRESS -> r.queryMacAddress(adapter.current);
            case Oid.OID_802_3_MULTICAST_LIST -> set ? setMulticastList(r) : r.queryBytes(filters.multicast());
            case Oid.OID_802_3_MAXIMUM_LIST_SIZE -> r.queryUlong(IntelAdapter.MAX_MULTICAST);
            case Oid.GEN_STATISTICS -> r.queryStatistics(adapter.statistics());
            default -> adapter.offloads == null ? NdisStatus.NOT_SUPPORTED : adapter.offloads.request(r);
        };
    }

    private int setPacketFilter(NdisOidRequest r) {
        int status = filters.setPacketFilter(r);
        if (status == NdisStatus.SUCCESS) {
            applyFilter();
        }
        return status;
    }

    private int setMulticastList(NdisOidRequest r) {
        int status = filters.setMulticastList(r);
        if (status == NdisStatus.SUCCESS) {
            applyMulticast();
        }
        return status;
    }

    /**
     * Packet filter to hardware (82574 datasheet 10.2.5.1 and 82576 datasheet 8.10.1 RCTL; Linux
     * e1000e_set_rx_mode, igb_set_rx_mode): DIRECTED → RAR[0] valid (else invalid, so unicast to us is not
     * received either), MULTICAST → the MTA holds the list (else zeros), the rest in RCTL.
     */
    void applyFilter() {
        boolean directed = (filters.packetFilter() & (NdisPacketFilter.DIRECTED | NdisPacketFilter.PROMISCUOUS)) != 0;
        adapter.hw.setReceiveAddress(0, directed ? adapter.current : null);
        applyMulticast();
        writeRctl();
    }

    void applyMulticast() {
        if (mtaScratch == null) {
            mtaScratch = new int[adapter.chip.hardware().multicastTableEntries()];
        }
        boolean on = (filters.packetFilter() & NdisPacketFilter.MULTICAST) != 0;
        byte[] multicast = filters.multicast();
        adapter.hw.writeMulticastTable(multicast, on ? multicast.length / MacAddress.LENGTH : 0, mtaScratch);
    }

    /** RCTL for the packet filter; the receiver on while running once the chip lets it ({@link IntelInterrupts}). */
    void writeRctl() {
        if (adapter.hw == null || adapter.io == null) {
            return;
        }
        adapter.chip.writeReceiveControl(filters.packetFilter(),
                adapter.dataPath.running() && adapter.interrupts.receiverEnabled());
    }
}

package io.nicup.ndis.miniport.core;

import io.nicup.ndis.MacAddress;
import io.nicup.ndis.NdisStatus;
import io.nicup.ndis.oid.NdisOidRequest;
import io.nicup.ndis.oid.NdisPacketFilter;
import java.lang.foreign.ValueLayout;

/**
 * The receive filter as the protocol sets it by OID: OID_GEN_CURRENT_PACKET_FILTER and
 * OID_802_3_MULTICAST_LIST, checked and kept here; the adapter programs the device from
 * {@link #packetFilter()} and {@link #multicast()} when a set succeeded (RCTL, RAR[0] and the MTA on the
 * Intel chips; the control queue on virtio-net, which puts the old value back when the device refuses).
 */
public final class ReceiveFilterOids {

    /** The NDIS packet filters the adapters apply: unicast to us, multicast list, all multicast, broadcast, all. */
    public static final int SUPPORTED_FILTERS = NdisPacketFilter.DIRECTED | NdisPacketFilter.MULTICAST
            | NdisPacketFilter.ALL_MULTICAST | NdisPacketFilter.BROADCAST | NdisPacketFilter.PROMISCUOUS;
    private final int maxMulticast;
    private int packetFilter;
    private byte[] multicast = new byte[0];

    /** @param maxMulticast the adapter's OID_802_3_MAXIMUM_LIST_SIZE */
    public ReceiveFilterOids(int maxMulticast) {
        this.maxMulticast = maxMulticast;
    }

    /** The current NDIS_PACKET_TYPE_* bits. */
    public int packetFilter() {
        return packetFilter;
    }

    /** The multicast list, {@link MacAddress#LENGTH} bytes an address (not a copy: do not change it). */
    public byte[] multicast() {
        return multicast;
    }

    /** OID_GEN_CURRENT_PACKET_FILTER (set): SUCCESS when the filter is now {@link #packetFilter()}. */
    public int setPacketFilter(NdisOidRequest r) {
        int status = r.requireLength(4);
        if (status != NdisStatus.SUCCESS) {
            return status;
        }
        int filter = r.readUlong(0);
        if ((filter & ~SUPPORTED_FILTERS) != 0) {
            return NdisStatus.NOT_SUPPORTED;
        }
        packetFilter = filter;
        r.setBytesRead(4);
        return NdisStatus.SUCCESS;
    }

    /** Puts back the packet filter the device refused to take; {@code previous} is what it was before the set. */
    public void restorePacketFilter(int previous) {
        packetFilter = previous;
    }

    /** OID_802_3_MULTICAST_LIST (set): SUCCESS when the list is now {@link #multicast()}. */
    public int setMulticastList(NdisOidRequest r) {
        int length = r.informationBufferLength();
        if (length % MacAddress.LENGTH != 0) {
            r.setBytesNeeded((length / MacAddress.LENGTH + 1) * MacAddress.LENGTH);
            return NdisStatus.INVALID_LENGTH;
        }
        if (length / MacAddress.LENGTH > maxMulticast) {
            return NdisStatus.MULTICAST_FULL;
        }
        multicast = r.informationBuffer().asSlice(0, length).toArray(ValueLayout.JAVA_BYTE);
        r.setBytesRead(length);
        return NdisStatus.SUCCESS;
    }

    /** Puts back the multicast list the device refused to take; {@code previous} is what it was before the set. */
    public void restoreMulticast(byte[] previous) {
        multicast = previous;
    }
}

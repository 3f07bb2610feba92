package io.nicup.ndis.miniport.virtio;

import io.nicup.ndis.MacAddress;
import io.nicup.ndis.miniport.core.ReceiveFilterOids;
import io.nicup.ndis.oid.NdisPacketFilter;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * The packet filter on the destination address of a received frame. The device filters what the
 * control queue can express; it always takes broadcast and its own configured MAC (QEMU
 * receive_filter) and, without VIRTIO_NET_F_CTRL_RX, everything (QEMU starts promiscuous). So the last
 * word is here, which costs six byte compares. Reads the filter the protocol set, without a lock: a
 * frame racing an OID sees the old or the new filter, as on hardware.
 */
final class ReceiveFilter {

    /** {@link #destinationClass} values. */
    static final int UNICAST = 0;
    static final int MULTICAST = 1;
    static final int BROADCAST = 2;

    private final ReceiveFilterOids filters;
    private final byte[] mine;

    ReceiveFilter(ReceiveFilterOids filters, MacAddress current) {
        this.filters = filters;
        this.mine = current.bytes();
    }

    /** Whether the frame at {@code offset} of {@code buffer} passes the packet filter. */
    boolean accepted(MemorySegment buffer, long offset) {
        int f = filters.packetFilter();
        if ((f & NdisPacketFilter.PROMISCUOUS) != 0) {
            return true;
        }
        byte b0 = buffer.get(ValueLayout.JAVA_BYTE, offset);
        if ((b0 & 1) == 0) {
            if ((f & NdisPacketFilter.DIRECTED) == 0) {
                return false;
            }
            for (int i = 0; i < 6; i++) {
                if (buffer.get(ValueLayout.JAVA_BYTE, offset + i) != mine[i]) {
                    return false;
                }
            }
            return true;
        }
        boolean broadcast = true;
        for (int i = 0; i < 6; i++) {
            broadcast &= buffer.get(ValueLayout.JAVA_BYTE, offset + i) == (byte) 0xFF;
        }
        if (broadcast) {
            return (f & NdisPacketFilter.BROADCAST) != 0;
        }
        if ((f & NdisPacketFilter.ALL_MULTICAST) != 0) {
            return true;
        }
        if ((f & NdisPacketFilter.MULTICAST) == 0) {
            return false;
        }
        byte[] list = filters.multicast();
        for (int m = 0; m + 6 <= list.length; m += 6) {
            boolean same = true;
            for (int i = 0; i < 6 && same; i++) {
                same = buffer.get(ValueLayout.JAVA_BYTE, offset + i) == list[m + i];
            }
            if (same) {
                return true;
            }
        }
        return false;
    }

    /**
     * {@link #UNICAST}, {@link #MULTICAST} or {@link #BROADCAST} for the destination at {@code offset}:
     * for NDIS_STATISTICS_INFO (bit 0 counts multicast, bit 1 broadcast).
     */
    static int destinationClass(MemorySegment buffer, long offset) {
        if ((buffer.get(ValueLayout.JAVA_BYTE, offset) & 1) == 0) {
            return UNICAST;
        }
        for (int i = 0; i < 6; i++) {
            if (buffer.get(ValueLayout.JAVA_BYTE, offset + i) != (byte) 0xFF) {
                return MULTICAST;
            }
        }
        return BROADCAST;
    }
}

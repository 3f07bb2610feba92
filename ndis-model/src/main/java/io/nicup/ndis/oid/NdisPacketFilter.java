package io.nicup.ndis.oid;

/** NDIS_PACKET_TYPE bits of OID_GEN_CURRENT_PACKET_FILTER (docs/ndis-contract.md §6). */
public final class NdisPacketFilter {

    public static final int DIRECTED = 0x0000_0001;
    public static final int MULTICAST = 0x0000_0002;
    public static final int ALL_MULTICAST = 0x0000_0004;
    public static final int BROADCAST = 0x0000_0008;
    public static final int PROMISCUOUS = 0x0000_0020;

    /** Every bit named above. */
    public static final int ALL_KNOWN = DIRECTED | MULTICAST | ALL_MULTICAST | BROADCAST | PROMISCUOUS;

    private NdisPacketFilter() {
    }
}

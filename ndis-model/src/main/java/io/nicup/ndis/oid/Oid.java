package io.nicup.ndis.oid;

import java.util.Map;
import java.util.TreeMap;

/** OID values the model and the Ethernet miniports use, with a name lookup. */
public final class Oid {

    /** Answered by NDIS from the general attributes' SupportedOidList (WDD oid-gen-supported-list.md; WRS). */
    public static final int GEN_SUPPORTED_LIST = 0x0001_0101;
    /** Answered by NDIS from the general attributes' MtuSize (docs/ndis-contract.md §6). */
    public static final int GEN_MAXIMUM_FRAME_SIZE = 0x0001_0106;
    /** Set is mandatory; ULONG of {@link NdisPacketFilter} bits (docs/ndis-contract.md §6). */
    public static final int GEN_CURRENT_PACKET_FILTER = 0x0001_010E;
    /** Answered by NDIS from the last NDIS_STATUS_LINK_STATE indication (docs/ndis-contract.md §6). */
    public static final int GEN_LINK_STATE = 0x0001_0207;
    /** Mandatory query, answered with an NDIS_STATISTICS_INFO (docs/ndis-contract.md §6). */
    public static final int GEN_STATISTICS = 0x0002_0106;
    public static final int OID_802_3_PERMANENT_ADDRESS = 0x0101_0101; // docs/ndis-contract.md §6
    public static final int OID_802_3_CURRENT_ADDRESS = 0x0101_0102; // docs/ndis-contract.md §6
    /** Each set replaces the list; length 0 clears it; not a multiple of 6 is INVALID_LENGTH (docs/ndis-contract.md §6). */
    public static final int OID_802_3_MULTICAST_LIST = 0x0101_0103;
    /** WRS: windows-sys OID_802_3_MAXIMUM_LIST_SIZE = 16843012. */
    public static final int OID_802_3_MAXIMUM_LIST_SIZE = 0x0101_0104;

    /** Query only, answered by NDIS from the current offload configuration (docs/ndis-contract.md §9). */
    public static final int TCP_OFFLOAD_CURRENT_CONFIG = 0xFC01_020B;
    /** Set only: NDIS_OFFLOAD_PARAMETERS (docs/ndis-contract.md §9). */
    public static final int TCP_OFFLOAD_PARAMETERS = 0xFC01_020C;
    /** Set and query: NDIS_OFFLOAD_ENCAPSULATION (docs/ndis-contract.md §9). */
    public static final int OFFLOAD_ENCAPSULATION = 0x0101_010A;
    /** Query, answered by NDIS from the general attributes' RecvScaleCapabilities (docs/ndis-contract.md §10). */
    public static final int GEN_RECEIVE_SCALE_CAPABILITIES = 0x0001_0203;
    /** Set (and query): NDIS_RECEIVE_SCALE_PARAMETERS (docs/ndis-contract.md §10). */
    public static final int GEN_RECEIVE_SCALE_PARAMETERS = 0x0001_0204;

    private static final Map<Integer, String> NAMES = new TreeMap<>();

    static {
        NAMES.put(GEN_SUPPORTED_LIST, "OID_GEN_SUPPORTED_LIST");
        NAMES.put(GEN_MAXIMUM_FRAME_SIZE, "OID_GEN_MAXIMUM_FRAME_SIZE");
        NAMES.put(GEN_CURRENT_PACKET_FILTER, "OID_GEN_CURRENT_PACKET_FILTER");
        NAMES.put(GEN_LINK_STATE, "OID_GEN_LINK_STATE");
        NAMES.put(GEN_STATISTICS, "OID_GEN_STATISTICS");
        NAMES.put(OID_802_3_PERMANENT_ADDRESS, "OID_802_3_PERMANENT_ADDRESS");
        NAMES.put(OID_802_3_CURRENT_ADDRESS, "OID_802_3_CURRENT_ADDRESS");
        NAMES.put(OID_802_3_MULTICAST_LIST, "OID_802_3_MULTICAST_LIST");
        NAMES.put(OID_802_3_MAXIMUM_LIST_SIZE, "OID_802_3_MAXIMUM_LIST_SIZE");
        NAMES.put(TCP_OFFLOAD_CURRENT_CONFIG, "OID_TCP_OFFLOAD_CURRENT_CONFIG");
        NAMES.put(TCP_OFFLOAD_PARAMETERS, "OID_TCP_OFFLOAD_PARAMETERS");
        NAMES.put(OFFLOAD_ENCAPSULATION, "OID_OFFLOAD_ENCAPSULATION");
        NAMES.put(GEN_RECEIVE_SCALE_CAPABILITIES, "OID_GEN_RECEIVE_SCALE_CAPABILITIES");
        NAMES.put(GEN_RECEIVE_SCALE_PARAMETERS, "OID_GEN_RECEIVE_SCALE_PARAMETERS");
    }

    private Oid() {
    }

    /** The ntddndis.h name, e.g. {@code OID_GEN_STATISTICS}; unknown values as {@code 0x%08X}. */
    public static String name(int oid) {
        String name = NAMES.get(oid);
        return name != null ? name : String.format("0x%08X", oid);
    }

    /**
     * Whether {@code oid} is set only: OID_TCP_OFFLOAD_PARAMETERS (docs/ndis-contract.md §9). A query of it is
     * answered NOT_SUPPORTED, though it is listed in SupportedOidList.
     */
    public static boolean setOnly(int oid) {
        return oid == TCP_OFFLOAD_PARAMETERS;
    }

    /** The value for a name (with or without the {@code OID_} prefix), or -1 when unknown. */
    public static long valueOf(String name) {
        String wanted = name.startsWith("OID_") ? name : "OID_" + name;
        for (Map.Entry<Integer, String> e : NAMES.entrySet()) {
            if (e.getValue().equals(wanted)) {
                return e.getKey() & 0xFFFF_FFFFL;
            }
        }
        return -1;
    }
}

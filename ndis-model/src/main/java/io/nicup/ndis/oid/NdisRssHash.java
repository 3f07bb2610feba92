package io.nicup.ndis.oid;

/**
 * The RSS hash information bits (ntddndis.h): the hash function in the low byte, the hash types above it
 * (docs/ndis-contract.md §10). HashInformation in NDIS_RECEIVE_SCALE_PARAMETERS and NetBufferListHashInfo
 * on a received NBL are this value.
 */
public final class NdisRssHash {

    public static final int NDIS_HASH_FUNCTION_MASK = 0x0000_00FF;
    /** NdisHashFunctionToeplitz, the only function miniports use. */
    public static final int NDIS_HASH_FUNCTION_TOEPLITZ = 0x0000_0001;
    public static final int NDIS_HASH_TYPE_MASK = 0x00FF_FF00;
    public static final int NDIS_HASH_IPV4 = 0x0000_0100;
    public static final int NDIS_HASH_TCP_IPV4 = 0x0000_0200;
    public static final int NDIS_HASH_IPV6 = 0x0000_0400;
    public static final int NDIS_HASH_IPV6_EX = 0x0000_0800;
    public static final int NDIS_HASH_TCP_IPV6 = 0x0000_1000;
    public static final int NDIS_HASH_TCP_IPV6_EX = 0x0000_2000;
    public static final int NDIS_HASH_UDP_IPV4 = 0x0000_4000;
    public static final int NDIS_HASH_UDP_IPV6 = 0x0000_8000;
    public static final int NDIS_HASH_UDP_IPV6_EX = 0x0001_0000;

    private NdisRssHash() {
    }

    /** A hash type as people write it: "TCP/IPv4", "IPv6 Ex", or its value when it is none of the above. */
    public static String typeName(int type) {
        return switch (type) {
            case NDIS_HASH_IPV4 -> "IPv4";
            case NDIS_HASH_TCP_IPV4 -> "TCP/IPv4";
            case NDIS_HASH_UDP_IPV4 -> "UDP/IPv4";
            case NDIS_HASH_IPV6 -> "IPv6";
            case NDIS_HASH_TCP_IPV6 -> "TCP/IPv6";
            case NDIS_HASH_UDP_IPV6 -> "UDP/IPv6";
            case NDIS_HASH_IPV6_EX -> "IPv6 Ex";
            case NDIS_HASH_TCP_IPV6_EX -> "TCP/IPv6 Ex";
            case NDIS_HASH_UDP_IPV6_EX -> "UDP/IPv6 Ex";
            default -> String.format("type 0x%08X", type);
        };
    }
}

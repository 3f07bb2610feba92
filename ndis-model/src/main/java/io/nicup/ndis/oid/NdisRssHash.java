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
}

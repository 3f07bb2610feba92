package io.nicup.ndis.conformance;

import io.nicup.ndis.oid.NdisRssHash;
import io.nicup.ndis.rss.Toeplitz;

/**
 * What an adapter must indicate for a received frame under the hash types in force (docs/ndis-contract.md §10,
 * WDD "RSS Hashing Types"): TCP over IPv4 hashes its addresses and ports with TCP_IPV4, else its addresses with
 * IPV4; UDP likewise with UDP_IPV4, else IPV4; IPv6 the same with the IPv6 types; anything else, or a frame no
 * type in force covers, no hash. Values are packed as FrameEdge's receivedHashes packs them: NetBufferListHashInfo
 * (type | function) in the high word, NetBufferListHashValue in the low.
 */
final class RssReference {

    private static final int TCP = 6;
    private static final int UDP = 17;

    private RssReference() {
    }

    /** The hash word {@code f} must carry, 0 for none. */
    static long expected(byte[] f, int types, Toeplitz toeplitz) {
        int etherType = word(f, 12);
        boolean v6 = etherType == 0x86DD;
        if (etherType != 0x0800 && !v6) {
            return 0;
        }
        int protocol = f[v6 ? 20 : 23] & 0xFF;
        int l4 = v6 ? 54 : 34;
        int fourTuple = v6 ? (protocol == TCP ? NdisRssHash.NDIS_HASH_TCP_IPV6 : protocol == UDP ? NdisRssHash.NDIS_HASH_UDP_IPV6 : 0)
                : (protocol == TCP ? NdisRssHash.NDIS_HASH_TCP_IPV4 : protocol == UDP ? NdisRssHash.NDIS_HASH_UDP_IPV4 : 0);
        int addresses = v6 ? NdisRssHash.NDIS_HASH_IPV6 : NdisRssHash.NDIS_HASH_IPV4;
        int type;
        int value;
        if (fourTuple != 0 && (types & fourTuple) != 0) {
            type = fourTuple;
            value = v6 ? toeplitz.ipv6(f, 22, f, 38, word(f, l4), word(f, l4 + 2))
                    : toeplitz.ipv4(dword(f, 26), dword(f, 30), word(f, l4), word(f, l4 + 2));
        } else if ((types & addresses) != 0) {
            type = addresses;
            value = v6 ? toeplitz.ipv6(f, 22, f, 38) : toeplitz.ipv4(dword(f, 26), dword(f, 30));
        } else {
            return 0;
        }
        return (long) (type | NdisRssHash.NDIS_HASH_FUNCTION_TOEPLITZ) << 32 | value & 0xFFFF_FFFFL;
    }

    /** "TCP/IPv4 flow 49153 -> 9", or "the non-IP frame". */
    static String describe(byte[] f) {
        int etherType = word(f, 12);
        boolean v6 = etherType == 0x86DD;
        if (etherType != 0x0800 && !v6) {
            return "the non-IP frame";
        }
        int protocol = f[v6 ? 20 : 23] & 0xFF;
        int l4 = v6 ? 54 : 34;
        return (protocol == TCP ? "TCP" : protocol == UDP ? "UDP" : "protocol " + protocol) + "/IPv" + (v6 ? 6 : 4)
                + " flow " + word(f, l4) + " -> " + word(f, l4 + 2);
    }

    /** "hash 0x51ccc178 (TCP/IPv4)" (with ", function N" for another function than Toeplitz) or "no hash". */
    static String name(long word) {
        int info = (int) (word >>> 32);
        if (info == 0 && (int) word == 0) {
            return "no hash";
        }
        return String.format("hash 0x%08x (%s)", (int) word, typeName(info));
    }

    private static String typeName(int info) {
        String t = NdisRssHash.typeName(info & NdisRssHash.NDIS_HASH_TYPE_MASK);
        int function = info & NdisRssHash.NDIS_HASH_FUNCTION_MASK;
        return function == NdisRssHash.NDIS_HASH_FUNCTION_TOEPLITZ ? t : t + ", function " + function;
    }

    private static int word(byte[] f, int at) {
        return (f[at] & 0xFF) << 8 | f[at + 1] & 0xFF;
    }

    private static int dword(byte[] f, int at) {
        return word(f, at) << 16 | word(f, at + 2);
    }
}

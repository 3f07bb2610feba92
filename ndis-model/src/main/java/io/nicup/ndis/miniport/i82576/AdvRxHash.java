package io.nicup.ndis.miniport.i82576;

import static io.nicup.ndis.miniport.i82576.AdvRxDescriptor.SHIFT;

import io.nicup.ndis.miniport.intel.ReceiveHash;
import io.nicup.ndis.miniport.intel.RxDescriptorRing;
import io.nicup.ndis.oid.NdisRssHash;
import java.lang.foreign.MemorySegment;

/**
 * The RSS hash in the 82576's advanced receive write-back (docs/hardware-reference.md B.16): the RSS type
 * in {@code pkt_info} bits 3:0 names the NDIS hash type, {@code rss} (dword 1, with RXCSUM.PCSD) is the
 * hash. A table lookup and two loads per frame.
 */
final class AdvRxHash implements ReceiveHash {

    /** NetBufferListHashInfo for each RSS type; 0 for none and for the reserved types 10-15. */
    private static final int[] INFO = new int[AdvRxDescriptor.RSS_TYPE_MASK + 1];

    static {
        int toeplitz = NdisRssHash.NDIS_HASH_FUNCTION_TOEPLITZ;
        INFO[AdvRxDescriptor.RSS_TYPE_TCP_IPV4] = NdisRssHash.NDIS_HASH_TCP_IPV4 | toeplitz;
        INFO[AdvRxDescriptor.RSS_TYPE_IPV4] = NdisRssHash.NDIS_HASH_IPV4 | toeplitz;
        INFO[AdvRxDescriptor.RSS_TYPE_TCP_IPV6] = NdisRssHash.NDIS_HASH_TCP_IPV6 | toeplitz;
        INFO[AdvRxDescriptor.RSS_TYPE_IPV6_EX] = NdisRssHash.NDIS_HASH_IPV6_EX | toeplitz;
        INFO[AdvRxDescriptor.RSS_TYPE_IPV6] = NdisRssHash.NDIS_HASH_IPV6 | toeplitz;
        INFO[AdvRxDescriptor.RSS_TYPE_TCP_IPV6_EX] = NdisRssHash.NDIS_HASH_TCP_IPV6_EX | toeplitz;
        INFO[AdvRxDescriptor.RSS_TYPE_UDP_IPV4] = NdisRssHash.NDIS_HASH_UDP_IPV4 | toeplitz;
        INFO[AdvRxDescriptor.RSS_TYPE_UDP_IPV6] = NdisRssHash.NDIS_HASH_UDP_IPV6 | toeplitz;
        INFO[AdvRxDescriptor.RSS_TYPE_UDP_IPV6_EX] = NdisRssHash.NDIS_HASH_UDP_IPV6_EX | toeplitz;
    }

    private final MemorySegment ring;

    AdvRxHash(RxDescriptorRing rx) {
        this.ring = rx.descriptors();
    }

    @Override
    public int info(int slot) {
        return INFO[(short) AdvRxDescriptor.PKT_INFO.get(ring, (long) slot << SHIFT) & AdvRxDescriptor.RSS_TYPE_MASK];
    }

    @Override
    public void read(int first, int n, int mask, int[] infos, int[] values) {
        for (int i = 0; i < n; i++) {
            int slot = (first + i) & mask;
            int info = info(slot);
            infos[i] = info;
            values[i] = info == 0 ? 0 : value(slot);
        }
    }

    @Override
    public int value(int slot) {
        return (int) AdvRxDescriptor.RSS.get(ring, (long) slot << SHIFT);
    }
}

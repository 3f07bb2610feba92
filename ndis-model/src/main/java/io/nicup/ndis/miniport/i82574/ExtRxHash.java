package io.nicup.ndis.miniport.i82574;

import static io.nicup.ndis.miniport.i82574.ExtRxDescriptor.SHIFT;

import io.nicup.ndis.miniport.intel.ReceiveHash;
import io.nicup.ndis.miniport.intel.RxDescriptorRing;
import io.nicup.ndis.oid.NdisRssHash;
import java.lang.foreign.MemorySegment;

/**
 * The RSS hash in the 82574L's extended receive write-back (docs/hardware-reference.md B.18): MRQ bits 3:0
 * name the NDIS hash type, dword 1 (with RXCSUM.PCSD) is the hash. A table lookup and two loads per frame.
 */
final class ExtRxHash implements ReceiveHash {

    /** NetBufferListHashInfo for each RSS type; 0 for none and for the reserved types 6-15. */
    private static final int[] INFO = new int[ExtRxDescriptor.RSS_TYPE_MASK + 1];

    static {
        int toeplitz = NdisRssHash.NDIS_HASH_FUNCTION_TOEPLITZ;
        INFO[ExtRxDescriptor.RSS_TYPE_TCP_IPV4] = NdisRssHash.NDIS_HASH_TCP_IPV4 | toeplitz;
        INFO[ExtRxDescriptor.RSS_TYPE_IPV4] = NdisRssHash.NDIS_HASH_IPV4 | toeplitz;
        INFO[ExtRxDescriptor.RSS_TYPE_TCP_IPV6] = NdisRssHash.NDIS_HASH_TCP_IPV6 | toeplitz;
        INFO[ExtRxDescriptor.RSS_TYPE_IPV6_EX] = NdisRssHash.NDIS_HASH_IPV6_EX | toeplitz;
        INFO[ExtRxDescriptor.RSS_TYPE_IPV6] = NdisRssHash.NDIS_HASH_IPV6 | toeplitz;
    }

    private final MemorySegment ring;

    ExtRxHash(RxDescriptorRing rx) {
        this.ring = rx.descriptors();
    }

    @Override
    public int info(int slot) {
        return INFO[(int) ExtRxDescriptor.MRQ.get(ring, (long) slot << SHIFT) & ExtRxDescriptor.RSS_TYPE_MASK];
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
        return (int) ExtRxDescriptor.RSS.get(ring, (long) slot << SHIFT);
    }
}

package io.nicup.ndis.miniport.core;

import io.nicup.ndis.datapath.NetBufferList;

/**
 * The one place the core turns a batch array into the NDIS chain an NDIS call takes (docs/ndis-contract.md
 * §19.6): one store of {@link NetBufferList#next()} per NBL, nothing allocated.
 */
final class NblChain {

    private NblChain() {
    }

    /** Links {@code nbls[0 .. n)} in that order, the last one's next cleared; returns the first, or null when n is 0. */
    static NetBufferList link(NetBufferList[] nbls, int n) {
        if (n == 0) {
            return null;
        }
        NetBufferList next = null;
        for (int i = n - 1; i >= 0; i--) {
            nbls[i].setNext(next);
            next = nbls[i];
        }
        return next;
    }
}

package io.nicup.ndis.miniport.core;

import io.nicup.ndis.datapath.NetBufferList;

/**
 * The one place the core turns a batch array into the NDIS chain an NDIS call takes
 * (docs/ndis-contract.md §19.6): one store of {@link NetBufferList#next()} per NBL, nothing allocated.
 */
final class NblChain {

    private NblChain() {
    }

    /** Links {@code nbls[0 .. n)} in that order, the last one's next cleared; returns the first, or null for none. */
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

    /** A chain built in order by appending, for the NBLs one walk refuses: reused, so it allocates nothing. */
    static final class Appender {
        private NetBufferList head;
        private NetBufferList tail;

        void append(NetBufferList nbl) {
            nbl.setNext(null);
            if (head == null) {
                head = nbl;
            } else {
                tail.setNext(nbl);
            }
            tail = nbl;
        }

        /** What was appended, oldest first, or null; empties this. */
        NetBufferList take() {
            NetBufferList chain = head;
            head = null;
            tail = null;
            return chain;
        }
    }
}

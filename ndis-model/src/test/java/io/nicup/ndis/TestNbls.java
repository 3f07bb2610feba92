package io.nicup.ndis;

import io.nicup.ndis.datapath.NetBufferList;
import io.nicup.ndis.datapath.NetBufferListPool;
import io.nicup.ndis.datapath.NetBufferListPoolParameters;

/** NBLs without a host, for unit tests of the miniports' NBL bookkeeping. */
public final class TestNbls {

    private TestNbls() {
    }

    /** {@code n} NBLs of a pool no adapter owns, each with one NET_BUFFER and no data. */
    public static NetBufferList[] of(int n) {
        NetBufferListPool pool = new NetBufferListPool(NetBufferListPoolParameters.withoutData(n, "test"), null, true,
                null);
        NetBufferList[] nbls = new NetBufferList[n];
        for (int i = 0; i < n; i++) {
            nbls[i] = pool.allocate();
        }
        return nbls;
    }
}

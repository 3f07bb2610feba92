package io.nicup.ndis.datapath;

import io.nicup.ndis.NdisInternal;
import io.nicup.ndis.adapter.MiniportAdapter;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The data-path counts NDIS keeps for one adapter: what went to MiniportSendNetBufferLists and came
 * back, what was indicated and returned. Updated once per call (per chain), never per packet with a lock;
 * {@link #snapshot()} is what {@link MiniportAdapter#counters()} shows and the pause checks read.
 */
@NdisInternal
public final class DataPathBookkeeping {

    final AtomicLong sends = new AtomicLong();
    final AtomicLong sendsCompleted = new AtomicLong();
    final AtomicLong sendsFailed = new AtomicLong();
    final AtomicLong sendsRejectedByNdis = new AtomicLong();
    public final AtomicLong sendsOutstanding = new AtomicLong();
    final AtomicLong receiveIndications = new AtomicLong();
    final AtomicLong receivedNbls = new AtomicLong();
    final AtomicLong receivedBytes = new AtomicLong();
    final AtomicLong receivedWithResources = new AtomicLong();
    final AtomicLong returnedNbls = new AtomicLong();
    public final AtomicLong receivesOutstanding = new AtomicLong();

    public DataPathCounters snapshot() {
        return new DataPathCounters(sends.get(), sendsCompleted.get(), sendsFailed.get(), sendsRejectedByNdis.get(),
                sendsOutstanding.get(), receiveIndications.get(), receivedNbls.get(), receivedBytes.get(),
                receivedWithResources.get(), returnedNbls.get(), receivesOutstanding.get());
    }
}

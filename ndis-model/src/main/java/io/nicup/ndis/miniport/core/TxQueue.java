package io.nicup.ndis.miniport.core;

import io.nicup.ndis.datapath.NetBufferList;

/**
 * One transmit queue as {@link NdisDataPath} drives it: the family's ring and its NBL bookkeeping behind
 * a few calls, each made holding the data path's txLock. Implementations allocate nothing after
 * construction and never throw on these calls; an NBL completes with the descriptor (or slot) of its
 * last NET_BUFFER, in submission order.
 */
public interface TxQueue {

    /** The most NET_BUFFERs one NBL may carry, so that it always fits an empty ring (for SendCheck). */
    int maxNetBuffers();

    /**
     * Whether a large send {@link LargeSendCheck} admitted fits an empty ring as this queue maps it (a family
     * that cuts its buffers into several descriptors needs more than one per MDL): SUCCESS, or
     * INVALID_LENGTH for one that never would, so it is refused instead of waiting forever.
     */
    default int admitLargeSend(NetBufferList nbl) {
        return io.nicup.ndis.NdisStatus.SUCCESS;
    }

    /**
     * Moves the oldest waiting NBLs into the ring, whole ones only and in order, while they fit; what does
     * not fit stays in {@code pending}. One tail write or doorbell for all of them.
     */
    void submit(PendingSends pending);

    /**
     * What the device finished: those NBLs with status SUCCESS as one chain in completion order, or null.
     * {@link #lastCompleted} and {@link #progressed} then describe this call.
     */
    NetBufferList complete();

    /** NBLs the last {@link #complete} returned. */
    int lastCompleted();

    /** Whether the device moved during the last {@link #complete} (for the stall watch). */
    boolean progressed();

    /**
     * Takes back everything the device holds, without asking it (it stopped or is gone), as one chain
     * with {@code status} set on each NBL, or null.
     */
    NetBufferList abortInFlight(int status);

    /**
     * Takes back everything the device holds (for a reset) and puts it in front of {@code pending}, in
     * submission order: it never left, so it is sent once, not twice.
     */
    void requeueInFlight(PendingSends pending);

    /** Descriptors (or slots) handed to the device and not yet completed. */
    int inFlight();

    /** Where the device is in the ring (head register, used index): what the stall watch compares. */
    int progressMark();
}

package io.nicup.ndis.miniport.core;

import io.nicup.ndis.datapath.NetBufferList;

/**
 * One transmit queue as {@link NdisDataPath} drives it: the family's ring and its NBL bookkeeping behind
 * a few calls, each made holding the data path's txLock. Implementations allocate nothing after
 * construction and never throw on these calls; an NBL completes with the descriptor (or slot) of its
 * last NET_BUFFER, in submission order.
 *
 * <p>Batches cross this interface as arrays, never as NDIS chains (docs/ndis-contract.md §19.6): the queue
 * reads what waits from {@link PendingSends} by index and writes what it gives back into an array the data
 * path owns, allocated once at attach with room for {@link #maxNetBuffers} NBLs (each NBL the ring holds
 * takes at least one descriptor or slot, so that many is the most it can hold). The data path links the
 * chain NdisMSendNetBufferListsComplete takes, once per call; no family reads or writes
 * {@link NetBufferList#next()}.
 */
public interface TxQueue {

    /**
     * The most NET_BUFFERs one NBL may carry, so that it always fits an empty ring (for SendCheck); also
     * the most NBLs the ring holds at once, which sizes the arrays {@link #complete}, {@link #abortInFlight}
     * and {@link #requeueInFlight} fill.
     */
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
     * Moves the oldest waiting NBLs into the ring, whole ones only and in order, while they fit, reading them
     * by index ({@link PendingSends#get}) and taking them with one {@link PendingSends#consume}; what does
     * not fit stays in {@code pending}. One tail write or doorbell for all of them.
     */
    void submit(PendingSends pending);

    /**
     * What the device finished: writes those NBLs, status SUCCESS, into {@code done} from index 0 in
     * completion order and returns how many. {@link #lastCompleted} and {@link #progressed} then describe
     * this call.
     *
     * @param done at least {@link #maxNetBuffers} long
     */
    int complete(NetBufferList[] done);

    /** NBLs the last {@link #complete} returned. */
    int lastCompleted();

    /** Whether the device moved during the last {@link #complete} (for the stall watch). */
    boolean progressed();

    /**
     * Takes back everything the device holds, without asking it (it stopped or is gone): writes those NBLs,
     * {@code status} set on each, into {@code aborted} from index 0 and returns how many.
     *
     * @param aborted at least {@link #maxNetBuffers} long
     */
    int abortInFlight(int status, NetBufferList[] aborted);

    /**
     * Takes back everything the device holds (for a reset), statuses untouched: writes those NBLs into
     * {@code taken} from index 0 in submission order and returns how many. The data path puts them in
     * front of its pending sends: they never left, so they are sent once, not twice.
     *
     * @param taken at least {@link #maxNetBuffers} long
     */
    int requeueInFlight(NetBufferList[] taken);

    /** Descriptors (or slots) handed to the device and not yet completed. */
    int inFlight();

    /** Where the device is in the ring (head register, used index): what the stall watch compares. */
    int progressMark();
}

package io.nicup.ndis.miniport.core;

import io.nicup.ndis.datapath.NetBufferList;

/**
 * One receive queue as {@link NdisDataPath} drives it: each receive buffer has its own NBL, indicated in
 * place; the buffer goes back to the device when the protocol returns the NBL. Each call is made holding
 * this queue's receive lock ({@link NdisDataPath#rxLock(int)}), and another queue's calls may run at the
 * same time (docs/ndis-contract.md §21.3): what queues share is read-only here or locked on its own.
 * Implementations allocate nothing after construction and never throw on these calls.
 *
 * <p>Batches cross this interface as arrays the data path owns, never as NDIS chains
 * (docs/ndis-contract.md §19.6): {@link #take} writes the NBLs to indicate into one, and the data path links
 * them into the chain for NdisMIndicateReceiveNetBufferLists; the data path walks the chain
 * MiniportReturnNetBufferLists gives it, sorts the NBLs by their queue into arrays and hands each queue its
 * own in {@link #giveBack}. No family reads or writes {@link NetBufferList#next()}.
 */
public interface RxQueue {

    /** Buffers in the ring: bounds the rounds of one receive service. */
    int size();

    /**
     * Takes up to {@code max} received frames ({@code max <= taken.length}), writes those to indicate into
     * {@code taken} from index 0, each NBL's data set to its frame and its RECEIVE_QUEUE to this queue, and
     * returns how many; the rest (bad, filtered, or everything when not {@code indicate}) go back to the
     * device at once, or, when not {@code repost} (it is gone), stay with the driver. {@link #lastTaken} and
     * {@link #lastPolled} then describe this call.
     */
    int take(NetBufferList[] taken, int max, boolean indicate, boolean repost);

    /** Frames the last {@link #take} returned for indication. */
    int lastTaken();

    /** Entries the last {@link #take} consumed: fewer than asked means the ring is empty. */
    int lastPolled();

    /**
     * The protocol returned {@code returned[0 .. count)}, all of this queue, {@code count} at most
     * {@code max(}{@link NdisDataPath#RX_BATCH}{@code , }{@link #size}{@code )}: their buffers go back to the
     * device with one tail write or doorbell, or, when not {@code repost} (the device is gone or stopped),
     * stay with the driver.
     */
    void giveBack(NetBufferList[] returned, int count, boolean repost);

    /** Frames dropped so far: bad, or received while not Running. */
    long dropped();
}

package io.nicup.ndis.miniport.core;

import io.nicup.ndis.datapath.NetBufferList;

/**
 * One receive queue as {@link NdisDataPath} drives it: each receive buffer has its own NBL, indicated in
 * place; the buffer goes back to the device when the protocol returns the NBL. Each call is made holding
 * this queue's receive lock ({@link NdisDataPath#rxLock(int)}), and another queue's calls may run at the
 * same time (docs/ndis-contract.md §21.3): what queues share is read-only here or locked on its own. Implementations allocate nothing after construction and never throw on these
 * calls.
 */
public interface RxQueue {

    /** Buffers in the ring: bounds the rounds of one receive service. */
    int size();

    /**
     * Takes up to {@code max} received frames and returns those to indicate as one chain, each NBL's data
     * set to its frame, or null; the rest (bad, filtered, or everything when not {@code indicate}) go back
     * to the device at once, or, when not {@code repost} (it is gone), stay with the driver.
     * {@link #lastTaken} and {@link #lastPolled} then describe this call.
     */
    NetBufferList take(int max, boolean indicate, boolean repost);

    /** Frames the last {@link #take} returned for indication. */
    int lastTaken();

    /** Entries the last {@link #take} consumed: fewer than asked means the ring is empty. */
    int lastPolled();

    /**
     * The protocol returned these NBLs: their buffers go back to the device, or, when not {@code repost}
     * (the device is gone or stopped), stay with the driver. Returns how many NBLs there were.
     */
    int giveBack(NetBufferList chain, boolean repost);

    /** Frames dropped so far: bad, or received while not Running. */
    long dropped();
}

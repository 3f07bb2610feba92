package io.nicup.ndis.miniport.core;

import io.nicup.ndis.NdisStatus;
import io.nicup.ndis.datapath.NetBufferList;

/**
 * The sends a miniport accepted but has not yet handed to its device: a FIFO in a circular array, so the
 * family's staging reads the waiting NBLs by index ({@link #get}) and takes the ones the ring accepted with
 * one {@link #consume}, without chasing or clearing {@link NetBufferList#next()} per NBL
 * (docs/ndis-contract.md §19.6). NBLs go to the device whole and in this order; what does not fit stays here
 * until the ring has room (or the link comes up).
 *
 * <pre>
 *   slots:  [ . . . 3 4 5 6 7 . . ]      capacity a power of two, index i of the FIFO at (head + i) &amp; mask
 *                   ^head      count = 5
 * </pre>
 *
 * <p>Growth: the array starts at the capacity given, or {@link #reserve}d (the data path reserves twice its
 * transmit ring at attach), and doubles only when an {@link #add} or {@link #requeueFront} would exceed it,
 * that is when more sends wait than ever waited before. A steady state never reaches a new high-water mark,
 * so it never allocates; a burst that does allocates once, and the queue keeps that capacity.
 *
 * <p>Not thread-safe: the owning adapter calls it with its txLock held, and completes what it takes out
 * after releasing that lock.
 */
public final class PendingSends {

    /** The capacity when none is asked for. */
    static final int DEFAULT_CAPACITY = 64;

    private NetBufferList[] slots;
    private int mask;
    /** Where the oldest waiting NBL is. */
    private int head;
    private int count;

    public PendingSends() {
        this(DEFAULT_CAPACITY);
    }

    /** A queue that holds {@code capacity} NBLs (rounded up to a power of two) before it first grows. */
    public PendingSends(int capacity) {
        slots = new NetBufferList[powerOfTwoAtLeast(capacity)];
        mask = slots.length - 1;
    }

    /** Makes room for {@code capacity} NBLs now (at attach, off the send path), so no send grows it below that. */
    public void reserve(int capacity) {
        if (capacity > slots.length) {
            grow(capacity);
        }
    }

    /** True when nothing waits. */
    public boolean isEmpty() {
        return count == 0;
    }

    /** NBLs waiting. */
    public int size() {
        return count;
    }

    /** NBLs it holds before it grows. */
    public int capacity() {
        return slots.length;
    }

    /** The {@code i}-th oldest waiting NBL, {@code 0 <= i < size()} (not checked: the caller's loop bounds it). */
    public NetBufferList get(int i) {
        return slots[(head + i) & mask];
    }

    /** The oldest waiting NBL, or null. */
    public NetBufferList first() {
        return count == 0 ? null : slots[head];
    }

    /** Queues {@code nbl} last; its {@link NetBufferList#next()} is not read or written. */
    public void add(NetBufferList nbl) {
        if (count == slots.length) {
            grow(count + 1);
        }
        slots[(head + count) & mask] = nbl;
        count++;
    }

    /**
     * After the device took the {@code n} oldest NBLs ({@code n <= size()}): the one after them is the oldest
     * waiting again.
     */
    public void consume(int n) {
        for (int i = 0; i < n; i++) {
            slots[(head + i) & mask] = null;                 // no reference to a send NDIS may have completed
        }
        head = (head + n) & mask;
        count -= n;
    }

    /**
     * Puts {@code nbls[offset .. offset+n)} back in front of what waits, in that order: sends the device held
     * and did not finish before a reset go out again first, in their old order.
     */
    public void requeueFront(NetBufferList[] nbls, int offset, int n) {
        if (count + n > slots.length) {
            grow(count + n);
        }
        head = (head - n) & mask;
        for (int i = 0; i < n; i++) {
            slots[(head + i) & mask] = nbls[offset + i];
        }
        count += n;
    }

    /**
     * Empties the queue and returns what waited as one NDIS chain, oldest first (each NBL's next set here);
     * null when nothing did. For the cold paths that fail every waiting send back.
     */
    public NetBufferList takeAll() {
        NetBufferList chain = null;
        for (int i = count - 1; i >= 0; i--) {
            int s = (head + i) & mask;
            NetBufferList nbl = slots[s];
            slots[s] = null;
            nbl.setNext(chain);
            chain = nbl;
        }
        head = 0;
        count = 0;
        return chain;
    }

    /**
     * MiniportCancelSendNetBufferLists: removes every waiting NBL with {@code cancelId}, the others keeping
     * their order, and returns the removed ones as one chain (most recently queued first) with status
     * SEND_ABORTED, or null when none matched. What the device already holds cannot be cancelled and is not
     * looked at.
     */
    public NetBufferList removeCancelled(long cancelId) {
        NetBufferList cancelled = null;
        int kept = 0;
        for (int i = 0; i < count; i++) {
            NetBufferList nbl = slots[(head + i) & mask];
            if (nbl.cancelId() == cancelId) {
                nbl.setStatus(NdisStatus.SEND_ABORTED);
                nbl.setNext(cancelled);
                cancelled = nbl;
            } else {
                slots[(head + kept) & mask] = nbl;
                kept++;
            }
        }
        for (int i = kept; i < count; i++) {
            slots[(head + i) & mask] = null;
        }
        count = kept;
        return cancelled;
    }

    /** A new high-water mark: at least {@code needed} slots, doubling, the FIFO copied in order to index 0. */
    private void grow(int needed) {
        NetBufferList[] bigger = new NetBufferList[powerOfTwoAtLeast(Math.max(needed, 2 * slots.length))];
        for (int i = 0; i < count; i++) {
            bigger[i] = slots[(head + i) & mask];
        }
        slots = bigger;
        mask = bigger.length - 1;
        head = 0;
    }

    private static int powerOfTwoAtLeast(int n) {
        return n <= 1 ? 1 : Integer.highestOneBit(n - 1) << 1;
    }
}

package io.nicup.ndis.miniport.core;

import io.nicup.ndis.NdisStatus;
import io.nicup.ndis.datapath.NetBufferList;

/**
 * The sends a miniport accepted but has not yet handed to its device: a FIFO linked through the NBLs
 * themselves, so queueing allocates nothing. NBLs go to the device whole and in this order; what does
 * not fit stays here until the ring has room (or the link comes up). Not thread-safe: the owning
 * adapter calls it with its txLock held, and completes what it takes out after releasing that lock.
 */
public final class PendingSends {

    private NetBufferList head;
    private NetBufferList tail;

    /** True when nothing waits. */
    public boolean isEmpty() {
        return head == null;
    }

    /** The oldest waiting NBL (the rest follow through {@link NetBufferList#next()}), or null. */
    public NetBufferList first() {
        return head;
    }

    /** Queues {@code nbl}, whose {@link NetBufferList#next()} the caller has already cleared, last. */
    public void add(NetBufferList nbl) {
        if (head == null) {
            head = nbl;
        } else {
            tail.setNext(nbl);
        }
        tail = nbl;
    }

    /**
     * After the device took the NBLs in front of {@code rest}: {@code rest} (still linked to what follows
     * it, or null when everything went) is the oldest waiting NBL again.
     */
    public void keepFrom(NetBufferList rest) {
        head = rest;
        if (rest == null) {
            tail = null;
        }
    }

    /**
     * Puts the chain {@code first}..{@code last} back in front of what waits: sends the device held and
     * did not finish before a reset go out again first, in their old order.
     */
    public void requeueFront(NetBufferList first, NetBufferList last) {
        last.setNext(head);
        head = first;
        if (tail == null) {
            tail = last;
        }
    }

    /** Empties the queue and returns what waited, oldest first, still linked; null when nothing did. */
    public NetBufferList takeAll() {
        NetBufferList all = head;
        head = null;
        tail = null;
        return all;
    }

    /**
     * MiniportCancelSendNetBufferLists: unlinks every waiting NBL with {@code cancelId} and returns them as
     * one chain (most recently queued first) with status SEND_ABORTED, or null when none matched. What
     * the device already holds cannot be cancelled and is not looked at.
     */
    public NetBufferList removeCancelled(long cancelId) {
        NetBufferList cancelled = null;
        NetBufferList prev = null;
        for (NetBufferList nbl = head; nbl != null; ) {
            NetBufferList next = nbl.next();
            if (nbl.cancelId() == cancelId) {
                if (prev == null) {
                    head = next;
                } else {
                    prev.setNext(next);
                }
                if (tail == nbl) {
                    tail = prev;
                }
                nbl.setNext(cancelled);
                nbl.setStatus(NdisStatus.SEND_ABORTED);
                cancelled = nbl;
            } else {
                prev = nbl;
            }
            nbl = next;
        }
        return cancelled;
    }
}

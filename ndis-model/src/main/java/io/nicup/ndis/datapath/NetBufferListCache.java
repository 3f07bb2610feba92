package io.nicup.ndis.datapath;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * A {@link NetBufferListPool}'s free cache: up to {@link #SIZE} free NBLs owned by one thread, the first to
 * allocate from the pool (as NDIS's lookaside lists and DPDK's per-lcore mempool cache). Its owner takes and
 * puts NBLs here with plain accesses; the pool's lock is taken once per half a cache to refill or spill
 * (docs/ndis-contract.md §19.3).
 *
 * <p>The pool calls the owner-only methods only from the thread {@link #ownedByCaller()} is true for, and the
 * others holding its lock. The count is written with release stores so that {@link #size()} can be read by any
 * thread (exact once the owner is between calls).
 */
final class NetBufferListCache {

    /** NBLs the cache holds at most: two batches of 32 (DPDK's mempool caches hold a few bursts). */
    static final int SIZE = 64;
    private static final VarHandle COUNT;

    static {
        try {
            COUNT = MethodHandles.lookup().findVarHandle(NetBufferListCache.class, "count", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final NetBufferList[] slots = new NetBufferList[SIZE];
    /**
     * The thread whose cache it is, or null before the first allocation (written under the pool's lock). Read
     * without it: a thread can only ever read itself here if it wrote itself, so a stale value only sends a
     * thread to the locked path.
     */
    private Thread owner;
    @SuppressWarnings("unused")   // through COUNT as well
    private int count;

    /** Whether the calling thread owns the cache. */
    boolean ownedByCaller() {
        return owner == Thread.currentThread();
    }

    /** NBLs in the cache, as last published by its owner. */
    int size() {
        return (int) COUNT.getAcquire(this);
    }

    /**
     * Whether the calling thread owns the cache, taking it when nobody does or its owner has ended (which it saw
     * through {@code isAlive()}, so it sees the owner's last writes to the cache, JLS 17.4.4). Under the pool's lock.
     */
    boolean claim() {
        Thread me = Thread.currentThread();
        Thread current = owner;
        if (current == me) {
            return true;
        }
        if (current == null || !current.isAlive()) {
            owner = me;
            return true;
        }
        return false;
    }

    /** Whether a thread other than the caller owns the cache and still runs. Under the pool's lock. */
    boolean ownedByAnotherLiveThread() {
        Thread current = owner;
        return current != null && current != Thread.currentThread() && current.isAlive();
    }

    /** One NBL from the cache, or null when it is empty. Owner only. */
    NetBufferList take() {
        int n = count;
        if (n == 0) {
            return null;
        }
        NetBufferList nbl = slots[--n];
        slots[n] = null;
        COUNT.setRelease(this, n);
        return nbl;
    }

    /** Up to {@code n} NBLs into {@code out[offset ..]}; how many. Owner only. */
    int take(NetBufferList[] out, int offset, int n) {
        int c = count;
        int got = 0;
        while (got < n && c > 0) {
            out[offset + got++] = slots[--c];
            slots[c] = null;
        }
        COUNT.setRelease(this, c);
        return got;
    }

    /** Puts a free NBL in the cache; false when it is full. Owner only. */
    boolean put(NetBufferList nbl) {
        int n = count;
        if (n == SIZE) {
            return false;
        }
        slots[n] = nbl;
        COUNT.setRelease(this, n + 1);
        return true;
    }

    /**
     * Frees the chain starting at {@code head} into the cache, marking each NBL FREE: true when done; false,
     * having changed nothing, when the chain does not fit the room left or an NBL is not {@code pool}'s or not
     * ALLOCATED (the pool's locked walk then frees it, or refuses and reports it). Owner only.
     */
    boolean putChain(NetBufferList head, NetBufferListPool pool) {
        int start = count;
        int n = start;
        for (NetBufferList nbl = head; nbl != null; nbl = nbl.next) {
            if (n == SIZE || nbl.pool != pool || nbl.owner() != NetBufferList.ALLOCATED) {
                while (n > start) {                      // the cold path: back as they were
                    slots[--n].setOwner(NetBufferList.ALLOCATED);
                    slots[n] = null;
                }
                return false;
            }
            nbl.setOwner(NetBufferList.FREE);
            slots[n++] = nbl;
        }
        COUNT.setRelease(this, n);
        return true;
    }

    /** Fills the cache to half from the pool's free stack. Owner only, under the pool's lock. */
    void refill(NetBufferListStack stack) {
        int n = count;
        while (n < SIZE / 2 && !stack.isEmpty()) {
            slots[n++] = stack.pop();
        }
        COUNT.setRelease(this, n);
    }

    /** A full cache gives half back to the pool's free stack. Owner only, under the pool's lock. */
    void spill(NetBufferListStack stack) {
        int n = count;
        while (n > SIZE / 2) {
            stack.push(slots[--n]);
            slots[n] = null;
        }
        COUNT.setRelease(this, n);
    }

    /** Empties the cache onto the pool's free stack and gives up ownership. Under the pool's lock. */
    void drain(NetBufferListStack stack) {
        int n = count;
        while (n > 0) {
            stack.push(slots[--n]);
            slots[n] = null;
        }
        COUNT.setRelease(this, 0);
        owner = null;
    }
}

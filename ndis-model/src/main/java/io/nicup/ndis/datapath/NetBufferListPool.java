package io.nicup.ndis.datapath;

import io.nicup.ndis.Ndis;
import io.nicup.ndis.NdisException;
import io.nicup.ndis.NdisHost;
import io.nicup.ndis.NdisInternal;
import io.nicup.ndis.adapter.MiniportAdapter;
import io.nicup.ndis.adapter.ResourceLedger;
import io.nicup.ndis.trace.Rule;
import io.nicup.vfio.DmaRegion;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;

/**
 * A preallocated pool of NET_BUFFER_LISTs (NdisAllocateNetBufferListPool). Every NBL, its NET_BUFFERs
 * and, for pools with a data size, their DMA buffers exist from creation; allocating and freeing move
 * them on and off a free stack and allocate nothing.
 *
 * <p>Pools with data carve one DMA region into {@code count * netBuffersPerList} buffers of
 * {@code dataSize} bytes (each starting on a 64-byte boundary), so a NET_BUFFER's {@link NetBuffer#dataIova()}
 * can go straight into a descriptor.
 *
 * <p>A miniport gets its pools from {@link Ndis#NdisAllocateNetBufferListPool} and frees them with
 * {@link Ndis#NdisFreeNetBufferListPool}; the host gives the protocol side pools from
 * {@link NdisHost#allocateSendPool}.
 *
 * <p>In front of the shared free stack (under the pool's lock) sits a free cache of up to
 * {@link NetBufferListCache#SIZE} NBLs owned by one thread, the first to allocate from the pool (as NDIS's
 * lookaside lists and DPDK's per-lcore mempool cache): that thread allocates and frees
 * through it with plain accesses, and takes the lock once per half a cache to refill or spill. Other
 * threads use the shared stack; the owner's cache is theirs only once the owner has ended.
 * docs/ndis-contract.md §19.3.
 */
public final class NetBufferListPool {

    private static final int BUFFER_ALIGNMENT = 64;
    /** NBLs one thread's cache holds at most. */
    static final int CACHE_SIZE = NetBufferListCache.SIZE;
    /** Pools smaller than this have no cache: a cache would hold too large a share of them. */
    static final int MIN_CAPACITY_FOR_CACHE = 8 * CACHE_SIZE;

    private final NetBufferListPoolParameters parameters;
    private final MiniportAdapter adapter;
    private final boolean miniportOwned;
    private final DmaRegion region;
    private final NetBufferList[] all;
    /** Free NBLs that are not in the cache (under the pool's lock). */
    private final NetBufferListStack freeStack;
    /** The owner's free cache, or null for a pool too small to have one. */
    private final NetBufferListCache cache;
    @NdisInternal
    public ResourceLedger.Entry entry;
    private volatile boolean closed;

    @NdisInternal
    public NetBufferListPool(NetBufferListPoolParameters parameters, MiniportAdapter adapter, boolean miniportOwned,
            DmaRegion region) {
        this.parameters = parameters;
        this.adapter = adapter;
        this.miniportOwned = miniportOwned;
        this.region = region;
        this.all = new NetBufferList[parameters.count()];
        this.freeStack = new NetBufferListStack(parameters.count());
        this.cache = parameters.count() >= MIN_CAPACITY_FOR_CACHE ? new NetBufferListCache() : null;
        long stride = alignUp(parameters.dataSize());
        int slot = 0;
        for (int i = 0; i < all.length; i++) {
            NetBufferList nbl = new NetBufferList(this, i);
            nbl.netBuffers = new NetBuffer[parameters.netBuffersPerList()];
            NetBuffer previous = null;
            for (int j = 0; j < parameters.netBuffersPerList(); j++) {
                NetBuffer nb = new NetBuffer();
                nbl.netBuffers[j] = nb;
                if (region != null) {
                    long offset = stride * slot++;
                    nb.attach(region.segment().asSlice(offset, parameters.dataSize()), region.iova() + offset, 0,
                            parameters.dataSize());
                }
                if (previous == null) {
                    nbl.firstNetBuffer = nb;
                } else {
                    previous.next = nb;
                }
                previous = nb;
            }
            all[i] = nbl;
            freeStack.push(nbl);
        }
    }

    /** Bytes of DMA memory a data pool with these parameters needs. */
    static long regionSize(NetBufferListPoolParameters p) {
        return alignUp(p.dataSize()) * p.count() * p.netBuffersPerList();
    }

    private static long alignUp(long n) {
        return (n + BUFFER_ALIGNMENT - 1) & -BUFFER_ALIGNMENT;
    }

    public NetBufferListPoolParameters parameters() {
        return parameters;
    }

    public String purpose() {
        return parameters.purpose();
    }

    public int capacity() {
        return all.length;
    }

    /** NBLs free: on the shared stack and in the owner's cache (exact once the owner is between calls). */
    public synchronized int available() {
        return freeStack.size() + (cache != null ? cache.size() : 0);
    }

    /** The DMA region behind the data buffers, or null for a pool without data. */
    public DmaRegion dataRegion() {
        return region;
    }

    /**
     * NdisAllocateNetBufferList (with data: each NET_BUFFER spans its whole buffer, data length
     * {@code dataSize}).
     *
     * @return the NBL, or null when the pool is exhausted or closed
     */
    public NetBufferList allocate() {
        NetBufferList nbl = null;
        if (cache != null && cache.ownedByCaller() && !closed) {
            nbl = cache.take();
        }
        if (nbl == null) {
            nbl = allocateLocked();
            if (nbl == null) {
                return null;
            }
        }
        prepare(nbl);
        return nbl;
    }

    /** The cold half of {@link #allocate()}: the owner refills its cache to half; others take from the stack. */
    private synchronized NetBufferList allocateLocked() {
        if (closed) {
            return null;
        }
        if (claimCache()) {
            cache.refill(freeStack);
            return cache.take();
        }
        return freeStack.isEmpty() ? null : freeStack.pop();
    }

    /** Whether the calling thread owns the cache, taking it when it may ({@link NetBufferListCache#claim}). Holds the lock. */
    private boolean claimCache() {
        return cache != null && cache.claim();
    }

    /**
     * NdisAllocateNetBufferList for up to {@code n} NBLs at once, taking the pool's lock once instead of
     * {@code n} times (what a driver allocating per batch on its fast path wants): fills
     * {@code out[offset .. offset + count)} and returns how many it got (fewer when the pool runs dry,
     * 0 when it is closed). Each NBL is exactly what {@link #allocate()} would have returned.
     */
    public int allocate(NetBufferList[] out, int offset, int n) {
        int got = 0;
        if (cache != null && cache.ownedByCaller() && !closed) {
            got = cache.take(out, offset, n);
        }
        if (got < n) {
            got = allocateLocked(out, offset + got, n - got) + got;
        }
        for (int i = 0; i < got; i++) {
            prepare(out[offset + i]);
        }
        return got;
    }

    /** The cold half of the batch allocation: from the shared stack, then the owner refills its cache to half. */
    private synchronized int allocateLocked(NetBufferList[] out, int offset, int n) {
        if (closed) {
            return 0;
        }
        boolean owner = claimCache();
        int got = owner ? cache.take(out, offset, n) : 0;   // what an ended owner left in the cache first
        got += freeStack.pop(out, offset + got, n - got);
        if (owner) {
            cache.refill(freeStack);
        }
        return got;
    }

    private void prepare(NetBufferList nbl) {
        nbl.reset();
        int dataSize = parameters.dataSize();
        NetBuffer[] nbs = nbl.netBuffers;
        for (int j = 0; j < nbs.length; j++) {
            nbs[j].reset(dataSize);
            nbs[j].next = j + 1 < nbs.length ? nbs[j + 1] : null;   // a send may have used fewer
        }
        nbl.firstNetBuffer = nbs[0];
        nbl.setOwner(NetBufferList.ALLOCATED);
    }

    /**
     * NdisAllocateNetBufferList with the first {@code netBuffers} (1 to netBuffersPerList) of the NBL's
     * NET_BUFFERs linked, each spanning its whole buffer: an NBL of several frames, as a protocol sends one
     * (WDD sending-ethernet-frames; docs/ndis-contract.md §16.1).
     *
     * @return the NBL, or null when the pool is exhausted or closed
     */
    public NetBufferList allocate(int netBuffers) {
        if (netBuffers < 1 || netBuffers > parameters.netBuffersPerList()) {
            throw new IllegalArgumentException("NET_BUFFERs per NBL out of range: netBuffers=" + netBuffers
                    + " netBuffersPerList=" + parameters.netBuffersPerList() + " pool=" + purpose());
        }
        NetBufferList nbl = allocate();
        if (nbl != null) {
            nbl.netBuffers[netBuffers - 1].next = null;
        }
        return nbl;
    }

    /**
     * NdisAllocateNetBufferAndNetBufferList: an NBL whose one NET_BUFFER describes the caller's memory
     * (for example a receive buffer, a slice of the miniport's shared memory). Only for pools created
     * without a data size.
     *
     * @return the NBL, or null when the pool is exhausted or closed
     */
    public NetBufferList allocate(MemorySegment buffer, long bufferIova, int dataOffset, int dataLength) {
        if (parameters.dataSize() != 0) {
            throw new IllegalStateException("pool has its own data buffers: pool=" + purpose()
                    + " use allocate() instead");
        }
        NetBufferList nbl = allocate();
        if (nbl != null) {
            nbl.firstNetBuffer.attach(buffer, bufferIova, dataOffset, dataLength);
        }
        return nbl;
    }

    /**
     * NdisFreeNetBufferList. A miniport freeing an NBL NDIS still holds (indicated and not returned) is a
     * reported violation ({@link Rule#NBL_FREE_WHILE_OUTSTANDING}) and the NBL stays where it is; the
     * protocol side freeing an NBL it does not own (sent and not completed) is an {@link NdisException}.
     */
    public void free(NetBufferList nbl) {
        if (release(nbl)) {
            if (cache != null && cache.ownedByCaller() && cache.put(nbl)) {
                return;
            }
            synchronized (this) {
                spill();
                freeStack.push(nbl);
            }
        }
    }

    /** The owner's full cache gives half back to the shared stack. Holds the lock. */
    private void spill() {
        if (cache != null && cache.ownedByCaller()) {
            cache.spill(freeStack);
        }
    }

    /**
     * Empties the calling thread's cache onto the shared stack (what pause and halt do, so that every free
     * NBL is where any thread can take it); nothing when another thread owns the cache.
     */
    @NdisInternal
    public synchronized void flushCache() {
        if (cache != null && !cache.ownedByAnotherLiveThread()) {
            cache.drain(freeStack);
        }
    }

    /**
     * NdisFreeNetBufferList for every NBL of the chain starting at {@code head} (following
     * {@link NetBufferList#next()}), in one walk under the pool's lock: each NBL is checked exactly as
     * {@link #free} checks it and goes straight onto the free stack. One that may not be freed by the
     * miniport (still with NDIS) stays where it is and is reported once the walk is done, while the others
     * are freed; a chain the caller may not free at all (another pool's NBL, the protocol freeing one it
     * does not own) is refused whole: the walk is rolled back (the cold path) and nothing changes. Every NBL
     * of the chain must come from this pool.
     */
    public void freeChain(NetBufferList head) {
        if (cache != null && cache.ownedByCaller() && cache.putChain(head, this)) {
            return;
        }
        List<NetBufferList> outstanding = null;
        synchronized (this) {
            spill();
            int mark = freeStack.size();
            for (NetBufferList nbl = head; nbl != null; nbl = nbl.next) {
                int owner = nbl.owner();
                if (nbl.pool != this || owner != NetBufferList.ALLOCATED && !miniportOwned) {
                    freeStack.unwindTo(mark);
                    checkFreeable(nbl);                  // throws, naming the NBL
                }
                if (owner != NetBufferList.ALLOCATED) {
                    outstanding = remember(outstanding, nbl);
                    continue;
                }
                nbl.setOwner(NetBufferList.FREE);
                freeStack.push(nbl);
            }
        }
        if (outstanding != null) {
            for (NetBufferList nbl : outstanding) {
                adapter.verifier().report(Rule.NBL_FREE_WHILE_OUTSTANDING, adapter,
                        "nbl=" + purpose() + "#" + nbl.index + " owner=" + NetBufferList.ownerName(nbl.owner()));
            }
        }
    }

    private static List<NetBufferList> remember(List<NetBufferList> list, NetBufferList nbl) {
        List<NetBufferList> l = list != null ? list : new ArrayList<>();   // allocated only when a rule is broken
        l.add(nbl);
        return l;
    }

    /** The checks of NdisFreeNetBufferList; true when {@code nbl} may go back on the free stack (now FREE). */
    private boolean release(NetBufferList nbl) {
        checkFreeable(nbl);
        int owner = nbl.owner();
        if (owner != NetBufferList.ALLOCATED) {
            adapter.verifier().report(Rule.NBL_FREE_WHILE_OUTSTANDING, adapter,
                    "nbl=" + purpose() + "#" + nbl.index + " owner=" + NetBufferList.ownerName(owner));
            return false;
        }
        nbl.setOwner(NetBufferList.FREE);
        return true;
    }

    /** The errors of NdisFreeNetBufferList that are the caller's bug: another pool's NBL, or the protocol freeing one it does not own. */
    private void checkFreeable(NetBufferList nbl) {
        if (nbl.pool != this) {
            throw new NdisException("NBL freed to a pool it does not belong to: nbl=" + nbl + " pool=" + purpose());
        }
        int owner = nbl.owner();
        if (owner != NetBufferList.ALLOCATED && !miniportOwned) {
            throw new NdisException("protocol freed an NBL it does not own: nbl=" + purpose() + "#" + nbl.index
                    + " owner=" + NetBufferList.ownerName(owner));
        }
    }

    /** NBLs currently with the miniport (sent) or with NDIS (indicated). */
    @NdisInternal
    public int outstanding() {
        int n = 0;
        for (NetBufferList nbl : all) {
            int o = nbl.owner();
            if (o == NetBufferList.SENDING || o == NetBufferList.INDICATED) {
                n++;
            }
        }
        return n;
    }

    @NdisInternal
    public MiniportAdapter adapter() {
        return adapter;
    }

    @NdisInternal
    public boolean isMiniportOwned() {
        return miniportOwned;
    }

    /** Frees the pool's memory; NBLs become unusable. */
    @NdisInternal
    public void close() {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
        }
        flushCache();
        if (region != null) {
            region.close();
        }
    }

    @Override
    public String toString() {
        return "NetBufferListPool{" + purpose() + " capacity=" + capacity() + " dataSize=" + parameters.dataSize() + "}";
    }
}

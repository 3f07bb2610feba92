package io.nicup.benchmarks;

import io.nicup.ndis.Ndis;
import io.nicup.ndis.NdisStatus;
import io.nicup.ndis.adapter.NdisAdapterHandle;
import io.nicup.ndis.datapath.NetBuffer;
import io.nicup.ndis.datapath.NetBufferList;
import io.nicup.ndis.datapath.NetBufferListPool;
import io.nicup.ndis.datapath.NetBufferListPoolParameters;
import io.nicup.ndis.miniport.core.PacketBufferPool;
import io.nicup.ndis.miniport.i82574.ExtRxRing;
import io.nicup.ndis.miniport.i82574.TxRing;

/**
 * {@link BenchMiniport}'s adapter context: the rings, a receive NBL per packet buffer, the NBLs in flight on
 * the TX ring.
 */
final class BenchAdapter {
    private final Ndis ndis;
    private final NdisAdapterHandle handle;
    private final Fixture fixture;
    private TxRing tx;
    private ExtRxRing rx;
    private PacketBufferPool pool;
    private NetBufferListPool rxNblPool;
    /** The receive NBL of each packet buffer; MiniportReserved[0] holds the buffer index. */
    private NetBufferList[] rxNbl;
    /** The NBL sent in each TX ring slot (the ring's tag is the slot). */
    private NetBufferList[] txNbl;
    private long[] iovas;
    private int[] lengths;
    private int[] tags;
    private int[] done;
    private int[] rxBuffers;
    private int[] rxLengths;
    private int[] rxFlags;
    private int[] returned;
    private int txSequence;

    BenchAdapter(Ndis ndis, NdisAdapterHandle handle, Fixture fixture) {
        this.ndis = ndis;
        this.handle = handle;
        this.fixture = fixture;
    }

    void setUpRings() {
        int count = fixture.ringSize;
        pool = fixture.pool;
        tx = new TxRing(fixture.txRegion, fixture.regs, 0, count);
        rx = new ExtRxRing(fixture.rxRegion, fixture.regs, 0, count, pool);
        tx.writeRingRegisters();
        rx.writeRingRegisters();
        rxNblPool = ndis.NdisAllocateNetBufferListPool(handle,
                NetBufferListPoolParameters.withoutData(pool.capacity(), "rx"));
        rxNbl = new NetBufferList[pool.capacity()];
        for (int i = 0; i < pool.capacity(); i++) {
            rxNbl[i] = rxNblPool.allocate(pool.segment(i), pool.iova(i), 0, 0);
            rxNbl[i].setMiniportReservedIndex(i);
        }
        txNbl = new NetBufferList[count];
        iovas = new long[count];
        lengths = new int[count];
        tags = new int[count];
        done = new int[count];
        rxBuffers = new int[count];
        rxLengths = new int[count];
        rxFlags = new int[count];
        returned = new int[pool.capacity()];
        rx.refillFromPool(rx.emptySlots());
    }

    void halt() {
        ndis.NdisFreeNetBufferListPool(rxNblPool);
    }

    /** MiniportSendNetBufferLists: one descriptor per NBL, one doorbell per call. */
    void send(NetBufferList chain, int portNumber, int sendFlags) {
        int n = 0;
        int free = tx.freeSlots();
        int mask = tx.count() - 1;
        NetBufferList nbl = chain;
        while (nbl != null && n < free) {
            NetBufferList next = nbl.next();
            NetBuffer nb = nbl.firstNetBuffer();
            int slot = (txSequence + n) & mask;
            iovas[n] = nb.dataIova();
            lengths[n] = nb.dataLength();
            tags[n] = slot;
            txNbl[slot] = nbl;
            nbl.setNext(null);
            n++;
            nbl = next;
        }
        int accepted = tx.submit(iovas, lengths, tags, 0, n);
        txSequence += accepted;
        if (nbl != null || accepted != n) {
            // Ring full: a real miniport queues these; the benchmark never gets here (short batch).
            NetBufferList head = null;
            for (int i = accepted; i < n; i++) {
                NetBufferList r = txNbl[tags[i]];
                r.setStatus(NdisStatus.RESOURCES);
                r.setNext(head);
                head = r;
            }
            while (nbl != null) {
                NetBufferList next = nbl.next();
                nbl.setStatus(NdisStatus.RESOURCES);
                nbl.setNext(head);
                head = nbl;
                nbl = next;
            }
            ndis.NdisMSendNetBufferListsComplete(handle, head, 0);
        }
    }

    /** The transmit-done DPC: cleans the ring and completes the NBLs in one call. */
    int completeSends() {
        int n = tx.clean(done, 0, done.length);
        if (n == 0) {
            return 0;
        }
        NetBufferList head = txNbl[done[0]];
        NetBufferList tail = head;
        head.setStatus(NdisStatus.SUCCESS);
        for (int i = 1; i < n; i++) {
            NetBufferList nbl = txNbl[done[i]];
            nbl.setStatus(NdisStatus.SUCCESS);
            tail.setNext(nbl);
            tail = nbl;
        }
        tail.setNext(null);
        ndis.NdisMSendNetBufferListsComplete(handle, head, 0);
        return n;
    }

    /** The receive DPC: polls, points each frame's NBL at it, one indication per batch. */
    int receive(int max) {
        int n = rx.poll(rxBuffers, rxLengths, rxFlags, 0, max);
        NetBufferList head = null;
        NetBufferList tail = null;
        int good = 0;
        int bad = 0;
        for (int i = 0; i < n; i++) {
            int b = rxBuffers[i];
            if (!ExtRxRing.isGood(rxFlags[i])) {
                returned[bad++] = b;
                continue;
            }
            NetBufferList nbl = rxNbl[b];
            nbl.firstNetBuffer().setDataLength(rxLengths[i]);
            nbl.setNext(null);
            if (head == null) {
                head = nbl;
            } else {
                tail.setNext(nbl);
            }
            tail = nbl;
            good++;
        }
        if (bad != 0) {
            rx.refill(returned, 0, bad);
        }
        if (head != null) {
            ndis.NdisMIndicateReceiveNetBufferLists(handle, head, 0, good, 0);
        }
        return n;
    }

    /** MiniportReturnNetBufferLists: the buffers go back into the ring, one doorbell per call. */
    void returnNetBufferLists(NetBufferList chain, int returnFlags) {
        int n = 0;
        NetBufferList nbl = chain;
        while (nbl != null) {
            NetBufferList next = nbl.next();
            returned[n++] = nbl.miniportReservedIndex();
            nbl.setNext(null);
            nbl = next;
        }
        rx.refill(returned, 0, n);
    }
}

package io.nicup.ndis.miniport.virtio;

import io.nicup.ndis.adapter.SharedMemory;
import io.nicup.ndis.datapath.NetBufferList;
import io.nicup.ndis.datapath.NetBufferListPool;
import io.nicup.ndis.miniport.core.NdisDataPath;
import io.nicup.ndis.miniport.core.RxQueue;
import java.lang.foreign.MemorySegment;

/**
 * receiveq1 over its {@link SplitRing}: descriptor {@code i} is buffer {@code i} of the receive buffer
 * memory, device-writable, {@value #BUFFER_BYTES} bytes (the 12-byte header, then the frame; without
 * VIRTIO_NET_F_MRG_RXBUF one buffer holds one frame, 5.1.6.3.1). A used buffer is indicated in place
 * in its own NBL and goes back to the available ring when the protocol returns it.
 *
 * <p>Not thread-safe: {@link NdisDataPath} calls it holding its rxLock. Nothing here allocates after
 * {@link #attachNbls}. The counters are the driver's (virtio has no hardware counters).
 */
final class VirtioRxQueue implements RxQueue {

    /** Receive buffer: header + a 1514-byte frame fit. */
    static final int BUFFER_BYTES = 2048;
    static final int MIN_FRAME = 14;
    static final int MAX_FRAME = 1514;

    private final SplitRing ring;
    private final int size;
    private final long buffersIova;
    /** Buffer i as a slice of the buffer memory, cut once. */
    private final MemorySegment[] buffers;
    /** Buffer i's NBL, its data at the frame (past the header). */
    private final NetBufferList[] nbls;
    /** Buffer i is indicated and not yet returned: the device must not get it. */
    private final boolean[] withNdis;
    private VirtioTransport transport;
    private ReceiveFilter filter;
    private int lastReady;
    private int lastTaken;
    /** The doorbell's offset in the notify window, set when the queue is set up. */
    long notifyOffset;

    long frames;
    long multicast;
    long broadcast;
    long bytes;
    long dropped;
    long lengthErrors;
    long filtered;
    long notifies;

    VirtioRxQueue(SplitRing ring, SharedMemory bufferMemory) {
        this.ring = ring;
        this.size = ring.size();
        this.buffersIova = bufferMemory.physicalAddress();
        this.buffers = new MemorySegment[size];
        for (int i = 0; i < size; i++) {
            buffers[i] = bufferMemory.segment().asSlice((long) i * BUFFER_BYTES, BUFFER_BYTES);
        }
        this.nbls = new NetBufferList[size];
        this.withNdis = new boolean[size];
    }

    /** The doorbell's transport and the packet filter, once both exist. */
    void attach(VirtioTransport transport, ReceiveFilter filter) {
        this.transport = transport;
        this.filter = filter;
    }

    SplitRing ring() {
        return ring;
    }

    @Override
    public int size() {
        return size;
    }

    /** One NBL per buffer, from {@code pool}, its id boxed once here and never per packet. */
    void attachNbls(NetBufferListPool pool) {
        for (int i = 0; i < size; i++) {
            nbls[i] = pool.allocate(buffers[i], iova(i), NetHeader.BYTES, 0);
            nbls[i].setMiniportReserved0(Integer.valueOf(i));
        }
    }

    /** The NBLs go back to {@code pool} (MiniportHaltEx). */
    void freeNbls(NetBufferListPool pool) {
        for (NetBufferList nbl : nbls) {
            if (nbl != null) {
                pool.free(nbl);
            }
        }
    }

    private long iova(int i) {
        return buffersIova + (long) i * BUFFER_BYTES;
    }

    /**
     * After every queue set-up: each descriptor points at its buffer, and the buffers the protocol does
     * not hold are published (not yet committed or notified).
     */
    void writeDescriptors() {
        for (int i = 0; i < size; i++) {
            ring.setDesc(i, iova(i), BUFFER_BYTES, Virtq.DESC_F_WRITE, 0);
            if (!withNdis[i]) {
                ring.publish(i);
            }
        }
    }

    /**
     * Takes up to {@code max} used buffers and returns the frames to indicate as one chain (or null),
     * their count in {@link #lastTaken}; {@link #lastReady} says how many used entries there were. A used
     * length beyond the buffer (2.7.8.2) or outside an Ethernet frame, a frame the filter refuses, and
     * any frame while not {@code indicate} (not Running) go back into the ring at once (unless not
     * {@code repost}: the device is gone); an id the driver does not own now (a device bug) is counted and
     * left alone.
     */
    @Override
    public NetBufferList take(int max, boolean indicate, boolean repost) {
        NetBufferList first = null;
        NetBufferList last = null;
        int n = 0;
        int ready = Math.min(ring.usedReady(), max);
        int reposted = 0;
        for (int k = 0; k < ready; k++) {
            int id = ring.usedId(k);
            int len = ring.usedLen(k);
            if (id < 0 || id >= size || withNdis[id]) {
                lengthErrors++;
                continue;
            }
            int frame = len - NetHeader.BYTES;
            if (len > BUFFER_BYTES || frame < MIN_FRAME || frame > MAX_FRAME) {
                lengthErrors++;
                if (repost) {
                    ring.publish(id);
                    reposted++;
                }
                continue;
            }
            if (!indicate || !filter.accepted(buffers[id], NetHeader.BYTES)) {
                if (indicate) {
                    filtered++;
                } else {
                    dropped++;
                }
                if (repost) {
                    ring.publish(id);
                    reposted++;
                }
                continue;
            }
            NetBufferList nbl = nbls[id];
            nbl.firstNetBuffer().setData(NetHeader.BYTES, frame);
            withNdis[id] = true;
            bytes += frame;
            int c = ReceiveFilter.destinationClass(buffers[id], NetHeader.BYTES);
            multicast += c & 1;
            broadcast += c >>> 1;
            if (first == null) {
                first = nbl;
            } else {
                last.setNext(nbl);
            }
            last = nbl;
            nbl.setNext(null);
            n++;
        }
        ring.consume(ready);
        if (reposted > 0) {
            ring.commit();
            notifyIfWanted();
        }
        frames += n;
        lastReady = ready;
        lastTaken = n;
        return first;
    }

    @Override
    public int lastPolled() {
        return lastReady;
    }

    @Override
    public int lastTaken() {
        return lastTaken;
    }

    @Override
    public long dropped() {
        return dropped;
    }

    /**
     * The protocol returned these NBLs: their buffers are the driver's again and, when {@code repost}
     * (the device is usable), go back into the ring with one commit and at most one doorbell. Returns
     * how many there were.
     */
    @Override
    public int giveBack(NetBufferList chain, boolean repost) {
        int k = 0;
        for (NetBufferList nbl = chain; nbl != null; nbl = nbl.next()) {
            int id = (Integer) nbl.miniportReserved0();
            withNdis[id] = false;
            if (repost) {
                ring.publish(id);
            }
            k++;
        }
        if (k > 0 && repost) {
            ring.commit();
            notifyIfWanted();
        }
        return k;
    }

    /** After DRIVER_OK: what {@link #writeDescriptors} published becomes visible, with a doorbell. */
    void start() {
        ring.commit();
        notifyIfWanted();
    }

    /** The doorbell, unless the device set VRING_USED_F_NO_NOTIFY or is not yet DRIVER_OK (3.1.1). */
    private void notifyIfWanted() {
        if (ring.needsNotify() && (transport.status() & DeviceStatus.DRIVER_OK) != 0) {
            transport.notify(notifyOffset, VirtioQueues.RX_QUEUE);
            notifies++;
        }
    }
}

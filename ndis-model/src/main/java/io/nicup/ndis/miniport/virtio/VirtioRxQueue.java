package io.nicup.ndis.miniport.virtio;

import io.nicup.ndis.adapter.SharedMemory;
import io.nicup.ndis.datapath.NetBufferList;
import io.nicup.ndis.datapath.NetBufferListInfo;
import io.nicup.ndis.datapath.NetBufferListPool;
import io.nicup.ndis.miniport.core.NdisDataPath;
import io.nicup.ndis.miniport.core.OffloadOids;
import io.nicup.ndis.miniport.core.RxQueue;
import java.lang.foreign.MemorySegment;

/**
 * receiveq1 over its {@link SplitRing}: descriptor {@code i} is buffer {@code i} of the receive buffer
 * memory, device-writable, {@value #BUFFER_BYTES} bytes (the 12-byte header, then the frame; without
 * VIRTIO_NET_F_MRG_RXBUF one buffer holds one frame, 5.1.6.3.1). A used buffer is indicated in place
 * in its own NBL and goes back to the available ring when the protocol returns it.
 *
 * <p>What the device writes into the used ring is checked before it is used (virtio 1.2, 2.7.8): a used
 * length outside an Ethernet frame or beyond the buffer drops that frame (counted in {@link #lengthErrors},
 * the buffer goes back); a {@code used.idx} that moved past what the driver made available, or an id that
 * is out of range or names a buffer the device does not hold now (returned twice, or held by NDIS) breaks
 * the ring, as Linux's virtio_ring marks a queue broken ({@code BAD_RING}): nothing more is taken from it,
 * {@link #ringErrors} counts it, and {@link DeviceHealth#ringViolation} asks for the reset that
 * MiniportCheckForHangEx reports and MiniportResetEx performs (then {@link #writeDescriptors} starts afresh).
 *
 * <p>Not thread-safe: {@link NdisDataPath} calls it holding this queue's receive lock, so the counters have
 * one writer and two queues run at once (docs/ndis-contract.md §21.3). Nothing here allocates after
 * {@link #attachNbls}. The counters are the driver's (virtio has no hardware counters).
 */
final class VirtioRxQueue implements RxQueue {

    /** Receive buffer: header + a 1514-byte frame fit. */
    static final int BUFFER_BYTES = 2048;
    static final int MIN_FRAME = 14;
    static final int MAX_FRAME = 1514;

    private final SplitRing ring;
    private final int size;
    /** The header in front of each frame: 12 bytes, 20 with VIRTIO_NET_F_HASH_REPORT. */
    private final int header;
    /** VIRTIO_NET_F_HASH_REPORT: each header's hash_value and hash_report go to the NBL. */
    private final boolean hashReport;
    private final long buffersIova;
    /** Buffer i as a slice of the buffer memory, cut once. */
    private final MemorySegment[] buffers;
    /** Buffer i's NBL, its data at the frame (past the header). */
    private final NetBufferList[] nbls;
    /** Buffer i is indicated and not yet returned: the device must not get it. */
    private final boolean[] withNdis;
    /** Buffer i is in the available ring: the device holds it and may return it once. */
    private final boolean[] posted;
    /** Buffers of one {@link #take} that go back into the ring after it, so none is returned twice within it. */
    private final int[] repostIds;
    private final DeviceHealth health;
    /** The device broke the used ring; nothing is taken from it until the queue is set up again. */
    private boolean broken;
    private VirtioTransport transport;
    private ReceiveFilter filter;
    /** The offload configuration in force, for the checksum verdicts; null: none (no GUEST_CSUM). */
    private OffloadOids offloads;
    private int lastReady;
    private int lastTaken;
    /** The doorbell's offset in the notify window, set when the queue is set up. */
    long notifyOffset;

    /** The receive queue's number (RECEIVE_QUEUE); its virtqueue is twice it. */
    final int queue;

    long frames;
    long multicast;
    long broadcast;
    long bytes;
    long dropped;
    long lengthErrors;
    long ringErrors;
    long filtered;
    long notifies;

    /** @param features the features negotiated: with HASH_REPORT the header is 20 bytes and carries the hash */
    /**
     * @param queue the receive queue's number: receiveq{@code queue + 1}, virtqueue {@code 2 * queue}, and the
     *     NetBufferListInfo.RECEIVE_QUEUE of every NBL it indicates (docs/ndis-contract.md §21)
     */
    VirtioRxQueue(SplitRing ring, SharedMemory bufferMemory, DeviceHealth health, long features, int queue) {
        this.queue = queue;
        this.header = NetHeader.bytes(features);
        this.hashReport = (features & Features.NET_F_HASH_REPORT) != 0;
        this.ring = ring;
        this.size = ring.size();
        this.buffersIova = bufferMemory.physicalAddress();
        this.buffers = new MemorySegment[size];
        for (int i = 0; i < size; i++) {
            buffers[i] = bufferMemory.segment().asSlice((long) i * BUFFER_BYTES, BUFFER_BYTES);
        }
        this.nbls = new NetBufferList[size];
        this.withNdis = new boolean[size];
        this.posted = new boolean[size];
        this.repostIds = new int[size];
        this.health = health;
    }

    /** The doorbell's transport and the packet filter, once both exist. */
    void attach(VirtioTransport transport, ReceiveFilter filter) {
        this.transport = transport;
        this.filter = filter;
    }

    /** Checksum verdicts under {@code value}'s configuration in force (with VIRTIO_NET_F_GUEST_CSUM). */
    void reportChecksums(OffloadOids value) {
        this.offloads = value;
    }

    SplitRing ring() {
        return ring;
    }

    @Override
    public int size() {
        return size;
    }

    /** One NBL per buffer, from {@code pool}, its id in the NBL's MiniportReserved index. */
    void attachNbls(NetBufferListPool pool) {
        for (int i = 0; i < size; i++) {
            nbls[i] = pool.allocate(buffers[i], iova(i), header, 0);
            nbls[i].setMiniportReservedIndex(i);
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
        broken = false;
        for (int i = 0; i < size; i++) {
            ring.setDesc(i, iova(i), BUFFER_BYTES, Virtq.DESC_F_WRITE, 0);
            posted[i] = !withNdis[i];
            if (posted[i]) {
                ring.publish(i);
            }
        }
    }

    /** The device broke the used ring (see the class comment). */
    boolean broken() {
        return broken;
    }

    /**
     * Takes up to {@code max} used buffers and writes the frames to indicate into {@code taken} from index 0,
     * returning their count (also {@link #lastTaken}); {@link #lastReady} says how many used entries there were. A used
     * length beyond the buffer (2.7.8.2) or outside an Ethernet frame, a frame the filter refuses, and
     * any frame while not {@code indicate} (not Running) go back into the ring after the batch (unless not
     * {@code repost}: the device is gone). An index or id the device had no right to write breaks the
     * ring (see the class comment): the entries before it count, nothing after it is read.
     */
    @Override
    public int take(NetBufferList[] taken, int max, boolean indicate, boolean repost) {
        if (broken) {
            lastReady = 0;
            lastTaken = 0;
            return 0;
        }
        int n = 0;
        int usedReady = ring.usedReady();
        int ready = Math.min(usedReady, max);
        if (usedReady > ring.inFlight()) {
            violation(String.format("used.idx moved past the buffers made available: used.idx=%d last_used=%d"
                    + " in_flight=%d queue_size=%d", ring.usedIndex(), ring.lastUsed(), ring.inFlight(), size));
            ready = 0;
        }
        int reposted = 0;
        int k = 0;
        for (; k < ready; k++) {
            int id = ring.usedId(k);
            int len = ring.usedLen(k);
            if (id < 0 || id >= size || !posted[id]) {
                violation(String.format("used id %s: id=%d len=%d used.idx=%d queue_size=%d",
                        id < 0 || id >= size ? "out of range" : withNdis[id]
                                ? "names a buffer already returned (NDIS holds it)"
                                : "names a buffer already returned (not in the ring)", id, len, ring.lastUsed() + k & 0xFFFF, size));
                break;
            }
            posted[id] = false;
            int frame = len - header;
            if (len > BUFFER_BYTES || frame < MIN_FRAME || frame > MAX_FRAME) {
                lengthErrors++;
                repostIds[reposted++] = id;
                continue;
            }
            if (!indicate || !filter.accepted(buffers[id], header)) {
                if (indicate) {
                    filtered++;
                } else {
                    dropped++;
                }
                repostIds[reposted++] = id;
                continue;
            }
            NetBufferList nbl = nbls[id];
            nbl.firstNetBuffer().setData(header, frame);
            nbl.setInfo(NetBufferListInfo.RECEIVE_QUEUE, queue);
            if (hashReport) {
                reportHash(nbl, buffers[id]);
            }
            nbl.setInfo(NetBufferListInfo.TCP_IP_CHECKSUM, offloads == null ? 0
                    : RxChecksumVerdict.of(buffers[id], header, frame, offloads.current()));
            withNdis[id] = true;
            bytes += frame;
            int c = ReceiveFilter.destinationClass(buffers[id], header);
            multicast += c & 1;
            broadcast += c >>> 1;
            taken[n++] = nbl;
        }
        ring.consume(k);
        if (repost && !broken && reposted > 0) {
            for (int r = 0; r < reposted; r++) {
                posted[repostIds[r]] = true;
                ring.publish(repostIds[r]);
            }
            ring.commit();
            notifyIfWanted();
        }
        frames += n;
        lastReady = k;
        lastTaken = n;
        return n;
    }

    /**
     * NetBufferListHashInfo and NetBufferListHashValue from virtio_net_hdr_v1_hash (docs/hardware-reference.md
     * C.10): two loads and two stores, no allocation; no hash (NONE, or a report value the spec has not) is 0.
     */
    private static void reportHash(NetBufferList nbl, MemorySegment buffer) {
        int info = VirtioReceiveScale.hashInfo(buffer.get(Virtq.LE16, NetHeader.HASH_REPORT) & 0xFFFF);
        nbl.setInfo(NetBufferListInfo.HASH_INFO, info);
        nbl.setInfo(NetBufferListInfo.HASH_VALUE, info == 0 ? 0 : buffer.get(Virtq.LE32, NetHeader.HASH_VALUE));
    }

    /** The ring is broken: counted, and a reset asked for (an error path: the reason is built only here). */
    private void violation(String what) {
        broken = true;
        ringErrors++;
        health.ringViolation("receiveq" + (queue + 1) + " " + what);
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
     * The protocol returned {@code returned[0 .. count)}: their buffers are the driver's again and, when
     * {@code repost} (the device is usable), go back into the ring with one commit and at most one doorbell.
     */
    @Override
    public void giveBack(NetBufferList[] returned, int count, boolean repost) {
        for (int i = 0; i < count; i++) {
            int id = returned[i].miniportReservedIndex();
            withNdis[id] = false;
            if (repost) {
                posted[id] = true;
                ring.publish(id);
            }
        }
        if (count > 0 && repost) {
            ring.commit();
            notifyIfWanted();
        }
    }

    /** After DRIVER_OK: what {@link #writeDescriptors} published becomes visible, with a doorbell. */
    void start() {
        ring.commit();
        notifyIfWanted();
    }

    /** The doorbell, unless the device set VRING_USED_F_NO_NOTIFY or is not yet DRIVER_OK (3.1.1). */
    private void notifyIfWanted() {
        if (ring.needsNotify() && (transport.status() & DeviceStatus.DRIVER_OK) != 0) {
            transport.notify(notifyOffset, 2 * queue);
            notifies++;
        }
    }
}

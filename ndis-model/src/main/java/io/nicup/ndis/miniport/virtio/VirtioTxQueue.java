package io.nicup.ndis.miniport.virtio;

import io.nicup.ndis.NdisStatus;
import io.nicup.ndis.datapath.Mdl;
import io.nicup.ndis.datapath.NetBuffer;
import io.nicup.ndis.datapath.NetBufferList;
import io.nicup.ndis.miniport.core.NdisDataPath;
import io.nicup.ndis.miniport.core.PendingSends;
import io.nicup.ndis.miniport.core.SendCheck;
import io.nicup.ndis.miniport.core.TxQueue;
import java.lang.foreign.MemorySegment;

/**
 * transmitq1 over its {@link SplitRing}: a frame is two chained descriptors, {@code 2s} slot {@code s}'s
 * 12-byte header ({@link TxOffloadHeader} fills it from the NBL's offload requests) and {@code 2s+1} the
 * NET_BUFFER's data (zero copy). A NET_BUFFER whose data spans p MDLs takes p slots in a row and is one
 * chain: header {@code 2s}, then {@code 2s+1}, {@code 2(s+1)+1}, ... one descriptor per piece (virtio 1.2
 * 2.7.6, 5.1.6.2; docs/ndis-contract.md §16.4); the header descriptors of its other slots rest. Slots are
 * handed out in order and an NBL completes when all slots up to its last are used, so the device may
 * use them out of order. One {@code avail.idx} store and at most one doorbell per batch, none when the
 * device set VRING_USED_F_NO_NOTIFY.
 *
 * <p>A used element is checked before it is used (virtio 1.2, 2.7.8): a {@code used.idx} past what was made
 * available, or an id that is not the head of a chain in flight (out of range, a frame's second descriptor,
 * or a slot already used) breaks the ring as Linux's {@code BAD_RING} does: nothing more is read from it,
 * {@link #errors} counts it and {@link DeviceHealth#ringViolation} asks for a reset. What was in flight
 * then may or may not have left the device, so MiniportResetEx completes it FAILURE rather than send it twice
 * ({@link VirtioRecovery}).
 *
 * <p>Not thread-safe: {@link NdisDataPath} calls it holding its txLock. Nothing here allocates after
 * construction. The counters are the driver's (virtio has no hardware counters).
 */
final class VirtioTxQueue implements TxQueue {

    /** Bytes between two slots' headers: the 20-byte header of HASH_REPORT fits, 16-byte aligned. */
    static final int HEADER_STRIDE = 32;

    private final SplitRing ring;
    private final long headerIova;
    /** Slot s's virtio_net_hdr, cut once. */
    private final MemorySegment[] slotHeader;
    /** The features negotiated: which offload requests the headers may carry. */
    private final long features;
    private final int slots;
    /** Per slot: the NBL that completes with it (the last slot of its NBL), or null. */
    private final NetBufferList[] slotNbl;
    /** Per slot: the device used it, and it waits for the slots before it. */
    private final boolean[] slotUsed;
    /** Per slot: {@link ReceiveFilter#destinationClass} of its frame, counted when it completes. */
    private final int[] slotClass;
    /** Per slot: the slots its frame's chain takes when it is a chain's head (1 for one piece), else 0. */
    private final int[] slotSpan;
    private final DeviceHealth health;
    /** The device broke the used ring; nothing is read from it until the queue is set up again. */
    private boolean broken;
    private int head;
    private int clean;
    private int busy;
    private VirtioTransport transport;
    private int lastReaped;
    private int lastCompleted;
    /** The doorbell's offset in the notify window, set when the queue is set up. */
    long notifyOffset;

    long frames;
    long multicast;
    long broadcast;
    long bytes;
    /** Used elements that broke the ring. */
    long errors;
    long notifies;

    /**
     * @param headers {@link #headerBytes} of memory for the slots' headers, at {@code headerIova}
     * @param features the features negotiated
     */
    VirtioTxQueue(SplitRing ring, MemorySegment headers, long headerIova, long features, DeviceHealth health) {
        this.ring = ring;
        this.headerIova = headerIova;
        this.features = features;
        this.slots = ring.size() / 2;
        this.slotHeader = new MemorySegment[slots];
        for (int s = 0; s < slots; s++) {
            slotHeader[s] = headers.asSlice((long) s * HEADER_STRIDE, NetHeader.bytes(features));
        }
        this.slotNbl = new NetBufferList[slots];
        this.slotUsed = new boolean[slots];
        this.slotClass = new int[slots];
        this.slotSpan = new int[slots];
        this.health = health;
    }

    /** The doorbell's transport, once the device is located. */
    void attach(VirtioTransport transport) {
        this.transport = transport;
    }

    SplitRing ring() {
        return ring;
    }

    /** Frames the queue holds at most: one slot (two descriptors) per NET_BUFFER. */
    @Override
    public int maxNetBuffers() {
        return slots;
    }

    /** Slots handed to the device and not yet completed. */
    @Override
    public int inFlight() {
        return busy;
    }

    /** The device's used index, for CheckForHang's stall watch. */
    @Override
    public int progressMark() {
        return ring.usedIndex();
    }

    /** The header memory a ring of {@code ringSize} descriptors needs. */
    static long headerBytes(int ringSize) {
        return (long) (ringSize / 2) * HEADER_STRIDE;
    }

    /** Slot s: descriptor 2s its header, chained to 2s+1, the frame. After every queue set-up. */
    void writeHeaderDescriptors() {
        broken = false;
        for (int s = 0; s < slots; s++) {
            ring.setDesc(2 * s, headerIova + (long) s * HEADER_STRIDE, NetHeader.bytes(features), Virtq.DESC_F_NEXT,
                    2 * s + 1);
        }
    }

    /**
     * Moves the oldest waiting NBLs into the ring, whole NBLs only and in order, while they fit; what does
     * not fit stays in {@code pending}. One {@code avail.idx} store for all of them and one doorbell when
     * the device wants it.
     */
    @Override
    public void submit(PendingSends pending) {
        int added = 0;
        int waiting = pending.size();
        int taken = 0;
        for (; taken < waiting; taken++) {
            NetBufferList nbl = pending.get(taken);
            int k = 0;
            for (NetBuffer nb = nbl.firstNetBuffer(); nb != null; nb = nb.next()) {
                k += nb.contiguous() ? 1 : SendCheck.pieces(nb);
            }
            if (k > slots - busy) {
                break;
            }
            int slot = head;
            for (NetBuffer nb = nbl.firstNetBuffer(); nb != null; nb = nb.next()) {
                slot = head;
                TxOffloadHeader.fill(slotHeader[slot], nbl, nb, features);
                int span = 1;
                if (nb.contiguous()) {
                    ring.setDesc(2 * slot + 1, nb.dataIova(), nb.dataLength(), 0, 0);
                } else {
                    span = chainPieces(nb, slot);
                }
                slotNbl[slot] = null;
                slotUsed[slot] = false;
                slotSpan[slot] = span;
                ring.publish(2 * slot);
                bytes += nb.dataLength();
                slotClass[slot] = ReceiveFilter.destinationClass(nb.currentMdl().memory(), nb.currentMdlOffset());
                for (int j = 0; j < span; j++) {
                    slot = head;
                    head = head + 1 == slots ? 0 : head + 1;
                }
                busy += span;
                added++;
            }
            slotNbl[slot] = nbl;                               // the NBL completes with its last slot
        }
        pending.consume(taken);
        if (added > 0) {
            ring.commit();
            if (ring.needsNotify()) {
                transport.notify(notifyOffset, VirtioQueues.TX_QUEUE);
                notifies++;
            }
        }
    }

    /**
     * The pieces of {@code nb} as one chain after the header descriptor of {@code first}: descriptor
     * {@code 2s+1} of each slot from {@code first} on, each linked to the next with NEXT. Returns the slots
     * it takes; their other state is the caller's.
     */
    private int chainPieces(NetBuffer nb, int first) {
        int left = nb.dataLength();
        long off = nb.currentMdlOffset();
        int slot = first;
        int span = 0;
        for (Mdl m = nb.currentMdl(); left > 0; m = m.next()) {
            int k = (int) Math.min(left, m.byteCount() - off);
            if (k > 0) {
                left -= k;
                int next = slot + 1 == slots ? 0 : slot + 1;
                ring.setDesc(2 * slot + 1, m.iova() + off, k, left > 0 ? Virtq.DESC_F_NEXT : 0, 2 * next + 1);
                if (slot != first) {
                    slotNbl[slot] = null;
                    slotUsed[slot] = false;
                    slotSpan[slot] = 0;
                    slotClass[slot] = 0;
                }
                slot = next;
                span++;
            }
            off = 0;
        }
        return span;
    }

    /**
     * Takes the used ring and writes the NBLs whose slots are all used into {@code done} from index 0, in
     * submission order, with status SUCCESS; returns how many. A used element the device had no right to
     * write breaks the ring (see the class comment); the slots used before it still complete.
     */
    @Override
    public int complete(NetBufferList[] done) {
        int completed = 0;
        int ready = broken ? 0 : ring.usedReady();
        if (ready > ring.inFlight()) {
            violation(String.format("used.idx moved past the chains made available: used.idx=%d last_used=%d"
                    + " in_flight=%d queue_size=%d", ring.usedIndex(), ring.lastUsed(), ring.inFlight(), ring.size()));
            ready = 0;
        }
        int k = 0;
        for (; k < ready; k++) {
            int id = ring.usedId(k);
            int slot = id >>> 1;
            if ((id & 1) != 0 || id < 0 || slot >= slots || !inFlight(slot) || slotUsed[slot] || slotSpan[slot] == 0) {
                violation(String.format("used id is not the head of a chain in flight: id=%d used.idx=%d"
                        + " queue_size=%d in_flight=%d", id, ring.lastUsed() + k & 0xFFFF, ring.size(), busy));
                break;
            }
            for (int j = 0, s = slot; j < slotSpan[slot]; j++, s = s + 1 == slots ? 0 : s + 1) {
                slotUsed[s] = true;                           // the whole chain
            }
        }
        ring.consume(k);
        lastReaped = k;
        while (busy > 0 && slotUsed[clean]) {
            slotUsed[clean] = false;
            NetBufferList nbl = slotNbl[clean];
            frames += slotSpan[clean] > 0 ? 1 : 0;
            multicast += slotClass[clean] & 1;
            broadcast += slotClass[clean] >>> 1;
            if (nbl != null) {
                slotNbl[clean] = null;
                nbl.setStatus(NdisStatus.SUCCESS);
                done[completed++] = nbl;
            }
            clean = clean + 1 == slots ? 0 : clean + 1;
            busy--;
        }
        lastCompleted = completed;
        return completed;
    }

    /** Whether {@code slot} was handed to the device and has not completed. */
    private boolean inFlight(int slot) {
        int fromClean = slot - clean;
        return (fromClean < 0 ? fromClean + slots : fromClean) < busy;
    }

    /** The ring is broken: counted, and a reset asked for (an error path: the reason is built only here). */
    private void violation(String what) {
        broken = true;
        errors++;
        health.ringViolation("transmitq1 " + what);
    }

    /** The device broke the used ring (see the class comment). */
    boolean broken() {
        return broken;
    }

    @Override
    public int lastCompleted() {
        return lastCompleted;
    }

    /** The device used entries during the last {@link #complete}. */
    @Override
    public boolean progressed() {
        return lastReaped > 0;
    }

    /** In submission order. */
    @Override
    public int abortInFlight(int status, NetBufferList[] aborted) {
        int n = takeBackInFlight(aborted);
        for (int i = 0; i < n; i++) {
            aborted[i].setStatus(status);
        }
        return n;
    }

    /** For a reset: what the device did not use, for the front of the pending sends; the ring starts at slot 0. */
    @Override
    public int requeueInFlight(NetBufferList[] taken) {
        int n = takeBackInFlight(taken);
        head = 0;
        clean = 0;
        return n;
    }

    /**
     * Takes back every slot the device has not completed, without asking it (it stopped, or is about to
     * be reset), and writes their NBLs into {@code out} from index 0 in submission order, statuses
     * untouched; returns how many.
     */
    private int takeBackInFlight(NetBufferList[] out) {
        int n = 0;
        while (busy > 0) {
            NetBufferList nbl = slotNbl[clean];
            slotNbl[clean] = null;
            slotUsed[clean] = false;
            if (nbl != null) {
                out[n++] = nbl;
            }
            clean = clean + 1 == slots ? 0 : clean + 1;
            busy--;
        }
        return n;
    }
}

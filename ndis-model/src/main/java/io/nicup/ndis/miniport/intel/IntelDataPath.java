package io.nicup.ndis.miniport.intel;

import io.nicup.ndis.Ndis;
import io.nicup.ndis.NdisAdapterHandle;
import io.nicup.ndis.NdisStatus;
import io.nicup.ndis.NetBufferList;
import io.nicup.ndis.miniport.core.PacketBufferPool;
import io.nicup.ndis.miniport.core.PendingSends;
import io.nicup.ndis.miniport.core.SendCheck;
import io.nicup.ndis.miniport.core.TxStallWatch;

/**
 * The NDIS side of one Intel transmit and receive queue, the same on the 82574L and the 82576: sends
 * into the {@link TxDescriptorRing} and their completion, received frames out of the
 * {@link RxDescriptorRing} and the returns, and the data-path halves of MiniportPause, MiniportResetEx and
 * MiniportCheckForHangEx. The adapter owns one and keeps what is the chip's: registers, interrupt causes,
 * the receiver's enable rules, link indications.
 *
 * <p>Sends are DMA'd straight from the NET_BUFFERs, one descriptor per NB, one TDT write per batch; what
 * does not fit waits in a queue linked through the NBLs. A received frame is indicated in its buffer and
 * the buffer goes back into the ring when the protocol returns the NBL (one RDT write per return).
 * Nothing on these paths allocates, throws or logs, and every ring method they call is final, so each call
 * site inlines.
 *
 * <p>Locks: {@code txLock} (send path vs. TX completion), {@code rxLock} (receive DPC vs. returns) and the
 * adapter's {@code stateLock} for the pause that waits for the data path to drain; indications and
 * completions are made outside them, as NDIS allows re-entry.
 */
public final class IntelDataPath {

    /** Frames taken per RX poll; ixy and DPDK batch 32. */
    public static final int RX_BATCH = 64;

    private final Ndis ndis;
    private final NdisAdapterHandle handle;
    private final DataPathMemory memory;
    private final Object stateLock;

    // the rings, set once by attach
    private TxDescriptorRing tx;
    private RxDescriptorRing rx;
    private PacketBufferPool rxPool;
    private int maxFrame;

    // TX state (txLock)
    private final Object txLock = new Object();
    /** Which NBL completes with which descriptor, and the ring's batch arrays. */
    private TxDescriptorNbls txNbls;
    /** Accepted sends not yet in the ring, oldest first. */
    private final PendingSends pending = new PendingSends();
    /** Sends refused by one MiniportSendNetBufferLists call, completed together once txLock is released. */
    private final PendingSends rejectedSends = new PendingSends();
    /** CheckForHang's watch on TDH. */
    private final TxStallWatch txStall = new TxStallWatch();

    // RX state (rxLock)
    private final Object rxLock = new Object();
    private int[] rxBufs;
    private int[] rxLens;
    private int[] rxFlags;
    private int[] refillBufs;
    private int rxOutstanding;

    // control state
    private volatile boolean running;
    /** Transmit only with the link up: a frame sent while it is down is lost (QEMU, reference B.6). */
    private volatile boolean txLinkUp;
    /** Pause returned PENDING and waits for the data path to drain (stateLock). */
    private boolean pausePending;
    /** Set during offline self-tests: the service routines leave the rings alone. */
    private volatile boolean diagnosticsActive;
    /**
     * Set with the adapter's own flag by MiniportDevicePnPEventNotify(SurpriseRemoved): the device is
     * gone, every register reads all-ones and writes go nowhere, so no doorbell (TDT, RDT) is written
     * again; see {@link #pauseRemoved} for how the sends it held complete.
     */
    private volatile boolean surpriseRemoved;
    private long txCompleted;
    private long rxIndicated;
    private long rxDropped;

    /**
     * @param memory where the receive NBLs are (allocated before {@link #attach})
     * @param stateLock the adapter's lock for its Running state and link indications
     */
    public IntelDataPath(Ndis ndis, NdisAdapterHandle handle, DataPathMemory memory, Object stateLock) {
        this.ndis = ndis;
        this.handle = handle;
        this.memory = memory;
        this.stateLock = stateLock;
    }

    /**
     * Takes the rings made at MiniportInitializeEx and allocates every array the data path uses, so that
     * nothing is allocated afterwards.
     *
     * @param maxFrame the largest frame a send may carry (the configured jumbo packet size)
     */
    public void attach(TxDescriptorRing tx, RxDescriptorRing rx, int maxFrame) {
        this.tx = tx;
        this.rx = rx;
        this.rxPool = rx.pool();
        this.maxFrame = maxFrame;
        txNbls = new TxDescriptorNbls(tx.count());
        rxBufs = new int[RX_BATCH];
        rxLens = new int[RX_BATCH];
        rxFlags = new int[RX_BATCH];
        refillBufs = new int[Math.max(RX_BATCH, rx.count())];
    }

    // ================================================================================================
    // Send
    // ================================================================================================

    /** MiniportSendNetBufferLists: queues what passes {@link SendCheck}, completes the rest at once. */
    public void send(NetBufferList chain) {
        NetBufferList rejected;
        int maxFrame = this.maxFrame;
        synchronized (txLock) {
            for (NetBufferList nbl = chain; nbl != null; ) {
                NetBufferList next = nbl.next();
                nbl.setNext(null);
                // At most count - 1 descriptors are in use at once: TDT == TDH means an empty ring.
                int status = running ? SendCheck.status(nbl, 1, maxFrame, tx.count() - 1) : NdisStatus.PAUSED;
                if (status != NdisStatus.SUCCESS) {
                    nbl.setStatus(status);
                    rejectedSends.add(nbl);
                } else {
                    pending.add(nbl);
                }
                nbl = next;
            }
            submitPending();
            rejected = rejectedSends.takeAll();
        }
        if (rejected != null) {
            ndis.NdisMSendNetBufferListsComplete(handle, rejected, 0);
        }
    }

    /** Moves queued NBLs into the ring, whole NBLs only, with one TDT write. Caller holds txLock. */
    private void submitPending() {
        if (diagnosticsActive || !txLinkUp || surpriseRemoved) {
            return;                                          // queued until the link is up (Linux: carrier off)
        }
        final TxDescriptorRing tx = this.tx;
        final TxDescriptorNbls txNbls = this.txNbls;
        int n = txNbls.stage(pending, tx.tail(), tx.freeSlots());
        if (n > 0) {
            tx.submit(txNbls.iovas, txNbls.lengths, txNbls.tags, 0, n);
        }
    }

    /** Completes what the device has written back (DD), then submits what waited. */
    public void serviceTx() {
        if (diagnosticsActive) {
            return;
        }
        NetBufferList head;
        synchronized (txLock) {
            int done = tx.clean(txNbls.doneTags, 0, txNbls.doneTags.length);
            head = txNbls.completeCleaned(done, NdisStatus.SUCCESS);
            txCompleted += txNbls.lastCompleted();
            if (done > 0) {
                txStall.progressed();
            }
            submitPending();
        }
        if (head != null) {
            ndis.NdisMSendNetBufferListsComplete(handle, head, 0);
        }
        maybeCompletePause();
    }

    /** MiniportCancelSend: only what still waits in the queue can be cancelled. */
    public void cancelSend(long cancelId) {
        NetBufferList head;
        synchronized (txLock) {
            head = pending.removeCancelled(cancelId);
        }
        if (head != null) {
            ndis.NdisMSendNetBufferListsComplete(handle, head, 0);
        }
        maybeCompletePause();
    }

    /** Completes every queued (not yet in the ring) send with {@code status}. */
    private void abortPending(int status) {
        NetBufferList head;
        synchronized (txLock) {
            head = pending.takeAll();
        }
        if (head != null) {
            for (NetBufferList nbl = head; nbl != null; nbl = nbl.next()) {
                nbl.setStatus(status);
            }
            ndis.NdisMSendNetBufferListsComplete(handle, head, 0);
        }
    }

    /** Completes every send the ring holds with {@code status}, without asking the device. */
    private void abortInFlight(int status) {
        NetBufferList head;
        synchronized (txLock) {
            int first = tx.cleanIndex();
            int n = tx.drain(txNbls.doneTags, 0, txNbls.doneTags.length);
            head = txNbls.abortDrained(first, n, status);
        }
        if (head != null) {
            ndis.NdisMSendNetBufferListsComplete(handle, head, 0);
        }
    }

    // ================================================================================================
    // Receive
    // ================================================================================================

    /** Takes received frames off the ring and indicates them, one chain per batch. */
    public void serviceRx() {
        if (diagnosticsActive) {
            return;
        }
        for (int round = 0; round < rx.count() / RX_BATCH + 1; round++) {
            NetBufferList head = null;
            NetBufferList tail = null;
            int n = 0;
            int got;
            synchronized (rxLock) {
                got = rx.poll(rxBufs, rxLens, rxFlags, 0, RX_BATCH);
                int refill = 0;
                boolean indicate = running;
                for (int i = 0; i < got; i++) {
                    int b = rxBufs[i];
                    if (!indicate || !RxDescriptorRing.isGood(rxFlags[i])) {
                        refillBufs[refill++] = b;
                        rxDropped++;
                        continue;
                    }
                    NetBufferList nbl = memory.rxNbl(b);
                    nbl.firstNetBuffer().setData(0, rxLens[i]);
                    if (head == null) {
                        head = nbl;
                    } else {
                        tail.setNext(nbl);
                    }
                    tail = nbl;
                    nbl.setNext(null);
                    n++;
                }
                if (refill > 0) {
                    refillRing(refillBufs, refill);
                }
                rxOutstanding += n;                          // before: the return may come during the call
                rxIndicated += n;
            }
            if (head != null) {
                ndis.NdisMIndicateReceiveNetBufferLists(handle, head, 0, n, 0);
            }
            if (got < RX_BATCH) {
                break;
            }
        }
    }

    /** Puts buffers back into the ring (one RDT write); any the ring cannot take go to the pool. Holds rxLock. */
    private void refillRing(int[] bufs, int count) {
        if (surpriseRemoved) {
            rxPool.free(bufs, 0, count);                     // no RDT write to a device that is gone
            return;
        }
        int accepted = rx.refill(bufs, 0, count);
        if (accepted < count) {
            rxPool.free(bufs, accepted, count - accepted);
        }
    }

    /** MiniportReturnNetBufferLists: the buffers go back into the ring. */
    public void returnNetBufferLists(NetBufferList chain) {
        synchronized (rxLock) {
            int k = 0;
            for (NetBufferList nbl = chain; nbl != null; nbl = nbl.next()) {
                refillBufs[k++] = (Integer) nbl.miniportReserved0();
                if (k == refillBufs.length) {
                    refillRing(refillBufs, k);
                    rxOutstanding -= k;
                    k = 0;
                }
            }
            if (k > 0) {
                refillRing(refillBufs, k);
                rxOutstanding -= k;
            }
        }
        maybeCompletePause();
    }

    /**
     * Takes every buffer out of the receive ring back into the pool, for a chip reset: the ring is
     * written again afterwards. Caller holds rxLock.
     */
    public void takeBackReceiveBuffers() {
        int k;
        while ((k = rx.drain(refillBufs, 0, refillBufs.length)) > 0) {
            rxPool.free(refillBufs, 0, k);
        }
    }

    // ================================================================================================
    // Pause
    // ================================================================================================

    /**
     * The data-path half of MiniportPause once the adapter stopped the receiver and its interrupts:
     * completes what is done, fails back what would wait for a link that is down, drops what arrived,
     * and returns SUCCESS when nothing is left or PENDING (NdisMPauseComplete follows once it is).
     */
    public int pause() {
        serviceTx();                                         // QEMU completes TX within the TDT write
        if (!txLinkUp) {
            abortPending(NdisStatus.PAUSED);                 // would wait for a link that may never come
        }
        serviceRx();                                         // drop what arrived
        synchronized (stateLock) {
            if (drained()) {
                return NdisStatus.SUCCESS;
            }
            pausePending = true;
            return NdisStatus.PENDING;
        }
    }

    /**
     * MiniportPause after a surprise removal, touching no register: what the device wrote back (DD) in
     * memory before it went completes as sent; what it holds without a write-back completes FAILURE, as
     * it may or may not have reached the wire (the device can die between sending and the write-back);
     * what never left the pending queue completes SEND_ABORTED, as it was never handed to the device. So
     * the protocol can tell the three apart. Receive buffers in the ring go back with MiniportHaltEx.
     */
    public int pauseRemoved() {
        serviceTx();                                         // DD in memory only; submitPending stays away
        abortInFlight(NdisStatus.FAILURE);
        abortPending(NdisStatus.SEND_ABORTED);
        synchronized (stateLock) {
            if (drained()) {
                return NdisStatus.SUCCESS;
            }
            pausePending = true;                             // receives the protocol still holds
            return NdisStatus.PENDING;
        }
    }

    private boolean drained() {
        synchronized (txLock) {
            if (tx.inFlight() != 0 || !pending.isEmpty()) {
                return false;
            }
        }
        synchronized (rxLock) {
            return rxOutstanding == 0;
        }
    }

    private void maybeCompletePause() {
        boolean complete;
        synchronized (stateLock) {
            complete = pausePending && drained();
            if (complete) {
                pausePending = false;
            }
        }
        if (complete) {
            ndis.NdisMPauseComplete(handle);
        }
    }

    // ================================================================================================
    // Reset and CheckForHang
    // ================================================================================================

    /**
     * The first half of MiniportResetEx's ring work: takes back what the device did not finish (those
     * frames never left: they are queued again in front, so no frame is sent or counted twice). Caller
     * holds txLock and has completed what the device finished ({@link #serviceTx}).
     */
    public void requeueInFlight() {
        int first = tx.cleanIndex();
        int n = tx.drain(txNbls.doneTags, 0, txNbls.doneTags.length);
        txNbls.requeueDrained(first, n, pending);
    }

    /**
     * After the chip was reset and programmed again: the link as it is now, a fresh stall watch, and
     * while Running what waited goes into the new ring. Caller holds txLock.
     */
    public void resumeAfterReset(boolean linkUp) {
        txLinkUp = linkUp;
        txStall.restart();
        if (running) {
            submitPending();
        }
    }

    /** After a reset while pausing: what never left fails back, and the pause completes if it can. */
    public void failPendingIfPaused() {
        if (!running) {
            abortPending(NdisStatus.PAUSED);                 // a reset while pausing: what never left fails back
            maybeCompletePause();
        }
    }

    /**
     * CheckForHang's ring part: completes what is done, then hung when frames are in flight and TDH has
     * not moved since the previous check while the ring did not complete anything.
     */
    public boolean txHung() {
        serviceTx();
        synchronized (txLock) {
            if (tx.inFlight() == 0) {
                txStall.restart();
                return false;
            }
            return txStall.hung(tx.hardwareHead());
        }
    }

    // ================================================================================================
    // state
    // ================================================================================================

    public Object txLock() {
        return txLock;
    }

    public Object rxLock() {
        return rxLock;
    }

    /** Running: sends are accepted and received frames indicated. */
    public boolean running() {
        return running;
    }

    public void setRunning(boolean running) {
        this.running = running;
    }

    /** The link as the transmit side last saw it. */
    public boolean linkUp() {
        return txLinkUp;
    }

    public void setLinkUp(boolean up) {
        txLinkUp = up;
    }

    public boolean diagnosticsActive() {
        return diagnosticsActive;
    }

    /** An offline self-test owns the rings while set (set and cleared holding txLock and rxLock). */
    public void setDiagnosticsActive(boolean active) {
        diagnosticsActive = active;
    }

    public boolean surpriseRemoved() {
        return surpriseRemoved;
    }

    /** The device is gone: no register is touched again, and nothing runs any more. */
    public void markSurpriseRemoved() {
        surpriseRemoved = true;
        running = false;
    }

    /** NBLs completed as sent. */
    public long txCompleted() {
        return txCompleted;
    }

    /** Frames indicated to the protocol. */
    public long rxIndicated() {
        return rxIndicated;
    }

    /** Frames dropped: bad, or received while not Running. */
    public long rxDropped() {
        return rxDropped;
    }

    /** The bookkeeping, for diagnostics: frames in the TX ring, queued, RX NBLs with the protocol. */
    public String describe() {
        int inFlight;
        boolean queued;
        synchronized (txLock) {
            inFlight = tx == null ? 0 : tx.inFlight();
            queued = !pending.isEmpty();
        }
        int outstanding;
        synchronized (rxLock) {
            outstanding = rxOutstanding;
        }
        boolean pending;
        synchronized (stateLock) {
            pending = pausePending;
        }
        return "tx_in_flight=" + inFlight + " tx_queued=" + queued + " rx_outstanding=" + outstanding + " pause_pending="
                + pending + " running=" + running + " link=" + txLinkUp + " rx_indicated=" + rxIndicated + " rx_dropped="
                + rxDropped;
    }
}

package io.nicup.ndis.miniport.virtio;

import io.nicup.ndis.Ndis;
import io.nicup.ndis.NdisAdapterHandle;
import io.nicup.ndis.NdisStatus;
import io.nicup.ndis.NetBufferList;
import io.nicup.ndis.miniport.PendingSends;
import io.nicup.ndis.miniport.SendCheck;
import io.nicup.ndis.miniport.TxStallWatch;

/**
 * The NDIS side of receiveq1 and transmitq1: send admission and the queue of sends waiting for room,
 * their completion, receive indication and the returns, and the data-path halves of MiniportPause,
 * MiniportResetEx and MiniportCheckForHangEx. The queues ({@link VirtioTxQueue}, {@link VirtioRxQueue})
 * do the ring work; this class decides when, under which lock, and makes the NDIS calls.
 *
 * <p>Nothing on the send, completion, receive or return paths allocates, throws or logs.
 *
 * <p>Locks: {@code txLock} (send path vs. completion), {@code rxLock} (receive vs. returns) and the
 * adapter's {@code stateLock} for the pause that waits for the data path to drain. Indications and
 * completions are made outside them, as NDIS allows re-entry.
 */
final class VirtioDataPath {

    /** Frames taken per receive round; ixy and DPDK batch 32. */
    static final int RX_BATCH = 64;

    private final Ndis ndis;
    private final NdisAdapterHandle handle;
    private final DeviceHealth health;
    private final Object stateLock;
    private VirtioTransport transport;
    private VirtioTxQueue tx;
    private VirtioRxQueue rx;
    private ReceiveFilter filter;

    // TX state (txLock)
    private final Object txLock = new Object();
    /** Accepted sends not yet in the ring, oldest first. */
    private final PendingSends pending = new PendingSends();
    /** Sends refused by one MiniportSendNetBufferLists call, completed together once txLock is released. */
    private final PendingSends rejectedSends = new PendingSends();
    /** CheckForHang's watch on the used index. */
    private final TxStallWatch txStall = new TxStallWatch();

    // RX state (rxLock)
    private final Object rxLock = new Object();
    private int rxOutstanding;

    private volatile boolean running;
    /** Transmit only with the link up: a frame sent while it is down is lost. */
    private volatile boolean txLinkUp = true;
    /** Pause returned PENDING and waits for the data path to drain (stateLock). */
    private boolean pausePending;

    /** @param stateLock the adapter's lock for its Running state and link indications */
    VirtioDataPath(Ndis ndis, NdisAdapterHandle handle, DeviceHealth health, Object stateLock) {
        this.ndis = ndis;
        this.handle = handle;
        this.health = health;
        this.stateLock = stateLock;
    }

    /** Takes the queues made at MiniportInitializeEx and the receive filter. */
    void attach(VirtioTransport transport, VirtioTxQueue tx, VirtioRxQueue rx, ReceiveFilter filter) {
        this.transport = transport;
        this.tx = tx;
        this.rx = rx;
        this.filter = filter;
    }

    // ================================================================================================
    // Send
    // ================================================================================================

    /** MiniportSendNetBufferLists: queues what passes {@link SendCheck}, completes the rest at once. */
    void send(NetBufferList chain) {
        NetBufferList rejected;
        synchronized (txLock) {
            for (NetBufferList nbl = chain; nbl != null; ) {
                NetBufferList next = nbl.next();
                nbl.setNext(null);
                int status = running ? SendCheck.status(nbl, VirtioRxQueue.MIN_FRAME, VirtioRxQueue.MAX_FRAME,
                        tx.slots()) : NdisStatus.PAUSED;
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

    /** Moves queued NBLs into the ring while the link is up and the device usable. Holds txLock. */
    private void submitPending() {
        if (!txLinkUp || !health.usable()) {
            return;
        }
        tx.submit(pending, transport, VirtioQueues.TX_QUEUE);
    }

    /** Reaps the used ring, completes NBLs whose slots are all used (in submission order), submits what waited. */
    void serviceTx() {
        if (tx == null) {
            return;
        }
        NetBufferList head;
        synchronized (txLock) {
            head = tx.reap();
            if (tx.lastReaped() > 0) {
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
    void cancelSend(long cancelId) {
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
        complete(head, status);
    }

    /** Completes the sends the device holds with {@code status}: only when it stopped (DEVICE_NEEDS_RESET, gone). */
    private void abortInFlight(int status) {
        NetBufferList head;
        synchronized (txLock) {
            head = tx.takeBackInFlight();
        }
        complete(head, status);
    }

    private void complete(NetBufferList head, int status) {
        if (head != null) {
            for (NetBufferList nbl = head; nbl != null; nbl = nbl.next()) {
                nbl.setStatus(status);
            }
            ndis.NdisMSendNetBufferListsComplete(handle, head, 0);
        }
    }

    // ================================================================================================
    // Receive
    // ================================================================================================

    /** Takes used receive buffers and indicates the good ones, one chain per batch. */
    void serviceRx() {
        if (rx == null) {
            return;
        }
        for (int round = 0; round < rx.size() / RX_BATCH + 1; round++) {
            NetBufferList head;
            int n;
            int ready;
            synchronized (rxLock) {
                head = rx.take(RX_BATCH, running, filter, transport, VirtioQueues.RX_QUEUE);
                n = rx.lastTaken();
                ready = rx.lastReady();
                rxOutstanding += n;                          // before: the return may come during the call
            }
            if (head != null) {
                ndis.NdisMIndicateReceiveNetBufferLists(handle, head, 0, n, 0);
            }
            if (ready < RX_BATCH) {
                break;
            }
        }
    }

    /** MiniportReturnNetBufferLists: the buffers go back into the ring unless the device is unusable. */
    void returnNetBufferLists(NetBufferList chain) {
        synchronized (rxLock) {
            rxOutstanding -= rx.giveBack(chain, health.usable(), transport, VirtioQueues.RX_QUEUE);
        }
        maybeCompletePause();
    }

    /** After DRIVER_OK: what {@link VirtioQueues#setUp} published becomes visible, with a doorbell. */
    void startReceiving() {
        rx.ring().commit();
        rx.notifyIfWanted(transport, VirtioQueues.RX_QUEUE);
    }

    // ================================================================================================
    // Pause
    // ================================================================================================

    /**
     * The data-path half of MiniportPause: completes what is done, fails back what would wait for a link
     * that is down or a device that needs a reset (and, for the latter, what it holds: it will never use
     * them), drops what arrived, and returns SUCCESS when nothing is left or PENDING (NdisMPauseComplete
     * follows once it is).
     */
    int pause() {
        serviceTx();
        boolean needsReset = health.needsReset();
        if (!txLinkUp || needsReset) {
            abortPending(NdisStatus.PAUSED);
        }
        if (needsReset) {
            abortInFlight(NdisStatus.SEND_ABORTED);
        }
        serviceRx();
        return pauseResult();
    }

    /**
     * MiniportPause after a surprise removal, touching nothing of the device: what it put in the used
     * ring (host memory) before it went completes as sent; what it holds without a used entry completes
     * FAILURE, as it may or may not have reached the wire (the device can die between sending and the
     * used entry); what never left the pending queue completes SEND_ABORTED, as it was never handed to
     * the device. So the protocol can tell the three apart. Receive buffers go back with MiniportHaltEx.
     */
    int pauseRemoved() {
        serviceTx();                                         // used ring only; submitPending stays away
        abortInFlight(NdisStatus.FAILURE);
        abortPending(NdisStatus.SEND_ABORTED);
        return pauseResult();                                // PENDING: receives the protocol still holds
    }

    private int pauseResult() {
        synchronized (stateLock) {
            if (drained()) {
                return NdisStatus.SUCCESS;
            }
            pausePending = true;
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
     * MiniportResetEx's transmit half before the device reset: takes back what the device did not use
     * (queued again in front, so nothing is completed or sent twice) and starts the ring at slot 0.
     * Caller holds txLock and has completed what the device used ({@link #serviceTx}).
     */
    void requeueInFlight() {
        NetBufferList first = tx.takeBackInFlight();
        tx.rewind();
        if (first != null) {
            NetBufferList last = first;
            while (last.next() != null) {
                last = last.next();
            }
            pending.requeueFront(first, last);
        }
    }

    /** After the device was initialized again: a fresh stall watch. Caller holds txLock. */
    void restartStallWatch() {
        txStall.restart();
    }

    /** After a reset: what waited goes into the new ring (when the link is up). */
    void resubmit() {
        synchronized (txLock) {
            submitPending();
        }
    }

    /**
     * CheckForHang's ring part: completes what is done, then hung when frames are in flight and the used
     * index has not moved since the previous check (Linux virtnet_tx_timeout's condition).
     */
    boolean txHung() {
        serviceTx();
        synchronized (txLock) {
            if (tx.inFlight() == 0) {
                txStall.restart();
                return false;
            }
            return txStall.hung(tx.usedIndex());
        }
    }

    // ================================================================================================
    // state
    // ================================================================================================

    Object txLock() {
        return txLock;
    }

    Object rxLock() {
        return rxLock;
    }

    boolean running() {
        return running;
    }

    void setRunning(boolean running) {
        this.running = running;
    }

    /** The link as the transmit side last saw it. */
    boolean linkUp() {
        return txLinkUp;
    }

    void setLinkUp(boolean up) {
        txLinkUp = up;
    }
}

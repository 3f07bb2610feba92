package io.nicup.ndis.miniport.core;

import io.nicup.ndis.Ndis;
import io.nicup.ndis.NdisStatus;
import io.nicup.ndis.adapter.NdisAdapterHandle;
import io.nicup.ndis.datapath.NetBufferList;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * The NDIS side of one transmit queue and one or more receive queues (docs/ndis-contract.md §21), the same
 * for every family: send admission and the
 * queue of sends waiting for room, their completion, receive indication and the returns, and the
 * completion of a pause that waited for them. The data-path halves of MiniportPause, MiniportResetEx and
 * MiniportCheckForHangEx, which fail sends back or take them back, are its {@link DataPathDrain}. The family's
 * {@link TxQueue} and {@link RxQueue} do the ring work; this class decides when, under which lock, and
 * makes the NDIS calls. The adapter owns one and keeps what is the device's: registers, interrupts, link
 * indications.
 *
 * <p>Nothing on the send, completion, receive or return paths allocates, throws or logs. Batches cross to the
 * family's queues as arrays made at {@link #attach}; this class and {@link RxLanes} link or walk the NDIS chain,
 * once per NDIS call (docs/ndis-contract.md §19.6).
 *
 * <p>Locks: {@code txLock} (send path vs. completion), one receive lock per receive queue ({@link #rxLock(int)}:
 * that queue's receive DPC vs. the returns of its NBLs, {@link RxLanes}, so two queues' DPCs run at once,
 * docs/ndis-contract.md §21.3) and the adapter's {@code stateLock} for the pause that waits for the data path
 * to drain, taken by the completion and return paths only while a pause waits ({@link PauseWait}). Order:
 * txLock, then the receive locks in queue order ({@link #underEveryRxLock}); the data path never holds two
 * receive locks. Indications and completions are made outside them, as NDIS allows re-entry.
 *
 * <p>A send taken off the ring or the queue for completion is still outstanding for NDIS until
 * NdisMSendNetBufferListsComplete has counted it, and the completion is made after txLock is released. So
 * the txLock hold that takes a chain also counts it in {@link #completing}, and the completer uncounts it in
 * one more txLock hold after NDIS took it, before it asks whether a pause waits: a pause that looks in
 * between sees the chain and returns PENDING (docs/ndis-contract.md §19.2). That hold is one per completed
 * batch, uncontended but for a pause or a send at that instant; nothing per packet.
 */
public final class NdisDataPath {

    /** Frames taken per receive round; ixy and DPDK batch 32. */
    public static final int RX_BATCH = 64;

    private final Ndis ndis;
    private final NdisAdapterHandle handle;
    /** True while the device stopped and waits for MiniportResetEx; nothing is handed to it then. */
    final BooleanSupplier needsReset;

    // the queues, set once by attach
    TxQueue tx;
    /**
     * The receive queues with their locks, indexed by the queue number each NBL carries in
     * NetBufferListInfo.RECEIVE_QUEUE.
     */
    private RxLanes rx;
    private int minFrame;
    private int maxFrame;
    /** Large sends: the offloads in force (null: none) and the longest frame the device segments. */
    private OffloadOids offloads;
    private int lsoMaxFrame;

    // TX state (txLock)
    final Object txLock = new Object();
    /** Accepted sends not yet in the ring, oldest first; sized by the ring at {@link #attach}. */
    final PendingSends pending = new PendingSends();
    /**
     * What {@link TxQueue#complete}, {@link TxQueue#abortInFlight} and {@link TxQueue#requeueInFlight} fill
     * ({@link TxQueue#maxNetBuffers} long, made at {@link #attach}), linked into a chain in the same txLock hold.
     */
    NetBufferList[] txBatch;
    /** Sends refused by one MiniportSendNetBufferLists call, completed together once txLock is released. */
    private final NblChain.Appender rejectedSends = new NblChain.Appender();
    /**
     * Chains taken off the ring or the queue for completion and not yet handed to NDIS: NDIS still counts
     * their sends outstanding, so a pause waits for them ({@link #drained}). Counted in the txLock hold that
     * takes a chain, uncounted in a txLock hold once NdisMSendNetBufferListsComplete returned ({@link #complete}).
     */
    int completing;
    /** CheckForHang's watch on the device's progress through the ring. */
    final TxStallWatch txStall = new TxStallWatch();

    // control state
    private volatile boolean running;
    /** Transmit only with the link up: a frame sent while it is down is lost (QEMU, docs/hardware-reference.md B.6). */
    private volatile boolean txLinkUp = true;
    /** Pause returned PENDING and waits for the data path to drain: a volatile flag, stateLock only when set. */
    final PauseWait pauseWait;
    /** {@link #drained} as the one object the completion paths hand over (a method reference made once). */
    private final BooleanSupplier drainedCheck = this::drained;
    /** Pause, reset and CheckForHang: the sends the device will not complete. */
    private final DataPathDrain drain = new DataPathDrain(this);
    /** Set during offline self-tests: the service routines leave the rings alone. */
    private volatile boolean diagnosticsActive;
    /**
     * Set by MiniportDevicePnPEventNotify(SurpriseRemoved): the device is gone, every register reads
     * all-ones and writes go nowhere, so no doorbell is written again; see {@link DataPathDrain#pauseRemoved} for how
     * the sends it held complete.
     */
    private volatile boolean surpriseRemoved;
    long txCompleted;

    /**
     * @param stateLock the adapter's lock for its Running state and link indications
     * @param needsReset whether the device stopped until MiniportResetEx (always false where it cannot)
     */
    public NdisDataPath(Ndis ndis, NdisAdapterHandle handle, Object stateLock, BooleanSupplier needsReset) {
        this.ndis = ndis;
        this.handle = handle;
        this.needsReset = needsReset;
        this.pauseWait = new PauseWait(stateLock);
    }

    /**
     * Takes the queues made at MiniportInitializeEx.
     *
     * @param minFrame the shortest frame a send may carry
     * @param maxFrame the longest frame a send may carry
     */
    public void attach(TxQueue tx, RxQueue rx, int minFrame, int maxFrame) {
        attach(tx, new RxQueue[] {rx}, minFrame, maxFrame);
    }

    /**
     * Takes the queues made at MiniportInitializeEx, with several receive queues: queue {@code q} is
     * {@code rx[q]}, and every NBL it indicates carries {@code q} in NetBufferListInfo.RECEIVE_QUEUE, which
     * routes the NBL back to it when the protocol returns it (docs/ndis-contract.md §21).
     */
    public void attach(TxQueue tx, RxQueue[] rx, int minFrame, int maxFrame) {
        this.tx = tx;
        this.txBatch = new NetBufferList[tx.maxNetBuffers()];
        pending.reserve(2 * tx.maxNetBuffers());             // a ring's worth waiting behind a full ring
        this.rx = new RxLanes(ndis, handle, rx);
        this.minFrame = minFrame;
        this.maxFrame = maxFrame;
    }

    /** The receive queues attached (0 before {@link #attach}). */
    public int receiveQueues() {
        return rx == null ? 0 : rx.count();
    }

    /**
     * Lets sends ask for LSOv2 ({@link LargeSendCheck}) while {@code offloads} has it on, with frames of up to
     * {@code lsoMaxFrame} bytes.
     */
    public void allowLargeSends(OffloadOids offloads, int lsoMaxFrame) {
        this.offloads = offloads;
        this.lsoMaxFrame = lsoMaxFrame;
    }

    // ================================================================================================
    // Send
    // ================================================================================================

    /**
     * MiniportSendNetBufferLists: one walk of {@code chain} queues what passes {@link SendCheck} by index in
     * {@link #pending} and links the rest, in order, into the chain completed at once.
     */
    public void send(NetBufferList chain) {
        NetBufferList rejected;
        synchronized (txLock) {
            for (NetBufferList nbl = chain; nbl != null; ) {
                NetBufferList next = nbl.next();
                int status = SendCheck.admit(nbl, running, tx, minFrame, maxFrame, offloads, lsoMaxFrame);
                if (status != NdisStatus.SUCCESS) {
                    nbl.setStatus(status);
                    rejectedSends.append(nbl);
                } else {
                    pending.add(nbl);                        // next is not read again: pending is an array
                }
                nbl = next;
            }
            submitPending();
            rejected = rejectedSends.take();
            if (rejected != null) {
                completing++;
            }
        }
        if (rejected != null) {
            complete(rejected);
        }
    }

    /** Moves queued NBLs into the ring while the link is up and the device can take them. Holds txLock. */
    void submitPending() {
        if (diagnosticsActive || !txLinkUp || surpriseRemoved || needsReset.getAsBoolean()) {
            return;                                          // queued until the link is up (Linux: carrier off)
        }
        tx.submit(pending);
    }

    /** Completes what the device finished, then submits what waited. */
    public void serviceTx() {
        if (diagnosticsActive || tx == null) {
            return;
        }
        NetBufferList head;
        synchronized (txLock) {
            head = NblChain.link(txBatch, tx.complete(txBatch));
            txCompleted += tx.lastCompleted();
            if (tx.progressed()) {
                txStall.progressed();
            }
            submitPending();
            if (head != null) {
                completing++;
            }
        }
        complete(head);
    }

    /** MiniportCancelSend: only what still waits in the queue can be cancelled. */
    public void cancelSend(long cancelId) {
        NetBufferList head;
        synchronized (txLock) {
            head = pending.removeCancelled(cancelId);
            if (head != null) {
                completing++;
            }
        }
        complete(head);
    }

    /**
     * Hands {@code head} (or nothing, when null) to NDIS, a chain the txLock hold that took it counted in
     * {@link #completing}; then uncounts it in one more txLock hold and, the data path changed, completes a
     * pause that waited for it. The uncount comes before the pause flag is read, as {@link PauseWait} needs.
     */
    void complete(NetBufferList head) {
        if (head != null) {
            try {
                ndis.NdisMSendNetBufferListsComplete(handle, head, 0);
            } finally {
                synchronized (txLock) {
                    completing--;
                }
            }
        }
        maybeCompletePause();
    }

    // ================================================================================================
    // Receive
    // ================================================================================================

    /** Takes received frames off every receive queue and indicates them, one chain per batch array. */
    public void serviceRx() {
        if (diagnosticsActive || rx == null) {
            return;
        }
        for (int q = 0; q < rx.count(); q++) {
            serviceRx(q);
        }
    }

    /**
     * Takes received frames off receive queue {@code queue} and indicates them, one chain per batch: the
     * DPC of that queue's MSI-X message (docs/ndis-contract.md §21). It holds that queue's lock only, so the
     * DPCs of two queues run at once (docs/ndis-contract.md §21.3).
     */
    public void serviceRx(int queue) {
        if (diagnosticsActive || rx == null) {
            return;
        }
        rx.service(queue, running, !surpriseRemoved);
    }

    /**
     * MiniportReturnNetBufferLists: the buffers go back to the device, unless it is gone or stopped. With
     * several receive queues each NBL goes back to the queue its RECEIVE_QUEUE names, the ring it came from,
     * under that queue's lock ({@link RxLanes#giveBack}).
     */
    public void returnNetBufferLists(NetBufferList chain) {
        rx.giveBack(chain, !surpriseRemoved && !needsReset.getAsBoolean());
        maybeCompletePause();
    }

    // ================================================================================================
    // Pause
    // ================================================================================================

    /** MiniportPause's answer once {@link DataPathDrain} emptied what it could: SUCCESS when drained, else PENDING. */
    int pauseResult() {
        return pauseWait.begin(drainedCheck) ? NdisStatus.SUCCESS : NdisStatus.PENDING;
    }

    private boolean drained() {
        synchronized (txLock) {
            if (tx.inFlight() != 0 || !pending.isEmpty() || completing != 0) {
                return false;                                // completing: still NDIS's outstanding sends
            }
        }
        return rx.drained();                                 // each receive queue under its own lock
    }

    /** After a queue changed (under txLock or a receive lock, now released): one volatile read unless a pause waits. */
    private void maybeCompletePause() {
        if (pauseWait.completeIfDrained(drainedCheck)) {
            ndis.NdisMPauseComplete(handle);
        }
    }

    // ================================================================================================
    // state
    // ================================================================================================

    /** MiniportPause, MiniportResetEx and CheckForHang's part of the data path. */
    public DataPathDrain drain() {
        return drain;
    }

    public Object txLock() {
        return txLock;
    }

    /**
     * Receive queue {@code queue}'s lock: held by that queue's receive DPC and by the returns of its NBLs
     * while they touch its ring, and by a check that reads that ring's state against the driver's
     * (docs/ndis-contract.md §21.3).
     */
    public Object rxLock(int queue) {
        return rx.lock(queue);
    }

    /**
     * Runs {@code body} holding every receive queue's lock, taken in queue order (after txLock when the
     * caller holds it): for what needs every receive ring quiet, a chip reset or recovery, an offline
     * self-test, a queue set-up (docs/ndis-contract.md §21.3). Not for the data path.
     */
    public <T> T underEveryRxLock(Supplier<T> body) {
        return rx.underEveryLock(body);
    }

    /** {@link #underEveryRxLock(Supplier)} for a body without a result. */
    public void runUnderEveryRxLock(Runnable body) {
        rx.underEveryLock(() -> {
            body.run();
            return null;
        });
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

    /** An offline self-test owns the rings while set (set and cleared holding txLock and every receive lock). */
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
        return rx == null ? 0 : rx.indicated();
    }

    /** Frames the receive queue dropped: bad, or received while not Running. */
    public long rxDropped() {
        return rx == null ? 0 : rx.dropped();
    }

    /** Receive NBLs with the protocol, each queue counted under its own lock. */
    int rxOutstanding() {
        return rx == null ? 0 : rx.outstanding();
    }
}

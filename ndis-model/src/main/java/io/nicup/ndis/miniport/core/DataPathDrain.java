package io.nicup.ndis.miniport.core;

import io.nicup.ndis.NdisStatus;
import io.nicup.ndis.datapath.NetBufferList;

/**
 * The sends of {@link NdisDataPath} that leave it other than by the device finishing them: the data-path
 * halves of MiniportPause (docs/ndis-contract.md §19.2), MiniportResetEx and MiniportCheckForHangEx. Each
 * takes a chain under txLock, fails it back or puts it in front of the queue again, and completes it the
 * way the data path completes every chain ({@link NdisDataPath#complete}: counted in {@code completing} in
 * the txLock hold that took it, uncounted after NDIS took it), so a pause that waits sees it until then.
 *
 * <p>None of this is on the per-packet path: it runs once per pause, reset or CheckForHang period. Kept
 * apart from {@link NdisDataPath} so that class reads as the hot paths it is; both share its txLock, its
 * queue and its {@code completing} count.
 */
public final class DataPathDrain {

    /**
     * CheckForHang periods the link may stay down while sends wait before they fail back: 5 (10 s at the
     * default 2 s) keeps inside Driver Verifier's NdisTimedDataHang, 22 s (docs/ndis-contract.md §14).
     */
    static final int LINK_DOWN_HOLD_CHECKS = 5;

    private final NdisDataPath path;
    /** Consecutive CheckForHang periods with the link down and sends waiting (txLock). */
    private int linkDownChecks;

    DataPathDrain(NdisDataPath path) {
        this.path = path;
    }

    // ================================================================================================
    // Pause
    // ================================================================================================

    /**
     * The data-path half of MiniportPause once the adapter stopped its interrupts: completes what is done,
     * fails back what would wait for a link that is down or a device that stopped (and, for the latter,
     * what it holds: it will never finish them), drops what arrived, and returns SUCCESS when nothing is
     * left or PENDING (NdisMPauseComplete follows once it is).
     */
    public int pause() {
        path.serviceTx();
        boolean stopped = path.needsReset.getAsBoolean();
        if (!path.linkUp() || stopped) {
            abortPending(NdisStatus.PAUSED);                 // would wait for a link that may never come
        }
        if (stopped) {
            abortInFlight(NdisStatus.SEND_ABORTED);
        }
        path.serviceRx();                                    // drop what arrived
        return path.pauseResult();
    }

    /**
     * MiniportPause after a surprise removal, touching nothing of the device: what it finished in memory
     * before it went completes as sent; what it holds without a completion completes FAILURE, as it may
     * or may not have reached the wire (the device can die between sending and writing back); what never
     * left the pending queue completes SEND_ABORTED, as it was never handed to the device. So the
     * protocol can tell the three apart. Receive buffers go back with MiniportHaltEx.
     */
    public int pauseRemoved() {
        path.serviceTx();                                    // memory only; submitPending stays away
        abortInFlight(NdisStatus.FAILURE);
        abortPending(NdisStatus.SEND_ABORTED);
        return path.pauseResult();                           // PENDING: receives the protocol still holds
    }

    /** After a reset while pausing: what never left fails back, and the pause completes if it can. */
    public void failPendingIfPaused() {
        if (!path.running()) {
            abortPending(NdisStatus.PAUSED);                 // and completes the pause if it can
        }
    }

    /** Completes every queued (not yet in the ring) send with {@code status}. */
    private void abortPending(int status) {
        NetBufferList head;
        synchronized (path.txLock) {
            head = path.pending.takeAll();
            if (head != null) {
                path.completing++;
            }
        }
        for (NetBufferList nbl = head; nbl != null; nbl = nbl.next()) {
            nbl.setStatus(status);
        }
        path.complete(head);
    }

    /** Completes every send the ring holds with {@code status}, without asking the device. */
    private void abortInFlight(int status) {
        NetBufferList head;
        synchronized (path.txLock) {
            head = NblChain.link(path.txBatch, path.tx.abortInFlight(status, path.txBatch));
            if (head != null) {
                path.completing++;
            }
        }
        path.complete(head);
    }

    // ================================================================================================
    // Reset and CheckForHang
    // ================================================================================================

    /**
     * MiniportResetEx's first ring step: takes what the device finished, then back what it did not (queued
     * again in front, so no frame is sent or counted twice). Both in one hold of txLock, which the caller
     * holds: a send that reached the ring in between could leave before the take-back and then go out
     * twice (the reset check found that when this relied on an earlier {@link NdisDataPath#serviceTx}, which
     * refills the ring). Returns what finished, counted as being completed until the caller, once it let go
     * of txLock, passes it to {@link #completeFinished}: exactly once, or a pause waits for ever.
     */
    public NetBufferList requeueInFlight() {
        NetBufferList finished = NblChain.link(path.txBatch, path.tx.complete(path.txBatch));
        path.txCompleted += path.tx.lastCompleted();
        path.pending.requeueFront(path.txBatch, 0, path.tx.requeueInFlight(path.txBatch));
        if (finished != null) {
            path.completing++;
        }
        return finished;
    }

    /** Completes with NDIS what {@link #requeueInFlight} found finished (SUCCESS); called without txLock. */
    public void completeFinished(NetBufferList finished) {
        path.complete(finished);
    }

    /**
     * MiniportResetEx after the device broke its transmit ring: whether it sent what it held is unknown, so
     * each is completed FAILURE (unconfirmed) rather than queued again and perhaps sent twice.
     */
    public void failInFlight() {
        abortInFlight(NdisStatus.FAILURE);
    }

    /** After the device was reset: a fresh stall watch. Caller holds txLock. */
    public void restartStallWatch() {
        path.txStall.restart();
    }

    /** What waited goes into the ring (after a reset), when the link is up and the device usable. */
    public void submitWaiting() {
        synchronized (path.txLock) {
            path.submitPending();
        }
    }

    /**
     * After the device was reset and programmed again: the link as it is now, a fresh stall watch, and
     * while Running what waited goes into the new ring. Caller holds txLock.
     */
    public void resumeAfterReset(boolean linkUp) {
        path.setLinkUp(linkUp);
        path.txStall.restart();
        if (path.running()) {
            path.submitPending();
        }
    }

    /**
     * CheckForHang's ring part: completes what is done, then hung when frames are in flight and the device
     * has not moved through the ring since the previous check.
     */
    public boolean txHung() {
        path.serviceTx();
        failPendingWhileLinkDown();
        synchronized (path.txLock) {
            if (path.tx.inFlight() == 0) {
                path.txStall.restart();
                return false;
            }
            return path.txStall.hung(path.tx.progressMark());
        }
    }

    /**
     * Sends that waited for a link which stayed down through {@link #LINK_DOWN_HOLD_CHECKS} periods complete
     * SEND_ABORTED (never handed to the device), so the data path progresses as NdisTimedDataHang requires.
     */
    private void failPendingWhileLinkDown() {
        synchronized (path.txLock) {
            if (path.linkUp() || path.pending.isEmpty()) {
                linkDownChecks = 0;
                return;
            }
            if (++linkDownChecks < LINK_DOWN_HOLD_CHECKS) {
                return;
            }
            linkDownChecks = 0;
        }
        abortPending(NdisStatus.SEND_ABORTED);
    }

    /**
     * What a pause waits for, for diagnostics: frames in the TX ring, queued, chains being completed, RX NBLs
     * with the protocol, and whether a pause waits.
     */
    public String describe() {
        int inFlight;
        boolean queued;
        int beingCompleted;
        synchronized (path.txLock) {
            inFlight = path.tx == null ? 0 : path.tx.inFlight();
            queued = !path.pending.isEmpty();
            beingCompleted = path.completing;
        }
        int outstanding = path.rxOutstanding();
        boolean pending = path.pauseWait.pending();
        return "tx_in_flight=" + inFlight + " tx_queued=" + queued + " tx_completing=" + beingCompleted
                + " rx_outstanding=" + outstanding + " pause_pending=" + pending + " running=" + path.running()
                + " link=" + path.linkUp() + " rx_indicated=" + path.rxIndicated() + " rx_dropped=" + path.rxDropped();
    }
}

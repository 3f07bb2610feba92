package io.nicup.ndis.miniport.intel;

import io.nicup.ndis.Ndis;
import io.nicup.ndis.NdisStatus;
import io.nicup.ndis.adapter.ResetResult;
import io.nicup.ndis.datapath.NetBufferList;
import io.nicup.ndis.miniport.core.InitFailure;
import io.nicup.vfio.DeviceAccessException;

/**
 * MiniportCheckForHangEx and MiniportResetEx of an {@link IntelAdapter}: the transmit stall, the device's
 * ring protocol on every ring ({@link RingConsistency}, one per receive queue), and the reset that takes
 * every ring back and programs the chip again.
 */
final class IntelHangCheck {

    private final IntelAdapter<?> a;
    /** CheckForHang's check of the device's ring state, one per receive queue (each with the transmit ring). */
    private RingConsistency[] ringConsistency = new RingConsistency[0];
    /** Completed MiniportResetEx calls. */
    long resets;
    /** Resets because the device broke its ring protocol ({@link RingConsistency}). */
    long ringResets;

    IntelHangCheck(IntelAdapter<?> adapter) {
        this.a = adapter;                                  // made before the adapter's fields: read them late
    }

    /**
     * MiniportCheckForHangEx (every 2 s): hung when frames are in flight and TDH has not moved since the
     * previous check while the ring did not complete anything (Linux e1000_print_hw_hang / the
     * "Detected Hardware Unit Hang" check of e1000_clean_tx_irq). Also accumulates the counters and
     * watches the link.
     */
    boolean checkForHang() {
        if (ringConsistency.length != a.receiveQueues) {
            ringConsistency = new RingConsistency[a.receiveQueues];   // once: the queues are fixed at initialization
            for (int q = 0; q < ringConsistency.length; q++) {
                ringConsistency[q] = new RingConsistency();
            }
        }
        if (a.io == null || a.dataPath.diagnosticsActive() || a.surpriseRemoved) {
            return false;
        }
        a.counters.accumulate(a.io);
        a.interrupts.watchLink();
        String broken = null;
        synchronized (a.dataPath.txLock()) {
            for (int q = 0; q < ringConsistency.length && broken == null; q++) {
                broken = ringConsistency[q].check(q == 0 ? a.tx : null, a.rx(q), a.dataPath.rxLock(q));
            }
        }
        if (broken != null) {
            ringResets++;
            a.ndis.NdisWriteErrorLogEntry(a.handle, Ndis.NDIS_ERROR_CODE_HARDWARE_FAILURE, "ring protocol broken: " + broken
                    + ": the adapter is reset", ringResets);
            return true;
        }
        return a.dataPath.drain().txHung();
    }

    /**
     * MiniportResetEx: complete what the device finished, take back what it did not (those frames never
     * left: they are queued again, so no frame is sent or counted twice), keep the counters, CTRL.RST,
     * program everything again (filters and multicast included, so NDIS need not re-send them).
     */
    ResetResult reset() {
        a.dataPath.serviceTx();
        NetBufferList finished = null;
        try {
            synchronized (a.dataPath.txLock()) {
                a.counters.accumulate(a.io);
                finished = a.dataPath.drain().requeueInFlight();
                a.dataPath.runUnderEveryRxLock(a::reinitializeHardware);   // every ring quiet, docs/ndis-contract.md §21.3
                resets++;
                a.dataPath.drain().resumeAfterReset(a.hw.linkUp()); // autonegotiation restarted: usually down now
            }
        } catch (PhyAccessException | NvmException | DeviceAccessException e) {
            a.dataPath.drain().completeFinished(finished);
            return resetFailed(e);                           // a register timeout is a DeviceAccessException
        }
        a.dataPath.drain().completeFinished(finished);
        a.dataPath.drain().failPendingIfPaused();              // a reset while pausing: what never left fails back
        return ResetResult.SUCCESS;
    }

    /**
     * The device did not come back from the reset: it is treated as gone (no register is touched again,
     * as after a surprise removal), the reason is kept for the user ({@link IntelMiniport#failed}) and
     * NDIS learns HARD_ERRORS. The sends the ring held complete with the pause that follows.
     */
    private ResetResult resetFailed(RuntimeException e) {
        a.driver.failed(a.params.ifIndex(), InitFailure.of("reset", e));
        a.surpriseRemoved = true;
        a.dataPath.markSurpriseRemoved();
        return new ResetResult(NdisStatus.HARD_ERRORS, false);
    }
}

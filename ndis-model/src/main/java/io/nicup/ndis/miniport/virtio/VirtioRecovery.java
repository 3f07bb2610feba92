package io.nicup.ndis.miniport.virtio;

import io.nicup.ndis.Ndis;
import io.nicup.ndis.NdisStatus;
import io.nicup.ndis.adapter.ResetResult;
import io.nicup.ndis.datapath.NetBufferList;
import io.nicup.ndis.miniport.core.InitFailure;
import io.nicup.ndis.miniport.core.NdisDataPath;
import io.nicup.vfio.DeviceAccessException;

/**
 * MiniportCheckForHangEx and MiniportResetEx of one adapter. Hung means the device asked for a reset
 * (DEVICE_NEEDS_RESET, a control command it never used, all-ones reads; {@link DeviceHealth}) or
 * transmits stall, or a queue found the device broke its used ring (written to the error log here); the
 * reset initializes the device again (virtio 1.2, 3.1.1, same features) over the same rings, with the
 * sends it did not use queued again (after a broken transmit ring they are completed FAILURE instead: the
 * device may have sent them).
 */
final class VirtioRecovery {

    private final VirtioNetAdapter adapter;
    private final VirtioDevice device;
    private final VirtioQueues queues;
    private final NdisDataPath dataPath;
    private final DeviceHealth health;

    long resets;

    VirtioRecovery(VirtioNetAdapter adapter) {
        this.adapter = adapter;
        this.device = adapter.device;
        this.queues = adapter.queues;
        this.dataPath = adapter.dataPath;
        this.health = adapter.health;
    }

    /**
     * MiniportCheckForHangEx (every 2 s): hung when the device asked for a reset, or when frames are in
     * flight and the transmit used index has not moved since the previous check (Linux
     * virtnet_tx_timeout's condition).
     */
    boolean checkForHang() {
        if (device.transport == null || health.removed()) {
            return false;
        }
        String violation = health.takeViolation();
        if (violation != null) {
            adapter.ndis.NdisWriteErrorLogEntry(adapter.handle, Ndis.NDIS_ERROR_CODE_HARDWARE_FAILURE,
                    "the device broke the virtqueue protocol (virtio 1.2 2.7.8): " + violation + ": resetting it");
        }
        if (!health.needsReset()) {
            int status = device.transport.status();
            if (status == 0xFF || (status & DeviceStatus.DEVICE_NEEDS_RESET) != 0) {
                health.requestReset(String.format("device_status=0x%02X (%s)", status, DeviceStatus.decode(status)));
            } else if (device.statusContradiction(status) != null) {
                health.requestReset(device.statusContradiction(status));
            }
        }
        if (health.needsReset()) {
            return true;
        }
        return dataPath.drain().txHung();
    }

    /**
     * MiniportResetEx: complete what the device used, take back what it did not (queued again, so nothing
     * is completed twice), reset the device and initialize it again, receive buffers not held by NDIS
     * back in the ring, the filter through the control queue again, then the link and what waited.
     */
    ResetResult reset() {
        dataPath.serviceTx();
        if (queues.tx.broken()) {
            dataPath.drain().failInFlight();                  // it may have sent them: never twice
        }
        NetBufferList finished = null;
        try {
            synchronized (dataPath.txLock()) {
                finished = dataPath.drain().requeueInFlight();
                dataPath.runUnderEveryRxLock(this::reinitializeDevice);   // every ring quiet, docs/ndis-contract.md §21.3
                resets++;
                dataPath.drain().restartStallWatch();
            }
            boolean rssBack;
            synchronized (adapter.ctrlLock) {
                adapter.oids.applyFilter();
                rssBack = adapter.receiveScale.reprogram(queues.ctrl);   // the reset made the device forget RSS
            }
            if (!rssBack) {
                // Steering the driver cannot vouch for: the device stays off until the next reset (CheckForHang
                // goes on reporting it), and NDIS learns the hardware error.
                String why = "the device refused the RSS configuration in force after a reset";
                adapter.ndis.NdisWriteErrorLogEntry(adapter.handle, Ndis.NDIS_ERROR_CODE_HARDWARE_FAILURE,
                        why + " (virtio 1.2 5.1.6.5.7.1): " + adapter.receiveScale.inForce());
                health.requestReset(why);
                dataPath.drain().completeFinished(finished);
                return new ResetResult(NdisStatus.HARD_ERRORS, false);
            }
            dataPath.drain().completeFinished(finished);
            finished = null;                                 // completed once: the catch below must not again
            adapter.link.afterReset();
            dataPath.drain().submitWaiting();
            return ResetResult.SUCCESS;
        } catch (VirtioInitException | DeviceAccessException e) {
            dataPath.drain().completeFinished(finished);
            adapter.driver.failed(adapter.params.ifIndex(), InitFailure.of("reset", e));
            health.requestReset("reset failed: " + e.getMessage());   // still broken: sends wait, pause aborts them
            device.fail();
            return new ResetResult(NdisStatus.HARD_ERRORS, false);
        }
    }

    /** Reset and initialize the device again with the same rings. Holds txLock and every receive lock. */
    private void reinitializeDevice() {
        device.renegotiate();
        queues.resetRings();
        queues.setUp(adapter.interrupts.msix(), dataPath);
        if (adapter.interrupts.msix() && queues.vectorsRefused()) {
            throw new VirtioInitException("device refused the MSI-X vectors it took before the reset: "
                    + queues.vectorsText());
        }
        device.driverOk();
        health.resetDone();
        queues.startReceive();
    }
}

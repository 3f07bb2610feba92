package io.nicup.cli;

import io.nicup.ndis.NdisStatus;
import io.nicup.ndis.protocol.FrameEdge;

/**
 * The send completions the protocol edge counted: {@code ok}, {@code failed} (any failure status) and,
 * among the failed, {@code failure} (NDIS_STATUS_FAILURE: on the ring without a write-back when the device
 * went away), {@code aborted} (NDIS_STATUS_SEND_ABORTED: still queued in the driver) and {@code paused}
 * (NDIS_STATUS_PAUSED: given back unsent by a pause, as a removal's is; docs/ndis-contract.md §22), which is
 * no failure of the frame.
 */
record Completions(long ok, long failed, long failure, long aborted, long paused) {

    static Completions of(FrameEdge edge) {
        return new Completions(edge.completedOk(), edge.completedFailed(), edge.completedFailure(),
                edge.completedAborted(), edge.completedFailedWith(NdisStatus.PAUSED));
    }

    /** What completed since {@code before}. */
    Completions since(Completions before) {
        return new Completions(ok - before.ok, failed - before.failed, failure - before.failure, aborted - before.aborted,
                paused - before.paused);
    }
}

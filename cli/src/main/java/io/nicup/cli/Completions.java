package io.nicup.cli;

import io.nicup.ndis.protocol.FrameEdge;

/**
 * The send completions the protocol edge counted: {@code ok}, {@code failed} (any failure status) and,
 * among the failed, {@code failure} (NDIS_STATUS_FAILURE: on the ring without a write-back when the device
 * went away) and {@code aborted} (NDIS_STATUS_SEND_ABORTED: still queued in the driver).
 */
record Completions(long ok, long failed, long failure, long aborted) {

    static Completions of(FrameEdge edge) {
        return new Completions(edge.completedOk(), edge.completedFailed(), edge.completedFailure(),
                edge.completedAborted());
    }

    /** What completed since {@code before}. */
    Completions since(Completions before) {
        return new Completions(ok - before.ok, failed - before.failed, failure - before.failure, aborted - before.aborted);
    }
}

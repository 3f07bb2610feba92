package io.nicup.ndis.conformance;

import io.nicup.ndis.NdisStatus;
import io.nicup.ndis.adapter.AdapterState;
import io.nicup.ndis.datapath.NetBufferListPool;
import io.nicup.ndis.protocol.FrameEdge;
import java.time.Duration;
import java.util.Optional;

/**
 * Surprise removal mid-traffic (docs/ndis-contract.md §4, §5): with sends in flight the device vanishes
 * (every read all-ones), and NDIS plays what the PnP manager does: MiniportDevicePnPEventNotify
 * (SurpriseRemoved), the pause, MiniportHaltEx(NdisHaltDeviceSurpriseRemoved). Every NBL must complete
 * exactly once (the verifier sees a second completion), with SUCCESS (the device finished it), FAILURE (it
 * held it: it may or may not have reached the wire) or SEND_ABORTED (never handed to the device), and the
 * adapter end Halted. The device is gone afterwards: this check runs last. Given a {@link DeviceRemover} (on real
 * hardware, {@code --remove-command}) the device leaves through the kernel instead: {@link RequestedRemoval}.
 */
final class SurpriseRemovalCheck implements ConformanceCheck {

    static final int SENDS = 1024;
    /** Why the check skips on real hardware without a way to take the device off the bus. */
    static final String NEEDS_REMOVER = "needs the device taken off the bus mid-traffic: give --remove-command CMD"
            + " (a hot-unplug or an unbind; docs/ndis-contract.md §22)";

    @Override
    public String name() {
        return "surprise-removal";
    }

    @Override
    public String mirrors() {
        return "NDIS surprise removal (MiniportDevicePnPEventNotify, NdisHaltDeviceSurpriseRemoved)";
    }

    @Override
    public CheckResult run(CheckContext c) {
        if (c.target().remover().isPresent()) {
            return RequestedRemoval.run(c, c.target().remover().get());
        }
        if (c.wire().isEmpty()) {
            return CheckResult.skipped(NEEDS_REMOVER);
        }
        Optional<CheckResult> down = c.running(CheckContext.DEFAULT_FILTER);
        if (down.isPresent()) {
            return down.get();
        }
        // more than any ring holds, in one chain: some reach the wire, the rest wait in the driver
        NetBufferListPool pool = c.host().allocateSendPool(c.adapter(), SENDS, 256);
        int sent = FrameEdge.send(c.host(), c.adapter(), pool, Frames.frames(CheckContext.PEER, c.mac(), SENDS, 128,
                60_000));
        c.pump(Duration.ofNanos(20_000));
        if (!c.wire().get().remove()) {
            return CheckResult.skipped("the simulated NIC cannot be removed");
        }
        c.host().surpriseRemove(c.adapter());
        long ok = c.edge().completedOk();
        long failure = c.edge().completedFailure();
        long aborted = c.edge().completedAborted();
        long other = c.edge().completedFailed() - failure - aborted;
        String counts = ok + " SUCCESS, " + failure + " FAILURE, " + aborted + " SEND_ABORTED";
        if (ok + failure + aborted + other != sent) {
            return CheckResult.fail("of " + sent + " sends in flight at the removal " + (ok + failure + aborted + other)
                    + " completed (" + counts + ")");
        }
        if (other != 0) {
            return CheckResult.fail(other + " sends completed with another status ("
                    + NdisStatus.name(c.edge().lastFailureStatus()) + "); " + counts);
        }
        if (c.adapter().state() != AdapterState.HALTED) {
            return CheckResult.fail("the adapter ended " + c.adapter().state() + ", not Halted");
        }
        return CheckResult.pass(sent + " sends in flight at the removal each completed once: " + counts
                + "; adapter halted with NdisHaltDeviceSurpriseRemoved");
    }
}

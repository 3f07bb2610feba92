package io.nicup.ndis.conformance;

import io.nicup.ndis.NdisStatus;
import io.nicup.ndis.adapter.AdapterState;
import io.nicup.ndis.datapath.NetBufferListPool;
import io.nicup.ndis.protocol.FrameEdge;
import io.nicup.vfio.RemovalRequest;
import java.time.Duration;

/**
 * The {@code surprise-removal} check when the user gave a way to take the device off the bus (docs/ndis-contract.md
 * §22): with a chain of sends in flight the remover runs (a hot-unplug, an unbind, QEMU's {@code device_del}),
 * the kernel asks for the device back through its request interrupt, NDIS removes the present device (pause,
 * MiniportHaltEx with NdisHaltDeviceDisabled) and nicup closes it. It passes when every send completed exactly
 * once with SUCCESS (sent), PAUSED or SEND_ABORTED (completed by the pause without reaching the device's ring),
 * the adapter ended Halted, and the device left the bus: the kernel's remove finished because nicup let go.
 */
final class RequestedRemoval {

    /** pciehp waits 5 s after the attention button before it removes the device; the rest is margin. */
    static final Duration REQUEST_DEADLINE = Duration.ofSeconds(60);
    /** After the device fd closes the kernel finishes its remove and the slot powers off: seconds at most. */
    static final Duration RELEASE_DEADLINE = Duration.ofSeconds(30);

    private RequestedRemoval() {
    }

    static CheckResult run(CheckContext c, DeviceRemover remover) {
        RemovalRequest request = c.target().device().removalRequest();
        if (!request.offered()) {
            return CheckResult.fail("the device offers no removal request (vfio-pci's REQ interrupt): the kernel's"
                    + " remove would wait for nicup to exit");
        }
        if (request.requested()) {
            return CheckResult.fail("the kernel had asked for the device back before the check began");
        }
        var down = c.running(CheckContext.DEFAULT_FILTER);
        if (down.isPresent()) {
            return down.get();
        }
        NetBufferListPool pool = c.host().allocateSendPool(c.adapter(), SurpriseRemovalCheck.SENDS, 256);
        int sent = FrameEdge.send(c.host(), c.adapter(), pool, Frames.frames(CheckContext.PEER, c.mac(),
                SurpriseRemovalCheck.SENDS, 128, 60_000));
        try {
            remover.remove();
        } catch (DeviceRemover.DeviceRemoverException e) {
            return CheckResult.fail(e.getMessage());
        }
        if (!c.await(request::requested, REQUEST_DEADLINE)) {
            return CheckResult.fail("the kernel did not ask for the device back within " + REQUEST_DEADLINE.toSeconds()
                    + " s of the remove command");
        }
        c.host().removeDevice(c.adapter());
        FrameEdge edge = c.edge();
        long ok = edge.completedOk();
        long paused = edge.completedFailedWith(NdisStatus.PAUSED);
        long aborted = edge.completedAborted();
        long other = edge.completedFailed() - paused - aborted;
        String counts = ok + " SUCCESS, " + paused + " PAUSED, " + aborted + " SEND_ABORTED";
        if (ok + paused + aborted + other != sent) {
            return CheckResult.fail("of " + sent + " sends in flight at the removal request " + (ok + paused + aborted
                    + other) + " completed (" + counts + ")");
        }
        if (other != 0) {
            return CheckResult.fail(other + " sends completed with another status (" + NdisStatus.name(
                    edge.lastFailureStatus()) + "); " + counts);
        }
        if (c.adapter().state() != AdapterState.HALTED) {
            return CheckResult.fail("the adapter ended " + c.adapter().state() + ", not Halted");
        }
        c.target().device().close();                         // DMA, interrupts and the device fd: the kernel waits on it
        if (!c.await(() -> !request.onBus(), RELEASE_DEADLINE)) {
            return CheckResult.fail("nicup closed the device but it was still on the bus " + RELEASE_DEADLINE.toSeconds()
                    + " s later: the kernel's remove did not finish");
        }
        return CheckResult.pass(sent + " sends in flight at the removal request each completed once: " + counts
                + "; adapter halted with NdisHaltDeviceDisabled, device released and gone from the bus");
    }
}

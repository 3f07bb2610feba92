package io.nicup.mock.virtio;

import io.nicup.mock.virtio.VirtioNetModel.Counter;

import java.util.function.LongSupplier;


/**
 * transmitq1 (virtio 1.2 5.1.6.2): each chain is a virtio_net_hdr and a frame, all device-readable; the
 * header's checksum and segmentation requests are carried out by {@link VirtioTxOffload}.
 * The device processes it when the driver kicks (QEMU handles the kick synchronously): the frame goes
 * to the wire, or is lost while the link is down (QEMU's peer drops it; the buffer is still used).
 */
final class VirtioTransmitQueue {

    private final VirtioCore core;
    private final VirtioFaults faults;
    private final LongSupplier negotiated;
    private final VirtioTxOffload offload;

    /** @param negotiated the features the driver accepted */
    VirtioTransmitQueue(VirtioCore core, VirtioFaults faults, LongSupplier negotiated) {
        this.core = core;
        this.faults = faults;
        this.negotiated = negotiated;
        this.offload = new VirtioTxOffload(core);
    }

    /** The tx-first-buffer-only fault: the header and the chain's first data descriptor, nothing after. */
    private static int firstBufferOnly(DeviceVirtqueue q, int head, int total) {
        DeviceVirtqueue.Desc header = q.readDesc(head);
        if ((header.flags() & DeviceVirtqueue.F_NEXT) == 0 || header.next() >= q.size) {
            return total;
        }
        return Math.min(total, header.len() + q.readDesc(header.next()).len());
    }

    /** transmitq{@code pair + 1} was kicked. */
    void kick(int pair) {
        DeviceVirtqueue q = core.data[2 * pair + 1];
        if (!core.canDma(q) || core.txHung) {
            return;
        }
        boolean used = false;
        while (!core.txHung && q.availPending() > 0) {
            int head = q.takeHead();
            int total = core.gather(q, head, false);
            if (total < 0) {
                return;
            }
            if (core.faults.has(VirtioNetFault.TX_FIRST_BUFFER_ONLY)) {
                total = firstBufferOnly(q, head, total);
            }
            int frame = total - VirtioNetModel.netHeaderBytes(negotiated.getAsLong());
            if (frame > 0) {
                if (core.linkUp()) {
                    for (byte[] f : offload.frames(core.frameBuf, total, negotiated.getAsLong())) {
                        core.wire.transmit(f, f.length);
                    }
                } else {
                    core.count(Counter.TX_NO_LINK);   // QEMU's peer drops it; the buffer is still used
                }
            }
            core.usedRing.transmitted(q, head);
            used = true;
            core.count(Counter.TX_FRAMES);
            core.faults.transmitted();
            faults.frameEvent();
            if (core.removed) {
                return;
            }
            if (core.ringBroken) {
                break;                                        // the interrupt still tells of the bad element
            }
        }
        if (used) {
            core.interrupts.queueInterrupt(q);
        }
    }
}

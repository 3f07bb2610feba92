package io.nicup.mock.virtio;

import io.nicup.mock.virtio.VirtioNetModel.Counter;

import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.function.LongSupplier;

import static io.nicup.mock.virtio.VirtioNetModel.DMA_FAULT_IOVA;
import static io.nicup.mock.virtio.VirtioNetModel.RX_FIFO_FRAMES;

/**
 * receiveq1 (virtio 1.2 5.1.6.3): frames from the wire pass the {@link VirtioRxFilter} and wait in a
 * FIFO ({@link VirtioNetModel#RX_FIFO_FRAMES} at most) while no buffer is available; each is written
 * with a VERSION_1 header (num_buffers 1, the checksum verdict of {@link VirtioRxChecksum}) into one
 * device-writable chain, on the next receive kick, when
 * DRIVER_OK sets or when the link returns.
 */
final class VirtioReceiveQueue {

    private final VirtioCore core;
    private final VirtioRxFilter filter;
    private final VirtioFaults faults;
    /** The features the driver accepted: GUEST_CSUM asks for the DATA_VALID verdict. */
    private final LongSupplier negotiated;
    private final ArrayDeque<byte[]> fifo = new ArrayDeque<>();
    private boolean rxLengthDone;
    private boolean rxLengthZeroDone;
    private boolean dmaFaultDone;

    VirtioReceiveQueue(VirtioCore core, VirtioRxFilter filter, VirtioFaults faults, LongSupplier negotiated) {
        this.core = core;
        this.filter = filter;
        this.faults = faults;
        this.negotiated = negotiated;
    }

    int heldFrames() {
        return fifo.size();
    }

    void clear() {
        fifo.clear();
    }

    void fromWire(byte[] frame, int length) {
        if (core.removed) {
            return;
        }
        if (!core.linkUp()) {
            core.count(Counter.RX_NO_LINK);
            return;
        }
        if (!filter.accept(frame)) {
            core.count(Counter.RX_FILTERED);
            return;
        }
        if (fifo.size() >= RX_FIFO_FRAMES) {
            core.count(Counter.RX_FIFO_DROPPED);
            return;
        }
        fifo.addLast(Arrays.copyOf(frame, length));
        drain();
    }

    /** Delivers the frames waiting, in order, while buffers last. */
    void drain() {
        DeviceVirtqueue q = core.queues[0];
        boolean used = false;
        while (!fifo.isEmpty() && core.canDma(q) && q.availPending() > 0) {
            byte[] f = fifo.peekFirst();
            int head = q.takeHead();
            int result = deliver(q, head, f);
            if (result < 0) {
                q.untake();
                break;
            }
            fifo.pollFirst();
            if (result == 0) {
                continue;
            }
            used = true;
            core.count(Counter.RX_FRAMES);
            core.faults.received();
            faults.frameEvent();
        }
        if (used) {
            core.interrupts.queueInterrupt(q);
        }
    }

    /**
     * hash_value (le32 at 12) and hash_report (le16 at 16) of virtio_net_hdr_v1_hash (5.1.6.4.4): the frame's
     * hash when RSS or hash report is configured and a hash type fits, else 0 and VIRTIO_NET_HASH_REPORT_NONE.
     * With one queue pair every frame lands on receiveq1 whatever the table says.
     */
    private void reportHash(byte[] f, byte[] out) {
        VirtioRss rss = core.rss;
        rss.classify(f, f.length);
        int hash = rss.report != VirtioRss.REPORT_NONE && core.faults.has(VirtioNetFault.HASH_REPORT_WRONG)
                ? rss.hash ^ 1 : rss.hash;
        for (int k = 0; k < 4; k++) {
            out[12 + k] = (byte) (hash >>> 8 * k);
        }
        out[16] = (byte) rss.report;
    }

    /** Writes header and frame into the chain at {@code head}: 1 delivered, 0 dropped (too big), -1 device stopped. */
    private int deliver(DeviceVirtqueue q, int head, byte[] f) {
        long features = negotiated.getAsLong();
        int header = VirtioNetModel.netHeaderBytes(features);
        int size = header + f.length;
        byte[] out = new byte[size];
        out[10] = 1;                                          // num_buffers = 1 (VERSION_1 header, 5.1.6.4)
        if (header == VirtioNetModel.NET_HDR_HASH) {
            reportHash(f, out);
        }
        out[0] = (byte) VirtioRxChecksum.flags(f, negotiated.getAsLong(),
                core.faults.has(VirtioNetFault.RX_CSUM_ALWAYS_VALID));
        if (out[0] != 0) {
            core.count(Counter.RX_DATA_VALID);
        }
        System.arraycopy(f, 0, out, header, f.length);
        boolean dmaFault = core.faults.armedOnReceive(VirtioNetFault.DMA_FAULT, dmaFaultDone);
        int written = 0;
        int capacity = 0;
        int i = head;
        for (int n = 0; ; n++) {
            if (i >= q.size || n >= q.size) {
                core.signalNeedsReset("bad-descriptor-chain");
                return -1;
            }
            DeviceVirtqueue.Desc d = q.readDesc(i);
            if ((d.flags() & DeviceVirtqueue.F_WRITE) == 0) {
                core.signalNeedsReset("readable-descriptor-in-rx");
                return -1;
            }
            capacity += d.len();
            int chunk = Math.min(d.len(), size - written);
            if (chunk > 0) {
                long addr = dmaFault ? DMA_FAULT_IOVA : d.addr();
                if (!core.dma.write(addr, out, written, chunk, "virtq-rx-buffer")) {
                    dmaFaultDone = true;
                    core.signalNeedsReset("dma-write-fault");     // QEMU: virtio_error on a failed map
                    return -1;
                }
                written += chunk;
            }
            if ((d.flags() & DeviceVirtqueue.F_NEXT) == 0) {
                break;
            }
            i = d.next();
        }
        if (written < size) {
            core.count(Counter.RX_TOO_BIG);
            q.pushUsed(head, 0);
            return 0;
        }
        int len = size;
        if (core.faults.armedOnReceive(VirtioNetFault.RX_LENGTH, rxLengthDone)) {
            rxLengthDone = true;
            len = capacity + 100;                              // more than the buffer holds
        } else if (core.faults.armedOnReceive(VirtioNetFault.RX_LENGTH_ZERO, rxLengthZeroDone)) {
            rxLengthZeroDone = true;
            len = 0;
        }
        core.usedRing.received(q, head, len);
        return 1;
    }
}

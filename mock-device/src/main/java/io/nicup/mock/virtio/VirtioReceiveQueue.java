package io.nicup.mock.virtio;

import io.nicup.mock.virtio.VirtioNetModel.Counter;

import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.function.LongSupplier;

import static io.nicup.mock.virtio.VirtioNetModel.DMA_FAULT_IOVA;
import static io.nicup.mock.virtio.VirtioNetModel.RX_FIFO_FRAMES;

/**
 * receiveq1..N (virtio 1.2 5.1.6.3): frames from the wire pass the {@link VirtioRxFilter}, are steered to a
 * receive queue (with RSS_CONFIG in force by {@link VirtioRss}, 5.1.6.5.7.2; else to receiveq1, where
 * automatic steering (5.1.6.5.6) puts every flow of a driver that transmits on transmitq1 only) and wait in
 * that queue's FIFO ({@link VirtioNetModel#RX_FIFO_FRAMES} at most) while no buffer is available or the queue
 * is beyond the pairs in use (QEMU's {@code virtio_net_can_receive}); each is written
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
    private final ArrayDeque<byte[]>[] fifos;
    private boolean rxLengthDone;
    private boolean rxLengthZeroDone;
    private boolean dmaFaultDone;

    VirtioReceiveQueue(VirtioCore core, VirtioRxFilter filter, VirtioFaults faults, LongSupplier negotiated) {
        this.core = core;
        this.filter = filter;
        this.faults = faults;
        this.negotiated = negotiated;
        @SuppressWarnings("unchecked")
        ArrayDeque<byte[]>[] f = new ArrayDeque[core.pairs];
        for (int k = 0; k < f.length; k++) {
            f[k] = new ArrayDeque<>();
        }
        this.fifos = f;
    }

    int heldFrames() {
        int n = 0;
        for (ArrayDeque<byte[]> f : fifos) {
            n += f.size();
        }
        return n;
    }

    void clear() {
        for (ArrayDeque<byte[]> f : fifos) {
            f.clear();
        }
    }

    /**
     * The receive queue for {@code frame}: the one the indirection table names with RSS_CONFIG in force, else
     * receiveq1; the rss-wrong-queue fault moves a steered frame to the next queue in use.
     */
    private int steer(byte[] frame) {
        VirtioRss rss = core.rss;
        if (!rss.steers()) {
            return 0;
        }
        rss.classify(frame, frame.length);
        int k = Math.min(rss.queue, core.pairs - 1);
        if (core.faults.has(VirtioNetFault.RSS_WRONG_QUEUE) && core.currPairs > 1) {
            k = (k + 1) % core.currPairs;
        }
        return k;
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
        byte[] copy = Arrays.copyOf(frame, length);
        int k = steer(copy);
        ArrayDeque<byte[]> fifo = fifos[k];
        if (fifo.size() >= RX_FIFO_FRAMES) {
            core.count(Counter.RX_FIFO_DROPPED);
            return;
        }
        fifo.addLast(copy);
        drain(k);
    }

    /** Every receive queue's waiting frames, in order, while buffers last. */
    void drain() {
        for (int k = 0; k < fifos.length; k++) {
            drain(k);
        }
    }

    /** receiveq{@code k + 1}'s waiting frames, in order, while buffers last and the queue is in use. */
    void drain(int k) {
        if (k >= core.currPairs) {
            return;
        }
        ArrayDeque<byte[]> fifo = fifos[k];
        DeviceVirtqueue q = core.data[2 * k];
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
            core.receivedPerQueue[k]++;
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
     * The queue was chosen when the frame arrived ({@link #steer}).
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

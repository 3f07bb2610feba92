package io.nicup.mock.virtio;

import io.nicup.mock.virtio.VirtioNetModel.Counter;

import java.util.Arrays;

/**
 * The control queue (virtio 1.2 5.1.6.5): each chain is a header {class, command}, its data, then the
 * device-writable ack byte. The model implements VIRTIO_NET_CTRL_RX (promiscuous, allmulti) and
 * VIRTIO_NET_CTRL_MAC_TABLE_SET into the {@link VirtioRxFilter}, and VIRTIO_NET_CTRL_MQ's RSS_CONFIG and
 * HASH_CONFIG into {@link VirtioRss}; anything else is acknowledged with VIRTIO_NET_ERR.
 */
final class VirtioControlQueue {

    private final VirtioCore core;
    private final VirtioRxFilter filter;
    /** VIRTIO_NET_CTRL_MQ and its RSS_CONFIG and HASH_CONFIG commands (5.1.6.5.7). */
    static final int CLASS_MQ = 4;
    static final int MQ_VQ_PAIRS_SET = 0;
    static final int MQ_RSS_CONFIG = 1;
    static final int MQ_HASH_CONFIG = 2;

    private final byte[] buf;
    /** The features the driver accepted: the MQ commands need RSS or HASH_REPORT. */
    private final java.util.function.LongSupplier negotiated;

    /** Frames held for a queue that was not in use may go now. */
    private final Runnable drainAll;

    VirtioControlQueue(VirtioCore core, VirtioRxFilter filter, java.util.function.LongSupplier negotiated,
            Runnable drainAll) {
        this.core = core;
        this.drainAll = drainAll;
        this.filter = filter;
        this.negotiated = negotiated;
        this.buf = core.frameBuf;
    }

    /** The driver kicked the control queue: execute every command posted. */
    void kick() {
        DeviceVirtqueue q = core.control;
        if (!core.canDma(q)) {
            return;
        }
        boolean used = false;
        while (q.availPending() > 0) {
            int head = q.takeHead();
            int total = core.gather(q, head, true);
            if (total < 2) {
                if (total >= 0) {
                    core.signalNeedsReset("short-control-command");
                }
                return;
            }
            int ack = execute(buf[0] & 0xFF, buf[1] & 0xFF, total - 2, negotiated.getAsLong());
            core.count(Counter.CTRL_COMMANDS);
            // the ack goes into the first writable descriptor of the chain
            int i = head;
            for (int n = 0; n < q.size; n++) {
                DeviceVirtqueue.Desc d = q.readDesc(i);
                if ((d.flags() & DeviceVirtqueue.F_WRITE) != 0) {
                    core.dma.write8(d.addr(), (byte) ack, "virtq-ctrl-ack");
                    break;
                }
                i = d.next();
            }
            q.pushUsed(head, 1);
            used = true;
        }
        if (used) {
            core.interrupts.queueInterrupt(q);
        }
    }

    private int execute(int cls, int cmd, int dataLength, long features) {
        if (cls != CLASS_MQ) {
            return executeOther(cls, cmd, dataLength);
        }
        if (core.faults.reached(VirtioNetFault.MQ_REFUSED, core.mqAcceptedSinceReset)
                || core.faults.reached(VirtioNetFault.MQ_REFUSED_ALWAYS, core.mqAccepted)) {
            core.rss.reset();                                              // QEMU turns RSS off first, whatever fails
            return VirtioRss.ERR;
        }
        int ack = executeMq(cmd, dataLength, features);
        if (ack == VirtioRss.OK) {
            core.mqAcceptedSinceReset++;
            core.mqAccepted++;
        }
        return ack;
    }

    /** VIRTIO_NET_CTRL_MQ (5.1.6.5.5-7). */
    private int executeMq(int cmd, int dataLength, long features) {
        if (cmd == MQ_VQ_PAIRS_SET) {
            return pairsSet(dataLength, features);
        }
        boolean rss = cmd == MQ_RSS_CONFIG && (features & VirtioNetModel.F_RSS) != 0;
        boolean hash = cmd == MQ_HASH_CONFIG && (features & VirtioNetModel.F_HASH_REPORT) != 0;
        if (!rss && !hash) {
            core.rss.reset();                                              // QEMU turns RSS off first, whatever fails
            return VirtioRss.ERR;
        }
        int ack = core.rss.configure(buf, 2, dataLength, rss);
        if (ack == VirtioRss.OK && rss) {
            core.currPairs = core.rss.maxTxVq;                             // QEMU: RSS_CONFIG sets the pairs in use
            drainAll.run();
        }
        return ack;
    }

    private int executeOther(int cls, int cmd, int dataLength) {
        int data = 2;
        if (cls == 0 && (cmd == 0 || cmd == 1) && dataLength >= 1) {       // VIRTIO_NET_CTRL_RX
            boolean on = buf[data] != 0;
            if (cmd == 0) {
                filter.promisc = on;
            } else {
                filter.allmulti = on;
            }
            return 0;
        }
        if (cls == 1 && cmd == 0 && dataLength >= 8) {                     // VIRTIO_NET_CTRL_MAC_TABLE_SET
            int uni = le32(data);
            int at = data + 4;
            if (uni < 0 || at + 6L * uni + 4 > data + dataLength) {
                return 1;
            }
            byte[] u = Arrays.copyOfRange(buf, at, at + 6 * uni);
            at += 6 * uni;
            int multi = le32(at);
            at += 4;
            if (multi < 0 || at + 6L * multi > data + dataLength) {
                return 1;
            }
            filter.unicast = u;
            filter.multicast = Arrays.copyOfRange(buf, at, at + 6 * multi);
            return 0;
        }
        return 1;                                                          // VIRTIO_NET_ERR
    }

    /** VIRTIO_NET_CTRL_MQ_VQ_PAIRS_SET: RSS off first whatever follows (QEMU), then {@link #pairsToUse}. */
    private int pairsSet(int dataLength, long features) {
        core.rss.reset();
        int n = pairsToUse(features, dataLength, dataLength == 2 ? (buf[2] & 0xFF) | (buf[3] & 0xFF) << 8 : 0,
                core.pairs);
        if (n < 0) {
            return VirtioRss.ERR;
        }
        core.currPairs = n;
        drainAll.run();
        return VirtioRss.OK;
    }

    /**
     * VIRTIO_NET_CTRL_MQ_VQ_PAIRS_SET (5.1.6.5.6) as QEMU's {@code virtio_net_handle_mq} checks it: the pairs to
     * use, or -1 (VIRTIO_NET_ERR) without MQ negotiated, for data that is not one le16, and for a count outside
     * VIRTIO_NET_CTRL_MQ_VQ_PAIRS_MIN..MAX (1..0x8000) or above max_virtqueue_pairs.
     */
    static int pairsToUse(long features, int dataLength, int requested, int maxPairs) {
        if ((features & VirtioNetModel.F_MQ) == 0 || dataLength != 2) {
            return -1;
        }
        return requested < 1 || requested > 0x8000 || requested > maxPairs ? -1 : requested;
    }

    private int le32(int at) {
        return (buf[at] & 0xFF) | (buf[at + 1] & 0xFF) << 8 | (buf[at + 2] & 0xFF) << 16
                | (buf[at + 3] & 0xFF) << 24;
    }
}

package io.nicup.mock.virtio;

import io.nicup.mock.virtio.VirtioNetModel.Counter;

import java.util.Arrays;

/**
 * The control queue (virtio 1.2 5.1.6.5): each chain is a header {class, command}, its data, then the
 * device-writable ack byte. The model implements VIRTIO_NET_CTRL_RX (promiscuous, allmulti) and
 * VIRTIO_NET_CTRL_MAC_TABLE_SET into the {@link VirtioRxFilter}; anything else is acknowledged with
 * VIRTIO_NET_ERR.
 */
final class VirtioControlQueue {

    private final VirtioCore core;
    private final VirtioRxFilter filter;
    private final byte[] buf;

    VirtioControlQueue(VirtioCore core, VirtioRxFilter filter) {
        this.core = core;
        this.filter = filter;
        this.buf = core.frameBuf;
    }

    /** The driver kicked the control queue: execute every command posted. */
    void kick() {
        DeviceVirtqueue q = core.queues[2];
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
            int ack = execute(buf[0] & 0xFF, buf[1] & 0xFF, total - 2);
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

    private int execute(int cls, int cmd, int dataLength) {
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

    private int le32(int at) {
        return (buf[at] & 0xFF) | (buf[at + 1] & 0xFF) << 8 | (buf[at + 2] & 0xFF) << 16
                | (buf[at + 3] & 0xFF) << 24;
    }
}

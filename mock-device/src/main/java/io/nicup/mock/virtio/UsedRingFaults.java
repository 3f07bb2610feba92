package io.nicup.mock.virtio;

/**
 * The hostile used-ring faults (virtio 1.2, 2.7.8 says what a device must write; these write something
 * else): the used element of one buffer is published with {@code used.idx} jumping past the ring, with an
 * id out of range, twice, or with an id that is not the head of the chain the driver made available. Each
 * fires once, on the frame after its count, and then the device stops using every queue until the driver
 * resets it, as a device that corrupted its own state would: the frames that arrive meanwhile wait in the
 * receive FIFO and the transmit chains stay in the available ring, so what the driver loses is exactly
 * the one buffer the bad element returned.
 */
final class UsedRingFaults {

    private final VirtioCore core;
    private boolean rxDone;
    private boolean txDone;

    UsedRingFaults(VirtioCore core) {
        this.core = core;
    }

    /** Returns the receive buffer at {@code head} holding {@code len} bytes: honestly, or as the armed fault says. */
    void received(DeviceVirtqueue q, int head, int len) {
        if (armed(VirtioNetFault.USED_IDX_JUMP)) {
            q.writeUsed(head, len);
            q.publishUsed(q.size);                           // used.idx - last_used > queue size
        } else if (armed(VirtioNetFault.USED_ID_RANGE)) {
            q.pushUsed(q.size, len);                         // ids run from 0 to queue size - 1
        } else if (armed(VirtioNetFault.USED_ID_DUPLICATE)) {
            q.writeUsed(head, len);
            q.writeUsed(head, len);                          // the same buffer returned twice
            q.publishUsed(0);
        } else {
            q.pushUsed(head, len);
            return;
        }
        rxDone = true;
        core.ringBroken = true;
    }

    /** Returns the transmit chain at {@code head}: honestly, or (used-id-not-head) under its second descriptor. */
    void transmitted(DeviceVirtqueue q, int head) {
        if (!txDone && core.faults.transmittedSinceReset(VirtioNetFault.USED_ID_NOT_HEAD)) {
            int second = q.readDesc(head).next();
            q.pushUsed(second, 0);
            txDone = true;
            core.ringBroken = true;
        } else {
            q.pushUsed(head, 0);
        }
    }

    private boolean armed(VirtioNetFault fault) {
        return core.faults.armedOnReceive(fault, rxDone);
    }
}

package io.nicup.mock.virtio;

import io.nicup.mock.AccessNotes;
import io.nicup.mock.InjectedFaults;
import io.nicup.mock.MockConfigSpace;
import io.nicup.mock.MockDmaAllocator;
import io.nicup.mock.MockInterrupts;
import io.nicup.mock.RegisterReadFaults;
import io.nicup.mock.VirtualClock;
import io.nicup.mock.Wire;
import io.nicup.mock.virtio.VirtioNetModel.Counter;

import java.util.Map;

import static io.nicup.mock.virtio.VirtioCommonConfig.DEVICE_STATUS;
import static io.nicup.mock.virtio.VirtioCommonConfig.S_DRIVER_OK;
import static io.nicup.mock.virtio.VirtioCommonConfig.S_NEEDS_RESET;

/**
 * The state the virtio-net model's parts share: the plumbing (clock, configuration space, DMA, wire),
 * the MAC, the injected faults and the counters, the three virtqueues, device_status, the device-wide
 * fault state, and the chain reading that transmit and the control queue share.
 */
final class VirtioCore {

    final VirtualClock clock;
    final MockConfigSpace config;
    final MockDmaAllocator dma;
    final Wire wire;
    final byte[] mac;
    final InjectedFaults<VirtioNetFault> faults;
    final AccessNotes notes;
    /** BAR4 reads by the driver since power-on, and the registers-* faults that count them. */
    final RegisterReadFaults<VirtioNetFault> registerFaults;
    final VirtioInterrupts interrupts;
    final UsedRingFaults usedRing;
    /** max_virtqueue_pairs: the receive/transmit pairs the device has (docs/hardware-reference.md C.10). */
    final int pairs;
    /** receiveq k+1 at 2k and transmitq k+1 at 2k + 1, for every pair the device has. */
    final DeviceVirtqueue[] data;
    final DeviceVirtqueue control;
    /**
     * The virtqueues by index as the driver sees them (virtio 1.2 5.1.2): every pair and the control queue
     * at 2 * pairs at power-on and with VIRTIO_NET_F_MQ or F_RSS negotiated, else receiveq1, transmitq1 and the
     * control queue at 2 (QEMU's {@code virtio_net_set_multiqueue} moves the control queue on FEATURES_OK).
     */
    DeviceVirtqueue[] queues;
    /** curr_queue_pairs: 1 after reset, set by VQ_PAIRS_SET and by RSS_CONFIG's max_tx_vq (QEMU). */
    int currPairs = 1;
    /** MQ commands accepted since the last device reset and since power-on (the mq-refused faults). */
    long mqAcceptedSinceReset;
    long mqAccepted;
    /** Frames delivered per receive queue, for tests. */
    final long[] receivedPerQueue;
    /** The device-readable part of the chain being processed (a frame with its header, or a control command). */
    /** A chain's readable bytes: a header and the largest GSO frame (an Ethernet header, a 65535-byte IPv4 packet). */
    final byte[] frameBuf = new byte[80 * 1024];
    /** RSS and hash report, as the control queue set them. */
    final VirtioRss rss;
    private final long[] counters = new long[Counter.values().length];

    /** device_status (virtio 1.2 2.1). */
    int status;
    /** Surprise-removed (all-ones fault). */
    boolean removed;
    /** The tx-hang fault fired: the transmit used ring stops until a reset. */
    boolean txHung;
    /** The link-flap fault holds LINK_UP down. */
    boolean flapDown;
    /** A used-ring fault fired: the device wrote a bad used element and uses no queue until a reset. */
    boolean ringBroken;

    VirtioCore(VirtualClock clock, MockConfigSpace config, MockDmaAllocator dma, Wire wire, byte[] mac,
            Map<VirtioNetFault, Long> faults, MockInterrupts irq, int pairs) {
        this.clock = clock;
        this.config = config;
        this.dma = dma;
        this.wire = wire;
        this.mac = mac;
        this.faults = new InjectedFaults<>(VirtioNetFault.class, faults);
        this.notes = new AccessNotes(clock, VirtioNetModel.NOTES_KEPT);
        this.registerFaults = new RegisterReadFaults<>(this.faults, VirtioNetFault.REGISTERS_ALL_ONES,
                VirtioNetFault.REGISTERS_RANDOM, 0x1AF4_1041L);
        this.interrupts = new VirtioInterrupts(this, irq);
        this.usedRing = new UsedRingFaults(this);
        this.pairs = pairs;
        this.rss = new VirtioRss(pairs, this.faults.has(VirtioNetFault.RSS_TABLE_LIMIT)
                ? VirtioRss.FAULT_TABLE_LENGTH : VirtioRss.MAX_TABLE_LENGTH);
        this.data = new DeviceVirtqueue[2 * pairs];
        for (int q = 0; q < data.length; q++) {
            data[q] = new DeviceVirtqueue(q, VirtioNetModel.QUEUE_SIZES[q % 2], dma);
        }
        this.control = new DeviceVirtqueue(2, VirtioNetModel.QUEUE_SIZES[2], dma);
        this.receivedPerQueue = new long[pairs];
        setMultiqueue(true);                                  // QEMU's realize adds every pair, then the control queue
    }

    /** The virtqueue layout for multiqueue on or off (features accepted, or reset). */
    void setMultiqueue(boolean on) {
        int n = on ? pairs : 1;
        queues = new DeviceVirtqueue[2 * n + 1];
        System.arraycopy(data, 0, queues, 0, 2 * n);
        queues[2 * n] = control;
    }

    /** The MSI-X vectors: one per virtqueue and one for configuration changes, as QEMU's 2 * queues + 2. */
    static int msixVectors(int pairs) {
        return 2 * pairs + 2;
    }

    /** Whether {@code fault}, which counts BAR4 reads, lies in the read being made now. */
    boolean lies(VirtioNetFault fault) {
        return faults.reached(fault, registerFaults.reads());
    }

    void count(Counter c) {
        counters[c.ordinal()]++;
    }

    long counter(Counter c) {
        return counters[c.ordinal()];
    }

    boolean driverOk() {
        return (status & S_DRIVER_OK) != 0;
    }

    /** The cable is in and no fault holds LINK_UP down. */
    boolean linkUp() {
        return wire.linkUp() && !flapDown && !faults.has(VirtioNetFault.LINK_DOWN);
    }

    /** Raises DEVICE_NEEDS_RESET now, as QEMU's virtio_error does. */
    void signalNeedsReset(String why) {
        notes.add(4, VirtioNetModel.COMMON_OFFSET + DEVICE_STATUS, 1, false, status, "needs-reset:" + why);
        if (driverOk()) {
            status |= S_NEEDS_RESET;
            interrupts.configChanged();
        }
    }

    /** Whether the device may use queue {@code q} now; without bus mastering counts the DMA not made. */
    boolean canDma(DeviceVirtqueue q) {
        if (removed || ringBroken || !driverOk() || (status & S_NEEDS_RESET) != 0 || !q.enabled) {
            return false;
        }
        if (!config.busMaster()) {
            count(Counter.DMA_BLOCKED_BUS_MASTER);
            return false;
        }
        return true;
    }

    /**
     * Reads the device-readable part of the chain at {@code head} into {@link #frameBuf}; returns the
     * bytes, or -1 after a malformed chain (then DEVICE_NEEDS_RESET, as QEMU's virtio_error).
     */
    int gather(DeviceVirtqueue q, int head, boolean stopAtWritable) {
        int total = 0;
        int i = head;
        for (int n = 0; ; n++) {
            if (i >= q.size || n >= q.size) {
                signalNeedsReset("bad-descriptor-chain");
                return -1;
            }
            DeviceVirtqueue.Desc d = q.readDesc(i);
            if ((d.flags() & DeviceVirtqueue.F_WRITE) != 0) {
                if (stopAtWritable) {
                    return total;
                }
                signalNeedsReset("writable-descriptor-in-tx");
                return -1;
            }
            if (total + d.len() > frameBuf.length) {
                signalNeedsReset("chain-too-long");
                return -1;
            }
            if (!dma.read(d.addr(), frameBuf, total, d.len(), "virtq-buffer")) {
                signalNeedsReset("dma-read-fault");
                return -1;
            }
            total += d.len();
            if ((d.flags() & DeviceVirtqueue.F_NEXT) == 0) {
                return total;
            }
            i = d.next();
        }
    }
}

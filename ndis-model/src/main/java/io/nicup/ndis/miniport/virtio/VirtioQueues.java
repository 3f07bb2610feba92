package io.nicup.ndis.miniport.virtio;

import io.nicup.ndis.Ndis;
import io.nicup.ndis.adapter.NdisAdapterHandle;
import io.nicup.ndis.adapter.NdisDmaHandle;
import io.nicup.ndis.adapter.ScatterGatherDmaDescription;
import io.nicup.ndis.adapter.SharedMemory;
import io.nicup.ndis.datapath.NetBufferListPool;
import io.nicup.ndis.datapath.NetBufferListPoolParameters;

/**
 * The three virtqueues of one adapter and the memory behind them: 0 receiveq1 ({@link VirtioRxQueue}),
 * 1 transmitq1 ({@link VirtioTxQueue}), 2 controlq ({@link ControlQueue}, with VIRTIO_NET_F_CTRL_VQ).
 * Allocates them in MiniportInitializeEx (scatter-gather DMA, then the shared memory, then the receive
 * NBL pool) and frees them in reverse; sets each up in the device (virtio 1.2, 3.1.1 step 7), again
 * after every reset; and routes queue {@code q} to MSI-X vector {@code q + 1}, configuration changes to
 * vector {@value #VECTOR_CONFIG}, each read back (NO_VECTOR: the device could not take it, 4.1.5.1.2).
 */
final class VirtioQueues {

    static final int RX_QUEUE = 0;
    static final int TX_QUEUE = 1;
    static final int CTRL_QUEUE = 2;
    static final int VECTOR_CONFIG = 0;
    static final int VECTOR_RX = 1;
    static final int VECTOR_TX = 2;
    static final int VECTOR_CTRL = 3;
    static final int MSIX_VECTORS = 4;
    /** Entries the control queue wants: a command takes three descriptors. */
    private static final int CTRL_ENTRIES = 4;
    /** The largest split virtqueue (virtio 1.2 2.7; docs/hardware-reference.md C.8). */
    static final int MAX_SPLIT_QUEUE_SIZE = 32768;

    private final Ndis ndis;
    private final NdisAdapterHandle handle;
    private final VirtioDevice device;

    // resources, in acquisition order
    private NdisDmaHandle dma;
    private SharedMemory rxRingMemory;
    private SharedMemory txRingMemory;
    private SharedMemory ctrlRingMemory;
    private SharedMemory ctrlMemory;
    private SharedMemory rxBufferMemory;
    private SharedMemory headerMemory;
    private NetBufferListPool rxNblPool;

    VirtioRxQueue rx;
    VirtioTxQueue tx;
    /** Null without VIRTIO_NET_F_CTRL_VQ. */
    ControlQueue ctrl;
    /** The vectors as the device kept them (NO_VECTOR when polling). */
    int configVector = CommonCfg.NO_VECTOR;
    final int[] queueVectors = {CommonCfg.NO_VECTOR, CommonCfg.NO_VECTOR, CommonCfg.NO_VECTOR};

    VirtioQueues(Ndis ndis, NdisAdapterHandle handle, VirtioDevice device) {
        this.ndis = ndis;
        this.handle = handle;
        this.device = device;
    }

    /**
     * DMA, the rings (sizes from the configuration, capped by the device), the receive buffers, the
     * transmit headers (one per slot), the receive NBLs. {@code ctrlLock} guards the common configuration.
     */
    void allocate(VirtioNetConfig config, Object ctrlLock, DeviceHealth health, int maxMulticast) {
        VirtioTransport transport = device.transport;
        dma = ndis.NdisMRegisterScatterGatherDma(handle, ScatterGatherDmaDescription.DEFAULT);
        int queues = transport.numQueues();
        int rxSize = queueSize(RX_QUEUE, config.receiveBuffers(), queues);
        int txSize = queueSize(TX_QUEUE, config.transmitBuffers(), queues);
        if (txSize < 2) {
            throw new VirtioInitException("transmit queue too small: queue_size=" + txSize
                    + " (a frame takes 2 descriptors)");
        }
        rxRingMemory = ndis.NdisMAllocateSharedMemory(handle, Virtq.areaBytes(rxSize), true, "rx-queue");
        txRingMemory = ndis.NdisMAllocateSharedMemory(handle, Virtq.areaBytes(txSize), true, "tx-queue");
        SplitRing rxRing = new SplitRing(rxRingMemory.segment(), rxRingMemory.physicalAddress(), rxSize);
        SplitRing txRing = new SplitRing(txRingMemory.segment(), txRingMemory.physicalAddress(), txSize);
        if (device.negotiated(Features.NET_F_CTRL_VQ)) {
            int ctrlSize = queueSize(CTRL_QUEUE, CTRL_ENTRIES, queues);
            if (ctrlSize < CTRL_ENTRIES) {
                throw new VirtioInitException("control queue too small: queue_size=" + ctrlSize
                        + " (a command takes 3)");
            }
            ctrlRingMemory = ndis.NdisMAllocateSharedMemory(handle, Virtq.areaBytes(ctrlSize), true, "ctrl-queue");
            ctrlMemory = ndis.NdisMAllocateSharedMemory(handle, ControlQueue.bufferBytes(maxMulticast), true,
                    "ctrl-buffers");
            ctrl = new ControlQueue(new SplitRing(ctrlRingMemory.segment(), ctrlRingMemory.physicalAddress(), ctrlSize),
                    ctrlMemory, ctrlLock, health, device.negotiated(Features.NET_F_CTRL_RX));
            ctrl.attach(transport);
        }
        rxBufferMemory = ndis.NdisMAllocateSharedMemory(handle, (long) rxSize * VirtioRxQueue.BUFFER_BYTES, true,
                "rx-buffers");
        headerMemory = ndis.NdisMAllocateSharedMemory(handle, VirtioTxQueue.headerBytes(txSize), true, "tx-headers");
        rx = new VirtioRxQueue(rxRing, rxBufferMemory, health, device.features);
        rxNblPool = ndis.NdisAllocateNetBufferListPool(handle, NetBufferListPoolParameters.withoutData(rxSize, "rx"));
        rx.attachNbls(rxNblPool);
        tx = new VirtioTxQueue(txRing, headerMemory.segment(), headerMemory.physicalAddress(), device.features, health);
        tx.attach(transport);
    }

    /** queue_size of {@code q} capped to {@code wanted}; 0 or a missing queue fails initialization. */
    private int queueSize(int q, int wanted, int queues) {
        VirtioTransport transport = device.transport;
        if (q >= queues) {
            throw new VirtioInitException("device has too few queues: num_queues=" + queues + " needed=" + (q + 1));
        }
        transport.selectQueue(q);
        int max = transport.read16(CommonCfg.QUEUE_SIZE);
        if (max == 0) {
            throw new VirtioInitException("queue " + q + " is not available: queue_size=0");
        }
        if (max > MAX_SPLIT_QUEUE_SIZE) {
            // no split virtqueue is that large (docs/hardware-reference.md C.8): the device's other values are suspect too
            throw new VirtioInitException("queue " + q + " size beyond what a split virtqueue can have: queue_size="
                    + max + " (at most " + MAX_SPLIT_QUEUE_SIZE + ", virtio 1.2 2.7)");
        }
        // A non-power-of-two maximum is allowed for packed rings only; split rings use powers of two (2.7),
        // so the driver takes the largest power of two below it: it may write a smaller size
        // (docs/hardware-reference.md C.8).
        int size = Math.min(Integer.highestOneBit(max), Math.max(1, wanted));
        return Integer.highestOneBit(size);
    }

    /**
     * 3.1.1 step 7 for each queue (4.1.5.1.3): select, size, ring addresses (low half first), MSI-X vector
     * read back for NO_VECTOR, notify offset, then queue_enable = 1 last (QEMU latches size and addresses
     * on that write, docs/hardware-reference.md C.4). The receive buffers are published (not yet notified: no notification
     * before DRIVER_OK), under {@code rxLock}.
     */
    void setUp(boolean vectors, Object rxLock) {
        VirtioTransport transport = device.transport;
        int asked = vectors ? VECTOR_CONFIG : CommonCfg.NO_VECTOR;
        configVector = kept("config_msix_vector", asked, transport.setConfigVector(asked));
        rx.notifyOffset = setUpQueue(RX_QUEUE, rx.ring(), vectors ? VECTOR_RX : CommonCfg.NO_VECTOR);
        tx.notifyOffset = setUpQueue(TX_QUEUE, tx.ring(), vectors ? VECTOR_TX : CommonCfg.NO_VECTOR);
        if (ctrl != null) {
            ctrl.notifyOffset = setUpQueue(CTRL_QUEUE, ctrl.ring(), vectors ? VECTOR_CTRL : CommonCfg.NO_VECTOR);
        }
        tx.writeHeaderDescriptors();
        synchronized (rxLock) {
            rx.writeDescriptors();
        }
    }

    private long setUpQueue(int q, SplitRing ring, int vector) {
        VirtioTransport transport = device.transport;
        transport.selectQueue(q);
        transport.write16(CommonCfg.QUEUE_SIZE, ring.size());
        transport.write64(CommonCfg.QUEUE_DESC, ring.descIova());
        transport.write64(CommonCfg.QUEUE_DRIVER, ring.availIova());
        transport.write64(CommonCfg.QUEUE_DEVICE, ring.usedIova());
        queueVectors[q] = kept("queue " + q + " queue_msix_vector", vector, transport.setQueueVector(vector));
        int notifyOff = transport.read16(CommonCfg.QUEUE_NOTIFY_OFF);
        if (!transport.notifyInWindow(notifyOff)) {
            throw new VirtioInitException(String.format("queue %d notify address outside the NOTIFY_CFG structure:"
                    + " queue_notify_off=%d notify_off_multiplier=%d length=0x%X", q, notifyOff,
                    transport.notifyOffMultiplier(), device.notifyCap.length()));
        }
        transport.write16(CommonCfg.QUEUE_ENABLE, 1);
        return transport.notifyOffset(notifyOff);
    }

    /**
     * A vector as read back: the one written or NO_VECTOR (4.1.5.1.2); anything else is a vector the
     * device was never given, which the driver would otherwise route interrupts by.
     */
    private static int kept(String field, int asked, int read) {
        if (read != asked && read != CommonCfg.NO_VECTOR) {
            throw new VirtioInitException(String.format("device kept an MSI-X vector it was not given: %s wrote=0x%04X"
                    + " read=0x%04X (the device may keep the vector or NO_VECTOR only)", field, asked, read));
        }
        return read;
    }

    /** The driver's view of the rings back to empty, for a device reset (the device forgot them). */
    void resetRings() {
        rx.ring().reset();
        tx.ring().reset();
        if (ctrl != null) {
            ctrl.ring().reset();
        }
    }

    /** MSI-X registered but a vector read back NO_VECTOR: the device could not map it (4.1.5.1.2). */
    boolean vectorsRefused() {
        return configVector == CommonCfg.NO_VECTOR || queueVectors[RX_QUEUE] == CommonCfg.NO_VECTOR
                || queueVectors[TX_QUEUE] == CommonCfg.NO_VECTOR
                || (ctrl != null && queueVectors[CTRL_QUEUE] == CommonCfg.NO_VECTOR);
    }

    String vectorsText() {
        return String.format("config_msix_vector=0x%04X queue_msix_vector rx=0x%04X tx=0x%04X ctrl=0x%04X"
                + " (0xFFFF = NO_VECTOR)", configVector, queueVectors[RX_QUEUE], queueVectors[TX_QUEUE],
                queueVectors[CTRL_QUEUE]);
    }

    /** NO_VECTOR everywhere: the device signals nothing and the driver polls. */
    void clearVectors() {
        VirtioTransport transport = device.transport;
        configVector = transport.setConfigVector(CommonCfg.NO_VECTOR);
        for (int q = 0; q < (ctrl != null ? 3 : 2); q++) {
            transport.selectQueue(q);
            queueVectors[q] = transport.setQueueVector(CommonCfg.NO_VECTOR);
        }
    }

    /** Frees what {@link #allocate} got, in reverse order; safe after a partial allocation. */
    void release() {
        if (rxNblPool != null) {
            rx.freeNbls(rxNblPool);
            ndis.NdisFreeNetBufferListPool(rxNblPool);
            rxNblPool = null;
        }
        headerMemory = free(headerMemory);
        rxBufferMemory = free(rxBufferMemory);
        ctrlMemory = free(ctrlMemory);
        ctrlRingMemory = free(ctrlRingMemory);
        txRingMemory = free(txRingMemory);
        rxRingMemory = free(rxRingMemory);
        if (dma != null) {
            ndis.NdisMDeregisterScatterGatherDma(dma);
            dma = null;
        }
    }

    private SharedMemory free(SharedMemory m) {
        if (m != null) {
            ndis.NdisMFreeSharedMemory(handle, m);
        }
        return null;
    }
}

package io.nicup.ndis.miniport.virtio;

import io.nicup.ndis.Ndis;
import io.nicup.ndis.adapter.NdisAdapterHandle;
import io.nicup.ndis.adapter.NdisDmaHandle;
import io.nicup.ndis.adapter.ScatterGatherDmaDescription;
import io.nicup.ndis.adapter.SharedMemory;
import io.nicup.ndis.datapath.NetBufferListPool;
import io.nicup.ndis.datapath.NetBufferListPoolParameters;
import io.nicup.ndis.miniport.core.NdisDataPath;
import java.util.Arrays;

/**
 * The virtqueues of one adapter and the memory behind them (virtio 1.2 5.1.2; docs/hardware-reference.md
 * C.10): receiveq{@code k+1} at {@code 2k} ({@link VirtioRxQueue}) for each receive queue the adapter runs,
 * transmitq1 at 1 ({@link VirtioTxQueue}; transmitq2.. are set up, as the spec asks of every pair enabled, but
 * stay empty: NDIS hands this miniport one send path), and the controlq ({@link ControlQueue}, with
 * VIRTIO_NET_F_CTRL_VQ) at {@code 2 * max_virtqueue_pairs} with MQ or RSS negotiated, else at 2.
 * Allocates them in MiniportInitializeEx (scatter-gather DMA, then the shared memory, then the receive NBL
 * pools) and frees them in reverse; sets each up in the device (3.1.1 step 7), again after every reset.
 *
 * <p>MSI-X: configuration changes on vector {@value #VECTOR_CONFIG}, receiveq1 on {@value #VECTOR_RX},
 * transmitq1 on {@value #VECTOR_TX}, the control queue on {@value #VECTOR_CTRL}, receive queue {@code k >= 1}
 * on {@code 3 + k} (the 82576's order, docs/ndis-contract.md §21), each read back (NO_VECTOR: the device could
 * not take it, 4.1.5.1.2). The idle transmit queues get NO_VECTOR: they never complete anything.
 */
final class VirtioQueues {

    static final int RX_QUEUE = 0;
    static final int TX_QUEUE = 1;
    static final int VECTOR_CONFIG = 0;
    static final int VECTOR_RX = 1;
    static final int VECTOR_TX = 2;
    static final int VECTOR_CTRL = 3;
    /** The vectors of one receive queue: configuration, receive, transmit, control. */
    static final int MSIX_VECTORS = 4;
    /** Entries the control queue wants: a command takes three descriptors. */
    private static final int CTRL_ENTRIES = 4;
    /** Entries of each idle transmit queue (transmitq2..): nothing is ever posted there. */
    private static final int IDLE_TX_ENTRIES = 16;
    /** The largest split virtqueue (virtio 1.2 2.7; docs/hardware-reference.md C.8). */
    static final int MAX_SPLIT_QUEUE_SIZE = 32768;

    private final Ndis ndis;
    private final NdisAdapterHandle handle;
    private final VirtioDevice device;

    // resources, in acquisition order
    private NdisDmaHandle dma;
    private SharedMemory[] rxRingMemory = new SharedMemory[0];
    private SharedMemory txRingMemory;
    private SharedMemory idleTxMemory;
    private SharedMemory ctrlRingMemory;
    private SharedMemory ctrlMemory;
    private SharedMemory[] rxBufferMemory = new SharedMemory[0];
    private SharedMemory headerMemory;
    private NetBufferListPool[] rxNblPools = new NetBufferListPool[0];

    /** receiveq1: the queue everything lands on without RSS. */
    VirtioRxQueue rx;
    /** Every receive queue, receiveq{@code k+1} at {@code k}. */
    VirtioRxQueue[] rxQueues = new VirtioRxQueue[0];
    VirtioTxQueue tx;
    /** transmitq2..: set up, never used. */
    private SplitRing[] idleTx = new SplitRing[0];
    /** Null without VIRTIO_NET_F_CTRL_VQ. */
    ControlQueue ctrl;
    /** The control queue's virtqueue index. */
    int ctrlIndex = 2;
    /** The vectors as the device kept them (NO_VECTOR when polling). */
    int configVector = CommonCfg.NO_VECTOR;
    /** By virtqueue index. */
    int[] queueVectors = {CommonCfg.NO_VECTOR, CommonCfg.NO_VECTOR, CommonCfg.NO_VECTOR};

    VirtioQueues(Ndis ndis, NdisAdapterHandle handle, VirtioDevice device) {
        this.ndis = ndis;
        this.handle = handle;
        this.device = device;
    }

    /** The MSI-X vector of receive queue {@code k}. */
    static int rxVector(int k) {
        return k == 0 ? VECTOR_RX : MSIX_VECTORS + k - 1;
    }

    /** The receive queue whose vector is {@code messageId}, or -1 (configuration, transmit, control). */
    static int queueOfVector(int messageId, int receiveQueues) {
        if (messageId == VECTOR_RX) {
            return 0;
        }
        int k = messageId - MSIX_VECTORS + 1;
        return k >= 1 && k < receiveQueues ? k : -1;
    }

    /** MSI-X vectors for {@code receiveQueues} receive queues and the other three. */
    static int messages(int receiveQueues) {
        return MSIX_VECTORS + receiveQueues - 1;
    }

    /**
     * DMA, the rings (sizes from the configuration, capped by the device), the receive buffers, the
     * transmit headers (one per slot), the receive NBLs. {@code ctrlLock} guards the common configuration.
     *
     * @param receiveQueues the receive queues to run (the pairs enabled)
     * @param layoutPairs the pairs the virtqueue numbering counts: max_virtqueue_pairs with MQ or RSS, else 1
     */
    void allocate(VirtioNetConfig config, Object ctrlLock, DeviceHealth health, int maxMulticast, int receiveQueues,
            int layoutPairs) {
        VirtioTransport transport = device.transport;
        dma = ndis.NdisMRegisterScatterGatherDma(handle, ScatterGatherDmaDescription.DEFAULT);
        int queues = transport.numQueues();
        ctrlIndex = 2 * layoutPairs;
        queueVectors = new int[2 * layoutPairs + 1];
        Arrays.fill(queueVectors, CommonCfg.NO_VECTOR);
        int rxSize = queueSize(RX_QUEUE, config.receiveBuffers(), queues);
        int txSize = queueSize(TX_QUEUE, config.transmitBuffers(), queues);
        if (txSize < 2) {
            throw new VirtioInitException("transmit queue too small: queue_size=" + txSize
                    + " (a frame takes 2 descriptors)");
        }
        rxRingMemory = new SharedMemory[receiveQueues];
        rxBufferMemory = new SharedMemory[receiveQueues];
        rxNblPools = new NetBufferListPool[receiveQueues];
        rxQueues = new VirtioRxQueue[receiveQueues];
        SplitRing[] rxRings = new SplitRing[receiveQueues];
        for (int k = 0; k < receiveQueues; k++) {
            int size = k == 0 ? rxSize : queueSize(2 * k, config.receiveBuffers(), queues);
            rxRingMemory[k] = ndis.NdisMAllocateSharedMemory(handle, Virtq.areaBytes(size), true, "rx-queue-" + k);
            rxRings[k] = new SplitRing(rxRingMemory[k].segment(), rxRingMemory[k].physicalAddress(), size);
        }
        txRingMemory = ndis.NdisMAllocateSharedMemory(handle, Virtq.areaBytes(txSize), true, "tx-queue");
        SplitRing txRing = new SplitRing(txRingMemory.segment(), txRingMemory.physicalAddress(), txSize);
        idleTx = new SplitRing[receiveQueues - 1];
        if (idleTx.length > 0) {
            int idleSize = queueSize(3, IDLE_TX_ENTRIES, queues);
            long stride = (Virtq.areaBytes(idleSize) + 4095) & ~4095L;
            idleTxMemory = ndis.NdisMAllocateSharedMemory(handle, stride * idleTx.length, true, "tx-queues-idle");
            for (int k = 0; k < idleTx.length; k++) {
                idleTx[k] = new SplitRing(idleTxMemory.segment().asSlice(k * stride, stride),
                        idleTxMemory.physicalAddress() + k * stride, idleSize);
            }
        }
        if (device.negotiated(Features.NET_F_CTRL_VQ)) {
            int ctrlSize = queueSize(ctrlIndex, CTRL_ENTRIES, queues);
            if (ctrlSize < CTRL_ENTRIES) {
                throw new VirtioInitException("control queue too small: queue_size=" + ctrlSize
                        + " (a command takes 3)");
            }
            ctrlRingMemory = ndis.NdisMAllocateSharedMemory(handle, Virtq.areaBytes(ctrlSize), true, "ctrl-queue");
            ctrlMemory = ndis.NdisMAllocateSharedMemory(handle, ControlQueue.bufferBytes(maxMulticast), true,
                    "ctrl-buffers");
            ctrl = new ControlQueue(new SplitRing(ctrlRingMemory.segment(), ctrlRingMemory.physicalAddress(), ctrlSize),
                    ctrlMemory, ctrlLock, health, device.negotiated(Features.NET_F_CTRL_RX), ctrlIndex);
            ctrl.attach(transport);
        }
        for (int k = 0; k < receiveQueues; k++) {
            int size = rxRings[k].size();
            rxBufferMemory[k] = ndis.NdisMAllocateSharedMemory(handle, (long) size * VirtioRxQueue.BUFFER_BYTES,
                    true, "rx-buffers-" + k);
        }
        headerMemory = ndis.NdisMAllocateSharedMemory(handle, VirtioTxQueue.headerBytes(txSize), true, "tx-headers");
        for (int k = 0; k < receiveQueues; k++) {
            rxQueues[k] = new VirtioRxQueue(rxRings[k], rxBufferMemory[k], health, device.features, k);
            rxNblPools[k] = ndis.NdisAllocateNetBufferListPool(handle,
                    NetBufferListPoolParameters.withoutData(rxRings[k].size(), "rx"));
            rxQueues[k].attachNbls(rxNblPools[k]);
        }
        rx = rxQueues[0];
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
     * before DRIVER_OK), holding every receive queue's lock (docs/ndis-contract.md §21.3).
     */
    void setUp(boolean vectors, NdisDataPath dataPath) {
        VirtioTransport transport = device.transport;
        int asked = vectors ? VECTOR_CONFIG : CommonCfg.NO_VECTOR;
        configVector = kept("config_msix_vector", asked, transport.setConfigVector(asked));
        for (int k = 0; k < rxQueues.length; k++) {
            rxQueues[k].notifyOffset = setUpQueue(2 * k, rxQueues[k].ring(), vectors ? rxVector(k) : CommonCfg.NO_VECTOR);
        }
        tx.notifyOffset = setUpQueue(TX_QUEUE, tx.ring(), vectors ? VECTOR_TX : CommonCfg.NO_VECTOR);
        for (int k = 0; k < idleTx.length; k++) {
            setUpQueue(2 * k + 3, idleTx[k], CommonCfg.NO_VECTOR);
        }
        if (ctrl != null) {
            ctrl.notifyOffset = setUpQueue(ctrlIndex, ctrl.ring(), vectors ? VECTOR_CTRL : CommonCfg.NO_VECTOR);
        }
        tx.writeHeaderDescriptors();
        dataPath.runUnderEveryRxLock(() -> {
            for (VirtioRxQueue q : rxQueues) {
                q.writeDescriptors();
            }
        });
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
        for (VirtioRxQueue q : rxQueues) {
            q.ring().reset();
        }
        tx.ring().reset();
        for (SplitRing r : idleTx) {
            r.reset();
        }
        if (ctrl != null) {
            ctrl.ring().reset();
        }
    }

    /** The ring set up at virtqueue {@code index}, or null when the driver set none up there. */
    SplitRing ringAt(int index) {
        if (index == ctrlIndex) {
            return ctrl == null ? null : ctrl.ring();
        }
        if (index % 2 == 0) {
            return index / 2 < rxQueues.length ? rxQueues[index / 2].ring() : null;
        }
        int k = index / 2;
        return k == 0 ? tx.ring() : k - 1 < idleTx.length ? idleTx[k - 1] : null;
    }

    /** The spec's name of virtqueue {@code index}: receiveqN, transmitqN or controlq (5.1.2). */
    String nameAt(int index) {
        return index == ctrlIndex ? "controlq" : (index % 2 == 0 ? "receiveq" : "transmitq") + (index / 2 + 1);
    }

    /** Every receive queue's buffers offered to the device (after DRIVER_OK). */
    void startReceive() {
        for (VirtioRxQueue q : rxQueues) {
            q.start();
        }
    }

    /** MSI-X registered but a vector read back NO_VECTOR: the device could not map it (4.1.5.1.2). */
    boolean vectorsRefused() {
        if (configVector == CommonCfg.NO_VECTOR || queueVectors[TX_QUEUE] == CommonCfg.NO_VECTOR
                || (ctrl != null && queueVectors[ctrlIndex] == CommonCfg.NO_VECTOR)) {
            return true;
        }
        for (int k = 0; k < rxQueues.length; k++) {
            if (queueVectors[2 * k] == CommonCfg.NO_VECTOR) {
                return true;
            }
        }
        return false;
    }

    String vectorsText() {
        StringBuilder rxs = new StringBuilder();
        for (int k = 0; k < rxQueues.length; k++) {
            rxs.append(k == 0 ? "" : " ").append(String.format("rx%s=0x%04X", rxQueues.length == 1 ? "" : k,
                    queueVectors[2 * k]));
        }
        return String.format("config_msix_vector=0x%04X queue_msix_vector %s tx=0x%04X ctrl=0x%04X"
                + " (0xFFFF = NO_VECTOR)", configVector, rxs, queueVectors[TX_QUEUE], queueVectors[ctrlIndex]);
    }

    /** NO_VECTOR everywhere: the device signals nothing and the driver polls. */
    void clearVectors() {
        VirtioTransport transport = device.transport;
        configVector = transport.setConfigVector(CommonCfg.NO_VECTOR);
        for (int q = 0; q < queueVectors.length; q++) {
            boolean used = q == ctrlIndex ? ctrl != null : q % 2 == 1 ? q == TX_QUEUE : q / 2 < rxQueues.length;
            if (used) {
                transport.selectQueue(q);
                queueVectors[q] = transport.setQueueVector(CommonCfg.NO_VECTOR);
            }
        }
    }

    /** Frees what {@link #allocate} got, in reverse order; safe after a partial allocation. */
    void release() {
        for (int k = rxNblPools.length - 1; k >= 0; k--) {
            if (rxNblPools[k] != null) {
                rxQueues[k].freeNbls(rxNblPools[k]);
                ndis.NdisFreeNetBufferListPool(rxNblPools[k]);
                rxNblPools[k] = null;
            }
        }
        headerMemory = free(headerMemory);
        for (int k = rxBufferMemory.length - 1; k >= 0; k--) {
            rxBufferMemory[k] = free(rxBufferMemory[k]);
        }
        ctrlMemory = free(ctrlMemory);
        ctrlRingMemory = free(ctrlRingMemory);
        idleTxMemory = free(idleTxMemory);
        txRingMemory = free(txRingMemory);
        for (int k = rxRingMemory.length - 1; k >= 0; k--) {
            rxRingMemory[k] = free(rxRingMemory[k]);
        }
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

package io.nicup.benchmarks;

import io.nicup.ndis.HostOptions;
import io.nicup.ndis.NdisHost;
import io.nicup.ndis.NdisStatus;
import io.nicup.ndis.adapter.AdapterState;
import io.nicup.ndis.adapter.HaltAction;
import io.nicup.ndis.adapter.MiniportAdapter;
import io.nicup.ndis.config.ParameterStore;
import io.nicup.ndis.config.RegistryPath;
import io.nicup.ndis.miniport.core.NdisDataPath;
import io.nicup.ndis.miniport.core.NicDriver;
import io.nicup.ndis.miniport.i82576.Miniport82576;
import io.nicup.ndis.oid.NdisPacketFilter;
import io.nicup.ndis.protocol.FrameEdge;
import io.nicup.ndis.trace.VerifierMode;
import java.time.Duration;
import java.util.List;

/**
 * Forward per receive queue through the product: the 82576 miniport ({@code Miniport82576}, the core
 * {@code NdisDataPath} with one lock per receive queue, docs/ndis-contract.md §21.3) brought up on
 * {@link ProductDevice} as {@link ProductPath} does, with {@code *NumRssQueues} = {@code queues}, and one
 * {@link BenchDevice} per receive ring after the hand-over. {@link #forward} is one queue's DPC at work, for
 * the thread that owns queue {@code q}: the device fills {@code batch} descriptors of ring q, queue q's
 * receive DPC ({@code NdisDataPath.serviceRx(q)}, what the miniport's DPC runs for queue q's MSI-X message)
 * indicates them, {@link QueueProtocol} sends each frame on its own buffer inside the indication, and then
 * the device transmits and the transmit DPC ({@code serviceTx}) completes the sends, which returns the
 * received NBLs to queue q.
 *
 * <p>What is not the product's: the host's interrupt dispatch (ISR, EICR) is left out, as {@code NdisHost}
 * polls an adapter's vectors on one thread; the DPC bodies are called directly. The adapter has one transmit
 * queue and the device one transmit engine, so the transmit step (device, then the transmit DPC) runs one
 * queue at a time, as one MSI-X message's DPC runs on one processor at a time: that share does not scale.
 */
final class QueuePath {

    static final int RING_SIZE = ProductPath.RING_SIZE;

    final int queues;
    final int batch;
    private final ProductDevice device;
    private final NdisHost host;
    private final MiniportAdapter adapter;
    private final NdisDataPath dataPath;
    private final BenchDevice[] rings;
    /** The one transmit engine and the transmit DPC: one queue's thread at a time. */
    private final Object transmitSide = new Object();
    /** Per queue, batches that moved fewer packets than asked (each written by its queue's thread). */
    final long[] shortBatches;

    QueuePath(int queues, int batch) {
        this.queues = queues;
        this.batch = batch;
        this.device = new ProductDevice(ProductNic.I82576.spec);
        this.host = new NdisHost(HostOptions.deterministic(device.clock()).withVerifierMode(VerifierMode.RECORD));
        QueueProtocol protocol = new QueueProtocol(host, queues);
        Miniport82576 driver = new Miniport82576();
        NicDriver nicDriver = driver;
        var loaded = nicDriver.load(host, RegistryPath.of("nicup:/drivers/" + nicDriver.name(), ParameterStore.parse(
                "bench-parameters", "*ReceiveBuffers = " + RING_SIZE + "\n*TransmitBuffers = " + RING_SIZE
                        + "\nInterruptMode = 1\n*NumRssQueues = " + queues + "\n")));
        this.adapter = host.addAdapter(loaded, device, protocol);
        if (adapter.initStatus() != NdisStatus.SUCCESS) {
            throw new IllegalStateException("MiniportInitializeEx failed on the benchmark device: queues=" + queues
                    + ", status=" + NdisStatus.name(adapter.initStatus()) + ", violations=" + violations());
        }
        FrameEdge.setPacketFilter(host, adapter, NdisPacketFilter.DIRECTED | NdisPacketFilter.BROADCAST);
        if (host.restart(adapter) != NdisStatus.SUCCESS || adapter.state() != AdapterState.RUNNING
                || !nicDriver.awaitLink(host, adapter, Duration.ofSeconds(10))) {
            throw new IllegalStateException("benchmark adapter did not come up: queues=" + queues + ", state="
                    + adapter.state() + ", violations=" + violations());
        }
        this.dataPath = driver.adapter(adapter).dataPath();
        if (dataPath.receiveQueues() != queues) {
            throw new IllegalStateException("the adapter runs another number of receive queues: asked=" + queues
                    + ", running=" + dataPath.receiveQueues());
        }
        this.rings = device.handOverQueues(queues);
        protocol.setUp(adapter, RING_SIZE);
        this.shortBatches = new long[queues];
    }

    /** Verifier violations so far (must stay empty). */
    List<?> violations() {
        return host.verifier().violations();
    }

    /** Forwards {@code packets} packets received on queue {@code q}; returns how many went out. */
    int forward(int q, int packets) {
        int s = 0;
        for (int p = 0; p < packets; p += batch) {
            s += forwardBatch(q);
        }
        return s;
    }

    private int forwardBatch(int q) {
        int n = rings[q].receive(batch);
        dataPath.serviceRx(q);
        synchronized (transmitSide) {
            rings[0].transmit();
            dataPath.serviceTx();
        }
        if (n != batch) {
            shortBatches[q]++;
        }
        return n;
    }

    void close() {
        try {
            host.pause(adapter);
            host.halt(adapter, HaltAction.NdisHaltDeviceDisabled);
            host.close();
        } finally {
            device.close();
        }
    }
}

package io.nicup.benchmarks;

import io.nicup.ndis.HostOptions;
import io.nicup.ndis.NdisHost;
import io.nicup.ndis.NdisStatus;
import io.nicup.ndis.adapter.AdapterState;
import io.nicup.ndis.adapter.HaltAction;
import io.nicup.ndis.adapter.MiniportAdapter;
import io.nicup.ndis.config.ParameterStore;
import io.nicup.ndis.config.RegistryPath;
import io.nicup.ndis.miniport.core.NicDriver;
import io.nicup.ndis.miniport.intel.IntelAdapter;
import io.nicup.ndis.oid.NdisPacketFilter;
import io.nicup.ndis.protocol.FrameEdge;
import io.nicup.ndis.trace.VerifierMode;
import java.time.Duration;
import java.util.List;

/**
 * The three loops through the product: {@link NdisHost} with the real miniport of {@code nic} (the
 * catalog's {@code Miniport82574} or {@code Miniport82576}: {@code IntelMiniport}, {@code IntelAdapter},
 * the core {@code NdisDataPath}, the chip's descriptor rings), brought up by the documented sequence on
 * {@link ProductDevice} (DriverEntry, MiniportInitializeEx, the packet filter OID, MiniportRestartEx,
 * link up), with MSI-X and {@code HostOptions.InterruptDelivery.POLLED}: after the device finishes a batch it
 * raises the queue's vector and the host runs the miniport's ISR and DPC, as on hardware. The verifier
 * records (RECORD); the miniport's own fast-path checks ({@code FastPathChecks}) follow the trial's
 * {@code checks} parameter. The protocol edge is {@link BenchProtocol}, the same one {@link NdisPath}
 * drives, so the two NDIS columns differ only in the miniport underneath.
 * <ul>
 *   <li>transmit: {@code NdisHost.send} of a chain of {@code batch} NBLs (one TDT write), the device,
 *       the TX vector: the DPC completes them (NdisMSendNetBufferListsComplete);</li>
 *   <li>receive: the device fills {@code batch} descriptors, the RX vector: the DPC indicates them, the
 *       protocol returns them at once and the miniport reposts the buffers (one RDT write);</li>
 *   <li>forward: receive, with the protocol sending every frame on its own buffer inside the
 *       indication; then the device transmits and the TX vector completes the sends, which returns the
 *       received NBLs.</li>
 * </ul>
 */
final class ProductPath {

    /** The rings the product is asked for: Shape's ring size, ixy's default. */
    static final int RING_SIZE = 512;

    final ProductNic nic;
    final int batch;
    final ProductDevice device;
    final NdisHost host;
    final MiniportAdapter adapter;
    final BenchProtocol protocol;
    final BenchDevice bench;
    /** Batches that moved fewer packets than asked: must stay 0 (checked at tear-down). */
    long shortBatches;

    ProductPath(ProductNic nic, int batch) {
        this.nic = nic;
        this.batch = batch;
        this.device = new ProductDevice(nic.spec);
        this.host = new NdisHost(HostOptions.deterministic(device.clock()).withVerifierMode(VerifierMode.RECORD));
        this.protocol = new BenchProtocol(host, RING_SIZE);
        NicDriver driver = nic.driver.get();
        var loaded = driver.load(host, RegistryPath.of("nicup:/drivers/" + driver.name(), ParameterStore.parse(
                "bench-parameters", "*ReceiveBuffers = " + RING_SIZE + "\n*TransmitBuffers = " + RING_SIZE
                        + "\nInterruptMode = " + 1 + "\n")));
        this.adapter = host.addAdapter(loaded, device, protocol);
        expect("MiniportInitializeEx", adapter.initStatus());
        FrameEdge.setPacketFilter(host, adapter, NdisPacketFilter.DIRECTED | NdisPacketFilter.BROADCAST);
        expect("MiniportRestartEx", host.restart(adapter));
        if (adapter.state() != AdapterState.RUNNING || !driver.awaitLink(host, adapter, Duration.ofSeconds(10))) {
            throw new IllegalStateException("benchmark adapter did not come up: nic=" + nic + ", state="
                    + adapter.state() + ", violations=" + violations());
        }
        this.bench = device.handOver(nic);
        protocol.setUp(adapter, batch);
    }

    private void expect(String step, int status) {
        if (status != NdisStatus.SUCCESS) {
            throw new IllegalStateException(step + " failed on the benchmark device: nic=" + nic + ", status="
                    + NdisStatus.name(status) + ", violations=" + violations());
        }
    }

    /** Verifier violations so far (must stay empty). */
    List<?> violations() {
        return host.verifier().violations();
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

    int transmitBatch() {
        int sent = protocol.sendBatch();
        bench.transmit();
        device.raise(IntelAdapter.VECTOR_TX);
        host.pollInterrupts(adapter);
        int completed = protocol.takeCompletedSends();
        if (sent != batch || completed != batch) {
            shortBatches++;
        }
        return completed;
    }

    int receiveBatch() {
        int n = bench.receive(batch);
        device.raise(IntelAdapter.VECTOR_RX);
        host.pollInterrupts(adapter);
        int bytes = protocol.takeBytes();
        if (n != batch || bytes != batch * BenchDevice.FRAME_LENGTH) {
            shortBatches++;
        }
        return bytes;
    }

    int forwardBatch() {
        int n = bench.receive(batch);
        protocol.forwarding = true;
        device.raise(IntelAdapter.VECTOR_RX);
        host.pollInterrupts(adapter);
        protocol.forwarding = false;
        int sent = bench.transmit();
        device.raise(IntelAdapter.VECTOR_TX);
        host.pollInterrupts(adapter);
        if (n != batch || sent != batch) {
            shortBatches++;
        }
        return sent;
    }

    int transmit(int packets) {
        int s = 0;
        for (int p = 0; p < packets; p += batch) {
            s += transmitBatch();
        }
        return s;
    }

    int receive(int packets) {
        int s = 0;
        for (int p = 0; p < packets; p += batch) {
            s += receiveBatch();
        }
        return s;
    }

    int forward(int packets) {
        int s = 0;
        for (int p = 0; p < packets; p += batch) {
            s += forwardBatch();
        }
        return s;
    }
}

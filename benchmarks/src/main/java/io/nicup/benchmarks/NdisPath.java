package io.nicup.benchmarks;

import io.nicup.ndis.HostOptions;
import io.nicup.ndis.NdisHost;
import io.nicup.ndis.NdisStatus;
import io.nicup.ndis.adapter.AdapterState;
import io.nicup.ndis.adapter.HaltAction;
import io.nicup.ndis.adapter.MiniportAdapter;
import io.nicup.ndis.config.ParameterStore;
import io.nicup.ndis.config.RegistryPath;
import io.nicup.ndis.miniport.i82574.ExtRxRing;
import io.nicup.ndis.miniport.i82574.TxRing;
import io.nicup.ndis.trace.VerifierMode;
import io.nicup.vfio.DeviceClock;
import java.time.Duration;
import java.util.List;

/**
 * The same three loops through the NDIS model: a minimal NDIS 6 miniport ({@link BenchMiniport}) on the
 * same {@link TxRing}/{@link ExtRxRing} and memory as {@link FfmPath}, loaded into an {@link NdisHost}
 * (verifier RECORD, polled interrupts, no threads) and driven by a protocol edge ({@link BenchProtocol}):
 * <ul>
 *   <li>transmit: the protocol sends a chain of {@code batch} NBLs from its send pool (data already in
 *       their DMA buffers) with {@link NdisHost#send}; MiniportSendNetBufferLists fills descriptors (one
 *       TDT write); after the device, the miniport's send-complete routine cleans the ring and calls
 *       NdisMSendNetBufferListsComplete; the protocol keeps the NBLs to send again;</li>
 *   <li>receive: the miniport polls the ring, points one preallocated receive NBL per buffer at its frame
 *       and calls NdisMIndicateReceiveNetBufferLists once per batch; the protocol looks at each frame and
 *       returns the chain at once (NdisReturnNetBufferLists); MiniportReturnNetBufferLists refills the
 *       ring (one RDT write);</li>
 *   <li>forward: the protocol, inside the indication, allocates a send NBL per frame from a pool without
 *       data, attached to the received buffer (NdisAllocateNetBufferAndNetBufferList: no copy), keeps the
 *       received NBL in ProtocolReserved and sends the chain; on send completion it frees the send NBLs
 *       and returns the received ones, which refills the RX ring.</li>
 * </ul>
 * The model's bookkeeping (ownership states, counters, verifier checks) is the overhead made visible.
 * The miniport's per-adapter work is {@link BenchAdapter}; the host sees the fixture as {@link BenchPciDevice}.
 */
final class NdisPath {

    final Fixture fixture;
    final int batch;
    final NdisHost host;
    final BenchMiniport miniport;
    final BenchProtocol protocol;
    final MiniportAdapter adapter;
    /** Batches that moved fewer packets than asked: must stay 0 (checked at tear-down). */
    long shortBatches;

    NdisPath(Fixture fixture, int batch) {
        this.fixture = fixture;
        this.batch = batch;
        this.host = new NdisHost(new HostOptions(DeviceClock.SYSTEM, VerifierMode.RECORD,
                HostOptions.InterruptDelivery.POLLED, false, 10_000, Duration.ofSeconds(5)));
        this.miniport = new BenchMiniport(fixture);
        this.protocol = new BenchProtocol(host, fixture.ringSize);
        var driver = host.loadDriver("benchnic", miniport::driverEntry,
                RegistryPath.of("nicup:/drivers/benchnic", ParameterStore.parse("bench-parameters", "")));
        this.adapter = host.addAdapter(driver, new BenchPciDevice(fixture), protocol);
        int status = host.restart(adapter);
        if (status != NdisStatus.SUCCESS || adapter.state() != AdapterState.RUNNING) {
            throw new IllegalStateException("benchmark adapter did not start: status=" + NdisStatus.name(status)
                    + ", state=" + adapter.state() + ", violations=" + host.verifier().violations());
        }
        protocol.setUp(adapter, batch);
    }

    /** Verifier violations so far (must stay empty). */
    List<?> violations() {
        return host.verifier().violations();
    }

    void close() {
        host.pause(adapter);
        host.halt(adapter, HaltAction.NdisHaltDeviceDisabled);
        host.close();
    }

    int transmitBatch() {
        int sent = protocol.sendBatch();
        fixture.device.transmit();
        int completed = miniport.adapter.completeSends();
        if (sent != batch || completed != batch) {
            shortBatches++;
        }
        return completed;
    }

    int receiveBatch() {
        fixture.device.receive(batch);
        int n = miniport.adapter.receive(batch);
        if (n != batch) {
            shortBatches++;
        }
        return protocol.takeBytes();
    }

    int forwardBatch() {
        fixture.device.receive(batch);
        protocol.forwarding = true;
        int n = miniport.adapter.receive(batch);
        protocol.forwarding = false;
        fixture.device.transmit();
        int completed = miniport.adapter.completeSends();
        if (n != batch || completed != batch) {
            shortBatches++;
        }
        return completed;
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

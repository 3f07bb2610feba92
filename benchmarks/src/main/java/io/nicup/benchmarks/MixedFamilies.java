package io.nicup.benchmarks;

import io.nicup.mock.MockDevices;
import io.nicup.mock.MockPciDevice;
import io.nicup.ndis.HostOptions;
import io.nicup.ndis.NdisHost;
import io.nicup.ndis.NdisStatus;
import io.nicup.ndis.adapter.HaltAction;
import io.nicup.ndis.adapter.MiniportAdapter;
import io.nicup.ndis.config.RegistryPath;
import io.nicup.ndis.datapath.NetBufferListPool;
import io.nicup.ndis.miniport.Miniports;
import io.nicup.ndis.miniport.core.NicDriver;
import io.nicup.ndis.oid.NdisPacketFilter;
import io.nicup.ndis.protocol.FrameEdge;
import io.nicup.ndis.trace.VerifierMode;
import java.time.Duration;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;

/**
 * What a JVM that serves every family has been through before the measured adapter runs: the other
 * Intel family brought up on its own {@link ProductPath} and forwarding {@value #WARM_PACKETS} packets,
 * and a virtio-net adapter brought up on the simulated device and moving {@value #VIRTIO_ROUNDS} rounds
 * of 32 frames each way. The shared code (NdisHost, the core data path, the Intel family code, the
 * queue interfaces) has then seen three families' classes, as in a product that loads them all, so its
 * call sites are compiled polymorphic; the measured adapter shows what that costs. The virtio adapter
 * stays on the simulated device (its traffic is done before the measurement starts); the other Intel
 * adapter stays up and idle.
 */
final class MixedFamilies implements AutoCloseable {

    static final int WARM_PACKETS = 1 << 17;
    static final int VIRTIO_ROUNDS = 400;

    private final ProductPath otherIntel;
    private final MockPciDevice virtioDevice;
    private final NdisHost virtioHost;
    private final MiniportAdapter virtio;

    MixedFamilies(ProductNic measured, int batch) {
        ProductNic other = measured == ProductNic.I82574L ? ProductNic.I82576 : ProductNic.I82574L;
        otherIntel = new ProductPath(other, batch);
        otherIntel.forward(WARM_PACKETS);
        otherIntel.transmit(WARM_PACKETS);
        otherIntel.receive(WARM_PACKETS);
        if (otherIntel.shortBatches != 0 || !otherIntel.violations().isEmpty()) {
            throw new IllegalStateException("the other Intel family did not run cleanly: nic=" + other
                    + ", shortBatches=" + otherIntel.shortBatches + ", violations=" + otherIntel.violations());
        }
        virtioDevice = MockDevices.open("mock:virtio-net");
        virtioHost = new NdisHost(HostOptions.deterministic(virtioDevice.clock())
                .withVerifierMode(VerifierMode.RECORD));
        NicDriver driver = Miniports.CATALOG.find(virtioDevice.identity()).orElseThrow().newDriver();
        FrameEdge edge = new FrameEdge().keepFrames(false);
        virtio = virtioHost.addAdapter(driver.load(virtioHost, RegistryPath.empty(driver.name())), virtioDevice, edge);
        FrameEdge.setPacketFilter(virtioHost, virtio, NdisPacketFilter.DIRECTED | NdisPacketFilter.BROADCAST);
        if (virtio.initStatus() != NdisStatus.SUCCESS || virtioHost.restart(virtio) != NdisStatus.SUCCESS
                || !driver.awaitLink(virtioHost, virtio, Duration.ofSeconds(10))) {
            throw new IllegalStateException("virtio-net did not come up: state=" + virtio.state());
        }
        runVirtio(edge);
    }

    private void runVirtio(FrameEdge edge) {
        NetBufferListPool pool = virtioHost.allocateSendPool(virtio, 32, 2048);
        byte[] frame = new byte[BenchDevice.FRAME_LENGTH];
        Arrays.fill(frame, 0, 6, (byte) 0xFF);               // broadcast: the filter passes it
        List<byte[]> frames = Collections.nCopies(32, frame);
        for (int round = 0; round < VIRTIO_ROUNDS; round++) {
            for (int i = 0; i < 32; i++) {
                virtioDevice.wire().inject(frame);
            }
            FrameEdge.send(virtioHost, virtio, pool, frames);
            virtioHost.idle(Duration.ofMillis(1));
            virtioDevice.wire().clearCaptured();
        }
        if (edge.receivedCount() == 0 || edge.completedOk() == 0) {
            throw new IllegalStateException("virtio-net moved no traffic: received=" + edge.receivedCount()
                    + ", completed=" + edge.completedOk());
        }
    }

    @Override
    public void close() {
        try {
            virtioHost.pause(virtio);
            virtioHost.halt(virtio, HaltAction.NdisHaltDeviceDisabled);
            virtioHost.close();
            virtioDevice.close();
        } finally {
            otherIntel.close();
        }
    }
}

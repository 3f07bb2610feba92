package io.nicup.ndis.miniport.virtio;

import io.nicup.mock.MockDevices;
import io.nicup.mock.MockPciDevice;
import io.nicup.mock.Wire;
import io.nicup.mock.virtio.VirtioNetModel;
import io.nicup.ndis.AdapterState;
import io.nicup.ndis.HaltAction;
import io.nicup.ndis.LoadedDriver;
import io.nicup.ndis.MacAddress;
import io.nicup.ndis.MiniportAdapter;
import io.nicup.ndis.NdisHost;
import io.nicup.ndis.NdisPacketFilter;
import io.nicup.ndis.NdisStatisticsInfo;
import io.nicup.ndis.NdisStatus;
import io.nicup.ndis.NetBufferListPool;
import io.nicup.ndis.Oid;
import io.nicup.ndis.OidResult;
import io.nicup.ndis.ParameterStore;
import io.nicup.ndis.RegistryPath;
import io.nicup.ndis.miniport.FrameEdge;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The virtio-net miniport on {@code mock:virtio-net} under a deterministic {@link NdisHost} (the mock's
 * virtual clock, STRICT verifier, polled interrupts): load, add, restart, traffic helpers.
 */
final class VirtioBench implements AutoCloseable {

    static final MacAddress MAC = MacAddress.of(VirtioNetModel.DEFAULT_MAC);
    static final MacAddress PEER = MacAddress.parse("02:00:00:00:00:02");
    static final MacAddress BROADCAST = MacAddress.parse("ff:ff:ff:ff:ff:ff");
    static final int DEFAULT_FILTER = NdisPacketFilter.DIRECTED | NdisPacketFilter.BROADCAST | NdisPacketFilter.MULTICAST;

    final MockPciDevice device;
    final Wire wire;
    final NdisHost host;
    final MiniportVirtioNet driver = new MiniportVirtioNet();
    final FrameEdge edge = new FrameEdge();
    final LoadedDriver loaded;
    MiniportAdapter adapter;
    private NetBufferListPool sendPool;

    VirtioBench(String spec, String parameters) {
        device = MockDevices.open(spec);
        wire = device.wire();
        host = new NdisHost(NdisHost.Options.deterministic(device.clock()));
        loaded = host.loadDriver(MiniportVirtioNet.NAME, driver::driverEntry,
                RegistryPath.of("nicup:/drivers/virtionet", ParameterStore.parse("test-parameters", parameters)));
    }

    VirtioBench(String spec) {
        this(spec, "");
    }

    VirtioBench() {
        this("mock:virtio-net");
    }

    VirtioNetModel model() {
        return device.model(VirtioNetModel.class);
    }

    MiniportAdapter add() {
        adapter = host.addAdapter(loaded, device, edge);
        return adapter;
    }

    MiniportAdapter running(int filter) {
        add();
        if (adapter.initStatus() != NdisStatus.SUCCESS) {
            throw new AssertionError("InitializeEx failed: " + NdisStatus.name(adapter.initStatus()) + " "
                    + driver.lastInitFailure());
        }
        FrameEdge.setPacketFilter(host, adapter, filter);
        if (host.restart(adapter) != NdisStatus.SUCCESS || adapter.state() != AdapterState.RUNNING) {
            throw new AssertionError("restart failed: " + adapter.state());
        }
        if (!driver.awaitLink(host, adapter, Duration.ofSeconds(2))) {
            throw new AssertionError("link did not come up");
        }
        return adapter;
    }

    MiniportAdapter running() {
        return running(DEFAULT_FILTER);
    }

    VirtioNetAdapter nic() {
        return driver.adapter(adapter);
    }

    VirtioNetDiagnostics diagnostics() {
        return driver.diagnostics(host, adapter);
    }

    NetBufferListPool sendPool() {
        if (sendPool == null) {
            sendPool = host.allocateSendPool(adapter, 512, 2048);
        }
        return sendPool;
    }

    /** Sends frames as one chain and lets interrupts run until every send of the test has completed. */
    void send(List<byte[]> frames) {
        long before = edge.completedOk() + edge.completedFailed();
        int n = FrameEdge.send(host, adapter, sendPool(), frames);
        if (n != frames.size()) {
            throw new AssertionError("send pool exhausted: " + n + " of " + frames.size());
        }
        for (int i = 0; i < 1000 && edge.completedOk() + edge.completedFailed() < before + n; i++) {
            pump();
        }
    }

    void pump() {
        host.idle(Duration.ofMillis(1));
    }

    void inject(byte[] frame) {
        wire.inject(frame);
    }

    void halt() {
        host.halt(adapter, HaltAction.NdisHaltDeviceDisabled);
    }

    NdisStatisticsInfo statistics() {
        OidResult r = host.query(adapter, Oid.GEN_STATISTICS, NdisStatisticsInfo.SIZEOF_REVISION_1).join();
        if (r.status() != NdisStatus.SUCCESS) {
            throw new AssertionError("OID_GEN_STATISTICS: " + NdisStatus.name(r.status()));
        }
        return NdisStatisticsInfo.read(r.request().informationBuffer(), 0);
    }

    /** A frame from {@code src} to {@code dst} whose payload encodes {@code seq}. */
    static byte[] frame(MacAddress dst, MacAddress src, int length, int seq) {
        byte[] f = new byte[length];
        System.arraycopy(dst.bytes(), 0, f, 0, 6);
        System.arraycopy(src.bytes(), 0, f, 6, 6);
        f[12] = (byte) 0x88;
        f[13] = (byte) 0xB5;
        for (int i = 14; i < length; i++) {
            f[i] = (byte) (seq * 31 + i);
        }
        if (length >= 18) {
            f[14] = (byte) (seq >>> 24);
            f[15] = (byte) (seq >>> 16);
            f[16] = (byte) (seq >>> 8);
            f[17] = (byte) seq;
        }
        return f;
    }

    static List<byte[]> frames(MacAddress dst, MacAddress src, int count, int length, int firstSeq) {
        List<byte[]> out = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            out.add(frame(dst, src, length, firstSeq + i));
        }
        return out;
    }

    static int seq(byte[] f) {
        return (f[14] & 0xFF) << 24 | (f[15] & 0xFF) << 16 | (f[16] & 0xFF) << 8 | f[17] & 0xFF;
    }

    static List<Integer> seqs(List<byte[]> frames) {
        return frames.stream().map(VirtioBench::seq).toList();
    }

    @Override
    public void close() {
        try {
            host.close();
        } finally {
            device.close();
        }
    }
}

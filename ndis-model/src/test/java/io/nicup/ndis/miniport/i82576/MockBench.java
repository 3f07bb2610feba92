package io.nicup.ndis.miniport.i82576;

import io.nicup.ndis.miniport.FrameEdge;
import io.nicup.ndis.miniport.MiniportCatalog;
import io.nicup.ndis.miniport.Miniports;
import io.nicup.ndis.miniport.RegisterReading;
import io.nicup.ndis.miniport.SelfTestResult;
import io.nicup.mock.MockDevices;
import io.nicup.mock.MockPciDevice;
import io.nicup.mock.Wire;
import io.nicup.ndis.AdapterState;
import io.nicup.ndis.HaltAction;
import io.nicup.ndis.LoadedDriver;
import io.nicup.ndis.MacAddress;
import io.nicup.ndis.MiniportAdapter;
import io.nicup.ndis.NdisHost;
import io.nicup.ndis.NdisPacketFilter;
import io.nicup.ndis.NdisStatus;
import io.nicup.ndis.NetBufferListPool;
import io.nicup.ndis.ParameterStore;
import io.nicup.ndis.RegistryPath;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The 82576 miniport on the behavioural mock ({@code mock:82576}) under a deterministic {@link NdisHost}
 * (the mock's virtual clock, STRICT verifier, polled interrupts): load, add, restart, traffic helpers.
 */
final class MockBench implements AutoCloseable {

    static final MacAddress MAC = MacAddress.parse("52:54:00:12:34:56");
    static final int DEFAULT_FILTER = NdisPacketFilter.DIRECTED | NdisPacketFilter.BROADCAST | NdisPacketFilter.MULTICAST;

    final MockPciDevice device;
    final Wire wire;
    final NdisHost host;
    final Miniport82576 driver = new Miniport82576();
    final FrameEdge edge = new FrameEdge();
    LoadedDriver loaded;
    MiniportAdapter adapter;
    private NetBufferListPool sendPool;

    MockBench(String spec, String parameters) {
        device = MockDevices.open(spec);
        wire = device.wire();
        host = new NdisHost(NdisHost.Options.deterministic(device.clock()));
        loaded = host.loadDriver(Miniport82576.NAME, driver::driverEntry,
                RegistryPath.of("nicup:/drivers/e82576", ParameterStore.parse("test-parameters", parameters)));
    }

    MockBench() {
        this("mock:82576", "");
    }

    /** MiniportInitializeEx; returns the adapter whatever the outcome. */
    MiniportAdapter add() {
        adapter = host.addAdapter(loaded, device, edge);
        return adapter;
    }

    /** Initialized, filter set, restarted, link up. */
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
        if (!Miniport82576.awaitLinkUp(host, adapter, Duration.ofSeconds(2))) {
            throw new AssertionError("link did not come up");
        }
        return adapter;
    }

    MiniportAdapter running() {
        return running(DEFAULT_FILTER);
    }

    E82576Adapter nic() {
        return driver.adapter(adapter);
    }

    NetBufferListPool sendPool() {
        if (sendPool == null) {
            sendPool = host.allocateSendPool(adapter, 512, 16384);
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

    /** Runs polled interrupts and timers for 1 ms of virtual time. */
    void pump() {
        host.idle(Duration.ofMillis(1));
    }

    void inject(byte[] frame) {
        wire.inject(frame);
    }

    int readRegister(int offset) {
        return device.bar(0).read32(offset);
    }

    void halt() {
        host.halt(adapter, HaltAction.NdisHaltDeviceDisabled);
    }

    /** A frame from {@code src} to {@code dst} with a payload that encodes {@code seq}. */
    static byte[] frame(MacAddress dst, MacAddress src, int length, int seq) {
        byte[] f = new byte[length];
        System.arraycopy(dst.bytes(), 0, f, 0, 6);
        System.arraycopy(src.bytes(), 0, f, 6, 6);
        f[12] = (byte) 0x88;
        f[13] = (byte) 0xB5;                                   // local experimental ethertype
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

    static final MacAddress PEER = MacAddress.parse("02:00:00:00:00:02");
    static final MacAddress BROADCAST = MacAddress.parse("ff:ff:ff:ff:ff:ff");

    @Override
    public void close() {
        try {
            host.close();
        } finally {
            device.close();
        }
    }
}

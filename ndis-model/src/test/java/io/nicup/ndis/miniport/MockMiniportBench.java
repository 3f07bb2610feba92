package io.nicup.ndis.miniport;

import io.nicup.mock.MockDevices;
import io.nicup.mock.MockPciDevice;
import io.nicup.mock.Wire;
import io.nicup.ndis.HostOptions;
import io.nicup.ndis.MacAddress;
import io.nicup.ndis.NdisHost;
import io.nicup.ndis.NdisStatus;
import io.nicup.ndis.adapter.AdapterState;
import io.nicup.ndis.adapter.HaltAction;
import io.nicup.ndis.adapter.MiniportAdapter;
import io.nicup.ndis.config.ParameterStore;
import io.nicup.ndis.config.RegistryPath;
import io.nicup.ndis.conformance.Frames;
import io.nicup.ndis.datapath.NetBufferListPool;
import io.nicup.ndis.driver.LoadedDriver;
import io.nicup.ndis.miniport.core.InitFailure;
import io.nicup.ndis.miniport.core.NicDriver;
import io.nicup.ndis.oid.NdisPacketFilter;
import io.nicup.ndis.protocol.FrameEdge;
import io.nicup.vfio.DeviceClock;
import java.time.Duration;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * A miniport on a behavioural mock ({@code mock:MODEL}) under a deterministic {@link NdisHost} (the mock's
 * virtual clock, STRICT verifier, polled interrupts): load, add, restart, traffic helpers. Each driver's
 * bench adds what is its own (its adapter type, its default spec and MAC).
 *
 * @param <D> the miniport driver
 */
public abstract class MockMiniportBench<D extends NicDriver> implements AutoCloseable {

    public static final int DEFAULT_FILTER =
            NdisPacketFilter.DIRECTED | NdisPacketFilter.BROADCAST | NdisPacketFilter.MULTICAST;
    public static final MacAddress PEER = MacAddress.parse("02:00:00:00:00:02");
    public static final MacAddress BROADCAST = MacAddress.parse("ff:ff:ff:ff:ff:ff");

    public final MockPciDevice device;
    public final Wire wire;
    public final NdisHost host;
    public final D driver;
    public final FrameEdge edge = new FrameEdge();
    public final LoadedDriver loaded;
    public MiniportAdapter adapter;
    private final int sendBufferSize;
    private NetBufferListPool sendPool;

    /**
     * Opens {@code spec} and loads {@code driver} with {@code parameters} under {@code nicup:/drivers/NAME}.
     *
     * @param sendBufferSize the buffer size of the send pool, large enough for the biggest frame a test sends
     */
    protected MockMiniportBench(String spec, String parameters, D driver, int sendBufferSize) {
        this(spec, parameters, driver, sendBufferSize, UnaryOperator.identity());
    }

    /**
     * As {@link #MockMiniportBench(String, String, NicDriver, int)}, with NDIS reading the device's clock
     * through {@code hostClock} (a test that stops a thread at NDIS's first clock read in a call).
     */
    protected MockMiniportBench(String spec, String parameters, D driver, int sendBufferSize,
            UnaryOperator<DeviceClock> hostClock) {
        this.driver = driver;
        this.sendBufferSize = sendBufferSize;
        device = MockDevices.open(spec);
        wire = device.wire();
        host = new NdisHost(HostOptions.deterministic(hostClock.apply(device.clock())));
        loaded = host.loadDriver(driver.name(), driver::driverEntry,
                RegistryPath.of("nicup:/drivers/" + driver.name(), ParameterStore.parse("test-parameters", parameters)));
    }

    /** MiniportInitializeEx; returns the adapter whatever the outcome. */
    public MiniportAdapter add() {
        adapter = host.addAdapter(loaded, device, edge);
        return adapter;
    }

    /** Why the adapter's MiniportInitializeEx failed, as the driver recorded it, or null. */
    public String initFailure() {
        return driver.initFailure(adapter).map(InitFailure::detail).orElse(null);
    }

    /** Initialized, filter set, restarted, link up. */
    public MiniportAdapter running(int filter) {
        add();
        if (adapter.initStatus() != NdisStatus.SUCCESS) {
            throw new AssertionError("InitializeEx failed: " + NdisStatus.name(adapter.initStatus()) + " "
                    + initFailure());
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

    public MiniportAdapter running() {
        return running(DEFAULT_FILTER);
    }

    public NetBufferListPool sendPool() {
        if (sendPool == null) {
            sendPool = host.allocateSendPool(adapter, 512, sendBufferSize);
        }
        return sendPool;
    }

    /** Sends frames as one chain and lets interrupts run until every send of the test has completed. */
    public void send(List<byte[]> frames) {
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
    public void pump() {
        host.idle(Duration.ofMillis(1));
    }

    public void inject(byte[] frame) {
        wire.inject(frame);
    }

    /** Forgets what was received, injects {@code frames} and pumps until every one was indicated. */
    public void injectAndIndicate(List<byte[]> frames) {
        edge.clearReceived();
        for (byte[] f : frames) {
            inject(f);
        }
        for (int i = 0; i < 100 && edge.received().size() < frames.size(); i++) {
            pump();
        }
        if (edge.received().size() != frames.size()) {
            throw new AssertionError("every frame indicated: " + edge.received().size() + " of " + frames.size());
        }
    }

    public void halt() {
        host.halt(adapter, HaltAction.NdisHaltDeviceDisabled);
    }

    /** A frame from {@code src} to {@code dst} with a payload that encodes {@code seq}. */
    public static byte[] frame(MacAddress dst, MacAddress src, int length, int seq) {
        return Frames.frame(dst, src, length, seq);
    }

    public static List<byte[]> frames(MacAddress dst, MacAddress src, int count, int length, int firstSeq) {
        return Frames.frames(dst, src, count, length, firstSeq);
    }

    /** The sequence number {@link #frame} put into {@code f}. */
    public static int seq(byte[] f) {
        return (f[14] & 0xFF) << 24 | (f[15] & 0xFF) << 16 | (f[16] & 0xFF) << 8 | f[17] & 0xFF;
    }

    public static List<Integer> seqs(List<byte[]> frames) {
        return frames.stream().map(MockMiniportBench::seq).toList();
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

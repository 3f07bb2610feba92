package io.nicup.ndis;

import io.nicup.ndis.adapter.HaltAction;
import io.nicup.ndis.adapter.MiniportAdapter;
import io.nicup.ndis.config.ParameterStore;
import io.nicup.ndis.config.RegistryPath;
import io.nicup.ndis.datapath.NetBufferList;
import io.nicup.ndis.datapath.NetBufferListPool;
import io.nicup.ndis.driver.LoadedDriver;
import io.nicup.ndis.trace.Verifier;
import io.nicup.ndis.trace.VerifierMode;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * One test bench: a virtual clock, a fake device, an {@link NdisHost} (deterministic: polled interrupts,
 * no threads, STRICT verifier unless {@link #record()}), the test miniport and a recording protocol edge.
 */
final class Rig implements AutoCloseable {

    final ManualClock clock = new ManualClock();
    final FakePciDevice device;
    final Switches sw = new Switches();
    final TestMiniport miniport = new TestMiniport(sw);
    final RecordingEdge edge = new RecordingEdge();
    String parameters = "";
    HostOptions options;
    private NdisHost host;
    LoadedDriver driver;
    MiniportAdapter adapter;
    private NetBufferListPool sendPool;

    Rig() {
        device = new FakePciDevice("0000:01:00.0", clock);
        byte[] mac = TestMiniport.PERMANENT.bytes();
        FakePciDevice.FakeRegisterSpace regs = device.registers();
        regs.write32(TestAdapter.REG_RAL, (mac[0] & 0xFF) | (mac[1] & 0xFF) << 8 | (mac[2] & 0xFF) << 16 | (mac[3] & 0xFF) << 24);
        regs.write32(TestAdapter.REG_RAH, (mac[4] & 0xFF) | (mac[5] & 0xFF) << 8);
        regs.write32(TestAdapter.REG_STATUS, TestAdapter.STATUS_LU);
        options = HostOptions.deterministic(clock);
    }

    /** Violations are recorded, not thrown. */
    Rig record() {
        options = options.withVerifierMode(VerifierMode.RECORD);
        return this;
    }

    NdisHost host() {
        if (host == null) {
            host = new NdisHost(options);
        }
        return host;
    }

    Ndis ndis() {
        return host().ndis();
    }

    Verifier verifier() {
        return host().verifier();
    }

    LoadedDriver load() {
        driver = host().loadDriver("testnic", miniport::driverEntry,
                RegistryPath.of("nicup:/drivers/testnic", ParameterStore.parse("test-parameters", parameters)));
        return driver;
    }

    MiniportAdapter add() {
        if (driver == null) {
            load();
        }
        adapter = host().addAdapter(driver, device, edge);
        sendPool = null;
        return adapter;
    }

    /** Loaded, initialized and restarted. */
    MiniportAdapter running() {
        add();
        int status = host().restart(adapter);
        if (status != NdisStatus.SUCCESS) {
            throw new AssertionError("restart returned " + NdisStatus.name(status));
        }
        return adapter;
    }

    TestAdapter ta() {
        return miniport.adapter();
    }

    void fire(int vector) {
        device.interrupts.fire(vector);
        host().pollInterrupts(adapter);
    }

    NetBufferListPool sendPool() {
        if (sendPool == null) {
            sendPool = host().allocateSendPool(adapter, 64, 2048);
        }
        return sendPool;
    }

    NetBufferList frame(String text) {
        NetBufferList nbl = sendPool().allocate();
        byte[] data = text.getBytes(StandardCharsets.US_ASCII);
        nbl.firstNetBuffer().copyDataFrom(data, 0, data.length);
        return nbl;
    }

    /** Sends one chain of frames. */
    NetBufferList send(String... frames) {
        NetBufferList head = null;
        NetBufferList tail = null;
        for (String f : frames) {
            NetBufferList nbl = frame(f);
            if (head == null) {
                head = nbl;
            } else {
                tail.setNext(nbl);
            }
            tail = nbl;
        }
        host().send(adapter, head, 0, 0);
        return head;
    }

    /** The NIC receives the frames, then raises the receive interrupt. */
    void receive(String... frames) {
        for (String f : frames) {
            ta().deliverFrame(f.getBytes(StandardCharsets.US_ASCII));
        }
        fire(TestAdapter.VECTOR_RX);
    }

    void transmitDone() {
        fire(TestAdapter.VECTOR_TX);
    }

    void halt() {
        host().halt(adapter, HaltAction.NdisHaltDeviceDisabled);
    }

    void idle(Duration d) {
        host().idle(d);
    }

    /** Nothing of the device is held any more. */
    boolean deviceIsClean() {
        return device.dma.liveRegions() == 0 && device.interrupts.armed() == null && !device.busMaster;
    }

    /**
     * Closes the host (halting and unloading what is left) and the device. A test that provoked
     * violations may leave the host unable to close cleanly; only a clean test must also close cleanly.
     */
    @Override
    public void close() {
        if (host == null) {
            return;
        }
        int before = host.verifier().violations().size();
        try {
            host.close();
        } catch (NdisException e) {
            if (before == 0) {
                throw e;
            }
        } finally {
            device.close();
        }
    }
}

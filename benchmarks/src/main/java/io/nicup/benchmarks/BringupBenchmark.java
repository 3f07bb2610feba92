package io.nicup.benchmarks;

import io.nicup.mock.MockDevices;
import io.nicup.mock.MockPciDevice;
import io.nicup.ndis.HostOptions;
import io.nicup.ndis.NdisHost;
import io.nicup.ndis.NdisStatus;
import io.nicup.ndis.adapter.AdapterState;
import io.nicup.ndis.adapter.HaltAction;
import io.nicup.ndis.adapter.MiniportAdapter;
import io.nicup.ndis.config.RegistryPath;
import io.nicup.ndis.driver.LoadedDriver;
import io.nicup.ndis.miniport.i82574.Miniport82574;
import io.nicup.ndis.oid.NdisPacketFilter;
import io.nicup.ndis.protocol.FrameEdge;
import io.nicup.ndis.trace.VerifierMode;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Bring-up latency per NDIS step on the simulated 82574L: the host CPU time one step of the documented
 * sequence costs (the NDIS model, the miniport and the device model together), measured alone. Before
 * each invocation the state is brought to the step's precondition (a fresh simulated device, the driver
 * loaded, the adapter initialized, ...); after it, everything is torn down, so every sample is a cold
 * step on a new adapter, as in a real bring-up.
 *
 * <p>The simulated device runs on a virtual clock: the waits the datasheet prescribes (the 82574L's
 * reset, the NVM auto-read, autonegotiation) pass in virtual time and are not in these numbers. They
 * are in the trace's durations, which {@code scripts/bench} reports beside these (and, from a QEMU guest,
 * labelled as emulated).
 *
 * <p>Steps: {@code DriverEntry} (NdisMRegisterMiniportDriver and MiniportSetOptions inside it),
 * {@code InitializeEx} (MiniportInitializeEx: reset, NVM, PHY, rings), {@code Restart} (the packet filter
 * OID and MiniportRestart), {@code Pause}, {@code Halt} (MiniportHaltEx) and {@code Unload}
 * (MiniportDriverUnload and NdisMDeregisterMiniportDriver). Score: microseconds per step (sampled).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(value = 1, jvmArgsAppend = {"--enable-native-access=ALL-UNNAMED", "-XX:MaxInlineLevel=25"})
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class BringupBenchmark {

    /** The steps, in the order of the sequence; each one's precondition is the one before it done. */
    public enum Step {
        DriverEntry, InitializeEx, Restart, Pause, Halt, Unload
    }

    @Param({"DriverEntry", "InitializeEx", "Restart", "Pause", "Halt", "Unload"})
    public Step step;

    private MockPciDevice device;
    private NdisHost host;
    private LoadedDriver driver;
    private MiniportAdapter adapter;
    private FrameEdge edge;

    /** Brings a fresh simulated 82574L to the step's precondition. */
    @Setup(Level.Invocation)
    public void precondition() {
        device = MockDevices.open("mock:82574L");
        host = new NdisHost(HostOptions.deterministic(device.clock()).withVerifierMode(VerifierMode.RECORD));
        edge = new FrameEdge();
        if (step.compareTo(Step.DriverEntry) > 0) {
            driverEntry();
        }
        if (step.compareTo(Step.InitializeEx) > 0) {
            initializeEx();
        }
        if (step.compareTo(Step.Restart) > 0) {
            restart();
        }
        if (step.compareTo(Step.Pause) > 0) {
            pause();
        }
        if (step.compareTo(Step.Halt) > 0) {
            halt();
        }
    }

    @Benchmark
    public Object measure() {
        return switch (step) {
            case DriverEntry -> driverEntry();
            case InitializeEx -> initializeEx();
            case Restart -> restart();
            case Pause -> pause();
            case Halt -> halt();
            case Unload -> unload();
        };
    }

    /** Whatever the step left behind is torn down in order; the verifier must have seen nothing wrong. */
    @TearDown(Level.Invocation)
    public void tearDown() {
        try {
            if (adapter != null && adapter.state() == AdapterState.RUNNING) {
                host.pause(adapter);
            }
            if (adapter != null && adapter.state() == AdapterState.PAUSED) {
                host.halt(adapter, HaltAction.NdisHaltDeviceDisabled);
            }
            if (driver != null && driver.phase() == LoadedDriver.Phase.LOADED) {
                host.unloadDriver(driver);
            }
            if (!host.verifier().violations().isEmpty()) {
                throw new IllegalStateException("verifier violations during " + step + ": "
                        + host.verifier().violations());
            }
        } finally {
            host.close();
            device.close();
            adapter = null;
            driver = null;
        }
    }

    private LoadedDriver driverEntry() {
        driver = new Miniport82574().load(host, RegistryPath.empty(Miniport82574.NAME));
        return driver;
    }

    private MiniportAdapter initializeEx() {
        adapter = host.addAdapter(driver, device, edge);
        if (adapter.initStatus() != NdisStatus.SUCCESS) {
            throw new IllegalStateException("MiniportInitializeEx failed: status=" + NdisStatus.name(adapter.initStatus()));
        }
        return adapter;
    }

    private Integer restart() {
        FrameEdge.setPacketFilter(host, adapter, NdisPacketFilter.DIRECTED | NdisPacketFilter.BROADCAST);
        return checked("MiniportRestart", host.restart(adapter));
    }

    private Integer pause() {
        return checked("MiniportPause", host.pause(adapter));
    }

    private AdapterState halt() {
        host.halt(adapter, HaltAction.NdisHaltDeviceDisabled);
        return adapter.state();
    }

    private LoadedDriver.Phase unload() {
        host.unloadDriver(driver);
        return driver.phase();
    }

    private static Integer checked(String what, int status) {
        if (status != NdisStatus.SUCCESS) {
            throw new IllegalStateException(what + " failed: status=" + NdisStatus.name(status));
        }
        return status;
    }
}

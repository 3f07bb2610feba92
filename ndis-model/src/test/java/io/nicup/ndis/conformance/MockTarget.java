package io.nicup.ndis.conformance;

import io.nicup.mock.MockDevices;
import io.nicup.mock.MockPciDevice;
import io.nicup.mock.intel.IntelModel;
import io.nicup.ndis.HostOptions;
import io.nicup.ndis.NdisHost;
import io.nicup.ndis.config.RegistryPath;
import io.nicup.ndis.driver.LoadedDriver;
import io.nicup.ndis.miniport.Miniports;
import io.nicup.ndis.miniport.core.NicDriver;
import io.nicup.ndis.trace.VerifierMode;
import io.nicup.vfio.DeviceClock;
import java.util.List;
import java.util.Optional;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * A simulated NIC ready for the battery: the catalog's driver loaded under a deterministic host on the mock's
 * virtual clock, the verifier recording (as the CLI runs it). {@code misbehave} may wrap the loaded driver's
 * handlers to make a miniport that breaks what a check checks.
 */
final class MockTarget implements AutoCloseable {

    final MockPciDevice device;
    final NdisHost host;
    final LoadedDriver loaded;
    final ConformanceTarget target;

    MockTarget(String spec) {
        this(spec, loaded -> { });
    }

    MockTarget(String spec, Consumer<LoadedDriver> misbehave) {
        this(spec, (loaded, clock) -> misbehave.accept(loaded));
    }

    /** {@code misbehave} also gets the device clock (a miniport that takes its time). */
    MockTarget(String spec, BiConsumer<LoadedDriver, DeviceClock> misbehave) {
        this(spec, misbehave, d -> LinkPartner.wire(wireOf(d)));
    }

    /** The partner at the far end made from the simulated NIC (a reflector on its wire, say). */
    MockTarget(String spec, Consumer<LoadedDriver> misbehave, Function<MockPciDevice, LinkPartner> partner) {
        this(spec, (loaded, clock) -> misbehave.accept(loaded), partner);
    }

    private MockTarget(String spec, BiConsumer<LoadedDriver, DeviceClock> misbehave,
            Function<MockPciDevice, LinkPartner> partner) {
        device = MockDevices.open(spec);
        host = new NdisHost(HostOptions.deterministic(device.clock()).withVerifierMode(VerifierMode.RECORD));
        NicDriver driver = Miniports.CATALOG.find(device.identity()).orElseThrow().newDriver();
        loaded = driver.load(host, RegistryPath.empty(driver.name()));
        misbehave.accept(loaded, device.clock());
        target = new ConformanceTarget(host, driver, loaded, device, Optional.of(wireOf(device)), partner.apply(device));
    }

    /**
     * A reflector at the far end of the simulated cable, as a loopback plug is: every frame the NIC transmits
     * comes back 20 µs later; the link pulled through {@code link} (the cable's own by default).
     */
    static LinkPartner reflector(MockPciDevice device, Optional<LinkControl> link) {
        device.wire().addListener(f -> device.wire().injectAfter(20_000, f));
        return LinkPartner.reflector(link);
    }

    List<CheckReport> run(String... names) {
        return ConformanceBattery.run(target, ConformanceBattery.select(List.of(names)));
    }

    CheckReport runOne(String name) {
        return run(name).getFirst();
    }

    @Override
    public void close() {
        try {
            host.close();
        } finally {
            device.close();
        }
    }

    /** A simulated NIC's wire as the battery sees it. */
    static SimulatedWire wireOf(MockPciDevice device) {
        SimulatedWire wire = SimulatedWire.of(device.wire()::inject, device.wire()::pollCaptured, device.wire()::setLink,
                device::surpriseRemove);
        return device.model() instanceof IntelModel<?>
                ? SimulatedWire.withFlowControl(wire, device.wire()::oldestCapturedAt, device.wire()::pollCaptured)
                : SimulatedWire.withoutFlowControl(wire, device.model().name() + " has no IEEE 802.3x flow control");
    }
}

package io.nicup.ndis.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import io.nicup.mock.MockDevices;
import io.nicup.mock.MockPciDevice;
import io.nicup.mock.intel.IntelModel;
import io.nicup.ndis.HostOptions;
import io.nicup.ndis.NdisHost;
import io.nicup.ndis.config.ParameterStore;
import io.nicup.ndis.config.ParameterValue;
import io.nicup.ndis.config.RegistryPath;
import io.nicup.ndis.driver.LoadedDriver;
import io.nicup.ndis.miniport.Miniports;
import io.nicup.ndis.miniport.core.NicDriver;
import io.nicup.ndis.miniport.intel.FlowControl;
import io.nicup.ndis.trace.VerifierMode;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The flow-control check (HLK TxFlowControl) on the simulated NICs: it passes with the measured pause on both
 * Intel models, fails when the MAC transmits through a PAUSE (the ignore-pause fault, or {@code *FlowControl}
 * 0 leaving CTRL.RFCE clear), and says why it is skipped on virtio-net and on real hardware.
 */
class FlowControlCheckTest {

    @ParameterizedTest
    @ValueSource(strings = {"mock:82574L", "mock:82576"})
    void passesWithThePauseMeasuredOnVirtualTime(String spec) {
        try (MockTarget t = new MockTarget(spec)) {
            CheckReport r = t.runOne("flow-control");
            assertThat(r.result()).isEqualTo(CheckResult.pass("PAUSE 0xFFFF at 1000 Mb/s held 64 sends for 33.554 ms"
                    + " virtual (expected 33.554 ms = 65535 x 512 bit times, +- 0.012 ms); behind a second PAUSE 0xFFFF"
                    + " 64 sends left 0.000 ms virtual after PAUSE 0; 128 of 128 sends completed"));
            assertThat(r.violations()).isEmpty();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"mock:82574L?fault=ignore-pause", "mock:82576?fault=ignore-pause"})
    void failsWhenTheMacTransmitsThroughAPause(String spec) {
        try (MockTarget t = new MockTarget(spec)) {
            CheckReport r = t.runOne("flow-control");
            assertThat(r.result()).isEqualTo(CheckResult.fail("PAUSE 0xFFFF at 1000 Mb/s: the first of 64 queued sends"
                    + " left 0.000 ms virtual after it, expected 33.554 ms (65535 x 512 bit times) +- 0.012 ms:"
                    + " transmission did not stop"));
        }
    }

    @Test
    void isSkippedOnVirtioNetWhichHasNoFlowControl() {
        try (MockTarget t = new MockTarget("mock:virtio-net")) {
            assertThat(t.runOne("flow-control").result())
                    .isEqualTo(CheckResult.skipped("virtio-net has no IEEE 802.3x flow control"));
        }
    }

    @Test
    void isSkippedWithoutALinkPartnerThatSendsPauseFrames() {
        try (MockTarget t = new MockTarget("mock:82574L")) {
            ConformanceTarget real = new ConformanceTarget(t.host, t.target.driver(), t.loaded, t.device, Optional.empty());
            CheckReport r = ConformanceBattery.run(real, ConformanceBattery.select(List.of("flow-control"))).getFirst();
            assertThat(r.result().outcome()).isEqualTo(CheckResult.Outcome.SKIPPED);
            assertThat(r.result().detail()).startsWith("needs a link partner that sends IEEE 802.3x PAUSE frames");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"mock:82574L", "mock:82576"})
    void flowControlZeroLeavesRfceClearSoThePauseIsIgnoredAndTheCheckFails(String spec) {
        try (Keyworded k = new Keyworded(spec, "*FlowControl=0")) {
            CheckReport r = k.run();
            assertThat(r.result().outcome()).isEqualTo(CheckResult.Outcome.FAIL);
            assertThat(r.result().detail()).endsWith("transmission did not stop");
            assertThat(k.ctrl() & (FlowControl.CTRL_RFCE | FlowControl.CTRL_TFCE)).isZero();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"*FlowControl=2", "*FlowControl=3", "*FlowControl=4"})
    void everyModeThatHonoursPauseFramesPasses(String keyword) {
        try (Keyworded k = new Keyworded("mock:82576", keyword)) {
            assertThat(k.run().result().outcome()).isEqualTo(CheckResult.Outcome.PASS);
            assertThat(k.ctrl() & FlowControl.CTRL_RFCE).isNotZero();
        }
    }

    @Test
    void transmitOnlyFlowControlDoesNotHonourPauseFrames() {
        try (Keyworded k = new Keyworded("mock:82574L", "*FlowControl=1")) {
            assertThat(k.run().result().outcome()).isEqualTo(CheckResult.Outcome.FAIL);
            assertThat(k.ctrl() & (FlowControl.CTRL_RFCE | FlowControl.CTRL_TFCE)).isEqualTo(FlowControl.CTRL_TFCE);
        }
    }

    @Test
    void anOutOfRangeFlowControlIsReportedAndTheDefaultUsed() {
        try (Keyworded k = new Keyworded("mock:82574L", "*FlowControl=7")) {
            assertThat(k.run().result().outcome()).isEqualTo(CheckResult.Outcome.PASS);
            assertThat(k.host.parameterProblems()).extracting(p -> p.keyword().name()).contains("*FlowControl");
            assertThat(k.ctrl() & (FlowControl.CTRL_RFCE | FlowControl.CTRL_TFCE))
                    .isEqualTo(FlowControl.CTRL_RFCE | FlowControl.CTRL_TFCE);
        }
    }

    /** A simulated Intel NIC whose driver was loaded with {@code parameters} (a parameter file's lines). */
    private static final class Keyworded implements AutoCloseable {
        final MockPciDevice device;
        final NdisHost host;
        final ConformanceTarget target;

        Keyworded(String spec, String parameters) {
            device = MockDevices.open(spec);
            host = new NdisHost(HostOptions.deterministic(device.clock()).withVerifierMode(VerifierMode.RECORD));
            NicDriver driver = Miniports.CATALOG.find(device.identity()).orElseThrow().newDriver();
            LoadedDriver loaded = driver.load(host, RegistryPath.of("nicup:/drivers/" + driver.name(),
                    ParameterStore.parse("test-parameters", parameters)));
            target = new ConformanceTarget(host, driver, loaded, device, Optional.of(MockTarget.wireOf(device)));
        }

        CheckReport run() {
            return ConformanceBattery.run(target, ConformanceBattery.select(List.of("flow-control"))).getFirst();
        }

        /**
         * CTRL while an adapter runs (the model's stored value: no read side effects); the adapter is halted
         * again afterwards, as the battery halts it after each check.
         */
        int ctrl() {
            CheckContext c = new CheckContext(target);
            try {
                assertThat(c.running(CheckContext.DEFAULT_FILTER)).isEmpty();
                return ((IntelModel<?>) device.model()).peek(0);
            } finally {
                c.tearDown();
            }
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
}

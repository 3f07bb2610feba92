package io.nicup.ndis.miniport.i82574;

import static io.nicup.ndis.miniport.i82574.MockBench.statistics;
import static org.assertj.core.api.Assertions.assertThat;

import io.nicup.mock.e82574.E82574Model;
import io.nicup.ndis.MacAddress;
import io.nicup.ndis.NdisStatus;
import io.nicup.ndis.adapter.AdapterState;
import io.nicup.ndis.config.ParameterValue;
import io.nicup.ndis.driver.LoadedDriver;
import io.nicup.ndis.miniport.MiniportCatalog;
import io.nicup.ndis.miniport.Miniports;
import io.nicup.ndis.miniport.core.SelfTestResult;
import io.nicup.ndis.oid.NdisStatisticsInfo;
import io.nicup.ndis.oid.Oid;
import io.nicup.ndis.protocol.FrameEdge;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The 82574L miniport on {@code mock:82574L} from load to halt: lifecycle, set-up, parameters, self-tests. */
class Miniport82574MockTest {

    @Test
    void theWholeLifecycleRunsCleanAndLeavesTheDeviceQuiet() {
        try (MockBench b = new MockBench()) {
            assertThat(b.loaded.phase()).isEqualTo(LoadedDriver.Phase.LOADED);
            assertThat(b.driver.setOptionsCalls()).isEqualTo(1);
            b.add();
            assertThat(b.adapter.initStatus()).isEqualTo(NdisStatus.SUCCESS);
            assertThat(b.adapter.state()).isEqualTo(AdapterState.PAUSED);
            assertThat(b.device.configSpace().busMaster()).isTrue();
            assertThat(b.host.restart(b.adapter)).isEqualTo(NdisStatus.SUCCESS);
            assertThat(b.adapter.state()).isEqualTo(AdapterState.RUNNING);
            assertThat(b.host.pause(b.adapter)).isEqualTo(NdisStatus.SUCCESS);
            assertThat(b.adapter.state()).isEqualTo(AdapterState.PAUSED);
            b.halt();
            assertThat(b.adapter.state()).isEqualTo(AdapterState.HALTED);
            assertThat(b.adapter.heldResources()).isEmpty();
            assertThat(b.device.dmaAllocator().liveRegions()).isZero();
            assertThat(b.device.configSpace().busMaster()).isFalse();
            assertThat(b.device.model(E82574Model.class).interrupts().armed()).isNull();
            assertThat(b.host.unloadDriver(b.loaded)).isEqualTo(NdisStatus.SUCCESS);
            assertThat(b.loaded.phase()).isEqualTo(LoadedDriver.Phase.UNLOADED);
            assertThat(b.host.verifier().verdict().passed()).as(b.host.verifier().violations().toString()).isTrue();
        }
    }

    @Test
    void initializationProgramsTheChipAsTheDatasheetSequenceSays() {
        try (MockBench b = new MockBench()) {
            b.add();
            assertThat(b.readRegister(Regs82574.TARC(0)) & Tarc.ENABLE).isEqualTo(Tarc.ENABLE);
            assertThat(b.readRegister(Regs82574.TCTL)).isEqualTo(Tctl.EN | Tctl.PSP | Tctl.RTLC | 15 << 4 | 63 << 12);
            assertThat(b.readRegister(Regs82574.RDLEN(0))).isEqualTo(256 * 16);
            assertThat(b.readRegister(Regs82574.RDT(0))).isEqualTo(255);
            assertThat(b.readRegister(Regs82574.RCTL) & Rctl.EN).as("receiver off until restart").isZero();
            assertThat(b.readRegister(Regs82574.IVAR)).as("RXQ0 0, RXQ1 3, TXQ0 1, OTHER 2").isEqualTo(0x000A_09B8);
            assertThat(b.readRegister(Regs82574.CTRL) & Ctrl.SLU).isEqualTo(Ctrl.SLU);
        }
    }

    @Test
    void parametersAreReadWithRangesAndBadValuesFallBackToTheDefault() {
        try (MockBench b = new MockBench("mock:82574L",
                "*ReceiveBuffers = 100\n*TransmitBuffers = 9\n*JumboPacket = 5000\n*SpeedDuplex = 4\n*InterruptModeration = 0")) {
            b.add();
            assertThat(b.readRegister(Regs82574.RDLEN(0))).as("100 rounded down to 64").isEqualTo(64 * 16);
            assertThat(b.readRegister(Regs82574.TDLEN(0))).as("9 out of range: default 256").isEqualTo(256 * 16);
            assertThat(b.adapter.generalAttributes().mtuSize()).as("5000 not allowed: 1514").isEqualTo(1500);
            assertThat(b.readRegister(Regs82574.ITR)).isZero();
            assertThat(b.readRegister(Regs82574.CTRL) & (Ctrl.FRCSPD | Ctrl.FRCDPX | Ctrl.SPD_SEL | Ctrl.FD))
                    .as("*SpeedDuplex 4 forces 100 full").isEqualTo(Ctrl.FRCSPD | Ctrl.FRCDPX | Ctrl.SPD_100 | Ctrl.FD);
            assertThat(b.host.parameterProblems()).extracting(p -> p.keyword().name())
                    .contains("*TransmitBuffers", "*JumboPacket");
            assertThat(b.host.parameterProblems()).extracting(ParameterValue::status).containsOnly(NdisStatus.INVALID_DATA);
        }
    }

    @Test
    void networkAddressOverridesTheCurrentAddressButNotThePermanentOne() {
        MacAddress override = MacAddress.parse("02:00:5e:10:00:01");
        try (MockBench b = new MockBench("mock:82574L", "NetworkAddress = 02-00-5E-10-00-01")) {
            b.running();
            assertThat(b.host.query(b.adapter, Oid.OID_802_3_CURRENT_ADDRESS, 6).join().request().informationBuffer()
                    .toArray(java.lang.foreign.ValueLayout.JAVA_BYTE)).isEqualTo(override.bytes());
            assertThat(b.host.query(b.adapter, Oid.OID_802_3_PERMANENT_ADDRESS, 6).join().request().informationBuffer()
                    .toArray(java.lang.foreign.ValueLayout.JAVA_BYTE)).isEqualTo(MockBench.MAC.bytes());
            byte[] toOverride = MockBench.frame(override, MockBench.PEER, 64, 1);
            byte[] toPermanent = MockBench.frame(MockBench.MAC, MockBench.PEER, 64, 2);
            b.inject(toOverride);
            b.inject(toPermanent);
            b.pump();
            assertThat(b.edge.received()).containsExactly(toOverride);
        }
    }

    @Test
    void phyAndMacLoopbackSelfTestsPassAndTheAdapterRunsAfterwards() {
        try (MockBench b = new MockBench()) {
            b.add();
            b.host.idle(Duration.ofMillis(600));
            E82574Diagnostics d = E82574Diagnostics.of(b.host, b.driver, b.adapter);
            List<SelfTestResult> results = d.runOffline();
            assertThat(results).extracting(SelfTestResult::name).containsExactly("register", "nvm",
                    "interrupt", "phy-loopback", "mac-loopback", "link");
            assertThat(results).as(results.toString()).allMatch(r -> r.outcome() == SelfTestResult.Outcome.PASS);
            assertThat(results.get(3).reason()).contains("64 frames");
            // the self-test traffic is not in the NDIS statistics, and the data path still works
            FrameEdge.setPacketFilter(b.host, b.adapter, MockBench.DEFAULT_FILTER);
            b.host.restart(b.adapter);
            Miniport82574.awaitLinkUp(b.host, b.adapter, Duration.ofSeconds(2));
            b.send(MockBench.frames(MockBench.PEER, MockBench.MAC, 3, 64, 0));
            assertThat(b.wire.captured()).hasSize(3);
            NdisStatisticsInfo s = statistics(b);
            assertThat(s.ifHCOutUcastPkts()).isEqualTo(3);
            assertThat(s.ifHCInUcastPkts()).isZero();
        }
    }

    @Test
    void aLoopbackTestThatSeesNoFrameComeBackFailsWithAReason() {
        try (MockBench b = new MockBench()) {
            b.add();
            E82574Diagnostics d = E82574Diagnostics.of(b.host, b.driver, b.adapter);
            b.device.setBusMaster(false); // no DMA: the chip cannot fetch or write back a descriptor
            SelfTestResult r = d.loopbackTest(E82574Diagnostics.Loopback.PHY);
            b.device.setBusMaster(true);
            assertThat(r.outcome()).isEqualTo(SelfTestResult.Outcome.FAIL);
            assertThat(r.reason()).contains("written back");
        }
    }

    @Test
    void theRegisterDumpDecodesTheImportantRegisters() {
        try (MockBench b = new MockBench()) {
            b.running();
            E82574Diagnostics d = E82574Diagnostics.of(b.host, b.driver, b.adapter);
            List<String> lines = d.registerDump().stream().map(Object::toString).toList();
            assertThat(String.join("\n", lines)).contains("CTRL ", "SLU", "STATUS", " LU", "RCTL", "EN", "BAM", "SECRC",
                    "BSIZE=2048", "TCTL", "PSP", "CT=15 COLD=63", "IVAR", "RXQ0->0 RXQ1->3 TXQ0->1 OTHER->2", "TDH", "RDT",
                    "IMS", "RXQ0", "TARC0", "ENABLE(bit10)", "RAH0", "mac=52:54:00:12:34:56");
            assertThat(d.counters()).containsKeys("GPRC", "GPTC", "GORC", "GOTC", "MPC");
        }
    }

    @Test
    void theCatalogFindsTheDriverBy8086And10d3() {
        assertThat(Miniports.CATALOG.find(0x8086, 0x10D3)).isPresent()
                .get().extracting(MiniportCatalog.Entry::name).isEqualTo("e82574");
        assertThat(Miniports.CATALOG.find(0x8086, 0x100E)).isEmpty();
        try (MockBench b = new MockBench()) {
            var entry = Miniports.CATALOG.find(b.device.identity()).orElseThrow();
            LoadedDriver d = b.host.loadDriver("from-catalog", entry.newDriverEntry(), io.nicup.ndis.config.RegistryPath.empty("x"));
            assertThat(d.phase()).isEqualTo(LoadedDriver.Phase.LOADED);
        }
    }
}

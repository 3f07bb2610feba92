package io.nicup.ndis.miniport.i82576;

import static org.assertj.core.api.Assertions.assertThat;

import io.nicup.mock.e82576.E82576Model;
import io.nicup.ndis.MacAddress;
import io.nicup.ndis.NdisStatus;
import io.nicup.ndis.adapter.AdapterState;
import io.nicup.ndis.config.ParameterValue;
import io.nicup.ndis.driver.LoadedDriver;
import io.nicup.ndis.miniport.MiniportCatalog;
import io.nicup.ndis.miniport.Miniports;
import io.nicup.ndis.oid.Oid;
import io.nicup.ndis.protocol.FrameEdge;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The 82576 miniport over {@code mock:82576}: lifecycle, chip programming, configuration, catalog. */
class Lifecycle82576MockTest {

    @Test
    void theWholeLifecycleRunsCleanAndLeavesTheDeviceQuiet() {
        try (MockBench b = new MockBench()) {
            assertThat(b.loaded.phase()).isEqualTo(LoadedDriver.Phase.LOADED);
            assertThat(b.driver.setOptionsCalls()).isEqualTo(1);
            b.add();
            assertThat(b.adapter.initStatus()).as(b.initFailure()).isEqualTo(NdisStatus.SUCCESS);
            assertThat(b.adapter.state()).isEqualTo(AdapterState.PAUSED);
            assertThat(b.device.configSpace().busMaster()).isTrue();
            assertThat(b.host.restart(b.adapter)).isEqualTo(NdisStatus.SUCCESS);
            assertThat(b.adapter.state()).isEqualTo(AdapterState.RUNNING);
            assertThat(b.host.pause(b.adapter)).isEqualTo(NdisStatus.SUCCESS);
            b.halt();
            assertThat(b.adapter.state()).isEqualTo(AdapterState.HALTED);
            assertThat(b.adapter.heldResources()).isEmpty();
            assertThat(b.device.dmaAllocator().liveRegions()).isZero();
            assertThat(b.device.configSpace().busMaster()).isFalse();
            assertThat(b.device.model(E82576Model.class).interrupts().armed()).isNull();
            assertThat(b.host.unloadDriver(b.loaded)).isEqualTo(NdisStatus.SUCCESS);
            assertThat(b.loaded.phase()).isEqualTo(LoadedDriver.Phase.UNLOADED);
            assertThat(b.host.verifier().verdict().passed()).as(b.host.verifier().violations().toString()).isTrue();
        }
    }

    @Test
    void initializationProgramsQueuesDescriptorsAndVectorsAsTheDatasheetSays() {
        try (MockBench b = new MockBench()) {
            b.add();
            assertThat(b.readRegister(Regs82576.TXDCTL(0)) & Txdctl.ENABLE).isEqualTo(Txdctl.ENABLE);
            assertThat(b.readRegister(Regs82576.RXDCTL(0)) & Rxdctl.ENABLE).isEqualTo(Rxdctl.ENABLE);
            assertThat(b.readRegister(Regs82576.SRRCTL(0))).isEqualTo(2 | Srrctl.DESCTYPE_ADV_ONEBUF);
            assertThat(b.readRegister(Regs82576.RLPML)).isEqualTo(1514 + 8);
            assertThat(b.readRegister(Regs82576.TCTL)).isEqualTo(Tctl.EN | Tctl.PSP | Tctl.RTLC | 15 << 4 | 63 << 12);
            assertThat(b.readRegister(Regs82576.RDLEN(0))).isEqualTo(256 * 16);
            assertThat(b.readRegister(Regs82576.RDT(0))).isEqualTo(255);
            assertThat(b.readRegister(Regs82576.RCTL) & Rctl.EN).as("receiver off until restart").isZero();
            assertThat(b.readRegister(Regs82576.RCTL) & (Rctl.SECRC | Rctl.LPE)).isEqualTo(Rctl.SECRC | Rctl.LPE);
            assertThat(b.readRegister(Regs82576.GPIE)).isEqualTo(Gpie.MSIX_MODE | Gpie.NSICR | Gpie.PBA);
            assertThat(b.readRegister(Regs82576.IVAR0(0))).as("RX0 -> vector 0, TX0 -> vector 1").isEqualTo(0x8180);
            assertThat(b.readRegister(Regs82576.IVAR_MISC)).as("other -> vector 2").isEqualTo(0x8200);
            assertThat(b.readRegister(Regs82576.EIAC)).as("RX0 0, TX0 1, RX1-3 on 3-5").isEqualTo(0b111011);
            assertThat(b.readRegister(Regs82576.IVAR0(3))).as("RX3 -> vector 5").isEqualTo(0x85);
            assertThat(b.readRegister(Regs82576.RXDCTL(3)) & Rxdctl.ENABLE).isEqualTo(Rxdctl.ENABLE);
            assertThat(b.readRegister(Regs82576.RDT(3))).isEqualTo(255);
            assertThat(b.readRegister(Regs82576.CTRL) & Ctrl.SLU).isEqualTo(Ctrl.SLU);
            assertThat(b.readRegister(Regs82576.CTRL_EXT) & E82576Hardware.CTRL_EXT_DRV_LOAD).isNotZero();
            // the queue registers of queue 0 live at 0x2800/0x3800 and at their 0xC000/0xE000 alias
            assertThat(b.readRegister(0x0C008)).isEqualTo(256 * 16);
            assertThat(b.device.notedAccesses()).as("no access to an unimplemented register").isEmpty();
        }
    }

    @Test
    void theRingsAreNotBumpedBeforeTheQueueEnableReadsBack() {
        try (MockBench b = new MockBench()) {
            b.add();
            // the model notes a tail that hands out descriptors while its queue's ENABLE reads 0
            assertThat(b.device.notedAccesses()).noneMatch(a -> a.kind().equals("tail-before-enable"));
            assertThat(b.readRegister(Regs82576.RDT(0))).isEqualTo(255);
        }
    }

    @Test
    void theReceiverGoesOnOnlyAfterRestartHasReturnedSoNoFrameIsIndicatedWhileRestarting() {
        try (MockBench b = new MockBench()) {
            b.add();
            b.host.idle(Duration.ofMillis(600));
            FrameEdge.setPacketFilter(b.host, b.adapter, MockBench.DEFAULT_FILTER);
            assertThat(b.host.restart(b.adapter)).isEqualTo(NdisStatus.SUCCESS);
            assertThat(b.readRegister(Regs82576.RCTL) & Rctl.EN).as("not yet: NDIS makes the adapter Running"
                    + " when Restart returns").isZero();
            b.host.idle(Duration.ofMillis(2));
            assertThat(b.readRegister(Regs82576.RCTL) & Rctl.EN).isEqualTo(Rctl.EN);
            byte[] f = MockBench.frame(MockBench.MAC, MockBench.PEER, 64, 1);
            b.inject(f);
            b.pump();
            assertThat(b.edge.received()).containsExactly(f);
            // a pause before the timer fired leaves the receiver off
            b.host.pause(b.adapter);
            b.host.restart(b.adapter);
            b.host.pause(b.adapter);
            b.host.idle(Duration.ofMillis(5));
            assertThat(b.readRegister(Regs82576.RCTL) & Rctl.EN).isZero();
            assertThat(b.host.verifier().verdict().passed()).as(b.host.verifier().violations().toString()).isTrue();
        }
    }

    @Test
    void parametersAreReadWithRangesAndBadValuesFallBackToTheDefault() {
        try (MockBench b = new MockBench("mock:82576",
                "*ReceiveBuffers = 100\n*TransmitBuffers = 9\n*JumboPacket = 5000\n*SpeedDuplex = 4\n*InterruptModeration = 0")) {
            b.add();
            assertThat(b.readRegister(Regs82576.RDLEN(0))).isEqualTo(64 * 16);
            assertThat(b.readRegister(Regs82576.TDLEN(0))).isEqualTo(256 * 16);
            assertThat(b.adapter.generalAttributes().mtuSize()).isEqualTo(1500);
            assertThat(b.readRegister(Regs82576.EITR(0))).isZero();
            assertThat(b.readRegister(Regs82576.CTRL) & (Ctrl.FRCSPD | Ctrl.FRCDPX | Ctrl.SPD_SEL | Ctrl.FD))
                    .isEqualTo(Ctrl.FRCSPD | Ctrl.FRCDPX | Ctrl.SPD_100 | Ctrl.FD);
            assertThat(b.host.parameterProblems()).extracting(p -> p.keyword().name())
                    .contains("*TransmitBuffers", "*JumboPacket");
            assertThat(b.host.parameterProblems()).extracting(ParameterValue::status).containsOnly(NdisStatus.INVALID_DATA);
        }
    }

    @Test
    void forcedHundredFullBringsTheLinkUpAtThatSpeed() {
        try (MockBench b = new MockBench("mock:82576", "*SpeedDuplex = 4")) {
            b.running();
            assertThat(b.adapter.linkState().xmitLinkSpeed()).isEqualTo(100_000_000L);
        }
    }

    @Test
    void networkAddressOverridesTheCurrentAddressButNotThePermanentOne() {
        MacAddress override = MacAddress.parse("02:00:5e:10:00:01");
        try (MockBench b = new MockBench("mock:82576", "NetworkAddress = 02-00-5E-10-00-01")) {
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
    void aMacGivenInTheSpecIsThePermanentAddress() {
        try (MockBench b = new MockBench("mock:82576?mac=02:11:22:33:44:55", "")) {
            b.running();
            assertThat(b.adapter.generalAttributes().permanentMacAddress()).isEqualTo(MacAddress.parse("02:11:22:33:44:55"));
        }
    }

    @Test
    void theCatalogFindsTheDriverBy8086And10c9() {
        assertThat(Miniports.CATALOG.find(0x8086, 0x10C9)).isPresent()
                .get().extracting(MiniportCatalog.Entry::name).isEqualTo("e82576");
        assertThat(Miniports.CATALOG.find(0x8086, 0x10C9).orElseThrow().model()).isEqualTo("82576");
        try (MockBench b = new MockBench()) {
            var entry = Miniports.CATALOG.find(b.device.identity()).orElseThrow();
            assertThat(entry.model()).isEqualTo("82576");
        }
    }
}

package io.nicup.ndis.miniport.i82576;

import static org.assertj.core.api.Assertions.assertThat;

import io.nicup.mock.e82576.E82576Model;
import io.nicup.ndis.MacAddress;
import io.nicup.ndis.NdisStatus;
import io.nicup.ndis.adapter.AdapterState;
import io.nicup.ndis.adapter.HaltAction;
import io.nicup.ndis.config.ParameterValue;
import io.nicup.ndis.driver.LoadedDriver;
import io.nicup.ndis.miniport.MiniportCatalog;
import io.nicup.ndis.miniport.Miniports;
import io.nicup.ndis.miniport.SurpriseRemovalCheck;
import io.nicup.ndis.miniport.core.SelfTestResult;
import io.nicup.ndis.miniport.intel.IntelAdapter;
import io.nicup.ndis.oid.MediaConnectState;
import io.nicup.ndis.oid.NdisLinkState;
import io.nicup.ndis.oid.NdisPacketFilter;
import io.nicup.ndis.oid.NdisStatisticsInfo;
import io.nicup.ndis.oid.Oid;
import io.nicup.ndis.oid.OidResult;
import io.nicup.ndis.protocol.FrameEdge;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The 82576 miniport over {@code mock:82576}: lifecycle, chip programming, data path, OIDs, every fault. */
class Miniport82576MockTest {

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
    void framesGoOutOnTheWireAndComeInFromItByteForByte() {
        try (MockBench b = new MockBench()) {
            b.running();
            List<byte[]> out = MockBench.frames(MockBench.PEER, MockBench.MAC, 20, 60 + 7, 0);
            out.add(MockBench.frame(MockBench.PEER, MockBench.MAC, 1514, 99));
            b.send(out);
            assertThat(b.wire.captured()).containsExactlyElementsOf(out);
            assertThat(b.edge.completedOk()).isEqualTo(out.size());
            List<byte[]> in = MockBench.frames(MockBench.MAC, MockBench.PEER, 20, 100, 1000);
            in.add(MockBench.frame(MockBench.MAC, MockBench.PEER, 1514, 2000));
            in.forEach(b::inject);
            b.pump();
            assertThat(b.edge.received()).containsExactlyElementsOf(in);
        }
    }

    @Test
    void everyOfflineSelfTestPassesAndTheAdapterRunsAfterwards() {
        try (MockBench b = new MockBench()) {
            b.add();
            b.host.idle(Duration.ofMillis(600));
            E82576Diagnostics d = E82576Diagnostics.of(b.host, b.driver, b.adapter);
            List<SelfTestResult> results = d.runOffline();
            assertThat(results).extracting(SelfTestResult::name).containsExactly("register", "nvm",
                    "interrupt", "phy-loopback", "mac-loopback", "link");
            assertThat(results).as(results.toString()).allMatch(r -> r.outcome() == SelfTestResult.Outcome.PASS);
            assertThat(results.get(1).reason()).contains("0xBABA");
            assertThat(results.get(2).reason()).contains("MSIX", "vector0", "vector1", "vector2(LSC)");
            assertThat(results.get(3).reason()).contains("64 frames");
            FrameEdge.setPacketFilter(b.host, b.adapter, MockBench.DEFAULT_FILTER);
            b.host.restart(b.adapter);
            Miniport82576.awaitLinkUp(b.host, b.adapter, Duration.ofSeconds(2));
            b.send(MockBench.frames(MockBench.PEER, MockBench.MAC, 3, 64, 0));
            assertThat(b.wire.captured()).hasSize(3);
            NdisStatisticsInfo s = statistics(b);
            assertThat(s.ifHCOutUcastPkts()).as("self-test traffic is not in the NDIS statistics").isEqualTo(3);
            assertThat(s.ifHCInUcastPkts()).isZero();
        }
    }

    @Test
    void aLoopbackTestThatSeesNoFrameComeBackFailsWithAReason() {
        try (MockBench b = new MockBench()) {
            b.add();
            b.host.idle(Duration.ofMillis(600));
            E82576Diagnostics d = E82576Diagnostics.of(b.host, b.driver, b.adapter);
            b.device.setBusMaster(false);
            SelfTestResult r = d.loopbackTest(E82576Diagnostics.Loopback.PHY);
            b.device.setBusMaster(true);
            assertThat(r.outcome()).isEqualTo(SelfTestResult.Outcome.FAIL);
            assertThat(r.reason()).contains("written back");
        }
    }

    @Test
    void theRegisterDumpDecodesTheImportantRegisters() {
        try (MockBench b = new MockBench()) {
            b.running();
            E82576Diagnostics d = E82576Diagnostics.of(b.host, b.driver, b.adapter);
            String dump = String.join("\n", d.registerDump().stream().map(Object::toString).toList());
            assertThat(dump).contains("CTRL ", "SLU", "STATUS", " LU", "SPEED=1000", "EECD", "AUTO_RD", "GPIE",
                    "MSIX_MODE", "RCTL", "EN", "BAM", "SECRC", "LPE", "TCTL", "PSP", "CT=15 COLD=63", "SRRCTL0",
                    "BSIZEPKT=2048 DESCTYPE=ADV_ONEBUF", "RXDCTL0", "TXDCTL0", "ENABLE", "IVAR0", "RXQ0->0 TXQ0->1",
                    "IVAR_MISC", "OTHER->2", "EIMS", "vector0 vector1 vector2", "RLPML", "max_frame=1522", "RAH0",
                    "mac=52:54:00:12:34:56");
            assertThat(dump.lines()).noneMatch(l -> l.startsWith("ICR ") || l.startsWith("EICR "));
            assertThat(d.registerDump(true).stream().map(r -> r.name()).toList()).contains("ICR", "EICR");
            assertThat(d.counters()).containsKeys("GPRC", "GPTC", "GORC", "GOTC", "MPC");
            assertThat(d.loopback()).isPresent();
        }
    }

    @Test
    void thePacketFilterDecidesWhatTheWireDelivers() {
        try (MockBench b = new MockBench()) {
            b.running(NdisPacketFilter.DIRECTED);
            MacAddress other = MacAddress.parse("02:00:00:00:00:77");
            byte[] directed = MockBench.frame(MockBench.MAC, MockBench.PEER, 64, 1);
            byte[] broadcast = MockBench.frame(MockBench.BROADCAST, MockBench.PEER, 64, 2);
            byte[] toOther = MockBench.frame(other, MockBench.PEER, 64, 3);
            List.of(directed, broadcast, toOther).forEach(b::inject);
            b.pump();
            assertThat(b.edge.received()).containsExactly(directed);

            b.edge.clearReceived();
            FrameEdge.setPacketFilter(b.host, b.adapter, NdisPacketFilter.DIRECTED | NdisPacketFilter.BROADCAST);
            List.of(directed, broadcast, toOther).forEach(b::inject);
            b.pump();
            assertThat(b.edge.received()).containsExactly(directed, broadcast);

            b.edge.clearReceived();
            FrameEdge.setPacketFilter(b.host, b.adapter, NdisPacketFilter.PROMISCUOUS);
            List.of(directed, broadcast, toOther).forEach(b::inject);
            b.pump();
            assertThat(b.edge.received()).containsExactly(directed, broadcast, toOther);
            assertThat(b.readRegister(Regs82576.RCTL) & (Rctl.UPE | Rctl.MPE)).isEqualTo(Rctl.UPE | Rctl.MPE);

            b.edge.clearReceived();
            FrameEdge.setPacketFilter(b.host, b.adapter, 0);
            List.of(directed, broadcast, toOther).forEach(b::inject);
            b.pump();
            assertThat(b.edge.received()).isEmpty();
        }
    }

    @Test
    void theMulticastListProgramsTheTableAndOnlyListedGroupsArrive() {
        try (MockBench b = new MockBench()) {
            b.running(NdisPacketFilter.DIRECTED | NdisPacketFilter.MULTICAST);
            MacAddress g1 = MacAddress.parse("01:00:5e:00:00:01");
            MacAddress g2 = MacAddress.parse("33:33:00:00:00:fb");
            MacAddress unlisted = MacAddress.parse("01:00:5e:7f:12:34");
            assertThat(FrameEdge.setMulticastList(b.host, b.adapter, List.of(g1, g2)).status()).isEqualTo(NdisStatus.SUCCESS);
            byte[] f1 = MockBench.frame(g1, MockBench.PEER, 64, 1);
            byte[] f2 = MockBench.frame(g2, MockBench.PEER, 64, 2);
            byte[] f3 = MockBench.frame(unlisted, MockBench.PEER, 64, 3);
            List.of(f1, f2, f3).forEach(b::inject);
            b.pump();
            assertThat(b.edge.received()).containsExactly(f1, f2);
            int hash = E82576Hardware.multicastHash(g1.bytes(), 0);
            assertThat(b.readRegister(Regs82576.MTA(hash >>> 5)) & 1 << (hash & 31)).isNotZero();
            assertThat(b.host.set(b.adapter, Oid.OID_802_3_MULTICAST_LIST, new byte[7]).join().status())
                    .isEqualTo(NdisStatus.INVALID_LENGTH);
            assertThat(b.host.set(b.adapter, Oid.OID_802_3_MULTICAST_LIST, new byte[6 * 65]).join().status())
                    .isEqualTo(NdisStatus.MULTICAST_FULL);
        }
    }

    @Test
    void statisticsMatchTheFramesSentAndReceivedAndAccumulateAcrossReads() {
        try (MockBench b = new MockBench()) {
            b.running();
            b.send(MockBench.frames(MockBench.PEER, MockBench.MAC, 7, 100, 0));
            b.send(MockBench.frames(MockBench.BROADCAST, MockBench.MAC, 2, 100, 10));
            MockBench.frames(MockBench.MAC, MockBench.PEER, 5, 200, 0).forEach(b::inject);
            MockBench.frames(MockBench.BROADCAST, MockBench.PEER, 3, 200, 0).forEach(b::inject);
            b.pump();
            NdisStatisticsInfo s = statistics(b);
            assertThat(s.ifHCOutUcastPkts()).isEqualTo(7);
            assertThat(s.ifHCOutBroadcastPkts()).isEqualTo(2);
            assertThat(s.ifHCInUcastPkts()).isEqualTo(5);
            assertThat(s.ifHCInBroadcastPkts()).isEqualTo(3);
            assertThat(s.ifHCInOctets()).isEqualTo(8 * (200 + 4));
            assertThat(s.ifHCOutOctets()).isEqualTo(9 * (100 + 4));
            b.send(MockBench.frames(MockBench.PEER, MockBench.MAC, 1, 100, 0));
            assertThat(statistics(b).ifHCOutUcastPkts()).isEqualTo(8);
        }
    }

    @Test
    void linkLossAndReturnAreIndicatedAsLinkState() {
        try (MockBench b = new MockBench()) {
            b.running();
            int before = b.edge.linkStates().size();
            b.wire.setLink(false);
            b.pump();
            b.wire.setLink(true);
            b.host.idle(Duration.ofMillis(700));
            List<NdisLinkState> states = b.edge.linkStates().subList(before, b.edge.linkStates().size());
            assertThat(states).extracting(NdisLinkState::mediaConnectState).containsExactly(
                    MediaConnectState.MediaConnectStateDisconnected, MediaConnectState.MediaConnectStateConnected);
            assertThat(states.get(1).xmitLinkSpeed()).isEqualTo(1_000_000_000L);
        }
    }

    @Test
    void jumboFramesOf9014BytesTravelBothWaysWithRlpmlAsTheLimit() {
        try (MockBench b = new MockBench("mock:82576", "*JumboPacket = 9014")) {
            b.running();
            assertThat(b.readRegister(Regs82576.RLPML)).isEqualTo(9014 + 8);
            assertThat(b.readRegister(Regs82576.SRRCTL(0)) & Srrctl.BSIZEPKT_MASK).isEqualTo(16);
            assertThat(b.adapter.generalAttributes().mtuSize()).isEqualTo(9000);
            byte[] big = MockBench.frame(MockBench.PEER, MockBench.MAC, 9014, 1);
            b.send(List.of(big));
            assertThat(b.wire.captured()).containsExactly(big);
            byte[] in = MockBench.frame(MockBench.MAC, MockBench.PEER, 9014, 2);
            b.inject(in);
            b.pump();
            assertThat(b.edge.received()).containsExactly(in);
            b.send(List.of(MockBench.frame(MockBench.PEER, MockBench.MAC, 9015, 3)));
            assertThat(b.edge.lastFailureStatus()).isEqualTo(NdisStatus.INVALID_LENGTH);
            assertThat(b.wire.captured()).hasSize(1);
        }
    }

    @Test
    void theRingsWrapManyTimesWithoutLosingOrReorderingAFrame() {
        try (MockBench b = new MockBench("mock:82576", "*ReceiveBuffers = 64\n*TransmitBuffers = 64")) {
            b.running();
            b.wire.setCaptureLimit(20_000);
            b.edge.keepFrames(false);
            int total = 5_000;
            List<byte[]> all = MockBench.frames(MockBench.PEER, MockBench.MAC, total, 60, 0);
            for (int i = 0; i < total; i += 200) {
                b.send(all.subList(i, i + 200));
            }
            assertThat(b.wire.captured()).containsExactlyElementsOf(all);
            assertThat(b.edge.completedOk()).isEqualTo(total);
            for (int i = 0; i < total; i++) {
                b.inject(MockBench.frame(MockBench.MAC, MockBench.PEER, 60, i));
                if (i % 32 == 31) {
                    b.pump();
                }
            }
            b.pump();
            assertThat(b.edge.receivedCount()).isEqualTo(total);
            assertThat(statistics(b).ifHCInUcastPkts()).isEqualTo(total);
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

    // ---- faults ----------------------------------------------------------------------------------

    @ParameterizedTest(name = "{0}")
    @CsvSource({
        "reset-stuck, CTRL.RST",
        "nvm-autoread-stuck, EECD.AUTO_RD",
        "nvm-checksum, 0xBABB",
        "eerd-stuck, EERD.DONE",
        "mdic-error, MDIC",
        "mdic-stuck, MDIC.READY",
        "all-ones, identity=ffff:ffff"})
    void aFaultDuringInitializationFailsItNamesTheCauseAndReleasesEverything(String fault, String named) {
        try (MockBench b = new MockBench("mock:82576?fault=" + fault, "")) {
            b.add();
            assertThat(b.adapter.initStatus()).isEqualTo(NdisStatus.FAILURE);
            assertThat(b.adapter.state()).isEqualTo(AdapterState.HALTED);
            assertThat(b.adapter.heldResources()).isEmpty();
            assertThat(b.device.dmaAllocator().liveRegions()).isZero();
            assertThat(b.device.configSpace().busMaster()).isFalse();
            assertThat(b.initFailure()).contains(named);
            assertThat(b.host.verifier().verdict().passed()).as(b.host.verifier().violations().toString()).isTrue();
            assertThat(b.host.unloadDriver(b.loaded)).isEqualTo(NdisStatus.SUCCESS);
        }
    }

    @Test
    void linkDownInitializesDisconnectedAndQueuedSendsCompleteWithPausedOnPause() {
        try (MockBench b = new MockBench("mock:82576?fault=link-down", "")) {
            b.add();
            FrameEdge.setPacketFilter(b.host, b.adapter, MockBench.DEFAULT_FILTER);
            assertThat(b.host.restart(b.adapter)).isEqualTo(NdisStatus.SUCCESS);
            assertThat(Miniport82576.awaitLinkUp(b.host, b.adapter, Duration.ofSeconds(2))).isFalse();
            assertThat(b.adapter.linkState().mediaConnectState()).isEqualTo(MediaConnectState.MediaConnectStateDisconnected);
            FrameEdge.send(b.host, b.adapter, b.sendPool(), List.of(MockBench.frame(MockBench.PEER, MockBench.MAC, 64, 1)));
            b.pump();
            assertThat(b.edge.completedOk() + b.edge.completedFailed()).as("waits for the link").isZero();
            b.host.pause(b.adapter);
            assertThat(b.host.awaitState(b.adapter, AdapterState.PAUSED, Duration.ofSeconds(1))).isTrue();
            assertThat(b.edge.lastFailureStatus()).isEqualTo(NdisStatus.PAUSED);
            assertThat(b.wire.captured()).isEmpty();
            assertThat(b.host.verifier().verdict().passed()).isTrue();
        }
    }

    @Test
    void linkFlapDropsTheLinkEveryFewFramesButEveryFrameArrivesOnceInOrder() {
        try (MockBench b = new MockBench("mock:82576?fault=link-flap@5", "")) {
            b.running();
            List<byte[]> out = MockBench.frames(MockBench.PEER, MockBench.MAC, 20, 80, 0);
            for (byte[] f : out) {
                b.send(List.of(f));
                b.host.idle(Duration.ofMillis(600));
            }
            assertThat(b.wire.captured()).containsExactlyElementsOf(out);
            assertThat(b.edge.completedOk()).isEqualTo(20);
            assertThat(b.edge.linkStates()).extracting(NdisLinkState::mediaConnectState)
                    .contains(MediaConnectState.MediaConnectStateDisconnected);
            assertThat(b.device.model(E82576Model.class).counter(E82576Model.Counter.LINK_FLAPS)).isGreaterThanOrEqualTo(3);
            assertThat(b.host.verifier().verdict().passed()).isTrue();
        }
    }

    @Test
    void checkForHangDetectsAStuckTransmitterAndResetRecoversWithoutSendingAFrameTwice() {
        try (MockBench b = new MockBench("mock:82576?fault=tx-hang&after=10", "")) {
            b.running();
            List<byte[]> out = MockBench.frames(MockBench.PEER, MockBench.MAC, 25, 80, 0);
            b.send(out);
            assertThat(b.wire.captured()).hasSize(10);
            assertThat(b.edge.completedOk()).isEqualTo(10);
            b.host.idle(Duration.ofSeconds(12));
            assertThat(b.nic().resets()).isEqualTo(2);
            assertThat(b.wire.captured()).containsExactlyElementsOf(out);
            assertThat(b.edge.completedOk()).isEqualTo(25);
            assertThat(statistics(b).ifHCOutUcastPkts()).isEqualTo(25);
            assertThat(b.host.verifier().verdict().passed()).isTrue();
        }
    }

    @Test
    void aReceivedLengthLargerThanTheBufferIsDroppedNotIndicated() {
        try (MockBench b = new MockBench("mock:82576?fault=rx-length@2", "")) {
            b.running();
            List<byte[]> in = MockBench.frames(MockBench.MAC, MockBench.PEER, 5, 100, 0);
            in.forEach(b::inject);
            b.pump();
            assertThat(b.edge.received()).containsExactly(in.get(0), in.get(1), in.get(3), in.get(4));
            assertThat(b.nic().dataPath().rxDropped()).isEqualTo(1);
            assertThat(b.host.verifier().verdict().passed()).isTrue();
        }
    }

    @Test
    void aDeviceThatDisappearsIsHaltedAsSurpriseRemovedWithoutTouchingIt() {
        try (MockBench b = new MockBench("mock:82576?fault=all-ones@3", "")) {
            b.running();
            b.send(MockBench.frames(MockBench.PEER, MockBench.MAC, 3, 64, 0));
            E82576Model model = b.device.model(E82576Model.class);
            assertThat(model.removed()).isTrue();
            assertThat(b.readRegister(Regs82576.STATUS)).isEqualTo(-1);
            b.host.pause(b.adapter);
            b.host.halt(b.adapter, HaltAction.NdisHaltDeviceSurpriseRemoved);
            assertThat(b.adapter.state()).isEqualTo(AdapterState.HALTED);
            assertThat(b.adapter.heldResources()).isEmpty();
            assertThat(b.device.dmaAllocator().liveRegions()).isZero();
        }
    }

    @Test
    void anInterruptStormDoesNotStopTrafficAndTheLinkStaysConnected() {
        try (MockBench b = new MockBench("mock:82576?fault=irq-storm@2", "")) {
            b.running();
            List<byte[]> out = MockBench.frames(MockBench.PEER, MockBench.MAC, 10, 64, 0);
            b.send(out);
            b.host.idle(Duration.ofMillis(50));
            assertThat(b.wire.captured()).containsExactlyElementsOf(out);
            E82576Model model = b.device.model(E82576Model.class);
            assertThat(model.counter(E82576Model.Counter.IRQ_STORM_TICKS)).isGreaterThan(100);
            assertThat(model.interrupts().armed().events(IntelAdapter.VECTOR_OTHER)).isGreaterThan(100);
            assertThat(b.adapter.linkState().mediaConnectState()).isEqualTo(MediaConnectState.MediaConnectStateConnected);
            assertThat(b.host.verifier().verdict().passed()).isTrue();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"1", "2", "3"})
    void aStormingLinkCauseIsMaskedOnceAndLoggedOnceWhileTrafficKeepsFlowing(String mode) {
        try (MockBench b = new MockBench("mock:82576?fault=irq-storm@2", "InterruptMode = " + mode)) {
            b.running();
            List<byte[]> out = MockBench.frames(MockBench.PEER, MockBench.MAC, 20, 64, 0);
            b.send(out);
            b.pump();
            assertThat(b.wire.captured()).as("sent during the storm").containsExactlyElementsOf(out);

            b.host.idle(Duration.ofSeconds(5));                     // two CheckForHang periods
            assertThat(b.nic().linkCauseMasked()).isTrue();
            assertThat(b.adapter.errorLog()).singleElement().asString().contains("interrupt storm", "ICR.LSC", "masked");
            assertThat(b.readRegister(Regs82576.IMS) & Icr.LSC).as("LSC masked").isZero();

            List<byte[]> more = MockBench.frames(MockBench.PEER, MockBench.MAC, 20, 64, 20);
            b.send(more);
            b.pump();
            assertThat(b.wire.captured()).hasSize(40).doesNotHaveDuplicates();
            assertThat(b.edge.completedOk()).isEqualTo(40);
            byte[] in = MockBench.frame(MockBench.MAC, MockBench.PEER, 64, 7);
            b.inject(in);
            b.pump();
            assertThat(b.edge.received()).containsExactly(in);
            assertThat(b.adapter.linkState().mediaConnectState()).isEqualTo(MediaConnectState.MediaConnectStateConnected);
            b.host.idle(Duration.ofSeconds(5));
            assertThat(b.adapter.errorLog()).as("logged once").hasSize(1);
            assertThat(b.host.verifier().verdict().passed()).isTrue();
        }
    }

    @Test
    void aLinkChangeWhoseInterruptWasLostIsSeenByCheckForHangWithinTwoSeconds() {
        try (MockBench b = new MockBench()) {
            b.running();
            b.device.bar(0).write32(Regs82576.IMC, 0xFFFF_FFFF);      // no interrupt will tell the driver
            b.device.bar(0).write32(Regs82576.EIMC, 0xFFFF_FFFF);
            b.wire.setLink(false);
            b.host.idle(Duration.ofMillis(2100));
            assertThat(b.adapter.linkState().mediaConnectState()).isEqualTo(MediaConnectState.MediaConnectStateDisconnected);
        }
    }

    @Test
    void aReceiveDmaFaultIsAnIommuFaultAndTheFramesAfterItArriveIntact() {
        try (MockBench b = new MockBench("mock:82576?fault=dma-fault@1", "")) {
            b.running();
            List<byte[]> in = MockBench.frames(MockBench.MAC, MockBench.PEER, 4, 100, 0);
            in.forEach(b::inject);
            b.pump();
            assertThat(b.device.dmaFaults()).hasSize(1);
            assertThat(b.device.dmaFaults().get(0).context()).isEqualTo("rx-buffer");
            List<byte[]> got = b.edge.received();
            assertThat(got).contains(in.get(0), in.get(2), in.get(3));
            assertThat(b.host.verifier().verdict().passed()).isTrue();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"1", "2", "3", "4"})
    void everyInterruptModeAndPollingCarryTraffic(String mode) {
        try (MockBench b = new MockBench("mock:82576", "InterruptMode = " + mode)) {
            b.running();
            List<byte[]> out = MockBench.frames(MockBench.PEER, MockBench.MAC, 5, 64, 0);
            b.send(out);
            b.pump();
            assertThat(b.wire.captured()).containsExactlyElementsOf(out);
            byte[] in = MockBench.frame(MockBench.MAC, MockBench.PEER, 64, 9);
            b.inject(in);
            b.pump();
            b.pump();
            assertThat(b.edge.received()).containsExactly(in);
            assertThat(b.readRegister(Regs82576.GPIE) & Gpie.MSIX_MODE).isEqualTo(mode.equals("1") ? Gpie.MSIX_MODE : 0);
            b.host.pause(b.adapter);
            SelfTestResult r = E82576Diagnostics.of(b.host, b.driver, b.adapter).interruptTest();
            assertThat(r.outcome()).as(r.reason()).isEqualTo(mode.equals("4") ? SelfTestResult.Outcome.SKIPPED
                    : SelfTestResult.Outcome.PASS);
        }
    }

    @Test
    void sendsWhilePausedAreCompletedWithPaused() {
        try (MockBench b = new MockBench()) {
            b.running();
            var pool = b.sendPool();
            b.host.pause(b.adapter);
            FrameEdge.send(b.host, b.adapter, pool, List.of(MockBench.frame(MockBench.PEER, MockBench.MAC, 64, 1)));
            assertThat(b.edge.lastFailureStatus()).isEqualTo(NdisStatus.PAUSED);
            assertThat(b.wire.captured()).isEmpty();
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

    private static NdisStatisticsInfo statistics(MockBench b) {
        OidResult r = b.host.query(b.adapter, Oid.GEN_STATISTICS, NdisStatisticsInfo.SIZEOF_REVISION_1).join();
        assertThat(r.status()).isEqualTo(NdisStatus.SUCCESS);
        return NdisStatisticsInfo.read(r.request().informationBuffer(), 0);
    }

    /** Every send accounted for after a surprise removal: see {@link SurpriseRemovalCheck}. */
    @Test
    void aSurpriseRemovalFailsWhatTheRingHeldAndAbortsWhatNeverReachedItAndPausesAtOnce() {
        try (MockBench b = new MockBench("mock:82576?fault=all-ones@5", "*TransmitBuffers = 64")) {
            b.running();
            SurpriseRemovalCheck.removeMidSendAndAssertEverySendAccountedFor(b, MockBench.MAC, 63,
                    "one slot stays empty");
        }
    }
}

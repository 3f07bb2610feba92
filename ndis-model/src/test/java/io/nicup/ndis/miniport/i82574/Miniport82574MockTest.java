package io.nicup.ndis.miniport.i82574;

import static org.assertj.core.api.Assertions.assertThat;

import io.nicup.mock.e82574.E82574Model;
import io.nicup.ndis.MacAddress;
import io.nicup.ndis.NdisStatus;
import io.nicup.ndis.adapter.AdapterState;
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
import org.junit.jupiter.params.provider.ValueSource;

/** The 82574L miniport over {@code mock:82574L}: lifecycle, data path, OIDs, faults. */
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
            assertThat(b.readRegister(Regs82574.RCTL) & (Rctl.BAM | Rctl.UPE | Rctl.MPE)).isZero();

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
            assertThat(b.readRegister(Regs82574.RCTL) & (Rctl.UPE | Rctl.MPE)).isEqualTo(Rctl.UPE | Rctl.MPE);

            b.edge.clearReceived();
            FrameEdge.setPacketFilter(b.host, b.adapter, 0);
            List.of(directed, broadcast, toOther).forEach(b::inject);
            b.pump();
            assertThat(b.edge.received()).isEmpty();
            OidResult q = b.host.query(b.adapter, Oid.GEN_CURRENT_PACKET_FILTER, 4).join();
            assertThat(q.ulong()).isZero();
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
            int hash = E82574Hardware.multicastHash(g1.bytes(), 0);
            assertThat(b.readRegister(Regs82574.MTA(hash >>> 5)) & 1 << (hash & 31)).isNotZero();
            OidResult bad = b.host.set(b.adapter, Oid.OID_802_3_MULTICAST_LIST, new byte[7]).join();
            assertThat(bad.status()).isEqualTo(NdisStatus.INVALID_LENGTH);
            OidResult full = b.host.set(b.adapter, Oid.OID_802_3_MULTICAST_LIST, new byte[6 * 65]).join();
            assertThat(full.status()).isEqualTo(NdisStatus.MULTICAST_FULL);
            FrameEdge.setMulticastList(b.host, b.adapter, List.of());
            b.edge.clearReceived();
            b.inject(f1);
            b.pump();
            assertThat(b.edge.received()).isEmpty();
        }
    }

    @Test
    void statisticsMatchTheFramesSentAndReceived() {
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
            assertThat(s.ifHCInOctets()).isEqualTo(8 * (200 + 4));  // the chip counts the FCS
            assertThat(s.ifHCOutOctets()).isEqualTo(9 * (100 + 4));
            // counters accumulate across reads (the chip's clear on read)
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
            assertThat(b.adapter.linkState().mediaConnectState()).isEqualTo(MediaConnectState.MediaConnectStateConnected);
        }
    }

    @Test
    void jumboFramesOf9014BytesTravelBothWays() {
        try (MockBench b = new MockBench("mock:82574L", "*JumboPacket = 9014")) {
            b.running();
            assertThat(b.readRegister(Regs82574.RCTL) & Rctl.LPE).isEqualTo(Rctl.LPE);
            assertThat(b.adapter.generalAttributes().mtuSize()).isEqualTo(9000);
            byte[] big = MockBench.frame(MockBench.PEER, MockBench.MAC, 9014, 1);
            b.send(List.of(big));
            assertThat(b.wire.captured()).containsExactly(big);
            byte[] in = MockBench.frame(MockBench.MAC, MockBench.PEER, 9014, 2);
            b.inject(in);
            b.pump();
            assertThat(b.edge.received()).containsExactly(in);
            // larger than *JumboPacket: rejected, not sent
            b.send(List.of(MockBench.frame(MockBench.PEER, MockBench.MAC, 9015, 3)));
            assertThat(b.edge.lastFailureStatus()).isEqualTo(NdisStatus.INVALID_LENGTH);
            assertThat(b.wire.captured()).hasSize(1);
        }
    }

    @Test
    void theRingsWrapManyTimesWithoutLosingOrReorderingAFrame() {
        try (MockBench b = new MockBench("mock:82574L", "*ReceiveBuffers = 64\n*TransmitBuffers = 64")) {
            b.running();
            b.wire.setCaptureLimit(20_000);
            b.edge.keepFrames(false);
            int total = 10_000;
            List<byte[]> all = MockBench.frames(MockBench.PEER, MockBench.MAC, total, 60, 0);
            for (int i = 0; i < total; i += 200) {
                b.send(all.subList(i, i + 200));   // more than the ring: the rest waits in the queue
            }
            assertThat(seqs(b.wire.captured())).containsExactlyElementsOf(seqs(all));
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

    @ParameterizedTest
    @ValueSource(strings = {"reset-stuck", "nvm-checksum", "eerd-stuck", "mdic-error", "nvm-autoread-stuck"})
    void anInjectedHardwareFaultFailsInitializationAndReleasesEverything(String fault) {
        try (MockBench b = new MockBench("mock:82574L?fault=" + fault, "")) {
            b.add();
            assertThat(b.adapter.initStatus()).isEqualTo(NdisStatus.FAILURE);
            assertThat(b.adapter.state()).isEqualTo(AdapterState.HALTED);
            assertThat(b.adapter.heldResources()).isEmpty();
            assertThat(b.device.dmaAllocator().liveRegions()).isZero();
            assertThat(b.device.configSpace().busMaster()).isFalse();
            assertThat(b.initFailure()).isNotBlank();
            assertThat(b.host.verifier().verdict().passed()).isTrue();
            assertThat(b.host.unloadDriver(b.loaded)).isEqualTo(NdisStatus.SUCCESS);
        }
    }

    @Test
    void aFailedNvmChecksumIsNamedInTheFailure() {
        try (MockBench b = new MockBench("mock:82574L?fault=nvm-checksum", "")) {
            b.add();
            assertThat(b.initFailure()).contains("NVM checksum invalid", "0xBABB");
        }
    }

    @Test
    void checkForHangDetectsAStuckTransmitterAndResetRecoversWithoutSendingAFrameTwice() {
        try (MockBench b = new MockBench("mock:82574L?fault=tx-hang&after=10", "")) {
            b.running();
            List<byte[]> out = MockBench.frames(MockBench.PEER, MockBench.MAC, 25, 80, 0);
            b.send(out);
            assertThat(b.wire.captured()).hasSize(10);
            assertThat(b.edge.completedOk()).isEqualTo(10);
            // The fault stops TDH after every 10 frames since a reset: 25 frames need two hang-reset rounds
            // (CheckForHang every 2 s sees TDH still twice, NDIS calls MiniportResetEx, the link returns).
            b.host.idle(Duration.ofSeconds(12));
            assertThat(b.nic().resets()).isEqualTo(2);
            assertThat(seqs(b.wire.captured())).containsExactlyElementsOf(seqs(out));
            assertThat(b.edge.completedOk()).isEqualTo(25);
            assertThat(statistics(b).ifHCOutUcastPkts()).isEqualTo(25);
            assertThat(b.host.verifier().verdict().passed()).isTrue();
        }
    }

    @Test
    void aSurpriseRemovalMidTrafficFailsTheSendsInFlightAndHaltsAsSurpriseRemoved() {
        try (MockBench b = new MockBench("mock:82574L?fault=all-ones@5", "")) {
            b.running();
            List<byte[]> out = MockBench.frames(MockBench.PEER, MockBench.MAC, 20, 64, 0);
            FrameEdge.send(b.host, b.adapter, b.sendPool(), out);
            b.pump();
            assertThat(b.wire.captured()).as("the device died after 5 frames").hasSize(5);
            assertThat(b.device.configSpace().read16(0)).isEqualTo(0xFFFF);

            IntelAdapter<Chip82574> nic = b.nic();
            b.host.surpriseRemove(b.adapter);                      // what the PnP manager does

            assertThat(b.adapter.state()).isEqualTo(AdapterState.HALTED);
            assertThat(b.edge.completedOk() + b.edge.completedFailed()).as("every send came back").isEqualTo(20);
            assertThat(b.device.dmaAllocator().liveRegions()).isZero();
            assertThat(nic.surpriseRemoved()).isTrue();
            assertThat(b.host.trace().toHumanString()).contains("SurpriseRemoveAdapter", "MiniportDevicePnPEventNotify",
                    "MiniportPause", "MiniportHaltEx");
            assertThat(b.host.verifier().verdict().passed()).as(b.host.verifier().violations().toString()).isTrue();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"1", "2", "3"})
    void anInterruptStormIsMaskedOnceWhileTrafficKeepsFlowingBothWays(String mode) {
        try (MockBench b = new MockBench("mock:82574L?fault=irq-storm", "InterruptMode = " + mode)) {
            b.running();
            List<byte[]> out = MockBench.frames(MockBench.PEER, MockBench.MAC, 20, 64, 0);
            b.send(out);
            b.inject(MockBench.frame(MockBench.MAC, MockBench.PEER, 64, 100));
            b.pump();
            assertThat(b.wire.captured()).as("sent during the storm").containsExactlyElementsOf(out);
            assertThat(b.edge.received()).as("received during the storm").hasSize(1);

            b.host.idle(Duration.ofSeconds(5));                     // two CheckForHang periods
            assertThat(b.nic().linkCauseMasked()).isTrue();
            assertThat(b.adapter.errorLog()).singleElement().asString().contains("interrupt storm", "ICR.LSC");
            assertThat(b.readRegister(Regs82574.IMS) & Icr.LSC).as("LSC masked").isZero();

            List<byte[]> more = MockBench.frames(MockBench.PEER, MockBench.MAC, 20, 64, 20);
            b.send(more);
            assertThat(seqs(b.wire.captured())).hasSize(40).doesNotHaveDuplicates();
            assertThat(b.edge.completedOk()).isEqualTo(40);
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
            b.device.bar(0).write32(Regs82574.IMC, 0xFFFF_FFFF);      // no interrupt will tell the driver
            b.wire.setLink(false);
            b.host.idle(Duration.ofMillis(2100));
            assertThat(b.adapter.linkState().mediaConnectState()).isEqualTo(MediaConnectState.MediaConnectStateDisconnected);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"1", "2", "3", "4"})
    void everyInterruptModeAndPollingCarryTraffic(String mode) {
        try (MockBench b = new MockBench("mock:82574L", "InterruptMode = " + mode)) {
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
            assertThat(b.edge.completedOk()).isEqualTo(5);
            SelfTestResult r = pausedInterruptTest(b);
            assertThat(r.outcome()).isEqualTo(mode.equals("4") ? SelfTestResult.Outcome.SKIPPED
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

    /** The sequence numbers MockBench.frame wrote (for short failure messages). */
    private static List<Integer> seqs(List<byte[]> frames) {
        return frames.stream().map(f -> (f[14] & 0xFF) << 24 | (f[15] & 0xFF) << 16 | (f[16] & 0xFF) << 8 | f[17] & 0xFF)
                .toList();
    }

    private static SelfTestResult pausedInterruptTest(MockBench b) {
        b.host.pause(b.adapter);
        return E82574Diagnostics.of(b.host, b.driver, b.adapter).interruptTest();
    }

    private static NdisStatisticsInfo statistics(MockBench b) {
        OidResult r = b.host.query(b.adapter, Oid.GEN_STATISTICS, NdisStatisticsInfo.SIZEOF_REVISION_1).join();
        assertThat(r.status()).isEqualTo(NdisStatus.SUCCESS);
        return NdisStatisticsInfo.read(r.request().informationBuffer(), 0);
    }

    /** Every send accounted for after a surprise removal: see {@link SurpriseRemovalCheck}. */
    @Test
    void aSurpriseRemovalFailsWhatTheRingHeldAndAbortsWhatNeverReachedItAndPausesAtOnce() {
        try (MockBench b = new MockBench("mock:82574L?fault=all-ones@5", "*TransmitBuffers = 64")) {
            b.running();
            SurpriseRemovalCheck.removeMidSendAndAssertEverySendAccountedFor(b, MockBench.MAC, 63,
                    "one slot stays empty");
        }
    }
}

package io.nicup.ndis.miniport.virtio;

import static org.assertj.core.api.Assertions.assertThat;

import io.nicup.mock.RegisterAccess;
import io.nicup.mock.virtio.VirtioNetModel.Counter;
import io.nicup.mock.virtio.VirtioNetModel;
import io.nicup.ndis.MacAddress;
import io.nicup.ndis.NdisStatus;
import io.nicup.ndis.adapter.AdapterState;
import io.nicup.ndis.driver.LoadedDriver;
import io.nicup.ndis.miniport.MiniportCatalog;
import io.nicup.ndis.miniport.Miniports;
import io.nicup.ndis.miniport.SurpriseRemovalCheck;
import io.nicup.ndis.miniport.core.SelfTestResult.Outcome;
import io.nicup.ndis.miniport.core.SelfTestResult;
import io.nicup.ndis.oid.MediaConnectState;
import io.nicup.ndis.oid.NdisLinkState;
import io.nicup.ndis.oid.NdisPacketFilter;
import io.nicup.ndis.oid.NdisStatisticsInfo;
import io.nicup.ndis.oid.Oid;
import io.nicup.ndis.oid.OidResult;
import io.nicup.ndis.protocol.FrameEdge;
import java.lang.foreign.ValueLayout;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The virtio-net miniport over {@code mock:virtio-net}: lifecycle, negotiation, data path, OIDs, faults. */
class MiniportVirtioNetMockTest {

    private static final long NEGOTIATED = Features.F_VERSION_1 | Features.F_ACCESS_PLATFORM | Features.NET_F_MAC
            | Features.NET_F_STATUS | Features.NET_F_CTRL_VQ | Features.NET_F_CTRL_RX;

    @Test
    void theWholeLifecycleRunsCleanAndLeavesTheDeviceReset() {
        try (VirtioBench b = new VirtioBench()) {
            b.add();
            assertThat(b.adapter.initStatus()).isEqualTo(NdisStatus.SUCCESS);
            assertThat(b.adapter.state()).isEqualTo(AdapterState.PAUSED);
            assertThat(b.device.configSpace().busMaster()).isTrue();
            assertThat(b.host.restart(b.adapter)).isEqualTo(NdisStatus.SUCCESS);
            assertThat(b.host.pause(b.adapter)).isEqualTo(NdisStatus.SUCCESS);
            b.halt();
            assertThat(b.adapter.state()).isEqualTo(AdapterState.HALTED);
            assertThat(b.adapter.heldResources()).isEmpty();
            assertThat(b.device.dmaAllocator().liveRegions()).isZero();
            assertThat(b.device.configSpace().busMaster()).isFalse();
            assertThat(b.model().deviceStatus()).as("halt resets the device: no DMA into freed rings").isZero();
            assertThat(b.model().interrupts().armed()).isNull();
            assertThat(b.host.unloadDriver(b.loaded)).isEqualTo(NdisStatus.SUCCESS);
            assertThat(b.loaded.phase()).isEqualTo(LoadedDriver.Phase.UNLOADED);
            assertThat(b.host.verifier().verdict().passed()).as(b.host.verifier().violations().toString()).isTrue();
        }
    }

    @Test
    void initializationFollowsTheSpecSequenceWithFieldWidthAccessesOnly() {
        try (VirtioBench b = new VirtioBench()) {
            b.add();
            VirtioNetModel m = b.model();
            assertThat(m.deviceStatus()).isEqualTo(DeviceStatus.ACKNOWLEDGE | DeviceStatus.DRIVER
                    | DeviceStatus.FEATURES_OK | DeviceStatus.DRIVER_OK);
            assertThat(m.driverFeatures()).as(Features.decode(m.driverFeatures())).isEqualTo(NEGOTIATED);
            assertThat(m.configVector()).isEqualTo(VirtioQueues.VECTOR_CONFIG);
            for (int q = 0; q < 3; q++) {
                assertThat(m.queueEnabled(q)).isTrue();
                assertThat(m.queueVector(q)).isEqualTo(q + 1);
            }
            assertThat(m.queueSize(0)).isEqualTo(256);
            assertThat(m.queueSize(1)).isEqualTo(256);
            assertThat(m.notedAccesses()).as("no wrong-width access, no queue_enable=0, no notify before DRIVER_OK")
                    .extracting(RegisterAccess::kind).doesNotContain("width", "queue-enable-0", "notify-unknown");
        }
    }

    @Test
    void theMacComesFromTheDeviceConfigurationAndTheSpecParameter() {
        try (VirtioBench b = new VirtioBench("mock:virtio-net?mac=02:11:22:33:44:55")) {
            b.add();
            assertThat(b.adapter.generalAttributes().permanentMacAddress()).isEqualTo(MacAddress.parse("02:11:22:33:44:55"));
            assertThat(b.adapter.generalAttributes().currentMacAddress()).isEqualTo(MacAddress.parse("02:11:22:33:44:55"));
        }
    }

    @Test
    void aDeviceWithoutOptionalFeaturesIsDrivenWithARandomLocalMacAndTheFilterInSoftware() {
        try (VirtioBench b = new VirtioBench("mock:virtio-net?fault=no-optional-features")) {
            b.running(NdisPacketFilter.DIRECTED);
            assertThat(b.model().driverFeatures()).isEqualTo(Features.F_VERSION_1);
            MacAddress mac = b.adapter.generalAttributes().currentMacAddress();
            assertThat(mac.bytes()[0] & 0x03).as("locally administered unicast: " + mac).isEqualTo(0x02);
            assertThat(mac).isNotEqualTo(VirtioBench.MAC);
            assertThat(b.nic().queues.ctrl).as("no control queue").isNull();
            byte[] toUs = VirtioBench.frame(mac, VirtioBench.PEER, 64, 1);
            byte[] toOther = VirtioBench.frame(VirtioBench.PEER, VirtioBench.PEER, 64, 2);
            byte[] broadcast = VirtioBench.frame(VirtioBench.BROADCAST, VirtioBench.PEER, 64, 3);
            List.of(toUs, toOther, broadcast).forEach(b::inject);
            b.pump();
            assertThat(b.edge.received()).containsExactly(toUs);
            assertThat(b.nic().queues.rx.filtered).isEqualTo(2);
            List<byte[]> out = VirtioBench.frames(VirtioBench.PEER, mac, 3, 100, 0);
            b.send(out);
            assertThat(b.wire.captured()).containsExactlyElementsOf(out);
            b.host.pause(b.adapter);
            List<SelfTestResult> results = b.diagnostics().runOffline();
            assertThat(results).filteredOn(r -> r.name().equals("interrupt")).singleElement()
                    .extracting(SelfTestResult::outcome).isEqualTo(Outcome.SKIPPED);
            assertThat(results).filteredOn(r -> r.name().equals("link")).singleElement()
                    .satisfies(r -> assertThat(r.reason()).contains("VIRTIO_NET_F_STATUS"));
            assertThat(results).allMatch(SelfTestResult::passed);
        }
    }

    @Test
    void aDeviceThatDoesNotKeepFeaturesOkFailsInitializationNamingIt() {
        try (VirtioBench b = new VirtioBench("mock:virtio-net?fault=features-rejected")) {
            b.add();
            assertThat(b.adapter.initStatus()).isEqualTo(NdisStatus.FAILURE);
            assertThat(b.initFailure()).contains("FEATURES_OK not kept", "device_status=0x03",
                    "VERSION_1 ACCESS_PLATFORM");
            assertThat(b.model().deviceStatus() & DeviceStatus.FAILED).as("3.1.1: FAILED set").isNotZero();
            assertThat(b.adapter.heldResources()).isEmpty();
            assertThat(b.device.dmaAllocator().liveRegions()).isZero();
            assertThat(b.host.verifier().verdict().passed()).isTrue();
        }
    }

    @Test
    void aResetThatNeverCompletesFailsInitializationWithTheRegisterAndLastValue() {
        try (VirtioBench b = new VirtioBench("mock:virtio-net?fault=reset-stuck")) {
            b.add();
            assertThat(b.adapter.initStatus()).isEqualTo(NdisStatus.FAILURE);
            assertThat(b.initFailure()).contains("register=device_status", "last=0x00000003", "timeout_ms=1000");
            assertThat(b.adapter.heldResources()).isEmpty();
            assertThat(b.device.configSpace().busMaster()).isFalse();
        }
    }

    @Test
    void framesGoOutOnTheWireAndComeInFromItByteForByte() {
        try (VirtioBench b = new VirtioBench()) {
            b.running();
            List<byte[]> out = VirtioBench.frames(VirtioBench.PEER, VirtioBench.MAC, 20, 67, 0);
            out.add(VirtioBench.frame(VirtioBench.PEER, VirtioBench.MAC, 1514, 99));
            out.add(VirtioBench.frame(VirtioBench.PEER, VirtioBench.MAC, 14, 100));
            b.send(out);
            assertThat(b.wire.captured()).containsExactlyElementsOf(out);
            assertThat(b.edge.completedOk()).isEqualTo(out.size());
            List<byte[]> in = VirtioBench.frames(VirtioBench.MAC, VirtioBench.PEER, 20, 100, 1000);
            in.add(VirtioBench.frame(VirtioBench.MAC, VirtioBench.PEER, 1514, 2000));
            in.forEach(b::inject);
            b.pump();
            assertThat(b.edge.received()).containsExactlyElementsOf(in);
            // too long for a receive buffer's frame and too short for an Ethernet header: rejected
            b.send(List.of(VirtioBench.frame(VirtioBench.PEER, VirtioBench.MAC, 1515, 3)));
            assertThat(b.edge.lastFailureStatus()).isEqualTo(NdisStatus.INVALID_LENGTH);
            assertThat(b.wire.captured()).hasSize(out.size());
        }
    }

    @Test
    void selfTestsPassAndTheAdapterCarriesTrafficAfterwards() {
        try (VirtioBench b = new VirtioBench()) {
            b.add();
            List<SelfTestResult> results = b.diagnostics().runOffline();
            assertThat(results).extracting(SelfTestResult::name).containsExactly("capabilities", "features", "queues",
                    "interrupt", "link", "loopback");
            assertThat(results.subList(0, 5)).as(results.toString()).allMatch(r -> r.outcome() == Outcome.PASS);
            assertThat(results.get(5).outcome()).isEqualTo(Outcome.SKIPPED);
            assertThat(results.get(0).reason()).contains("COMMON_CFG bar=4 offset=0x0", "NOTIFY_CFG bar=4 offset=0x3000",
                    "notify_off_multiplier=4");
            assertThat(results.get(3).reason()).contains("MSI-X vector 3 fired");
            assertThat(b.model().interrupts().armed().events(VirtioQueues.VECTOR_CTRL)).isPositive();
            FrameEdge.setPacketFilter(b.host, b.adapter, VirtioBench.DEFAULT_FILTER);
            b.host.restart(b.adapter);
            b.send(VirtioBench.frames(VirtioBench.PEER, VirtioBench.MAC, 3, 64, 0));
            assertThat(b.wire.captured()).hasSize(3);
            assertThat(b.host.verifier().verdict().passed()).isTrue();
        }
    }

    @Test
    void offlineSelfTestsRefuseARunningAdapter() {
        try (VirtioBench b = new VirtioBench()) {
            b.running();
            assertThat(b.diagnostics().queueTest().outcome()).isEqualTo(Outcome.FAIL);
            assertThat(b.diagnostics().queueTest().reason()).contains("Paused");
        }
    }

    @Test
    void theQueueTestSeesARingTheDeviceNoLongerHolds() {
        try (VirtioBench b = new VirtioBench()) {
            b.add();
            b.device.bar(4).write16(VirtioNetModel.COMMON_OFFSET + CommonCfg.QUEUE_SELECT, (short) 1);
            b.device.bar(4).write32(VirtioNetModel.COMMON_OFFSET + CommonCfg.QUEUE_DESC, 0x1234_0000);
            SelfTestResult r = b.diagnostics().queueTest();
            assertThat(r.outcome()).isEqualTo(Outcome.FAIL);
            assertThat(r.reason()).contains("transmitq1", "queue_desc=0x112340000");
        }
    }

    @Test
    void theRegisterDumpNamesTheSpecFieldsAndLeavesIsrAloneUnlessAsked() {
        try (VirtioBench b = new VirtioBench()) {
            b.running();
            String dump = String.join("\n", b.diagnostics().registerDump().stream().map(Object::toString).toList());
            assertThat(dump).contains("device_feature[1]", "VERSION_1 ACCESS_PLATFORM", "driver_feature[0]",
                    "MAC STATUS CTRL_VQ CTRL_RX", "config_msix_vector", "vector 0", "num_queues", "device_status",
                    "ACKNOWLEDGE DRIVER FEATURES_OK DRIVER_OK", "config_generation", "q1.queue_size", "transmitq1",
                    "q2.queue_msix_vector", "vector 3", "q1.queue_notify_off", "doorbell at BAR4+0x3004", "q0.queue_desc",
                    "mac ", "52:54:00:12:34:57", "status ", "LINK_UP");
            assertThat(dump).doesNotContain("isr_status");
            assertThat(b.diagnostics().registerDump(true)).extracting(r -> r.name()).contains("isr_status");
            assertThat(b.diagnostics().counters()).containsKeys("rxq0_frames", "txq0_frames", "ctrlq_commands",
                    "config_interrupts");
            assertThat(b.diagnostics().loopback()).isEmpty();
        }
    }

    @Test
    void thePacketFilterGoesToTheDeviceThroughTheControlQueue() {
        try (VirtioBench b = new VirtioBench()) {
            b.running(NdisPacketFilter.DIRECTED);
            VirtioNetModel m = b.model();
            assertThat(m.promiscuous()).as("QEMU starts promiscuous; the driver turns it off").isFalse();
            assertThat(m.unicastTable()).isEqualTo(VirtioBench.MAC.bytes());
            MacAddress other = MacAddress.parse("02:00:00:00:00:77");
            byte[] directed = VirtioBench.frame(VirtioBench.MAC, VirtioBench.PEER, 64, 1);
            byte[] broadcast = VirtioBench.frame(VirtioBench.BROADCAST, VirtioBench.PEER, 64, 2);
            byte[] toOther = VirtioBench.frame(other, VirtioBench.PEER, 64, 3);
            List.of(directed, broadcast, toOther).forEach(b::inject);
            b.pump();
            assertThat(b.edge.received()).containsExactly(directed);
            assertThat(m.counter(Counter.RX_FILTERED)).as("the device dropped the frame to another MAC").isEqualTo(1);

            b.edge.clearReceived();
            FrameEdge.setPacketFilter(b.host, b.adapter, NdisPacketFilter.DIRECTED | NdisPacketFilter.BROADCAST);
            List.of(directed, broadcast, toOther).forEach(b::inject);
            b.pump();
            assertThat(b.edge.received()).containsExactly(directed, broadcast);

            b.edge.clearReceived();
            FrameEdge.setPacketFilter(b.host, b.adapter, NdisPacketFilter.PROMISCUOUS);
            assertThat(m.promiscuous()).isTrue();
            List.of(directed, broadcast, toOther).forEach(b::inject);
            b.pump();
            assertThat(b.edge.received()).containsExactly(directed, broadcast, toOther);

            FrameEdge.setPacketFilter(b.host, b.adapter, NdisPacketFilter.ALL_MULTICAST);
            assertThat(m.promiscuous()).isFalse();
            assertThat(m.allMulticast()).isTrue();
            b.edge.clearReceived();
            FrameEdge.setPacketFilter(b.host, b.adapter, 0);
            List.of(directed, broadcast, toOther).forEach(b::inject);
            b.pump();
            assertThat(b.edge.received()).isEmpty();
            assertThat(b.host.query(b.adapter, Oid.GEN_CURRENT_PACKET_FILTER, 4).join().ulong()).isZero();
            assertThat(b.nic().queues.ctrl.failures).isZero();
        }
    }

    @Test
    void theMulticastListGoesIntoTheMacTableAndOnlyListedGroupsArrive() {
        try (VirtioBench b = new VirtioBench()) {
            b.running(NdisPacketFilter.DIRECTED | NdisPacketFilter.MULTICAST);
            MacAddress g1 = MacAddress.parse("01:00:5e:00:00:01");
            MacAddress g2 = MacAddress.parse("33:33:00:00:00:fb");
            MacAddress unlisted = MacAddress.parse("01:00:5e:7f:12:34");
            assertThat(FrameEdge.setMulticastList(b.host, b.adapter, List.of(g1, g2)).status()).isEqualTo(NdisStatus.SUCCESS);
            byte[] table = new byte[12];
            System.arraycopy(g1.bytes(), 0, table, 0, 6);
            System.arraycopy(g2.bytes(), 0, table, 6, 6);
            assertThat(b.model().multicastTable()).isEqualTo(table);
            byte[] f1 = VirtioBench.frame(g1, VirtioBench.PEER, 64, 1);
            byte[] f2 = VirtioBench.frame(g2, VirtioBench.PEER, 64, 2);
            byte[] f3 = VirtioBench.frame(unlisted, VirtioBench.PEER, 64, 3);
            List.of(f1, f2, f3).forEach(b::inject);
            b.pump();
            assertThat(b.edge.received()).containsExactly(f1, f2);
            assertThat(b.host.set(b.adapter, Oid.OID_802_3_MULTICAST_LIST, new byte[7]).join().status())
                    .isEqualTo(NdisStatus.INVALID_LENGTH);
            assertThat(b.host.set(b.adapter, Oid.OID_802_3_MULTICAST_LIST, new byte[6 * 65]).join().status())
                    .isEqualTo(NdisStatus.MULTICAST_FULL);
            FrameEdge.setMulticastList(b.host, b.adapter, List.of());
            assertThat(b.model().multicastTable()).isEmpty();
            b.edge.clearReceived();
            b.inject(f1);
            b.pump();
            assertThat(b.edge.received()).isEmpty();
        }
    }

    @Test
    void statisticsCountWhatWasSentAndReceivedByDestinationKind() {
        try (VirtioBench b = new VirtioBench()) {
            b.running();
            b.send(VirtioBench.frames(VirtioBench.PEER, VirtioBench.MAC, 7, 100, 0));
            b.send(VirtioBench.frames(VirtioBench.BROADCAST, VirtioBench.MAC, 2, 100, 10));
            VirtioBench.frames(VirtioBench.MAC, VirtioBench.PEER, 5, 200, 0).forEach(b::inject);
            VirtioBench.frames(VirtioBench.BROADCAST, VirtioBench.PEER, 3, 200, 0).forEach(b::inject);
            b.pump();
            NdisStatisticsInfo s = b.statistics();
            assertThat(s.ifHCOutUcastPkts()).isEqualTo(7);
            assertThat(s.ifHCOutBroadcastPkts()).isEqualTo(2);
            assertThat(s.ifHCInUcastPkts()).isEqualTo(5);
            assertThat(s.ifHCInBroadcastPkts()).isEqualTo(3);
            assertThat(s.ifHCInOctets()).as("virtio carries no FCS").isEqualTo(8 * 200);
            assertThat(s.ifHCOutOctets()).isEqualTo(9 * 100);
            assertThat(b.diagnostics().counters()).containsEntry("txq0_frames", 9L).containsEntry("rxq0_frames", 8L)
                    .containsEntry("rxq0_bytes", 1600L).containsEntry("txq0_bytes", 900L);
        }
    }

    @Test
    void linkLossAndReturnAreIndicatedFromConfigurationInterrupts() {
        try (VirtioBench b = new VirtioBench()) {
            b.running();
            int before = b.edge.linkStates().size();
            b.wire.setLink(false);
            b.pump();
            assertThat(b.adapter.linkState().mediaConnectState()).isEqualTo(MediaConnectState.MediaConnectStateDisconnected);
            b.wire.setLink(true);
            b.pump();
            List<NdisLinkState> states = b.edge.linkStates().subList(before, b.edge.linkStates().size());
            assertThat(states).extracting(NdisLinkState::mediaConnectState).containsExactly(
                    MediaConnectState.MediaConnectStateDisconnected, MediaConnectState.MediaConnectStateConnected);
            assertThat(b.nic().link.configInterrupts).isEqualTo(2);
        }
    }

    @Test
    void sendsWaitWhileTheLinkIsDownAndGoWhenItReturns() {
        try (VirtioBench b = new VirtioBench()) {
            b.running();
            b.wire.setLink(false);
            b.pump();
            FrameEdge.send(b.host, b.adapter, b.sendPool(), VirtioBench.frames(VirtioBench.PEER, VirtioBench.MAC, 4, 64, 0));
            b.pump();
            assertThat(b.wire.captured()).isEmpty();
            assertThat(b.edge.completedOk()).isZero();
            b.wire.setLink(true);
            b.pump();
            assertThat(b.wire.captured()).hasSize(4);
            assertThat(b.edge.completedOk()).isEqualTo(4);
        }
    }

    @Test
    void theSixteenBitIndexesWrapWithoutLosingOrReorderingAFrame() {
        try (VirtioBench b = new VirtioBench("mock:virtio-net", "*ReceiveBuffers = 64\n*TransmitBuffers = 64")) {
            b.running();
            assertThat(b.model().queueSize(0)).isEqualTo(64);
            assertThat(b.model().queueSize(1)).isEqualTo(64);
            b.wire.setCaptureLimit(0);
            b.edge.keepFrames(false);
            List<Integer> bad = new ArrayList<>();
            int[] next = {0};
            b.wire.addListener(f -> {
                if (VirtioBench.seq(f) != next[0]++ && bad.size() < 5) {
                    bad.add(VirtioBench.seq(f));
                }
            });
            int total = 70_000;                               // more than 65536: avail.idx and used.idx wrap
            for (int i = 0; i < total; i += 200) {
                b.send(VirtioBench.frames(VirtioBench.PEER, VirtioBench.MAC, 200, 60, i));
            }
            assertThat(bad).isEmpty();
            assertThat(next[0]).isEqualTo(total);
            assertThat(b.edge.completedOk()).isEqualTo(total);
            for (int i = 0; i < total; i++) {
                b.inject(VirtioBench.frame(VirtioBench.MAC, VirtioBench.PEER, 60, i));
                if (i % 32 == 31) {
                    b.pump();
                }
            }
            b.pump();
            assertThat(b.edge.receivedCount()).isEqualTo(total);
            assertThat(b.statistics().ifHCInUcastPkts()).isEqualTo(total);
            assertThat(b.nic().queues.tx.ring().availIndex()).as("one head per frame, wrapped: 70000 mod 65536").isEqualTo(total & 0xFFFF);
            assertThat(b.nic().queues.rx.ring().lastUsed()).isEqualTo(total & 0xFFFF);
        }
    }

    @Test
    void parametersCapTheQueuesAndBadValuesFallBackToTheDefault() {
        try (VirtioBench b = new VirtioBench("mock:virtio-net", "*ReceiveBuffers = 100\n*TransmitBuffers = 9")) {
            b.add();
            assertThat(b.model().queueSize(0)).as("100 rounded down to 64").isEqualTo(64);
            assertThat(b.model().queueSize(1)).as("9 out of range: default 256").isEqualTo(256);
            assertThat(b.host.parameterProblems()).extracting(p -> p.keyword().name()).contains("*TransmitBuffers");
        }
    }

    @Test
    void networkAddressOverridesTheCurrentAddressAndTheMacTable() {
        MacAddress override = MacAddress.parse("02:00:5e:10:00:01");
        try (VirtioBench b = new VirtioBench("mock:virtio-net", "NetworkAddress = 02-00-5E-10-00-01")) {
            b.running();
            assertThat(b.host.query(b.adapter, Oid.OID_802_3_CURRENT_ADDRESS, 6).join().request().informationBuffer()
                    .toArray(ValueLayout.JAVA_BYTE)).isEqualTo(override.bytes());
            assertThat(b.host.query(b.adapter, Oid.OID_802_3_PERMANENT_ADDRESS, 6).join().request().informationBuffer()
                    .toArray(ValueLayout.JAVA_BYTE)).isEqualTo(VirtioBench.MAC.bytes());
            assertThat(b.model().unicastTable()).isEqualTo(override.bytes());
            byte[] toOverride = VirtioBench.frame(override, VirtioBench.PEER, 64, 1);
            byte[] toPermanent = VirtioBench.frame(VirtioBench.MAC, VirtioBench.PEER, 64, 2);
            b.inject(toOverride);
            b.inject(toPermanent);
            b.pump();
            assertThat(b.edge.received()).containsExactly(toOverride);
        }
    }

    @Test
    void checkForHangSeesAStuckTransmitQueueAndResetRecoversWithoutSendingAFrameTwice() {
        try (VirtioBench b = new VirtioBench("mock:virtio-net?fault=tx-hang&after=10")) {
            b.running();
            List<byte[]> out = VirtioBench.frames(VirtioBench.PEER, VirtioBench.MAC, 25, 80, 0);
            b.send(out);
            assertThat(b.wire.captured()).hasSize(10);
            assertThat(b.edge.completedOk()).isEqualTo(10);
            b.host.idle(Duration.ofSeconds(12));
            assertThat(b.nic().recovery.resets).isEqualTo(2);
            assertThat(VirtioBench.seqs(b.wire.captured())).containsExactlyElementsOf(VirtioBench.seqs(out));
            assertThat(b.edge.completedOk()).isEqualTo(25);
            assertThat(b.model().unicastTable()).as("the filter was programmed again").isEqualTo(VirtioBench.MAC.bytes());
            assertThat(b.host.verifier().verdict().passed()).isTrue();
        }
    }

    @Test
    void aUsedLengthBeyondTheBufferIsDroppedAndCountedAndTheNextFrameArrives() {
        try (VirtioBench b = new VirtioBench("mock:virtio-net?fault=rx-length@2")) {
            b.running();
            List<byte[]> in = VirtioBench.frames(VirtioBench.MAC, VirtioBench.PEER, 5, 100, 0);
            in.forEach(b::inject);
            b.pump();
            assertThat(VirtioBench.seqs(b.edge.received())).containsExactly(0, 1, 3, 4);
            assertThat(b.diagnostics().counters()).containsEntry("rxq0_length_errors", 1L);
            assertThat(b.statistics().ifInErrors()).isEqualTo(1);
        }
    }

    @Test
    void deviceNeedsResetIsSeenByCheckForHangAndTheResetBringsTrafficBack() {
        try (VirtioBench b = new VirtioBench("mock:virtio-net?fault=device-needs-reset@5")) {
            b.running();
            b.send(VirtioBench.frames(VirtioBench.PEER, VirtioBench.MAC, 5, 64, 0));
            assertThat(b.model().deviceStatus() & DeviceStatus.DEVICE_NEEDS_RESET).isNotZero();
            b.pump();
            assertThat(b.nic().health.needsReset()).isTrue();
            b.host.idle(Duration.ofSeconds(3));
            assertThat(b.nic().recovery.resets).isEqualTo(1);
            assertThat(b.model().deviceStatus()).isEqualTo(0x0F);
            List<byte[]> after = VirtioBench.frames(VirtioBench.PEER, VirtioBench.MAC, 3, 64, 100);
            b.send(after);
            assertThat(b.wire.captured()).hasSize(8);
            byte[] in = VirtioBench.frame(VirtioBench.MAC, VirtioBench.PEER, 64, 7);
            b.inject(in);
            b.pump();
            assertThat(b.edge.received()).containsExactly(in);
        }
    }

    @Test
    void aDmaFaultIsAnIommuFaultThenDeviceNeedsResetAndTheAdapterRecovers() {
        try (VirtioBench b = new VirtioBench("mock:virtio-net?fault=dma-fault@1")) {
            b.running();
            List<byte[]> in = VirtioBench.frames(VirtioBench.MAC, VirtioBench.PEER, 3, 100, 0);
            in.forEach(b::inject);
            b.pump();
            assertThat(b.device.dmaFaults()).isNotEmpty();
            assertThat(b.device.dmaFaults().getFirst().iova()).isEqualTo(VirtioNetModel.DMA_FAULT_IOVA);
            assertThat(VirtioBench.seqs(b.edge.received())).containsExactly(0);
            b.host.idle(Duration.ofSeconds(3));
            assertThat(b.nic().recovery.resets).isEqualTo(1);
            b.pump();
            assertThat(VirtioBench.seqs(b.edge.received())).as("the held frames arrive after the reset")
                    .containsExactly(0, 1, 2);
        }
    }

    @Test
    void aLinkThatFlapsIsIndicatedEachTimeAndTrafficContinues() {
        try (VirtioBench b = new VirtioBench("mock:virtio-net?fault=link-flap@5")) {
            b.running();
            List<byte[]> out = VirtioBench.frames(VirtioBench.PEER, VirtioBench.MAC, 12, 64, 0);
            for (byte[] f : out) {
                b.send(List.of(f));
                b.host.idle(Duration.ofMillis(20));
            }
            assertThat(b.edge.completedOk()).isEqualTo(12);
            assertThat(b.model().counter(Counter.LINK_FLAPS)).isEqualTo(2);
            assertThat(b.edge.linkStates()).extracting(NdisLinkState::mediaConnectState)
                    .containsSubsequence(MediaConnectState.MediaConnectStateDisconnected,
                            MediaConnectState.MediaConnectStateConnected, MediaConnectState.MediaConnectStateDisconnected,
                            MediaConnectState.MediaConnectStateConnected);
        }
    }

    @Test
    void anInterruptStormDoesNotStopTheDataPath() {
        try (VirtioBench b = new VirtioBench("mock:virtio-net?fault=irq-storm@1")) {
            b.running();
            b.send(VirtioBench.frames(VirtioBench.PEER, VirtioBench.MAC, 1, 64, 0));
            b.host.idle(Duration.ofMillis(50));
            List<byte[]> out = VirtioBench.frames(VirtioBench.PEER, VirtioBench.MAC, 10, 64, 1);
            b.send(out);
            assertThat(b.wire.captured()).hasSize(11);
            byte[] in = VirtioBench.frame(VirtioBench.MAC, VirtioBench.PEER, 64, 9);
            b.inject(in);
            b.pump();
            assertThat(b.edge.received()).containsExactly(in);
            assertThat(b.nic().link.configInterrupts).as("the storm reached the driver").isGreaterThan(STORM_MIN);
            assertThat(b.adapter.linkState().mediaConnectState()).isEqualTo(MediaConnectState.MediaConnectStateConnected);
        }
    }

    private static final long STORM_MIN = 20;

    @Test
    void aDeviceThatReadsAllOnesIsReportedHungAndTheResetFailsWithHardErrors() {
        try (VirtioBench b = new VirtioBench("mock:virtio-net?fault=all-ones@3")) {
            b.running();
            b.send(VirtioBench.frames(VirtioBench.PEER, VirtioBench.MAC, 5, 64, 0));
            assertThat(b.wire.captured()).hasSize(3);
            assertThat(b.nic().checkForHang()).isTrue();
            assertThat(b.nic().health.reason()).contains("0xFF");
            assertThat(b.nic().reset().status()).isEqualTo(NdisStatus.HARD_ERRORS);
            assertThat(b.initFailure()).contains("device_status");
        }
    }

    @Test
    void withTheLinkDownTheLinkSelfTestFailsAndNothingIsSent() {
        try (VirtioBench b = new VirtioBench("mock:virtio-net?fault=link-down")) {
            b.add();
            assertThat(b.driver.awaitLink(b.host, b.adapter, Duration.ofMillis(200))).isFalse();
            SelfTestResult link = b.diagnostics().linkTest();
            assertThat(link.outcome()).isEqualTo(Outcome.FAIL);
            assertThat(link.reason()).contains("LINK_UP not set", "status=0x0000");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"0", "1", "4"})
    void msixAndPollingCarryTraffic(String mode) {
        try (VirtioBench b = new VirtioBench("mock:virtio-net", "InterruptMode = " + mode)) {
            b.running();
            List<byte[]> out = VirtioBench.frames(VirtioBench.PEER, VirtioBench.MAC, 5, 64, 0);
            b.send(out);
            b.pump();
            assertThat(b.wire.captured()).containsExactlyElementsOf(out);
            byte[] in = VirtioBench.frame(VirtioBench.MAC, VirtioBench.PEER, 64, 9);
            b.inject(in);
            b.pump();
            b.pump();
            assertThat(b.edge.received()).containsExactly(in);
            b.wire.setLink(false);
            b.pump();
            b.pump();
            assertThat(b.adapter.linkState().mediaConnectState()).isEqualTo(MediaConnectState.MediaConnectStateDisconnected);
            b.host.pause(b.adapter);
            SelfTestResult r = b.diagnostics().interruptTest();
            assertThat(r.outcome()).isEqualTo(mode.equals("4") ? Outcome.SKIPPED : Outcome.PASS);
            assertThat(b.model().configVector()).isEqualTo(mode.equals("4") ? CommonCfg.NO_VECTOR : 0);
        }
    }

    @Test
    void aDeviceThatRefusesEveryMsixVectorIsPolledAndStillCarriesTraffic() {
        try (VirtioBench b = new VirtioBench("mock:virtio-net?fault=msix-no-vector")) {
            b.running();
            assertThat(b.nic().interrupts.mode).isNull();
            assertThat(b.nic().interrupts.pollingReason).contains("refused MSI-X vectors", "config_msix_vector=0xFFFF");
            assertThat(b.model().interrupts().armed()).as("the MSI-X set was given back").isNull();
            List<byte[]> out = VirtioBench.frames(VirtioBench.PEER, VirtioBench.MAC, 5, 64, 0);
            b.send(out);
            assertThat(b.wire.captured()).containsExactlyElementsOf(out);
            byte[] in = VirtioBench.frame(VirtioBench.MAC, VirtioBench.PEER, 64, 9);
            b.inject(in);
            b.pump();
            b.pump();
            assertThat(b.edge.received()).containsExactly(in);
            b.host.pause(b.adapter);
            SelfTestResult r = b.diagnostics().interruptTest();
            assertThat(r.outcome()).isEqualTo(Outcome.SKIPPED);
            assertThat(r.reason()).contains("NO_VECTOR");
            assertThat(b.host.verifier().verdict().passed()).isTrue();
        }
    }

    @Test
    void sendsWhilePausedAreCompletedWithPaused() {
        try (VirtioBench b = new VirtioBench()) {
            b.running();
            var pool = b.sendPool();
            b.host.pause(b.adapter);
            FrameEdge.send(b.host, b.adapter, pool, List.of(VirtioBench.frame(VirtioBench.PEER, VirtioBench.MAC, 64, 1)));
            assertThat(b.edge.lastFailureStatus()).isEqualTo(NdisStatus.PAUSED);
            assertThat(b.wire.captured()).isEmpty();
        }
    }

    @Test
    void theCatalogFindsTheDriverBy1af4And1041AndNotTheLegacyId() {
        assertThat(Miniports.CATALOG.find(0x1AF4, 0x1041)).isPresent()
                .get().extracting(MiniportCatalog.Entry::model).isEqualTo("virtio-net");
        assertThat(Miniports.CATALOG.find(0x1AF4, 0x1000)).as("transitional/legacy device").isEmpty();
        try (VirtioBench b = new VirtioBench()) {
            var entry = Miniports.CATALOG.find(b.device.identity()).orElseThrow();
            assertThat(entry.name()).isEqualTo("virtionet");
        }
    }

    @Test
    void aMiniportForAnotherDeviceRefusesIt() {
        try (VirtioBench b = new VirtioBench("mock:82574L")) {
            b.add();
            assertThat(b.adapter.initStatus()).isNotEqualTo(NdisStatus.SUCCESS);
            assertThat(b.initFailure()).contains("not a modern virtio-net device");
        }
    }

    @Test
    void oidQueriesAnswerFromTheAdapter() {
        try (VirtioBench b = new VirtioBench()) {
            b.running();
            OidResult size = b.host.query(b.adapter, Oid.OID_802_3_MAXIMUM_LIST_SIZE, 4).join();
            assertThat(size.ulong()).isEqualTo(VirtioOids.MAX_MULTICAST);
            assertThat(b.adapter.generalAttributes().mtuSize()).isEqualTo(1500);
        }
    }

    /** Every send accounted for after a surprise removal: see {@link SurpriseRemovalCheck}. */
    @Test
    void aSurpriseRemovalFailsWhatTheRingHeldAndAbortsWhatNeverReachedItAndPausesAtOnce() {
        try (VirtioBench b = new VirtioBench("mock:virtio-net?fault=all-ones@5", "*TransmitBuffers = 64")) {
            b.running();
            SurpriseRemovalCheck.removeMidSendAndAssertEverySendAccountedFor(b, VirtioBench.MAC, 32,
                    "a header and a data descriptor a frame");
        }
    }

    @Test
    void noOffloadOrRssIsClaimedWhileTheDataPathDoesNone() {
        try (var b = new VirtioBench("mock:virtio-net")) {
            io.nicup.ndis.miniport.NoOffloadClaims.check(b);
        }
    }
}

package io.nicup.ndis.miniport.virtio;

import static org.assertj.core.api.Assertions.assertThat;

import io.nicup.mock.RegisterAccess;
import io.nicup.mock.virtio.VirtioNetModel;
import io.nicup.ndis.MacAddress;
import io.nicup.ndis.NdisStatus;
import io.nicup.ndis.adapter.AdapterState;
import io.nicup.ndis.driver.LoadedDriver;
import io.nicup.ndis.miniport.MiniportCatalog;
import io.nicup.ndis.miniport.Miniports;
import io.nicup.ndis.miniport.core.SelfTestResult.Outcome;
import io.nicup.ndis.miniport.core.SelfTestResult;
import io.nicup.ndis.oid.NdisPacketFilter;
import io.nicup.ndis.oid.Oid;
import io.nicup.ndis.oid.OidResult;
import java.lang.foreign.ValueLayout;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The virtio-net miniport over {@code mock:virtio-net}: lifecycle, feature negotiation, configuration, catalog. */
class VirtioLifecycleMockTest {

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
    void oidQueriesAnswerFromTheAdapter() {
        try (VirtioBench b = new VirtioBench()) {
            b.running();
            OidResult size = b.host.query(b.adapter, Oid.OID_802_3_MAXIMUM_LIST_SIZE, 4).join();
            assertThat(size.ulong()).isEqualTo(VirtioOids.MAX_MULTICAST);
            assertThat(b.adapter.generalAttributes().mtuSize()).isEqualTo(1500);
        }
    }

    @Test
    void noOffloadOrRssIsClaimedWhileTheDataPathDoesNone() {
        try (var b = new VirtioBench("mock:virtio-net")) {
            io.nicup.ndis.miniport.NoOffloadClaims.check(b);
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
}

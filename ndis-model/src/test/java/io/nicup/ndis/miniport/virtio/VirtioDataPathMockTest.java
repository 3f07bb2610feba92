package io.nicup.ndis.miniport.virtio;

import static org.assertj.core.api.Assertions.assertThat;

import io.nicup.mock.virtio.VirtioNetModel.Counter;
import io.nicup.mock.virtio.VirtioNetModel;
import io.nicup.ndis.MacAddress;
import io.nicup.ndis.NdisStatus;
import io.nicup.ndis.miniport.core.SelfTestResult.Outcome;
import io.nicup.ndis.miniport.core.SelfTestResult;
import io.nicup.ndis.oid.MediaConnectState;
import io.nicup.ndis.oid.NdisLinkState;
import io.nicup.ndis.oid.NdisPacketFilter;
import io.nicup.ndis.oid.NdisStatisticsInfo;
import io.nicup.ndis.oid.Oid;
import io.nicup.ndis.protocol.FrameEdge;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The virtio-net miniport over {@code mock:virtio-net}: frames both ways, filters, statistics, link, interrupt modes.
 */
class VirtioDataPathMockTest {

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
}

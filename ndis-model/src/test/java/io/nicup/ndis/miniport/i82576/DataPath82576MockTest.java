package io.nicup.ndis.miniport.i82576;

import static org.assertj.core.api.Assertions.assertThat;

import io.nicup.ndis.MacAddress;
import io.nicup.ndis.NdisStatus;
import io.nicup.ndis.miniport.core.SelfTestResult;
import io.nicup.ndis.oid.MediaConnectState;
import io.nicup.ndis.oid.NdisLinkState;
import io.nicup.ndis.oid.NdisPacketFilter;
import io.nicup.ndis.oid.NdisStatisticsInfo;
import io.nicup.ndis.oid.Oid;
import io.nicup.ndis.protocol.FrameEdge;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The 82576 miniport over {@code mock:82576}: frames both ways, filters, statistics, link, interrupt modes. */
class DataPath82576MockTest {

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
            NdisStatisticsInfo s = b.statistics();
            assertThat(s.ifHCOutUcastPkts()).isEqualTo(7);
            assertThat(s.ifHCOutBroadcastPkts()).isEqualTo(2);
            assertThat(s.ifHCInUcastPkts()).isEqualTo(5);
            assertThat(s.ifHCInBroadcastPkts()).isEqualTo(3);
            assertThat(s.ifHCInOctets()).isEqualTo(8 * (200 + 4));
            assertThat(s.ifHCOutOctets()).isEqualTo(9 * (100 + 4));
            b.send(MockBench.frames(MockBench.PEER, MockBench.MAC, 1, 100, 0));
            assertThat(b.statistics().ifHCOutUcastPkts()).isEqualTo(8);
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
            assertThat(b.statistics().ifHCInUcastPkts()).isEqualTo(total);
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
}

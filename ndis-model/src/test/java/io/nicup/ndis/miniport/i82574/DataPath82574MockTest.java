package io.nicup.ndis.miniport.i82574;

import static io.nicup.ndis.miniport.i82574.MockBench.seqs;
import static io.nicup.ndis.miniport.i82574.MockBench.statistics;
import static org.assertj.core.api.Assertions.assertThat;

import io.nicup.ndis.MacAddress;
import io.nicup.ndis.NdisStatus;
import io.nicup.ndis.miniport.core.SelfTestResult;
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

/** The 82574L miniport's data path on {@code mock:82574L}: traffic, filters, statistics, link, jumbo, wrap. */
class DataPath82574MockTest {

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

    private static SelfTestResult pausedInterruptTest(MockBench b) {
        b.host.pause(b.adapter);
        return E82574Diagnostics.of(b.host, b.driver, b.adapter).interruptTest();
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

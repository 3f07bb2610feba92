package io.nicup.ndis.miniport.virtio;

import static io.nicup.ndis.miniport.virtio.OffloadFrames.ACK;
import static io.nicup.ndis.miniport.virtio.OffloadFrames.FIN;
import static io.nicup.ndis.miniport.virtio.OffloadFrames.PSH;
import static io.nicup.ndis.miniport.virtio.OffloadFrames.TCP;
import static io.nicup.ndis.miniport.virtio.OffloadFrames.UDP;
import static org.assertj.core.api.Assertions.assertThat;

import io.nicup.mock.virtio.VirtioNetModel;
import io.nicup.mock.virtio.VirtioNetModel.Counter;
import io.nicup.ndis.MacAddress;
import io.nicup.ndis.NdisStatus;
import io.nicup.ndis.adapter.MiniportAdapter;
import io.nicup.ndis.datapath.NetBufferListInfo;
import io.nicup.ndis.oid.NdisOffload;
import io.nicup.ndis.oid.NdisOffloadParameters;
import io.nicup.ndis.oid.Oid;
import io.nicup.ndis.protocol.FrameEdge;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Checksum offload and LSOv2 on virtio-net over {@code mock:virtio-net?offload=on}, byte for byte
 * (docs/hardware-reference.md C.9): what is negotiated and declared, checksums the device inserts, a 64 KB
 * send cut into MSS-sized segments, receive verdicts, the OIDs and keywords; and each fault of the model
 * that breaks one of them makes its check fail.
 */
class VirtioOffloadMockTest {

    private static final String OFFLOAD = "mock:virtio-net?offload=on";
    private static final MacAddress US = VirtioBench.MAC;
    private static final MacAddress PEER = VirtioBench.PEER;
    private static final int MSS = 1448;
    /** A 64 KB large send: 65535 bytes of IP packet. */
    private static final int LSO_PAYLOAD_V4 = 65535 - 20 - 20;

    private static VirtioBench bench(String spec, String parameters) {
        return new VirtioBench(spec, parameters, 70_000);
    }

    private static void send(VirtioBench b, byte[] frame, int checksumInfo, int largeSendInfo) {
        long before = b.edge.completedOk() + b.edge.completedFailed();
        assertThat(FrameEdge.send(b.host, b.adapter, b.sendPool(), List.of(frame), checksumInfo, largeSendInfo))
                .isEqualTo(1);
        for (int i = 0; i < 100 && b.edge.completedOk() + b.edge.completedFailed() == before; i++) {
            b.pump();
        }
    }

    private static int checksumRequest(boolean v6, int protocol) {
        int flags = (v6 ? NetBufferListInfo.TX_IS_IPV6 : NetBufferListInfo.TX_IS_IPV4)
                | (protocol == TCP ? NetBufferListInfo.TX_TCP_CHECKSUM : NetBufferListInfo.TX_UDP_CHECKSUM);
        return NetBufferListInfo.checksumTransmit(flags, protocol == TCP ? OffloadFrames.l4Offset(v6) : 0);
    }

    // ------------------------------------------------------------------ negotiation and declaration

    @Test
    void theOffloadFeaturesAreNegotiatedAndDeclaredWithoutTheIpHeaderChecksum() {
        try (VirtioBench b = bench(OFFLOAD, "")) {
            MiniportAdapter a = b.running();
            assertThat(b.model().driverFeatures() & VirtioNetModel.OFFLOAD_FEATURES)
                    .as(Features.decode(b.model().driverFeatures())).isEqualTo(VirtioNetModel.OFFLOAD_FEATURES);
            NdisOffload hw = a.offloadAttributes().hardwareOffloadCapabilities();
            assertThat(hw.checksum().ipv4Transmit().tcpChecksum()).isTrue();
            assertThat(hw.checksum().ipv4Transmit().udpChecksum()).isTrue();
            assertThat(hw.checksum().ipv4Transmit().ipChecksum()).as("virtio cannot insert the IPv4 header checksum")
                    .isFalse();
            assertThat(hw.checksum().ipv6Transmit().tcpChecksum()).isTrue();
            assertThat(hw.checksum().ipv4Receive().tcpChecksum()).isTrue();
            assertThat(hw.checksum().ipv4Receive().ipChecksum()).isFalse();
            assertThat(hw.lsoV2().ipv4().maxOffLoadSize()).isEqualTo(VirtioOffload.MAX_OFFLOAD_SIZE);
            assertThat(hw.lsoV2().ipv6().minSegmentCount()).isEqualTo(VirtioOffload.MIN_SEGMENT_COUNT);
            assertThat(a.offloadAttributes().defaultOffloadConfiguration()).isEqualTo(hw);
            assertThat(a.generalAttributes().supportedOidList()).contains(Oid.TCP_OFFLOAD_PARAMETERS,
                    Oid.OFFLOAD_ENCAPSULATION, Oid.TCP_OFFLOAD_CURRENT_CONFIG);
            assertThat(b.host.verifier().violations()).isEmpty();
        }
    }

    @Test
    void keywordsDecideWhatIsNegotiatedAndOutOfRangeValuesAreReported() {
        String params = "[*]\n*TCPChecksumOffloadIPv4=2\n*UDPChecksumOffloadIPv4=2\n*TCPChecksumOffloadIPv6=0\n"
                + "*UDPChecksumOffloadIPv6=0\n*LsoV2IPv4=0\n*LsoV2IPv6=0\n*IPChecksumOffloadIPv4=9\n";
        try (VirtioBench b = bench(OFFLOAD, params)) {
            MiniportAdapter a = b.running();
            long f = b.model().driverFeatures();
            assertThat(f & VirtioNetModel.OFFLOAD_FEATURES).as("receive only: GUEST_CSUM, no CSUM, no TSO")
                    .isEqualTo(Features.NET_F_GUEST_CSUM);
            NdisOffload hw = a.offloadAttributes().hardwareOffloadCapabilities();
            assertThat(hw.checksum().ipv4Transmit().tcpChecksum()).isFalse();
            assertThat(hw.lsoV2().ipv4().maxOffLoadSize()).isZero();
            assertThat(a.currentOffload().checksum().ipv4Receive().tcpChecksum()).isTrue();
            assertThat(a.currentOffload().checksum().ipv6Receive().tcpChecksum()).as("*TCPChecksumOffloadIPv6=0")
                    .isFalse();
            assertThat(b.host.parameterProblems()).extracting(p -> p.keyword().name() + "=" + p.raw())
                    .containsExactly("*IPChecksumOffloadIPv4=9");
        }
    }

    @Test
    void withoutTheFeaturesOfferedNothingIsNegotiatedOrDeclared() {
        try (VirtioBench b = bench("mock:virtio-net", "")) {
            MiniportAdapter a = b.running();
            assertThat(b.model().driverFeatures() & VirtioNetModel.OFFLOAD_FEATURES).isZero();
            assertThat(a.offloadAttributes()).isNull();
        }
    }

    // ------------------------------------------------------------------ transmit checksum

    @ParameterizedTest(name = "{0} v6={1}")
    @CsvSource({"6,false", "17,false", "6,true", "17,true"})
    void theDeviceInsertsTheChecksumTheDriverLeftToIt(int protocol, boolean v6) {
        assertThat(insertedFrame("", protocol, v6)).isEqualTo(expected(protocol, v6));
    }

    @ParameterizedTest(name = "{0} v6={1}")
    @CsvSource({"6,false", "17,true"})
    void txCsumWrongMakesTheInsertionCheckFail(int protocol, boolean v6) {
        byte[] wire = insertedFrame("&fault=tx-csum-wrong", protocol, v6);
        assertThat(wire).isNotEqualTo(expected(protocol, v6));
        assertThat(OffloadFrames.checksumsRight(wire, v6)).isFalse();
    }

    private static byte[] expected(int protocol, boolean v6) {
        return OffloadFrames.packet(PEER, US, v6, protocol, OffloadFrames.payload(333), 1000, ACK | PSH, 7);
    }

    private static byte[] insertedFrame(String fault, int protocol, boolean v6) {
        try (VirtioBench b = bench(OFFLOAD + fault, "")) {
            b.running();
            byte[] good = expected(protocol, v6);
            send(b, OffloadFrames.forChecksumOffload(good, v6, protocol), checksumRequest(v6, protocol), 0);
            assertThat(b.edge.completedOk()).isEqualTo(1);
            assertThat(b.model().counter(Counter.TX_CSUM_INSERTED)).isEqualTo(1);
            return single(b.wire.captured());
        }
    }

    @Test
    void withoutARequestTheFrameLeavesAsItIs() {
        try (VirtioBench b = bench(OFFLOAD, "")) {
            b.running();
            byte[] f = OffloadFrames.forChecksumOffload(expected(TCP, false), false, TCP);
            send(b, f, 0, 0);
            assertThat(single(b.wire.captured())).isEqualTo(f);
            assertThat(b.model().counter(Counter.TX_CSUM_INSERTED)).isZero();
        }
    }

    private static byte[] single(List<byte[]> frames) {
        assertThat(frames).hasSize(1);
        return frames.get(0);
    }

    // ------------------------------------------------------------------ LSOv2

    @ParameterizedTest(name = "v6={0}")
    @ValueSource(booleans = {false, true})
    void aLargeSendLeavesAsMssSizedSegmentsWithTheirSequenceNumbersLengthsAndChecksums(boolean v6) {
        // IPv6: not the full 65535-byte payload, whose TCP length (0xFFFF) is the ones' complement zero and
        // would hide a pseudo-header sum that lacks it
        int payloadLength = v6 ? 65535 - 20 - 100 : LSO_PAYLOAD_V4;
        List<byte[]> wire = largeSend("", v6, payloadLength, List.of());
        assertThat(wire).hasSize((payloadLength + MSS - 1) / MSS);
        assertThat(wire).containsExactlyElementsOf(segments(v6, payloadLength));
    }

    @Test
    void gsoBadSeqMakesTheSegmentCheckFail() {
        List<byte[]> wire = largeSend("&fault=gso-bad-seq", false, LSO_PAYLOAD_V4, List.of());
        assertThat(wire).hasSize((LSO_PAYLOAD_V4 + MSS - 1) / MSS);
        assertThat(wire).isNotEqualTo(segments(false, LSO_PAYLOAD_V4));
        assertThat(wire.get(1)).isNotEqualTo(segments(false, LSO_PAYLOAD_V4).get(1));
    }

    @Test
    void txCsumWrongMakesEverySegmentsChecksumWrong() {
        List<byte[]> wire = largeSend("&fault=tx-csum-wrong", false, 10 * MSS, List.of());
        assertThat(wire).hasSize(10).noneMatch(s -> OffloadFrames.checksumsRight(s, false));
    }

    /** The segments a 64 KB send must become: built independently with every field right. */
    private static List<byte[]> segments(boolean v6, int payloadLength) {
        return OffloadFrames.segments(PEER, US, v6, payloadLength, MSS);
    }

    private static List<byte[]> largeSend(String fault, boolean v6, int payloadLength, List<Integer> completed) {
        try (VirtioBench b = bench(OFFLOAD + fault, "")) {
            b.running();
            byte[] whole = OffloadFrames.packet(PEER, US, v6, TCP, OffloadFrames.payload(payloadLength), 1_000_000L,
                    ACK | PSH | FIN, 100);
            int info = NetBufferListInfo.lsoV2Transmit(MSS, OffloadFrames.l4Offset(v6), v6);
            send(b, OffloadFrames.forLargeSend(whole, v6), 0, info);
            assertThat(b.edge.completedOk()).isEqualTo(1);
            assertThat(b.edge.largeSendsCompleted()).as("the TCP payload written back").containsExactly(payloadLength);
            assertThat(b.model().counter(Counter.TX_GSO_BAD_HEADER)).isZero();
            return b.wire.captured();
        }
    }

    @Test
    void aLargeSendIsRefusedOnceAnOidTurnedLsoOffAndARefusedSetKeepsTheConfiguration() {
        try (VirtioBench b = bench(OFFLOAD, "")) {
            MiniportAdapter a = b.running();
            NdisOffload before = a.currentOffload();
            // asks for the IPv4 header checksum on transmit, which the device lacks: refused, nothing changes
            assertThat(b.host.set(a, Oid.TCP_OFFLOAD_PARAMETERS, parameters(4, 0, 0)).join().status())
                    .isEqualTo(NdisStatus.INVALID_DATA);
            assertThat(a.currentOffload()).isEqualTo(before);
            assertThat(b.edge.statusCodes()).doesNotContain(NdisStatus.TASK_OFFLOAD_CURRENT_CONFIG);
            assertThat(b.host.set(a, Oid.TCP_OFFLOAD_PARAMETERS, parameters(0, NdisOffloadParameters.LSO_DISABLED,
                    0)).join().status()).isEqualTo(NdisStatus.SUCCESS);
            assertThat(a.currentOffload().lsoV2().ipv4().maxOffLoadSize()).isZero();
            assertThat(b.edge.statusCodes()).containsOnlyOnce(NdisStatus.TASK_OFFLOAD_CURRENT_CONFIG);
            byte[] whole = OffloadFrames.packet(PEER, US, false, TCP, OffloadFrames.payload(4 * MSS), 1, ACK, 1);
            send(b, OffloadFrames.forLargeSend(whole, false), 0,
                    NetBufferListInfo.lsoV2Transmit(MSS, OffloadFrames.l4Offset(false), false));
            assertThat(b.edge.completedFailedWith(NdisStatus.FAILURE)).isEqualTo(1);
            assertThat(b.wire.captured()).isEmpty();
            assertThat(b.host.verifier().violations()).isEmpty();
        }
    }

    private static byte[] parameters(int ipv4, int lsoV2Ipv4, int lsoV2Ipv6) {
        byte[] p = new byte[NdisOffloadParameters.SIZEOF_REVISION_1];
        p[0] = (byte) NdisOffloadParameters.NDIS_OBJECT_TYPE_DEFAULT;
        p[1] = 1;
        p[2] = (byte) p.length;
        p[4] = (byte) ipv4;
        p[11] = (byte) lsoV2Ipv4;
        p[12] = (byte) lsoV2Ipv6;
        return p;
    }

    // ------------------------------------------------------------------ receive verdicts

    private static final int SUCCEEDED_TCP = NetBufferListInfo.RX_TCP_CHECKSUM_SUCCEEDED;
    private static final int SUCCEEDED_UDP = NetBufferListInfo.RX_UDP_CHECKSUM_SUCCEEDED;

    private static List<byte[]> injected() {
        byte[] tcp4 = OffloadFrames.packet(US, PEER, false, TCP, OffloadFrames.payload(200), 5, ACK, 9);
        byte[] udp6 = OffloadFrames.packet(US, PEER, true, UDP, OffloadFrames.payload(120), 0, 0, 0);
        byte[] udp4 = OffloadFrames.packet(US, PEER, false, UDP, OffloadFrames.payload(64), 0, 0, 3);
        byte[] tcp6 = OffloadFrames.packet(US, PEER, true, TCP, OffloadFrames.payload(90), 77, ACK, 0);
        byte[] badIpHeader = OffloadFrames.corrupted(tcp4, 22);            // the TTL: the IPv4 header checksum
        return List.of(tcp4, OffloadFrames.corrupted(tcp4, 80), udp6, OffloadFrames.corrupted(udp6, 100), udp4,
                tcp6, OffloadFrames.corrupted(tcp6, 120), badIpHeader);
    }

    @Test
    void receivedFramesGetTheDevicesVerdictAndABadChecksumGetsNone() {
        assertThat(verdicts(OFFLOAD)).containsExactly(SUCCEEDED_TCP, 0, SUCCEEDED_UDP, 0, SUCCEEDED_UDP,
                SUCCEEDED_TCP, 0, 0);
    }

    @Test
    void withoutGuestCsumNoFrameIsSaidToBeChecked() {
        assertThat(verdicts("mock:virtio-net")).containsOnly(0);
    }

    @Test
    void rxCsumAlwaysValidMakesTheVerdictCheckFail() {
        assertThat(verdicts(OFFLOAD + "&fault=rx-csum-always-valid")).doesNotContain(0);
    }

    private static List<Integer> verdicts(String spec) {
        try (VirtioBench b = bench(spec, "")) {
            b.running();
            List<byte[]> frames = injected();
            frames.forEach(b::inject);
            b.pump();
            assertThat(b.edge.received()).as("frames indicated unchanged").containsExactlyElementsOf(frames);
            return b.edge.receivedChecksums();
        }
    }
}

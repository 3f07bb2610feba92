package io.nicup.ndis.miniport.intel;

import static io.nicup.ndis.miniport.virtio.OffloadFrames.ACK;
import static io.nicup.ndis.miniport.virtio.OffloadFrames.FIN;
import static io.nicup.ndis.miniport.virtio.OffloadFrames.PSH;
import static io.nicup.ndis.miniport.virtio.OffloadFrames.TCP;
import static org.assertj.core.api.Assertions.assertThat;

import io.nicup.ndis.MacAddress;
import io.nicup.ndis.datapath.NetBufferListInfo;
import io.nicup.ndis.miniport.MockMiniportBench;
import io.nicup.ndis.miniport.i82574.Miniport82574;
import io.nicup.ndis.miniport.i82576.Miniport82576;
import io.nicup.ndis.miniport.virtio.OffloadFrames;
import io.nicup.ndis.protocol.FrameEdge;
import java.util.Arrays;
import java.util.List;
import java.util.function.Supplier;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * LSOv2 on the 82574L and the 82576 mocks, byte for byte (docs/hardware-reference.md B.17): a 64 KB TCP send
 * over IPv4 and IPv6 leaves as MSS-sized segments equal to frames built independently with every sequence
 * number, IP length, ID, flag and checksum right (and their checksums re-checked on their own), counted in
 * GPTC one by one and in TSCTC once; the NBL completes with the TCP payload written back. An NBL whose
 * headers contradict its LSO information is refused and nothing leaves; the mock's {@code tso-bad-seq}
 * fault makes the segment check fail.
 */
class IntelLargeSendMockTest {

    private static final MacAddress US = MacAddress.parse("52:54:00:12:34:56");
    private static final MacAddress PEER = MockMiniportBench.PEER;
    private static final int MSS = 1448;
    /** A 64 KB large send: 65535 bytes of IPv4 packet. */
    private static final int PAYLOAD_V4 = 65535 - 20 - 20;
    /** IPv6: not a TCP length of 0xFFFF, the one's complement zero, which would hide a missing length. */
    private static final int PAYLOAD_V6 = 65535 - 20 - 100;
    private static final int GPTC = 0x04080;
    private static final int TSCTC = 0x040F8;

    enum Chip {
        E82574("mock:82574L", Miniport82574::new),
        E82576("mock:82576", Miniport82576::new);

        final String spec;
        final Supplier<IntelMiniport<?>> driver;

        Chip(String spec, Supplier<IntelMiniport<?>> driver) {
            this.spec = spec;
            this.driver = driver;
        }
    }

    static final class Bench extends MockMiniportBench<IntelMiniport<?>> {
        Bench(Chip chip, String query) {
            this(chip, query, "");
        }

        Bench(Chip chip, String query, String parameters) {
            super(chip.spec + query, parameters, chip.driver.get(), 70_000);
        }

        int register(int offset) {
            return device.bar(0).read32(offset);
        }
    }

    @ParameterizedTest(name = "{0} v6={1}")
    @CsvSource({"E82574,false", "E82574,true", "E82576,false", "E82576,true"})
    void aLargeSendLeavesAsMssSizedSegmentsWithTheirSequenceNumbersLengthsIdsFlagsAndChecksums(Chip chip, boolean v6) {
        int payload = v6 ? PAYLOAD_V6 : PAYLOAD_V4;
        try (Bench b = new Bench(chip, "")) {
            b.running();
            int gptc = b.register(GPTC);
            int tsctc = b.register(TSCTC);
            List<byte[]> wire = largeSend(b, v6, payload, OffloadFrames.l4Offset(v6));
            List<byte[]> expected = segments(v6, payload);
            assertThat(wire).hasSize((payload + MSS - 1) / MSS);
            assertThat(wire).allMatch(s -> s.length <= 14 + OffloadFrames.ipHeader(v6) + 20 + MSS)
                    .allMatch(s -> OffloadFrames.checksumsRight(s, v6));
            for (int i = 0; i < wire.size(); i++) {
                assertThat(wire.get(i)).as("segment %d", i).isEqualTo(expected.get(i));
            }
            assertThat(b.edge.completedOk()).isEqualTo(1);
            assertThat(b.edge.largeSendsCompleted()).as("the TCP payload written back").containsExactly(payload);
            assertThat(b.register(GPTC) + gptc).as("GPTC: each segment").isEqualTo(wire.size());
            assertThat(b.register(TSCTC) + tsctc).as("TSCTC: the segmentation once").isEqualTo(1);
            assertThat(b.host.verifier().violations()).isEmpty();
        }
    }

    @ParameterizedTest
    @EnumSource(Chip.class)
    void aChecksumFrameAfterALargeSendGetsItsOwnContextAndLeavesRight(Chip chip) {
        try (Bench b = new Bench(chip, "")) {
            b.running();
            largeSend(b, false, 4 * MSS, OffloadFrames.l4Offset(false));
            b.wire.clearCaptured();
            byte[] good = OffloadFrames.packet(PEER, US, false, TCP, OffloadFrames.payload(300), 7, ACK, 9);
            int flags = NetBufferListInfo.TX_IS_IPV4 | NetBufferListInfo.TX_TCP_CHECKSUM;
            send(b, OffloadFrames.forChecksumOffload(good, false, TCP),
                    NetBufferListInfo.checksumTransmit(flags, OffloadFrames.l4Offset(false)), 0);
            assertThat(b.wire.captured()).containsExactly(good);
        }
    }

    @ParameterizedTest(name = "{0} tcpOffset={1} v6={2}")
    @CsvSource({"E82574,38,false", "E82574,30,false", "E82574,34,true", "E82576,38,false", "E82576,54,false",
        "E82576,54,true"})
    void aSendWhoseHeadersContradictItsLsoInformationIsRefusedAndNothingLeaves(Chip chip, int tcpOffset,
            boolean infoSaysV6) {
        try (Bench b = new Bench(chip, "")) {
            b.running();
            byte[] whole = OffloadFrames.packet(PEER, US, false, TCP, OffloadFrames.payload(10 * MSS), 5, ACK, 1);
            send(b, OffloadFrames.forLargeSend(whole, false), 0,
                    NetBufferListInfo.lsoV2Transmit(MSS, tcpOffset, infoSaysV6));
            assertThat(b.edge.completedFailed()).isEqualTo(1);
            assertThat(b.edge.largeSendsCompleted()).isEmpty();
            assertThat(b.wire.captured()).isEmpty();
        }
    }

    @ParameterizedTest
    @EnumSource(Chip.class)
    void aLargeSendOverSeveralMdlsLeavesTheSameSegmentsAndOneWithItsHeadersCutIsRefused(Chip chip) {
        try (Bench b = new Bench(chip, "")) {
            b.running();
            byte[] whole = OffloadFrames.packet(PEER, US, false, TCP, OffloadFrames.payload(PAYLOAD_V4), 1_000_000L,
                    ACK | PSH | FIN, 100);
            byte[] given = OffloadFrames.forLargeSend(whole, false);
            int info = NetBufferListInfo.lsoV2Transmit(MSS, OffloadFrames.l4Offset(false), false);
            sendSplit(b, given, info, 54, 30_000, 20_000, given.length - 50_054);
            assertThat(b.wire.captured()).hasSize(segments(false, PAYLOAD_V4).size());
            for (int i = 0; i < b.wire.captured().size(); i++) {
                assertThat(b.wire.captured().get(i)).as("segment %d", i).isEqualTo(segments(false, PAYLOAD_V4).get(i));
            }
            assertThat(b.edge.largeSendsCompleted()).containsExactly(PAYLOAD_V4);
            b.wire.clearCaptured();
            sendSplit(b, given, info, 14, 30, given.length - 44);        // the TCP header runs into the second MDL
            assertThat(b.edge.completedFailed()).isEqualTo(1);
            assertThat(b.wire.captured()).isEmpty();
        }
    }

    @ParameterizedTest
    @EnumSource(Chip.class)
    void aLargeSendInMoreMdlsThanAnEmptyRingHoldsIsRefusedAndTheSendsAfterItGo(Chip chip) {
        try (Bench b = new Bench(chip, "", "*TransmitBuffers = 64")) {
            b.running();
            byte[] whole = OffloadFrames.packet(PEER, US, false, TCP, OffloadFrames.payload(20 * MSS), 5, ACK, 1);
            int[] pieces = new int[64];
            java.util.Arrays.fill(pieces, 1, 64, 20 * MSS / 63);
            pieces[0] = whole.length - 63 * (20 * MSS / 63);
            sendSplit(b, OffloadFrames.forLargeSend(whole, false),
                    NetBufferListInfo.lsoV2Transmit(MSS, OffloadFrames.l4Offset(false), false), pieces);
            assertThat(b.edge.completedFailed()).as("64 data descriptors and a context: never fits 63").isEqualTo(1);
            assertThat(b.wire.captured()).isEmpty();
            assertThat(largeSend(b, false, 4 * MSS, OffloadFrames.l4Offset(false))).hasSize(4);
        }
    }

    private static void sendSplit(Bench b, byte[] frame, int info, int... pieces) {
        io.nicup.ndis.datapath.NetBufferList nbl = b.sendPool().allocate();
        nbl.firstNetBuffer().split(0, 8, pieces);
        nbl.firstNetBuffer().copyDataFrom(frame, 0, frame.length);
        nbl.setInfo(NetBufferListInfo.TCP_LARGE_SEND, info);
        long before = b.edge.completedOk() + b.edge.completedFailed();
        b.host.send(b.adapter, nbl, 0, 0);
        for (int i = 0; i < 1000 && b.edge.completedOk() + b.edge.completedFailed() == before; i++) {
            b.pump();
        }
        assertThat(b.edge.completedOk() + b.edge.completedFailed()).as("send completed").isEqualTo(before + 1);
    }

    @ParameterizedTest
    @EnumSource(Chip.class)
    void tsoBadSeqMakesTheSegmentCheckFail(Chip chip) {
        try (Bench b = new Bench(chip, "?fault=tso-bad-seq")) {
            b.running();
            List<byte[]> wire = largeSend(b, false, PAYLOAD_V4, OffloadFrames.l4Offset(false));
            List<byte[]> expected = segments(false, PAYLOAD_V4);
            assertThat(wire).hasSize(expected.size());
            assertThat(wire.get(0)).isEqualTo(expected.get(0));
            assertThat(wire.get(1)).isNotEqualTo(expected.get(1));
            assertThat(wire.stream().filter(s -> !contains(expected, s)).count()).isEqualTo(expected.size() - 1);
        }
    }

    private static boolean contains(List<byte[]> frames, byte[] f) {
        return frames.stream().anyMatch(e -> Arrays.equals(e, f));
    }

    /** The segments a send of {@code payloadLength} bytes must become: built independently, every field right. */
    private static List<byte[]> segments(boolean v6, int payloadLength) {
        return OffloadFrames.segments(PEER, US, v6, payloadLength, MSS);
    }

    /** One LSOv2 send of the whole packet as the protocol hands it over; what the wire got. */
    private static List<byte[]> largeSend(Bench b, boolean v6, int payloadLength, int tcpOffset) {
        b.wire.clearCaptured();
        byte[] whole = OffloadFrames.packet(PEER, US, v6, TCP, OffloadFrames.payload(payloadLength), 1_000_000L,
                ACK | PSH | FIN, 100);
        send(b, OffloadFrames.forLargeSend(whole, v6), 0, NetBufferListInfo.lsoV2Transmit(MSS, tcpOffset, v6));
        return b.wire.captured();
    }

    private static void send(Bench b, byte[] frame, int checksumInfo, int largeSendInfo) {
        long before = b.edge.completedOk() + b.edge.completedFailed();
        assertThat(FrameEdge.send(b.host, b.adapter, b.sendPool(), List.of(frame), checksumInfo, largeSendInfo))
                .isEqualTo(1);
        for (int i = 0; i < 1000 && b.edge.completedOk() + b.edge.completedFailed() == before; i++) {
            b.pump();
        }
        assertThat(b.edge.completedOk() + b.edge.completedFailed()).as("send completed").isEqualTo(before + 1);
    }
}

package io.nicup.ndis;

import static io.nicup.ndis.Violations.assertClean;
import static io.nicup.ndis.Violations.assertRecorded;
import static org.assertj.core.api.Assertions.assertThat;

import io.nicup.ndis.adapter.AdapterState;
import io.nicup.ndis.adapter.HardwareAssistAttributes;
import io.nicup.ndis.adapter.MiniportAdapter;
import io.nicup.ndis.adapter.OffloadAttributes;
import io.nicup.ndis.oid.NdisOffload;
import io.nicup.ndis.oid.NdisOidRequest;
import io.nicup.ndis.oid.NdisReceiveScaleCapabilities;
import io.nicup.ndis.oid.NdisStatusIndication;
import io.nicup.ndis.oid.Oid;
import io.nicup.ndis.oid.OidResult;
import io.nicup.ndis.trace.Rule;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The offload and hardware-assist attributes, RecvScaleCapabilities, and their verifier rules (docs/ndis-contract.md §9, §10). */
class OffloadAttributesTest {

    static final NdisOffload.Direction V4 = new NdisOffload.Direction(NdisOffload.NDIS_ENCAPSULATION_IEEE_802_3,
            true, true, true, true, true);
    static final NdisOffload.Direction V6 = new NdisOffload.Direction(NdisOffload.NDIS_ENCAPSULATION_IEEE_802_3,
            true, true, true, true, false);
    /** A NIC with every checksum both ways and LSOv2 up to 64 KB: what an 82576 could declare. */
    static final NdisOffload HARDWARE = new NdisOffload(NdisOffload.header(NdisOffload.REVISION_2),
            new NdisOffload.Checksum(V4, V4, V6, V6), new NdisOffload.LsoV2(
                    new NdisOffload.Lso(NdisOffload.NDIS_ENCAPSULATION_IEEE_802_3, 65536, 2, false, false),
                    new NdisOffload.Lso(NdisOffload.NDIS_ENCAPSULATION_IEEE_802_3, 65536, 2, true, true)));
    /** Transmit checksums only. */
    static final NdisOffload TX_ONLY = new NdisOffload(NdisOffload.header(NdisOffload.REVISION_2),
            new NdisOffload.Checksum(V4, NdisOffload.Direction.NONE, V6, NdisOffload.Direction.NONE),
            NdisOffload.LsoV2.NONE);

    private static OidResult now(java.util.concurrent.CompletableFuture<OidResult> f) {
        assertThat(f).isDone();
        return f.join();
    }

    @Test
    void offloadAndHardwareAssistAttributesAfterTheGeneralOnesAreTakenAndAnswerTheCurrentConfig() {
        try (Rig rig = new Rig()) {
            rig.sw.laterAttributes = List.of(OffloadAttributes.of(TX_ONLY, HARDWARE), HardwareAssistAttributes.of(3));
            MiniportAdapter a = rig.running();
            assertThat(a.offloadAttributes().hardwareOffloadCapabilities()).isEqualTo(HARDWARE);
            assertThat(a.hardwareAssistAttributes()).isNotNull();
            assertThat(a.currentOffload()).isEqualTo(TX_ONLY);
            OidResult r = now(rig.host().query(a, Oid.TCP_OFFLOAD_CURRENT_CONFIG, 200));
            assertThat(r.succeeded()).isTrue();
            assertThat(r.bytesWritten()).isEqualTo(NdisOffload.SIZEOF_REVISION_2);
            var b = r.request().informationBuffer();
            assertThat(b.get(java.lang.foreign.ValueLayout.JAVA_BYTE, 0)).isEqualTo((byte) 0xA7);
            assertThat(b.get(NdisOidRequest.ULONG, 4)).as("IPv4Transmit.Encapsulation").isEqualTo(2);
            assertThat(b.get(NdisOidRequest.ULONG, 8)).as("IPv4Transmit bits: all five").isEqualTo(0x155);
            assertThat(b.get(NdisOidRequest.ULONG, 16)).as("IPv4Receive bits: none").isZero();
            assertThat(b.get(NdisOidRequest.ULONG, 80)).as("LsoV2.IPv4.Encapsulation").isZero();
            assertClean(rig);
        }
    }

    @Test
    void offloadAttributesBeforeTheGeneralOnesBreakOfl01() {
        try (Rig rig = new Rig().record()) {
            rig.sw.earlyAttributes = List.of(OffloadAttributes.of(TX_ONLY, HARDWARE));
            MiniportAdapter a = rig.add();
            assertThat(a.state()).isEqualTo(AdapterState.HALTED);
            assertThat(a.offloadAttributes()).isNull();
            assertRecorded(rig, Rule.OFFLOAD_ATTR_ORDER);
        }
    }

    @Test
    void offloadAttributesTwiceBreakOfl01() {
        try (Rig rig = new Rig().record()) {
            rig.sw.laterAttributes = List.of(OffloadAttributes.of(TX_ONLY, HARDWARE), OffloadAttributes.of(TX_ONLY, HARDWARE));
            rig.add();
            assertRecorded(rig, Rule.OFFLOAD_ATTR_ORDER);
        }
    }

    @Test
    void anNdisOffloadOfAnUnknownRevisionOrShortSizeBreaksOfl02() {
        for (NdisOffload bad : List.of(HARDWARE.withHeader(new NdisObjectHeader(0xA7, 3, 200)),
                HARDWARE.withHeader(new NdisObjectHeader(0xA7, 2, 112)),
                HARDWARE.withHeader(new NdisObjectHeader(0x80, 1, 112)))) {
            try (Rig rig = new Rig().record()) {
                rig.sw.laterAttributes = List.of(OffloadAttributes.of(TX_ONLY, bad));
                assertThat(rig.add().state()).isEqualTo(AdapterState.HALTED);
                assertRecorded(rig, Rule.OFFLOAD_ATTR_HEADER);
            }
        }
    }

    @Test
    void attributeHeadersOfTheWrongRevisionBreakOfl02() {
        for (var bad : List.of(new OffloadAttributes(new NdisObjectHeader(0xA0, 2, 0), TX_ONLY, HARDWARE),
                HardwareAssistAttributes.of(4))) {
            try (Rig rig = new Rig().record()) {
                rig.sw.laterAttributes = List.of(bad);
                rig.add();
                assertRecorded(rig, Rule.OFFLOAD_ATTR_HEADER);
            }
        }
    }

    @Test
    void hardwareAssistAttributesNewerThanTheDriversNdisVersionBreakOfl02() {
        try (Rig rig = new Rig().record()) {
            rig.sw.ndisVersion = NdisVersion.NDIS_6_20;
            rig.sw.laterAttributes = List.of(HardwareAssistAttributes.of(3));
            assertThat(rig.add().state()).isEqualTo(AdapterState.HALTED);
            assertRecorded(rig, Rule.OFFLOAD_ATTR_HEADER);
            assertThat(rig.verifier().violations().getFirst().detail()).contains("6.20: 1..2");
        }
        try (Rig rig = new Rig()) {
            rig.sw.ndisVersion = NdisVersion.NDIS_6_20;
            rig.sw.laterAttributes = List.of(HardwareAssistAttributes.of(2));
            assertThat(rig.running().hardwareAssistAttributes()).isNotNull();
        }
    }

    @Test
    void aDefaultConfigurationOutsideTheHardwareCapabilitiesBreaksOfl03() {
        try (Rig rig = new Rig().record()) {
            rig.sw.laterAttributes = List.of(OffloadAttributes.of(HARDWARE, TX_ONLY));
            MiniportAdapter a = rig.add();
            assertThat(a.state()).isEqualTo(AdapterState.HALTED);
            assertRecorded(rig, Rule.OFFLOAD_DEFAULT_WITHIN_HARDWARE);
            assertThat(rig.verifier().violations().getFirst().detail()).contains("Checksum.IPv4Receive.TcpChecksum=on")
                    .contains("LsoV2.IPv4");
        }
    }

    @Test
    void anLsoLargerThanTheHardwareTakesIsOutside() {
        NdisOffload big = new NdisOffload(HARDWARE.header(), HARDWARE.checksum(), new NdisOffload.LsoV2(
                new NdisOffload.Lso(NdisOffload.NDIS_ENCAPSULATION_IEEE_802_3, 262144, 1, false, false),
                NdisOffload.Lso.NONE));
        assertThat(big.outside(HARDWARE)).containsExactly("LsoV2.IPv4.MaxOffLoadSize=262144 hardware=65536",
                "LsoV2.IPv4.MinSegmentCount=1 hardware=2");
        assertThat(TX_ONLY.outside(HARDWARE)).isEmpty();
    }

    @Test
    void aCurrentConfigurationIndicatedOutsideTheHardwareBreaksOfl04AndIsNotTaken() {
        try (Rig rig = new Rig().record()) {
            rig.sw.laterAttributes = List.of(OffloadAttributes.of(NdisOffload.NONE, TX_ONLY));
            MiniportAdapter a = rig.running();
            rig.ndis().NdisMIndicateStatusEx(rig.ta().handle,
                    new NdisStatusIndication(NdisStatus.TASK_OFFLOAD_CURRENT_CONFIG, HARDWARE, 0));
            assertRecorded(rig, Rule.OFFLOAD_CURRENT_WITHIN_HARDWARE);
            assertThat(a.currentOffload()).isEqualTo(NdisOffload.NONE);
            rig.ndis().NdisMIndicateStatusEx(rig.ta().handle,
                    new NdisStatusIndication(NdisStatus.TASK_OFFLOAD_CURRENT_CONFIG, TX_ONLY, 0));
            assertThat(a.currentOffload()).isEqualTo(TX_ONLY);
            assertThat(rig.edge.indications).extracting(NdisStatusIndication::statusCode)
                    .containsOnlyOnce(NdisStatus.TASK_OFFLOAD_CURRENT_CONFIG);
        }
    }

    @Test
    void anOffloadIndicationWithoutOffloadAttributesBreaksOfl04() {
        try (Rig rig = new Rig().record()) {
            rig.running();
            rig.ndis().NdisMIndicateStatusEx(rig.ta().handle,
                    new NdisStatusIndication(NdisStatus.TASK_OFFLOAD_CURRENT_CONFIG, NdisOffload.NONE, 0));
            assertRecorded(rig, Rule.OFFLOAD_CURRENT_WITHIN_HARDWARE);
        }
    }

    @Test
    void rssCapabilitiesAreAnsweredByNdis() {
        try (Rig rig = new Rig()) {
            rig.sw.recvScaleCapabilities = NdisReceiveScaleCapabilities.of(
                    NdisReceiveScaleCapabilities.NDIS_RSS_CAPS_HASH_TYPE_TCP_IPV4, 2, 2, 128);
            MiniportAdapter a = rig.running();
            OidResult r = now(rig.host().query(a, Oid.GEN_RECEIVE_SCALE_CAPABILITIES, 64));
            assertThat(r.succeeded()).isTrue();
            assertThat(r.bytesWritten()).isEqualTo(18);
            assertThat(r.request().informationBuffer().get(NdisOidRequest.ULONG, 12)).as("queues").isEqualTo(2);
            assertThat(r.request().informationBuffer().get(NdisOidRequest.USHORT, 16)).as("entries").isEqualTo((short) 128);
            assertClean(rig);
        }
    }

    @Test
    void malformedRssCapabilitiesBreakRss01() {
        for (NdisReceiveScaleCapabilities bad : List.of(
                new NdisReceiveScaleCapabilities(new NdisObjectHeader(0x88, 3, 18), 0x101, 1, 1, 16),
                new NdisReceiveScaleCapabilities(new NdisObjectHeader(0x88, 2, 18), 0x100, 1, 1, 16),
                new NdisReceiveScaleCapabilities(new NdisObjectHeader(0x88, 2, 18), 0x101, 1, 0, 16),
                new NdisReceiveScaleCapabilities(new NdisObjectHeader(0x88, 2, 18), 0x101, 1, 1, 256))) {
            try (Rig rig = new Rig().record()) {
                rig.sw.recvScaleCapabilities = bad;
                assertThat(rig.add().state()).as(bad.toString()).isEqualTo(AdapterState.HALTED);
                assertRecorded(rig, Rule.RSS_CAPABILITIES);
            }
        }
    }
}

package io.nicup.ndis;

import static io.nicup.ndis.Violations.assertClean;
import static io.nicup.ndis.Violations.assertRecorded;
import static org.assertj.core.api.Assertions.assertThat;

import io.nicup.ndis.adapter.MiniportAdapter;
import io.nicup.ndis.config.ParameterValue;
import io.nicup.ndis.miniport.core.OffloadCapabilities;
import io.nicup.ndis.oid.NdisOffload;
import io.nicup.ndis.oid.NdisOffloadParameters;
import io.nicup.ndis.oid.NdisOidRequest;
import io.nicup.ndis.oid.NdisReceiveScaleCapabilities;
import io.nicup.ndis.oid.NdisReceiveScaleParameters;
import io.nicup.ndis.oid.NdisRssHash;
import io.nicup.ndis.oid.NdisStatusIndication;
import io.nicup.ndis.oid.Oid;
import io.nicup.ndis.oid.OidResult;
import io.nicup.ndis.trace.Rule;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/**
 * The offload and RSS OIDs of the shared miniport core over a chip's capabilities
 * (docs/ndis-contract.md §9, §10, §12): keywords shape the default configuration, OID_TCP_OFFLOAD_PARAMETERS changes it and indicates
 * the change, and an invalid OID_GEN_RECEIVE_SCALE_PARAMETERS set is refused with the configuration in force
 * kept, as HLK 1c_Mini6RSSOids requires.
 */
class OffloadOidsTest {

    static final NdisReceiveScaleCapabilities RSS_CAPS = NdisReceiveScaleCapabilities.of(
            NdisReceiveScaleCapabilities.NDIS_RSS_CAPS_HASH_TYPE_TCP_IPV4
                    | NdisReceiveScaleCapabilities.NDIS_RSS_CAPS_HASH_TYPE_TCP_IPV6, 4, 4, 128);
    static final OffloadCapabilities CAPS = new OffloadCapabilities(OffloadAttributesTest.HARDWARE, RSS_CAPS);
    static final int TCP_V4 = NdisRssHash.NDIS_HASH_FUNCTION_TOEPLITZ | NdisRssHash.NDIS_HASH_IPV4
            | NdisRssHash.NDIS_HASH_TCP_IPV4;

    private static OidResult now(CompletableFuture<OidResult> f) {
        assertThat(f).isDone();
        return f.join();
    }

    @Test
    void withoutCapabilitiesNothingIsClaimed() {
        try (Rig rig = new Rig()) {
            rig.sw.offloadCapabilities = OffloadCapabilities.NONE;
            MiniportAdapter a = rig.running();
            assertThat(a.offloadAttributes()).isNull();
            assertThat(a.generalAttributes().recvScaleCapabilities()).isNull();
            assertThat(a.generalAttributes().supportedOidList()).containsExactly(TestAdapter.SUPPORTED_OIDS);
            assertThat(now(rig.host().set(a, Oid.TCP_OFFLOAD_PARAMETERS, offloadParameters(4, 4, 4, 4, 4, 2, 2)))
                    .status()).isEqualTo(NdisStatus.NOT_SUPPORTED);
            assertThat(now(rig.host().query(a, Oid.GEN_RECEIVE_SCALE_CAPABILITIES, 64)).status())
                    .isEqualTo(NdisStatus.NOT_SUPPORTED);
            assertClean(rig);
        }
    }

    @Test
    void keywordsShapeTheDefaultConfigurationAndOutOfRangeValuesAreReported() {
        try (Rig rig = new Rig()) {
            rig.parameters = "[*]\n*TCPChecksumOffloadIPv4=1\n*LsoV2IPv6=0\n*LsoV2IPv4=7\n*NumRssQueues=0\n";
            rig.sw.offloadCapabilities = CAPS;
            MiniportAdapter a = rig.running();
            NdisOffload d = a.offloadAttributes().defaultOffloadConfiguration();
            assertThat(d.checksum().ipv4Transmit().tcpChecksum()).isTrue();
            assertThat(d.checksum().ipv4Receive().tcpChecksum()).as("*TCPChecksumOffloadIPv4=1 is Tx only").isFalse();
            assertThat(d.checksum().ipv4Receive().udpChecksum()).isTrue();
            assertThat(d.lsoV2().ipv6().maxOffLoadSize()).as("*LsoV2IPv6=0").isZero();
            assertThat(d.lsoV2().ipv4().maxOffLoadSize()).as("out of range: the default, on").isEqualTo(65536);
            assertThat(rig.host().parameterProblems()).extracting(p -> p.keyword().name() + "=" + p.raw())
                    .containsExactly("*LsoV2IPv4=7", "*NumRssQueues=0");
            assertThat(rig.host().parameterProblems()).extracting(ParameterValue::value).containsExactly("1", "16");
            assertThat(a.generalAttributes().supportedOidList()).contains(Oid.TCP_OFFLOAD_PARAMETERS,
                    Oid.GEN_RECEIVE_SCALE_PARAMETERS);
            assertClean(rig);
        }
    }

    @Test
    void numRssQueuesCutsTheQueuesAnnouncedAndATableEntryBeyondThemIsRefused() {
        try (Rig rig = new Rig()) {
            rig.parameters = "[*]\n*NumRssQueues=2\n";
            rig.sw.offloadCapabilities = CAPS;
            MiniportAdapter a = rig.running();
            assertThat(a.generalAttributes().recvScaleCapabilities().numberOfReceiveQueues()).isEqualTo(2);
            assertThat(now(rig.host().set(a, Oid.GEN_RECEIVE_SCALE_PARAMETERS, rss(2, TCP_V4, new int[] {0, 1}, 40)))
                    .succeeded()).isTrue();
            assertThat(now(rig.host().set(a, Oid.GEN_RECEIVE_SCALE_PARAMETERS, rss(2, TCP_V4, new int[] {0, 2}, 40)))
                    .status()).isEqualTo(NdisStatus.INVALID_DATA);
            assertClean(rig);
        }
    }

    @Test
    void rssOffByKeywordIsNotAnnounced() {
        try (Rig rig = new Rig()) {
            rig.parameters = "[*]\n*RSS=0\n";
            rig.sw.offloadCapabilities = CAPS;
            MiniportAdapter a = rig.running();
            assertThat(a.generalAttributes().recvScaleCapabilities()).isNull();
            assertThat(a.generalAttributes().supportedOidList()).doesNotContain(Oid.GEN_RECEIVE_SCALE_PARAMETERS)
                    .contains(Oid.TCP_OFFLOAD_PARAMETERS);
            assertThat(now(rig.host().set(a, Oid.GEN_RECEIVE_SCALE_PARAMETERS, rss(2, TCP_V4, new int[] {0}, 40)))
                    .status()).isEqualTo(NdisStatus.NOT_SUPPORTED);
            assertClean(rig);
        }
    }

    @Test
    void anOffloadParametersSetChangesTheConfigurationAndIndicatesItOnce() {
        try (Rig rig = new Rig()) {
            rig.sw.offloadCapabilities = CAPS;
            MiniportAdapter a = rig.running();
            byte[] rxOff = offloadParameters(0, NdisOffloadParameters.TX_ENABLED_RX_DISABLED, 0, 0, 0, 0, 0);
            assertThat(now(rig.host().set(a, Oid.TCP_OFFLOAD_PARAMETERS, rxOff)).status()).isEqualTo(NdisStatus.SUCCESS);
            assertThat(a.currentOffload().checksum().ipv4Receive().tcpChecksum()).isFalse();
            assertThat(a.currentOffload().checksum().ipv4Transmit().tcpChecksum()).isTrue();
            assertThat(now(rig.host().set(a, Oid.TCP_OFFLOAD_PARAMETERS, rxOff)).succeeded()).isTrue();
            assertThat(rig.edge.indications).extracting(NdisStatusIndication::statusCode)
                    .containsOnlyOnce(NdisStatus.TASK_OFFLOAD_CURRENT_CONFIG);
            OidResult current = now(rig.host().query(a, Oid.TCP_OFFLOAD_CURRENT_CONFIG, 144));
            assertThat(current.request().informationBuffer().get(NdisOidRequest.ULONG, 16) & 0x30)
                    .as("IPv4Receive.TcpChecksum in the answer NDIS gives").isZero();
            assertClean(rig);
        }
    }

    @Test
    void anOffloadParametersSetAskingForWhatTheHardwareLacksIsRefusedAndChangesNothing() {
        try (Rig rig = new Rig()) {
            rig.sw.offloadCapabilities = new OffloadCapabilities(OffloadAttributesTest.TX_ONLY, null);
            MiniportAdapter a = rig.running();
            NdisOffload before = a.currentOffload();
            assertThat(now(rig.host().set(a, Oid.TCP_OFFLOAD_PARAMETERS,
                    offloadParameters(0, NdisOffloadParameters.TX_RX_ENABLED, 0, 0, 0, 0, 0))).status())
                    .isEqualTo(NdisStatus.INVALID_DATA);
            assertThat(now(rig.host().set(a, Oid.TCP_OFFLOAD_PARAMETERS, offloadParameters(0, 0, 0, 0, 0,
                    NdisOffloadParameters.LSO_ENABLED, 0))).status()).isEqualTo(NdisStatus.INVALID_DATA);
            OidResult shortBuffer = now(rig.host().set(a, Oid.TCP_OFFLOAD_PARAMETERS, new byte[8]));
            assertThat(shortBuffer.status()).isEqualTo(NdisStatus.INVALID_LENGTH);
            assertThat(shortBuffer.bytesNeeded()).isEqualTo(20);
            assertThat(a.currentOffload()).isEqualTo(before);
            assertThat(rig.edge.indications).extracting(NdisStatusIndication::statusCode)
                    .doesNotContain(NdisStatus.TASK_OFFLOAD_CURRENT_CONFIG);
            assertClean(rig);
        }
    }

    @Test
    void aValidRssSetIsProgrammedAndReadBack() {
        try (Rig rig = new Rig()) {
            rig.sw.offloadCapabilities = CAPS;
            MiniportAdapter a = rig.running();
            int[] table = new int[128];
            for (int i = 0; i < table.length; i++) {
                table[i] = i % 4;
            }
            assertThat(now(rig.host().set(a, Oid.GEN_RECEIVE_SCALE_PARAMETERS, rss(2, TCP_V4, table, 40))).status())
                    .isEqualTo(NdisStatus.SUCCESS);
            assertThat(rig.ta().programmedRss).hasSize(1);
            NdisReceiveScaleParameters p = rig.ta().programmedRss.getFirst();
            assertThat(p.enabled()).isTrue();
            assertThat(p.indirectionTable()).containsExactly(table);
            assertThat(p.queueFor(0x51ccc178)).isEqualTo(table[0x51ccc178 & 127]);
            OidResult back = now(rig.host().query(a, Oid.GEN_RECEIVE_SCALE_PARAMETERS, 1024));
            assertThat(back.succeeded()).isTrue();
            assertThat(back.request().informationBuffer().get(NdisOidRequest.ULONG, 8)).isEqualTo(TCP_V4);
            assertClean(rig);
        }
    }

    @Test
    void everyInvalidRssSetIsRefusedAndThePreviousConfigurationStaysInForce() {
        try (Rig rig = new Rig()) {
            rig.sw.offloadCapabilities = CAPS;
            MiniportAdapter a = rig.running();
            int[] good = {0, 1, 2, 3};
            assertThat(now(rig.host().set(a, Oid.GEN_RECEIVE_SCALE_PARAMETERS, rss(2, TCP_V4, good, 40))).succeeded())
                    .isTrue();
            NdisReceiveScaleParameters inForce = rig.ta().programmedRss.getLast();
            int udp = NdisRssHash.NDIS_HASH_FUNCTION_TOEPLITZ | NdisRssHash.NDIS_HASH_UDP_IPV4;
            byte[] badRevision = rss(2, TCP_V4, good, 40);
            badRevision[1] = 4;
            byte[][] invalid = {
                badRevision,
                rss(2, udp, good, 40),                                           // hash type not in the capabilities
                rss(2, NdisRssHash.NDIS_HASH_TCP_IPV4 | 2, good, 40),             // a reserved hash function
                rss(2, TCP_V4, good, 41),                                         // key too long
                rss(2, TCP_V4, good, 16),                                         // key too short
                rss(2, TCP_V4, new int[] {0, 1, 2}, 40),                          // not a power of two
                rss(2, TCP_V4, new int[256], 40),                                 // over 128 entries
                rss(2, TCP_V4, new int[] {0, 1, 2, 4}, 40),                       // queue 4 of 4
                rss(1, TCP_V4, new int[] {0, 1, 2, 9}, 40)};                      // revision 1 table, queue 9
            for (byte[] set : invalid) {
                OidResult r = now(rig.host().set(a, Oid.GEN_RECEIVE_SCALE_PARAMETERS, set));
                assertThat(r.status()).isEqualTo(NdisStatus.INVALID_DATA);
            }
            OidResult cut = now(rig.host().set(a, Oid.GEN_RECEIVE_SCALE_PARAMETERS, java.util.Arrays.copyOf(
                    rss(2, TCP_V4, good, 40), 50)));
            assertThat(cut.status()).isEqualTo(NdisStatus.INVALID_LENGTH);
            assertThat(cut.bytesNeeded()).isGreaterThan(50);
            assertThat(rig.ta().programmedRss).hasSize(1);
            OidResult back = now(rig.host().query(a, Oid.GEN_RECEIVE_SCALE_PARAMETERS, 1024));
            assertThat(back.request().informationBuffer().get(NdisOidRequest.USHORT, 12)).as("table bytes")
                    .isEqualTo((short) 16);
            assertThat(inForce.indirectionTable()).containsExactly(good);
            assertClean(rig);
        }
    }

    @Test
    void disablingRssKeepsTheTableAndKeyForLater() {
        try (Rig rig = new Rig()) {
            rig.sw.offloadCapabilities = CAPS;
            MiniportAdapter a = rig.running();
            now(rig.host().set(a, Oid.GEN_RECEIVE_SCALE_PARAMETERS, rss(2, TCP_V4, new int[] {3, 2}, 40)));
            byte[] off = rss(2, TCP_V4, new int[] {0}, 40);
            off[4] = NdisReceiveScaleParameters.NDIS_RSS_PARAM_FLAG_DISABLE_RSS;
            assertThat(now(rig.host().set(a, Oid.GEN_RECEIVE_SCALE_PARAMETERS, off)).succeeded()).isTrue();
            assertThat(rig.ta().programmedRss.getLast().enabled()).isFalse();
            assertThat(rig.ta().programmedRss.getLast().indirectionTable()).containsExactly(3, 2);
            assertClean(rig);
        }
    }

    @Test
    void aMiniportThatTakesAnInvalidRssSetBreaksRss02() {
        try (Rig rig = new Rig().record()) {
            rig.sw.recvScaleCapabilities = RSS_CAPS;
            MiniportAdapter a = rig.running();
            rig.sw.rssTakesAnything = true;
            now(rig.host().set(a, Oid.GEN_RECEIVE_SCALE_PARAMETERS, rss(2, TCP_V4, new int[] {0, 1, 2}, 40)));
            assertRecorded(rig, Rule.RSS_PARAMETERS_REFUSED);
            assertThat(rig.verifier().violations().getFirst().detail()).contains("power of two");
        }
    }

    /** NDIS_OFFLOAD_PARAMETERS revision 1 (docs/ndis-contract.md §9). */
    static byte[] offloadParameters(int ipv4, int tcpIpv4, int udpIpv4, int tcpIpv6, int udpIpv6, int lsoV2Ipv4,
            int lsoV2Ipv6) {
        byte[] b = new byte[NdisOffloadParameters.SIZEOF_REVISION_1];
        b[0] = (byte) NdisOffloadParameters.NDIS_OBJECT_TYPE_DEFAULT;
        b[1] = 1;
        b[2] = (byte) b.length;
        b[4] = (byte) ipv4;
        b[5] = (byte) tcpIpv4;
        b[6] = (byte) udpIpv4;
        b[7] = (byte) tcpIpv6;
        b[8] = (byte) udpIpv6;
        b[11] = (byte) lsoV2Ipv4;
        b[12] = (byte) lsoV2Ipv6;
        return b;
    }

    /**
     * NDIS_RECEIVE_SCALE_PARAMETERS of {@code revision} (1: byte entries, 2: PROCESSOR_NUMBER entries), the
     * table then a key of {@code keyLength} bytes appended (docs/ndis-contract.md §10).
     */
    static byte[] rss(int revision, int hashInformation, int[] table, int keyLength) {
        int header = NdisReceiveScaleParameters.SIZEOF_REVISION[revision];
        int entry = revision == 1 ? 1 : 4;
        byte[] out = new byte[header + table.length * entry + keyLength];
        MemorySegment b = MemorySegment.ofArray(out);
        b.set(ValueLayout.JAVA_BYTE, 0, (byte) NdisReceiveScaleParameters.NDIS_OBJECT_TYPE_RSS_PARAMETERS);
        b.set(ValueLayout.JAVA_BYTE, 1, (byte) revision);
        b.set(NdisOidRequest.USHORT, 2, (short) header);
        b.set(NdisOidRequest.ULONG, 8, hashInformation);
        b.set(NdisOidRequest.USHORT, 12, (short) (table.length * entry));
        b.set(NdisOidRequest.ULONG, 16, header);
        b.set(NdisOidRequest.USHORT, 20, (short) keyLength);
        b.set(NdisOidRequest.ULONG, 24, header + table.length * entry);
        for (int i = 0; i < table.length; i++) {
            b.set(ValueLayout.JAVA_BYTE, header + (long) i * entry + (revision == 1 ? 0 : 2), (byte) table[i]);
        }
        for (int i = 0; i < keyLength; i++) {
            out[header + table.length * entry + i] = (byte) (0x6d + i);
        }
        return out;
    }
}

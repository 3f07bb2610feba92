package io.nicup.ndis.miniport.virtio;

import static org.assertj.core.api.Assertions.assertThat;

import io.nicup.mock.IpFrames;
import io.nicup.mock.virtio.VirtioNetModel;
import io.nicup.ndis.NdisStatus;
import io.nicup.ndis.adapter.MiniportAdapter;
import io.nicup.ndis.miniport.MockMiniportBench;
import io.nicup.ndis.oid.NdisReceiveScaleCapabilities;
import io.nicup.ndis.oid.NdisReceiveScaleParameters;
import io.nicup.ndis.oid.NdisRssHash;
import io.nicup.ndis.oid.Oid;
import io.nicup.ndis.rss.RssParameterSet;
import io.nicup.ndis.rss.Toeplitz;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * RSS and hash report on virtio-net through OID_GEN_RECEIVE_SCALE_PARAMETERS (docs/hardware-reference.md
 * C.10): what is negotiated and declared from the device configuration, the set turned into RSS_CONFIG (or
 * HASH_CONFIG with hash report alone), every received flow's NBL carrying the hash the driver's software
 * Toeplitz computes, a refused set keeping what the device holds, a reset sending it again, and a device
 * without the features declaring nothing.
 */
class VirtioReceiveScaleMockTest {

    private static final String RSS = "mock:virtio-net?rss=on";
    static final byte[] KEY = RssParameterSet.verificationKey();
    static final int TOEPLITZ = NdisRssHash.NDIS_HASH_FUNCTION_TOEPLITZ;
    static final int ALL_TYPES = NdisRssHash.NDIS_HASH_IPV4 | NdisRssHash.NDIS_HASH_TCP_IPV4
            | NdisRssHash.NDIS_HASH_UDP_IPV4 | NdisRssHash.NDIS_HASH_IPV6 | NdisRssHash.NDIS_HASH_TCP_IPV6
            | NdisRssHash.NDIS_HASH_UDP_IPV6;
    /** The virtio types of {@link #ALL_TYPES}: IPv4, TCPv4, UDPv4, IPv6, TCPv6, UDPv6. */
    private static final int VIRTIO_ALL_TYPES = 0x3F;

    private static int set(VirtioBench b, byte[] parameters) {
        return b.host.set(b.adapter, Oid.GEN_RECEIVE_SCALE_PARAMETERS, parameters).join().status();
    }

    private static byte[] parameters(int hashInformation, int[] table, byte[] key) {
        return RssParameterSet.revision2(0, hashInformation, table, key);
    }

    /** TCP and UDP over IPv4 and IPv6, four flows each, and a frame that is not IP. */
    private static List<byte[]> flows() {
        List<byte[]> frames = new ArrayList<>();
        for (int seed = 0; seed < 4; seed++) {
            for (boolean v6 : new boolean[] {false, true}) {
                for (int proto : new int[] {IpFrames.TCP, IpFrames.UDP}) {
                    frames.add(IpFrames.frame(VirtioBench.MAC.bytes(), VirtioBench.PEER.bytes(), v6, proto, 0, 40,
                            seed, true));
                }
            }
        }
        frames.add(MockMiniportBench.frame(VirtioBench.MAC, VirtioBench.PEER, 80, 1));
        return frames;
    }

    /** HashInfo in the high 32 bits, the software Toeplitz of the frame's fields in the low 32; 0 for none. */
    static long expected(int hashTypes, byte[] f) {
        int ethertype = (f[12] & 0xFF) << 8 | f[13] & 0xFF;
        boolean v6 = ethertype == 0x86DD;
        if (ethertype != 0x0800 && !v6) {
            return 0;
        }
        int proto = f[v6 ? 20 : 23] & 0xFF;
        int addressBytes = v6 ? 32 : 8;
        int from = v6 ? 22 : 26;
        byte[] input = Arrays.copyOf(Arrays.copyOfRange(f, from, from + addressBytes), addressBytes + 4);
        System.arraycopy(f, v6 ? 54 : 34, input, addressBytes, 4);
        int tcp = v6 ? NdisRssHash.NDIS_HASH_TCP_IPV6 : NdisRssHash.NDIS_HASH_TCP_IPV4;
        int udp = v6 ? NdisRssHash.NDIS_HASH_UDP_IPV6 : NdisRssHash.NDIS_HASH_UDP_IPV4;
        int ip = v6 ? NdisRssHash.NDIS_HASH_IPV6 : NdisRssHash.NDIS_HASH_IPV4;
        int type = proto == IpFrames.TCP && (hashTypes & tcp) != 0 ? tcp
                : proto == IpFrames.UDP && (hashTypes & udp) != 0 ? udp : (hashTypes & ip) != 0 ? ip : 0;
        if (type == 0) {
            return 0;
        }
        int length = type == ip ? addressBytes : addressBytes + 4;
        return (long) (type | TOEPLITZ) << 32 | new Toeplitz(KEY).hash(input, 0, length) & 0xFFFFFFFFL;
    }

    /** Injects {@code frames} and returns the hashes of the NBLs they arrived in (the edge forgets earlier ones). */
    private static List<Long> hashesOf(VirtioBench b, List<byte[]> frames) {
        b.injectAndIndicate(frames);
        return b.edge.receivedHashes();
    }

    private static void assertHashes(VirtioBench b, int hashTypes) {
        List<byte[]> frames = flows();
        List<Long> got = hashesOf(b, frames);
        assertThat(got).hasSize(frames.size());
        for (int i = 0; i < frames.size(); i++) {
            assertThat(got.get(i)).as("frame %d", i).isEqualTo(expected(hashTypes, frames.get(i)));
        }
    }

    @Test
    void rssAndHashReportAreNegotiatedAndTheCapabilitiesComeFromTheDeviceConfiguration() {
        try (VirtioBench b = new VirtioBench(RSS)) {
            MiniportAdapter a = b.running();
            assertThat(b.model().driverFeatures() & VirtioNetModel.RSS_FEATURES)
                    .as(Features.decode(b.model().driverFeatures())).isEqualTo(VirtioNetModel.RSS_FEATURES);
            NdisReceiveScaleCapabilities caps = a.generalAttributes().recvScaleCapabilities();
            assertThat(caps).isNotNull();
            assertThat(caps.problems()).isEmpty();
            assertThat(caps.numberOfReceiveQueues()).isEqualTo(1);
            assertThat(caps.numberOfIndirectionTableEntries()).as("rss_max_indirection_table_length").isEqualTo(128);
            assertThat(caps.supportedHashTypes()).isEqualTo(ALL_TYPES);
            assertThat(a.generalAttributes().supportedOidList()).contains(Oid.GEN_RECEIVE_SCALE_PARAMETERS);
            assertThat(b.diagnostics().registerDump()).extracting(r -> r.name() + "=" + r.decoded()).contains(
                    "rss_max_key_size=40 bytes", "rss_max_indirection_table_length=128 entries",
                    "supported_hash_types=IPv4 TCPv4 UDPv4 IPv6 TCPv6 UDPv6 IP_EX TCP_EX UDP_EX");
            assertThat(b.host.verifier().violations()).isEmpty();
        }
    }

    @Test
    void aSetBecomesRssConfigAndEveryFlowsNblCarriesTheSoftwareToeplitzHash() {
        try (VirtioBench b = new VirtioBench(RSS)) {
            b.running();
            assertThat(hashesOf(b, flows())).as("no RSS until an OID asks").containsOnly(0L);
            assertThat(set(b, parameters(TOEPLITZ | ALL_TYPES, new int[64], KEY))).isEqualTo(NdisStatus.SUCCESS);
            assertThat(b.model().rssHashTypes()).isEqualTo(VIRTIO_ALL_TYPES);
            assertThat(b.model().rssKey()).isEqualTo(KEY);
            assertThat(b.model().rssIndirectionTable()).as("one queue pair: every entry receiveq1")
                    .isEqualTo(new int[64]);
            assertHashes(b, ALL_TYPES);
            assertThat(set(b, parameters(TOEPLITZ | NdisRssHash.NDIS_HASH_IPV4, new int[4], KEY)))
                    .isEqualTo(NdisStatus.SUCCESS);
            assertThat(b.model().rssHashTypes()).isEqualTo(1);
            assertHashes(b, NdisRssHash.NDIS_HASH_IPV4);
            assertThat(b.host.verifier().violations()).isEmpty();
        }
    }

    @Test
    void withHashReportAloneTheSetBecomesHashConfig() {
        try (VirtioBench b = new VirtioBench("mock:virtio-net?rss=hash")) {
            MiniportAdapter a = b.running();
            assertThat(b.model().driverFeatures() & VirtioNetModel.RSS_FEATURES).isEqualTo(1L << 57);
            assertThat(a.generalAttributes().recvScaleCapabilities().numberOfIndirectionTableEntries()).isEqualTo(128);
            assertThat(set(b, parameters(TOEPLITZ | ALL_TYPES, new int[8], KEY))).isEqualTo(NdisStatus.SUCCESS);
            assertThat(b.model().rssHashTypes()).isEqualTo(VIRTIO_ALL_TYPES);
            assertThat(b.model().rssIndirectionTable()).as("HASH_CONFIG carries no table").isEmpty();
            assertHashes(b, ALL_TYPES);
        }
    }

    @Test
    void invalidSetsAreRefusedAndTheDeviceKeepsWhatItHeld() {
        try (VirtioBench b = new VirtioBench(RSS)) {
            b.running();
            assertThat(set(b, parameters(TOEPLITZ | ALL_TYPES, new int[128], KEY))).isEqualTo(NdisStatus.SUCCESS);
            long commands = b.model().counter(VirtioNetModel.Counter.CTRL_COMMANDS);
            byte[] otherKey = KEY.clone();
            otherKey[0] ^= 0x55;
            int[] queueOne = new int[128];
            queueOne[7] = 1;                                 // only receiveq1 exists
            for (byte[] invalid : List.of(parameters(TOEPLITZ | ALL_TYPES, queueOne, otherKey),
                    parameters(TOEPLITZ | ALL_TYPES, new int[128], Arrays.copyOf(otherKey, 39)),
                    parameters(ALL_TYPES, new int[128], otherKey),
                    parameters(TOEPLITZ | NdisRssHash.NDIS_HASH_IPV6_EX, new int[128], otherKey),
                    parameters(TOEPLITZ | ALL_TYPES, new int[3], otherKey),
                    parameters(TOEPLITZ | ALL_TYPES, new int[256], otherKey))) {
                assertThat(set(b, invalid)).isNotEqualTo(NdisStatus.SUCCESS);
                assertThat(b.model().rssKey()).isEqualTo(KEY);
                assertThat(b.model().rssHashTypes()).isEqualTo(VIRTIO_ALL_TYPES);
            }
            assertThat(b.model().counter(VirtioNetModel.Counter.CTRL_COMMANDS)).as("nothing reached the device")
                    .isEqualTo(commands);
            assertHashes(b, ALL_TYPES);
        }
    }

    @Test
    void aSetTheDeviceRefusesFailsAndThePreviousConfigurationIsSentBack() {
        try (VirtioBench b = new VirtioBench(RSS + "&fault=rss-table-limit")) {
            b.running();
            assertThat(set(b, parameters(TOEPLITZ | ALL_TYPES, new int[16], KEY))).isEqualTo(NdisStatus.SUCCESS);
            byte[] otherKey = KEY.clone();
            otherKey[3] ^= 0x7F;
            assertThat(set(b, parameters(TOEPLITZ | NdisRssHash.NDIS_HASH_IPV4, new int[64], otherKey)))
                    .as("valid for NDIS, refused by the device").isEqualTo(NdisStatus.FAILURE);
            assertThat(b.model().rssKey()).isEqualTo(KEY);
            assertThat(b.model().rssHashTypes()).isEqualTo(VIRTIO_ALL_TYPES);
            assertThat(b.model().rssIndirectionTable()).hasSize(16);
            assertHashes(b, ALL_TYPES);
            assertThat(b.host.verifier().violations()).isEmpty();
        }
    }

    @Test
    void aResetSendsTheConfigurationInForceAgainAndDisablingTurnsTheHashOff() {
        try (VirtioBench b = new VirtioBench(RSS)) {
            MiniportAdapter a = b.running();
            assertThat(set(b, parameters(TOEPLITZ | ALL_TYPES, new int[16], KEY))).isEqualTo(NdisStatus.SUCCESS);
            assertThat(b.host.reset(a)).isIn(NdisStatus.SUCCESS, NdisStatus.PENDING);
            b.host.idle(Duration.ofSeconds(1));
            assertThat(b.model().counter(VirtioNetModel.Counter.RESETS)).isGreaterThanOrEqualTo(2);
            assertThat(b.model().rssHashTypes()).as("sent again after the reset").isEqualTo(VIRTIO_ALL_TYPES);
            assertHashes(b, ALL_TYPES);
            assertThat(set(b, RssParameterSet.revision2(NdisReceiveScaleParameters.NDIS_RSS_PARAM_FLAG_DISABLE_RSS, 0,
                    new int[0], new byte[0]))).isEqualTo(NdisStatus.SUCCESS);
            assertThat(b.model().rssHashTypes()).isZero();
            assertThat(hashesOf(b, flows())).containsOnly(0L);
        }
    }

    @Test
    void aDeviceWithoutTheFeaturesOrWithRssTurnedOffByKeywordDeclaresNoRss() {
        for (VirtioBench bench : List.of(new VirtioBench("mock:virtio-net"), new VirtioBench(RSS, "[*]\n*RSS=0\n"))) {
            try (VirtioBench b = bench) {
                MiniportAdapter a = b.running();
                assertThat(b.model().driverFeatures() & VirtioNetModel.RSS_FEATURES).isZero();
                assertThat(a.generalAttributes().recvScaleCapabilities()).isNull();
                assertThat(a.generalAttributes().supportedOidList()).doesNotContain(Oid.GEN_RECEIVE_SCALE_PARAMETERS);
                assertThat(set(b, parameters(TOEPLITZ | ALL_TYPES, new int[4], KEY)))
                        .isEqualTo(NdisStatus.NOT_SUPPORTED);
                assertThat(hashesOf(b, flows())).containsOnly(0L);
            }
        }
    }

    @Test
    void theHashReportWrongFaultShowsInTheNbls() {
        try (VirtioBench b = new VirtioBench(RSS + "&fault=hash-report-wrong")) {
            b.running();
            assertThat(set(b, parameters(TOEPLITZ | ALL_TYPES, new int[4], KEY))).isEqualTo(NdisStatus.SUCCESS);
            byte[] f = flows().getFirst();
            assertThat(hashesOf(b, List.of(f))).containsExactly(expected(ALL_TYPES, f) ^ 1);
        }
    }
}

package io.nicup.ndis.miniport.i82576;

import static org.assertj.core.api.Assertions.assertThat;

import io.nicup.mock.IpFrames;
import io.nicup.ndis.NdisStatus;
import io.nicup.ndis.adapter.MiniportAdapter;
import io.nicup.ndis.miniport.MockMiniportBench;
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
 * RSS on the 82576 through OID_GEN_RECEIVE_SCALE_PARAMETERS (docs/hardware-reference.md B.16): the set
 * programs RSSRK, MRQC, RETA and RXCSUM.PCSD; every received flow's NBL carries the hash and type the
 * driver's software Toeplitz computes for the same key; a refused set leaves every register as it was; a
 * reset programs the configuration again; turning RSS off clears it.
 */
class ReceiveScale82576MockTest {

    /** Microsoft's verification key (docs/ndis-contract.md §10.3). */
    static final byte[] KEY = RssParameterSet.verificationKey();
    static final int ALL_TYPES = NdisRssHash.NDIS_HASH_IPV4 | NdisRssHash.NDIS_HASH_TCP_IPV4
            | NdisRssHash.NDIS_HASH_UDP_IPV4 | NdisRssHash.NDIS_HASH_IPV6 | NdisRssHash.NDIS_HASH_TCP_IPV6
            | NdisRssHash.NDIS_HASH_UDP_IPV6;
    static final int TOEPLITZ = NdisRssHash.NDIS_HASH_FUNCTION_TOEPLITZ;
    static final int MRQC = 0x05818;
    static final int RXCSUM = 0x05000;
    static final int PCSD = 1 << 13;
    static final int RETA0 = 0x05C00;
    static final int RSSRK0 = 0x05C80;

    /** NDIS_RECEIVE_SCALE_PARAMETERS revision 2: {@code table} as PROCESSOR_NUMBERs, then {@code key}. */
    static byte[] parameters(int flags, int hashInformation, int[] table, byte[] key) {
        return RssParameterSet.revision2(flags, hashInformation, table, key);
    }

    static int set(MockBench b, byte[] parameters) {
        return b.host.set(b.adapter, Oid.GEN_RECEIVE_SCALE_PARAMETERS, parameters).join().status();
    }

    /** IPv4 and IPv6, TCP and UDP frames of eight flows each, and a frame that is not IP. */
    static List<byte[]> flows() {
        List<byte[]> frames = new ArrayList<>();
        for (int seed = 0; seed < 8; seed++) {
            for (boolean v6 : new boolean[] {false, true}) {
                for (int proto : new int[] {IpFrames.TCP, IpFrames.UDP}) {
                    frames.add(IpFrames.frame(MockBench.MAC.bytes(), MockBench.PEER.bytes(), v6, proto, 0, 40, seed,
                            true));
                }
            }
        }
        frames.add(MockMiniportBench.frame(MockBench.MAC, MockBench.PEER, 80, 1));
        return frames;
    }

    /**
     * What the NBL must carry for {@code f} under {@code hashTypes}: HashInfo in the high 32 bits and the
     * software Toeplitz of the same fields in the low 32, as {@code FrameEdge#receivedHashes} reports it.
     */
    static long expected(Toeplitz toeplitz, int hashTypes, byte[] f) {
        int ethertype = (f[12] & 0xFF) << 8 | f[13] & 0xFF;
        boolean v6 = ethertype == 0x86DD;
        if (ethertype != 0x0800 && !v6) {
            return 0;
        }
        int proto = f[v6 ? 20 : 23] & 0xFF;
        int addresses = v6 ? 22 : 26;
        int addressBytes = v6 ? 32 : 8;
        int l4 = v6 ? 54 : 34;
        int tcp = v6 ? NdisRssHash.NDIS_HASH_TCP_IPV6 : NdisRssHash.NDIS_HASH_TCP_IPV4;
        int udp = v6 ? NdisRssHash.NDIS_HASH_UDP_IPV6 : NdisRssHash.NDIS_HASH_UDP_IPV4;
        int ip = v6 ? NdisRssHash.NDIS_HASH_IPV6 : NdisRssHash.NDIS_HASH_IPV4;
        byte[] input = Arrays.copyOf(Arrays.copyOfRange(f, addresses, addresses + addressBytes), addressBytes + 4);
        System.arraycopy(f, l4, input, addressBytes, 4);
        int type;
        int length = addressBytes + 4;
        if (proto == IpFrames.TCP && (hashTypes & tcp) != 0) {
            type = tcp;
        } else if (proto == IpFrames.UDP && (hashTypes & udp) != 0) {
            type = udp;
        } else if ((hashTypes & ip) != 0) {
            type = ip;
            length = addressBytes;
        } else {
            return 0;
        }
        return (long) (type | TOEPLITZ) << 32 | toeplitz.hash(input, 0, length) & 0xFFFFFFFFL;
    }

    static List<Long> injectAndCollect(MockBench b, List<byte[]> frames) {
        b.injectAndIndicate(frames);
        return b.edge.receivedHashes();
    }

    /** MRQC, RXCSUM, RSSRK0-9 and RETA0-31 as the device holds them. */
    static int[] rssRegisters(MockBench b) {
        int[] r = new int[2 + 10 + 32];
        r[0] = b.readRegister(MRQC);
        r[1] = b.readRegister(RXCSUM);
        for (int i = 0; i < 10; i++) {
            r[2 + i] = b.readRegister(RSSRK0 + 4 * i);
        }
        for (int i = 0; i < 32; i++) {
            r[12 + i] = b.readRegister(RETA0 + 4 * i);
        }
        return r;
    }

    @Test
    void anRssSetProgramsTheChipAndEveryFlowsNblCarriesTheSoftwareToeplitzHash() {
        try (MockBench b = new MockBench()) {
            b.running();
            assertThat(b.readRegister(MRQC)).as("no RSS until an OID asks").isZero();
            assertThat(set(b, parameters(0, TOEPLITZ | ALL_TYPES, new int[128], KEY))).isEqualTo(NdisStatus.SUCCESS);
            assertThat(b.readRegister(MRQC)).isEqualTo(0x2 | 1 << 16 | 1 << 17 | 1 << 18 | 1 << 20 | 1 << 21 | 1 << 22 | 1 << 23);
            assertThat(b.readRegister(RSSRK0)).as("key byte 0 in bits 7:0").isEqualTo(0xda565a6d);
            assertThat(b.readRegister(RSSRK0 + 36)).isEqualTo(0xfa01acbe);
            assertThat(b.readRegister(RXCSUM) & PCSD).as("the hash in the write-back").isEqualTo(PCSD);
            for (int i = 0; i < 32; i++) {
                assertThat(b.readRegister(RETA0 + 4 * i)).as("a table of zeros: every entry queue 0").isZero();
            }
            Toeplitz toeplitz = new Toeplitz(KEY);
            List<byte[]> frames = flows();
            List<Long> got = injectAndCollect(b, frames);
            for (int i = 0; i < frames.size(); i++) {
                assertThat(got.get(i)).as("frame %d", i).isEqualTo(expected(toeplitz, ALL_TYPES, frames.get(i)));
            }
            assertThat(got.getLast()).as("not IP: no hash").isZero();
            assertThat(b.host.verifier().violations()).isEmpty();
        }
    }

    @Test
    void withOnlyTheIpv4TypeATcpFlowGetsTheAddressHashAndIpv6NoHash() {
        try (MockBench b = new MockBench()) {
            b.running();
            assertThat(set(b, parameters(0, TOEPLITZ | NdisRssHash.NDIS_HASH_IPV4, new int[4], KEY)))
                    .isEqualTo(NdisStatus.SUCCESS);
            assertThat(b.readRegister(MRQC)).isEqualTo(0x2 | 1 << 17);
            Toeplitz toeplitz = new Toeplitz(KEY);
            List<byte[]> frames = flows();
            List<Long> got = injectAndCollect(b, frames);
            for (int i = 0; i < frames.size(); i++) {
                assertThat(got.get(i)).as("frame %d", i)
                        .isEqualTo(expected(toeplitz, NdisRssHash.NDIS_HASH_IPV4, frames.get(i)));
            }
            assertThat(got.get(0) >>> 32).isEqualTo(NdisRssHash.NDIS_HASH_IPV4 | TOEPLITZ);
            assertThat(got.get(2)).as("IPv6 not asked for").isZero();
        }
    }

    @Test
    void aRefusedSetLeavesEveryRssRegisterAndTheHashesAsTheyWere() {
        try (MockBench b = new MockBench()) {
            b.running();
            assertThat(set(b, parameters(0, TOEPLITZ | ALL_TYPES, new int[128], KEY))).isEqualTo(NdisStatus.SUCCESS);
            int[] before = rssRegisters(b);
            byte[] otherKey = KEY.clone();
            otherKey[0] ^= 0x55;
            int[] queueOne = new int[128];
            queueOne[7] = 4;                                 // queues 0-3 exist (the default four)
            for (byte[] invalid : List.of(parameters(0, TOEPLITZ | ALL_TYPES, queueOne, otherKey),
                    parameters(0, TOEPLITZ | ALL_TYPES, new int[128], Arrays.copyOf(otherKey, 39)),
                    parameters(0, ALL_TYPES, new int[128], otherKey),
                    parameters(0, TOEPLITZ | NdisRssHash.NDIS_HASH_IPV6_EX, new int[128], otherKey))) {
                assertThat(set(b, invalid)).isNotEqualTo(NdisStatus.SUCCESS);
                assertThat(rssRegisters(b)).isEqualTo(before);
            }
            Toeplitz toeplitz = new Toeplitz(KEY);
            byte[] f = flows().getFirst();
            assertThat(injectAndCollect(b, List.of(f))).containsExactly(expected(toeplitz, ALL_TYPES, f));
        }
    }

    @Test
    void aResetProgramsTheConfigurationInForceAgain() {
        try (MockBench b = new MockBench()) {
            MiniportAdapter a = b.running();
            assertThat(set(b, parameters(0, TOEPLITZ | ALL_TYPES, new int[16], KEY))).isEqualTo(NdisStatus.SUCCESS);
            int[] programmed = rssRegisters(b);
            assertThat(b.host.reset(a)).isIn(NdisStatus.SUCCESS, NdisStatus.PENDING);
            b.host.idle(Duration.ofSeconds(1));
            assertThat(b.nic().resets()).isEqualTo(1);
            assertThat(rssRegisters(b)).isEqualTo(programmed);
            byte[] f = flows().get(5);
            assertThat(injectAndCollect(b, List.of(f))).containsExactly(expected(new Toeplitz(KEY), ALL_TYPES, f));
        }
    }

    @Test
    void turningRssOffClearsMrqcAndPcsdAndFramesCarryNoHash() {
        try (MockBench b = new MockBench()) {
            b.running();
            assertThat(set(b, parameters(0, TOEPLITZ | ALL_TYPES, new int[128], KEY))).isEqualTo(NdisStatus.SUCCESS);
            int rxcsumWithRss = b.readRegister(RXCSUM);
            assertThat(set(b, parameters(NdisReceiveScaleParameters.NDIS_RSS_PARAM_FLAG_DISABLE_RSS, 0, new int[0],
                    new byte[0]))).isEqualTo(NdisStatus.SUCCESS);
            assertThat(b.readRegister(MRQC)).isZero();
            assertThat(b.readRegister(RXCSUM)).isEqualTo(rxcsumWithRss & ~PCSD);
            assertThat(injectAndCollect(b, flows())).containsOnly(0L);
        }
    }
}

package io.nicup.ndis.miniport.i82574;

import static org.assertj.core.api.Assertions.assertThat;

import io.nicup.mock.IpFrames;
import io.nicup.ndis.NdisStatus;
import io.nicup.ndis.adapter.MiniportAdapter;
import io.nicup.ndis.miniport.ChecksumOffloadCheck;
import io.nicup.ndis.oid.NdisReceiveScaleParameters;
import io.nicup.ndis.oid.NdisRssHash;
import io.nicup.ndis.oid.Oid;
import io.nicup.ndis.rss.RssParameterSet;
import io.nicup.ndis.rss.Toeplitz;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * RSS on the 82574L through OID_GEN_RECEIVE_SCALE_PARAMETERS (docs/hardware-reference.md B.18): the driver
 * receives into extended descriptors; a set programs RSSRK, RETA, MRQC (enable 01b and the field enables) and
 * RXCSUM.PCSD; TCP flows' NBLs carry the four-tuple hash, UDP flows' the address hash (the chip has no UDP
 * hash), as the driver's software Toeplitz computes them; a refused set leaves every register as it was; a
 * reset programs the configuration again; turning RSS off clears it; receive checksum verdicts still arrive.
 */
class ReceiveScale82574MockTest {

    static final byte[] KEY = RssParameterSet.verificationKey();
    static final int TYPES = NdisRssHash.NDIS_HASH_IPV4 | NdisRssHash.NDIS_HASH_TCP_IPV4 | NdisRssHash.NDIS_HASH_IPV6
            | NdisRssHash.NDIS_HASH_TCP_IPV6;
    static final int TOEPLITZ = NdisRssHash.NDIS_HASH_FUNCTION_TOEPLITZ;
    static final int PCSD = 1 << 13;

    static int set(MockBench b, int flags, int hashInformation, int[] table, byte[] key) {
        return b.host.set(b.adapter, Oid.GEN_RECEIVE_SCALE_PARAMETERS,
                RssParameterSet.revision2(flags, hashInformation, table, key)).join().status();
    }

    /** TCP/IPv4, UDP/IPv4, TCP/IPv6, UDP/IPv6 frames of seed {@code seed}. */
    static List<byte[]> flows(int seed) {
        byte[] mac = MockBench.MAC.bytes();
        byte[] peer = MockBench.PEER.bytes();
        return List.of(IpFrames.frame(mac, peer, false, IpFrames.TCP, 0, 40, seed, true),
                IpFrames.frame(mac, peer, false, IpFrames.UDP, 0, 40, seed, true),
                IpFrames.frame(mac, peer, true, IpFrames.TCP, 0, 40, seed, true),
                IpFrames.frame(mac, peer, true, IpFrames.UDP, 0, 40, seed, true));
    }

    /** HashInfo and HashValue of {@code f} as FrameEdge packs them: TCP with its ports, UDP on its addresses. */
    static long expected(byte[] f, int types) {
        Toeplitz toeplitz = new Toeplitz(KEY);
        boolean v6 = f[12] == (byte) 0x86;
        boolean tcp = (f[v6 ? 20 : 23] & 0xFF) == IpFrames.TCP;
        int tcpType = v6 ? NdisRssHash.NDIS_HASH_TCP_IPV6 : NdisRssHash.NDIS_HASH_TCP_IPV4;
        int ipType = v6 ? NdisRssHash.NDIS_HASH_IPV6 : NdisRssHash.NDIS_HASH_IPV4;
        int addresses = v6 ? 32 : 8;
        byte[] input = Arrays.copyOf(Arrays.copyOfRange(f, v6 ? 22 : 26, (v6 ? 22 : 26) + addresses), addresses + 4);
        System.arraycopy(f, v6 ? 54 : 34, input, addresses, 4);
        if (tcp && (types & tcpType) != 0) {
            return (long) (tcpType | TOEPLITZ) << 32 | toeplitz.hash(input, 0, addresses + 4) & 0xFFFFFFFFL;
        }
        if ((types & ipType) != 0) {
            return (long) (ipType | TOEPLITZ) << 32 | toeplitz.hash(input, 0, addresses) & 0xFFFFFFFFL;
        }
        return 0;
    }

    static int[] rssRegisters(MockBench b) {
        int[] r = new int[2 + Regs82574.RSSRK_REGISTERS + Regs82574.RETA_REGISTERS];
        r[0] = b.readRegister(Regs82574.MRQC);
        r[1] = b.readRegister(Regs82574.RXCSUM);
        for (int i = 0; i < Regs82574.RSSRK_REGISTERS; i++) {
            r[2 + i] = b.readRegister(Regs82574.RSSRK0 + 4 * i);
        }
        for (int i = 0; i < Regs82574.RETA_REGISTERS; i++) {
            r[12 + i] = b.readRegister(Regs82574.RETA0 + 4 * i);
        }
        return r;
    }

    static void expectHashes(MockBench b, int seed, int types) {
        List<byte[]> frames = flows(seed);
        b.injectAndIndicate(frames);
        List<Long> got = b.edge.receivedHashes();
        for (int i = 0; i < frames.size(); i++) {
            assertThat(got.get(i)).as("frame %d", i).isEqualTo(expected(frames.get(i), types));
        }
    }

    @Test
    void anRssSetProgramsTheChipAndTcpAndUdpFlowsCarryTheSoftwareToeplitzHash() {
        try (MockBench b = new MockBench()) {
            b.running();
            assertThat(b.readRegister(Regs82574.RFCTL) & Rfctl.EXTEN).as("extended descriptors").isEqualTo(Rfctl.EXTEN);
            assertThat(b.readRegister(Regs82574.MRQC)).as("no RSS until an OID asks").isZero();
            assertThat(set(b, 0, TOEPLITZ | TYPES, new int[128], KEY)).isEqualTo(NdisStatus.SUCCESS);
            assertThat(b.readRegister(Regs82574.MRQC)).isEqualTo(0x1 | 1 << 16 | 1 << 17 | 1 << 18 | 1 << 20);
            assertThat(b.readRegister(Regs82574.RSSRK0)).as("key byte 0 in bits 7:0").isEqualTo(0xda565a6d);
            assertThat(b.readRegister(Regs82574.RSSRK0 + 36)).isEqualTo(0xfa01acbe);
            assertThat(b.readRegister(Regs82574.RXCSUM) & PCSD).isEqualTo(PCSD);
            for (int i = 0; i < Regs82574.RETA_REGISTERS; i++) {
                assertThat(b.readRegister(Regs82574.RETA0 + 4 * i)).as("a table naming queue 0 only").isZero();
            }
            for (int seed = 0; seed < 4; seed++) {
                b.edge.clearReceived();
                expectHashes(b, seed, TYPES);
            }
            assertThat(b.host.verifier().violations()).isEmpty();
        }
    }

    @Test
    void receiveChecksumVerdictsArriveWithTheHashInTheWriteBack() {
        try (MockBench b = new MockBench()) {
            b.running();
            assertThat(set(b, 0, TOEPLITZ | TYPES, new int[128], KEY)).isEqualTo(NdisStatus.SUCCESS);
            ChecksumOffloadCheck.receive(b, MockBench.MAC);
            assertThat(b.edge.receivedHashes().getFirst() >>> 32).isEqualTo(NdisRssHash.NDIS_HASH_TCP_IPV4 | TOEPLITZ);
        }
    }

    @Test
    void udpHashTypesAreNotAnnouncedAndASetAskingForThemIsRefused() {
        try (MockBench b = new MockBench()) {
            b.running();
            assertThat(b.adapter.generalAttributes().recvScaleCapabilities().supportedHashTypes()).isEqualTo(TYPES);
            assertThat(set(b, 0, TOEPLITZ | TYPES | NdisRssHash.NDIS_HASH_UDP_IPV4, new int[128], KEY))
                    .isNotEqualTo(NdisStatus.SUCCESS);
            assertThat(b.readRegister(Regs82574.MRQC)).isZero();
        }
    }

    @Test
    void aRefusedSetLeavesEveryRssRegisterAndTheHashesAsTheyWere() {
        try (MockBench b = new MockBench()) {
            b.running();
            assertThat(set(b, 0, TOEPLITZ | TYPES, new int[128], KEY)).isEqualTo(NdisStatus.SUCCESS);
            int[] before = rssRegisters(b);
            byte[] otherKey = KEY.clone();
            otherKey[0] ^= 0x55;
            int[] queueTwo = new int[128];
            queueTwo[7] = 2;                                 // two queues announced: 0 and 1
            assertThat(set(b, 0, TOEPLITZ | TYPES, queueTwo, otherKey)).isNotEqualTo(NdisStatus.SUCCESS);
            assertThat(set(b, 0, TOEPLITZ | TYPES, new int[128], Arrays.copyOf(otherKey, 39)))
                    .isNotEqualTo(NdisStatus.SUCCESS);
            assertThat(set(b, 0, TYPES, new int[128], otherKey)).isNotEqualTo(NdisStatus.SUCCESS);
            assertThat(rssRegisters(b)).isEqualTo(before);
            expectHashes(b, 1, TYPES);
        }
    }

    @Test
    void aResetProgramsTheConfigurationInForceAgain() {
        try (MockBench b = new MockBench()) {
            MiniportAdapter a = b.running();
            assertThat(set(b, 0, TOEPLITZ | NdisRssHash.NDIS_HASH_TCP_IPV4 | NdisRssHash.NDIS_HASH_IPV6, new int[16],
                    KEY)).isEqualTo(NdisStatus.SUCCESS);
            int[] programmed = rssRegisters(b);
            assertThat(b.host.reset(a)).isIn(NdisStatus.SUCCESS, NdisStatus.PENDING);
            b.host.idle(Duration.ofSeconds(1));
            assertThat(b.nic().resets()).isEqualTo(1);
            assertThat(rssRegisters(b)).isEqualTo(programmed);
            expectHashes(b, 2, NdisRssHash.NDIS_HASH_TCP_IPV4 | NdisRssHash.NDIS_HASH_IPV6);
        }
    }

    @Test
    void turningRssOffClearsMrqcAndPcsdAndFramesCarryNoHash() {
        try (MockBench b = new MockBench()) {
            b.running();
            assertThat(set(b, 0, TOEPLITZ | TYPES, new int[128], KEY)).isEqualTo(NdisStatus.SUCCESS);
            int rxcsumWithRss = b.readRegister(Regs82574.RXCSUM);
            assertThat(set(b, NdisReceiveScaleParameters.NDIS_RSS_PARAM_FLAG_DISABLE_RSS, 0, new int[0], new byte[0]))
                    .isEqualTo(NdisStatus.SUCCESS);
            assertThat(b.readRegister(Regs82574.MRQC)).isZero();
            assertThat(b.readRegister(Regs82574.RXCSUM)).isEqualTo(rxcsumWithRss & ~PCSD);
            b.injectAndIndicate(flows(3));
            assertThat(b.edge.receivedHashes()).containsOnly(0L);
        }
    }
}

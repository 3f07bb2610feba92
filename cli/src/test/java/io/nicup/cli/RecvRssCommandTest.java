package io.nicup.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.nicup.mock.IpFrames;
import io.nicup.ndis.MacAddress;
import io.nicup.ndis.rss.RssParameterSet;
import io.nicup.ndis.rss.Toeplitz;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code recv --rss}: RSS turned on with Microsoft's verification key, each frame's hash and hash type as
 * the miniport indicated them, checked against the driver's software Toeplitz of the same fields; a NIC
 * that announces no RSS exits 4.
 */
class RecvRssCommandTest {

    /** The mock's default address. */
    private static final MacAddress MAC = MacAddress.parse("52:54:00:12:34:56");
    private static final MacAddress PEER = MacAddress.parse("02:00:00:00:00:02");

    private final Environment env = new Environment(() -> {
        throw new AssertionError("a mock device needs no Linux host");
    }, PciIds.none());

    @TempDir
    Path dir;

    private CliRun recv(String device, List<byte[]> frames, String... extra) {
        Path in = dir.resolve("in.pcap");
        TrafficCommandsTest.writePcap(in, frames);
        String[] base = {"recv", device, "--pcap", dir.resolve("out.pcap").toString(), "--inject", in.toString(),
            "--count", Integer.toString(frames.size()), "--rss"};
        String[] args = Arrays.copyOf(base, base.length + extra.length);
        System.arraycopy(extra, 0, args, base.length, extra.length);
        return CliRun.run(env, args);
    }

    /** The four-tuple hash of an IPv4 or IPv6 TCP/UDP frame without options, under the verification key. */
    private static int fourTuple(byte[] f) {
        boolean v6 = f[12] == (byte) 0x86;
        int addresses = v6 ? 22 : 26;
        int length = v6 ? 36 : 12;
        return new Toeplitz(RssParameterSet.verificationKey()).hash(f, addresses, length);
    }

    @Test
    void recvRssPrintsEachFramesHashAndTypeAsTheSoftwareToeplitzComputesThem() {
        byte[] tcp4 = IpFrames.frame(MAC.bytes(), PEER.bytes(), false, IpFrames.TCP, 0, 100, 1, true);
        byte[] udp6 = IpFrames.frame(MAC.bytes(), PEER.bytes(), true, IpFrames.UDP, 0, 100, 2, true);
        byte[] plain = new byte[80];
        System.arraycopy(MAC.bytes(), 0, plain, 0, 6);
        System.arraycopy(PEER.bytes(), 0, plain, 6, 6);
        plain[12] = (byte) 0x88;
        plain[13] = (byte) 0xB5;
        CliRun r = recv("mock:82576", List.of(tcp4, udp6, plain), "--checksums");
        assertThat(r.exitCode()).as(r.err()).isZero();
        // the table spreads over the 82576's four queues: the UDP frame's queue (its hash mod 4 = 1) is
        // serviced after queue 0, where the TCP frame (hash mod 4 = 0) and the unhashed frame arrive
        assertThat(fourTuple(tcp4) & 3).isZero();
        assertThat(fourTuple(udp6) & 3).isEqualTo(1);
        assertThat(r.out()).contains(
                String.format("frame 1: %d bytes, checksum good (IP, TCP), hash 0x%08x (TCP/IPv4)", tcp4.length,
                        fourTuple(tcp4)),
                "frame 2: 80 bytes, checksum not checked, no hash",
                String.format("frame 3: %d bytes, checksum good (UDP), hash 0x%08x (UDP/IPv6)", udp6.length,
                        fourTuple(udp6)),
                "rss: 2 hashed, 1 not hashed");
    }

    @Test
    void recvRssJsonCountsHashedAndNotHashedFrames() {
        byte[] tcp6 = IpFrames.frame(MAC.bytes(), PEER.bytes(), true, IpFrames.TCP, 0, 60, 3, true);
        CliRun r = recv("mock:82576", List.of(tcp6), "--json");
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out()).contains("\"rss\":{\"hashed\":1,\"not_hashed\":0}");
    }

    @Test
    void anRssKeywordOfZeroLeavesTheNicWithoutRssAndExits4() throws java.io.IOException {
        Path params = dir.resolve("params.txt");
        java.nio.file.Files.writeString(params, "*RSS = 0\n");
        byte[] tcp4 = IpFrames.frame(MAC.bytes(), PEER.bytes(), false, IpFrames.TCP, 0, 100, 1, true);
        CliRun r = recv("mock:82576", List.of(tcp4), "--params", params.toString());
        assertThat(r.exitCode()).as(r.err()).isEqualTo(ExitCode.NOT_SUPPORTED.code());
        assertThat(r.err()).contains("rss not announced: device=mock:82576");
    }

    @Test
    void aNicThatAnnouncesNoRssExits4() {
        byte[] tcp4 = IpFrames.frame(MAC.bytes(), PEER.bytes(), false, IpFrames.TCP, 0, 100, 1, true);
        CliRun r = recv("mock:virtio-net", List.of(tcp4));
        assertThat(r.exitCode()).isEqualTo(ExitCode.NOT_SUPPORTED.code());
        assertThat(r.err().strip().lines()).hasSize(1);
        assertThat(r.err()).contains("rss not announced: device=mock:virtio-net");
    }

    /** The 82574L hashes TCP with its ports and, having no UDP hash, UDP on its addresses alone. */
    @Test
    void recvRssOnThe82574LGivesUdpTheAddressHash() {
        byte[] tcp4 = IpFrames.frame(MAC.bytes(), PEER.bytes(), false, IpFrames.TCP, 0, 100, 1, true);
        byte[] udp6 = IpFrames.frame(MAC.bytes(), PEER.bytes(), true, IpFrames.UDP, 0, 100, 2, true);
        CliRun r = recv("mock:82574L", List.of(tcp4, udp6), "--checksums");
        assertThat(r.exitCode()).as(r.err()).isZero();
        int addresses = new Toeplitz(RssParameterSet.verificationKey()).hash(udp6, 22, 32);
        assertThat(r.out()).contains(
                String.format("frame 1: %d bytes, checksum good (IP, TCP), hash 0x%08x (TCP/IPv4)", tcp4.length,
                        fourTuple(tcp4)),
                String.format("frame 2: %d bytes, checksum good (UDP), hash 0x%08x (IPv6)", udp6.length, addresses),
                "rss: 2 hashed, 0 not hashed");
    }
}

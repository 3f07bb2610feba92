package io.nicup.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.nicup.ndis.miniport.core.InternetChecksum;
import java.lang.foreign.MemorySegment;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** `nicup send --proto/--flows/--vlan/--size A-B:STEP` on the simulated 82574L, read back from --capture. */
class GeneratedTrafficTest {

    private final Environment env = new Environment(() -> {
        throw new AssertionError("a mock device needs no Linux host");
    }, PciIds.none());

    @TempDir
    Path dir;

    private List<byte[]> send(String... options) {
        Path capture = dir.resolve("wire.pcap");
        List<String> args = new java.util.ArrayList<>(List.of("send", "mock:82574L", "--dst", "02:00:00:00:00:02",
                "--capture", capture.toString()));
        args.addAll(List.of(options));
        CliRun r = CliRun.run(env, args.toArray(String[]::new));
        assertThat(r.exitCode()).as(r.err()).isZero();
        return TrafficCommandsTest.readPcap(capture);
    }

    private static int u16(byte[] f, int at) {
        return (f[at] & 0xFF) << 8 | f[at + 1] & 0xFF;
    }

    /** The receiver's check: the ones'-complement sum over the covered bytes, checksum included, is 0xFFFF. */
    private static int verify(byte[] f, int offset, int length, long pseudo) {
        return sum(f, offset, length, pseudo);
    }

    @Test
    void ipv4UdpFramesOverFourFlowsWithAVlanTagAndASizeSweepCarryCorrectChecksums() {
        List<byte[]> wire = send("--count", "12", "--size", "64-164:50", "--proto", "udp4", "--flows", "4",
                "--vlan", "100:5");

        assertThat(wire).hasSize(12);
        Set<Integer> ports = new HashSet<>();
        for (int i = 0; i < wire.size(); i++) {
            byte[] f = wire.get(i);
            assertThat(f.length).isEqualTo(64 + 50 * (i % 3));
            assertThat(u16(f, 12)).isEqualTo(0x8100);
            assertThat(u16(f, 14)).isEqualTo(5 << 13 | 100);
            assertThat(u16(f, 16)).isEqualTo(0x0800);
            int ip = 18;
            int udp = ip + 20;
            assertThat(f[ip]).isEqualTo((byte) 0x45);
            assertThat(u16(f, ip + 2)).isEqualTo(f.length - ip);
            assertThat(verify(f, ip, 20, 0)).as("IPv4 header checksum of frame %d", i).isEqualTo(0xFFFF);
            assertThat(u16(f, udp + 4)).isEqualTo(f.length - udp);
            assertThat(u16(f, udp + 6)).isNotZero();
            long pseudo = sum(f, ip + 12, 8, 17 + (f.length - udp));
            assertThat(verify(f, udp, f.length - udp, pseudo)).as("UDP checksum of frame %d", i).isEqualTo(0xFFFF);
            ports.add(u16(f, udp));
        }
        assertThat(ports).containsExactlyInAnyOrder(49152, 49153, 49154, 49155);
    }

    @Test
    void ipv6UdpFramesFromAListOfSizesCarryTheMandatoryUdpChecksum() {
        List<byte[]> wire = send("--count", "6", "--size", "62,100,1514", "--proto", "udp6", "--flows", "2");

        assertThat(wire).extracting(f -> f.length).containsExactly(62, 100, 1514, 62, 100, 1514);
        for (byte[] f : wire) {
            assertThat(u16(f, 12)).isEqualTo(0x86DD);
            int ip = 14;
            int udp = ip + 40;
            assertThat(f[ip] >>> 4).isEqualTo(6);
            assertThat(u16(f, ip + 4)).isEqualTo(f.length - udp);
            assertThat(f[ip + 6]).isEqualTo((byte) 17);
            assertThat(u16(f, udp + 6)).isNotZero();
            long pseudo = sum(f, ip + 8, 32, 17 + (f.length - udp));
            assertThat(verify(f, udp, f.length - udp, pseudo)).isEqualTo(0xFFFF);
        }
        assertThat(wire).extracting(f -> u16(f, 54)).containsExactly(49152, 49153, 49152, 49153, 49152, 49153);
    }

    @Test
    void theDefaultStaysTodaysRawFramesAndTheSummaryCountsTheSweptBytes() {
        CliRun r = CliRun.run(env, "send", "mock:82574L", "--count", "4", "--size", "64,128", "--dst", "02:00:00:00:00:02");

        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out()).contains("sent 4 frames, 384 bytes");
        List<byte[]> raw = send("--count", "2", "--size", "64");
        assertThat(raw.get(1)).isEqualTo(Traffic.frame(io.nicup.ndis.MacAddress.parse("02:00:00:00:00:02"),
                io.nicup.ndis.MacAddress.parse("52:54:00:12:34:56"), 64, 1));
    }

    @ParameterizedTest
    @CsvSource(delimiter = ';', value = {
        "--size 41 --proto udp4; --size too small for the headers: size=41 min=42 proto=udp4",
        "--size 64-100 --proto udp6 --vlan 7; --size too small for the headers: size=64 min=66 proto=udp6 vlan=7",
        "--size 64 --vlan 4095; invalid --vlan '4095'",
        "--size 64 --vlan 10:8; invalid --vlan '10:8'",
        "--size 64 --flows 2; --flows needs --proto udp4, udp6, tcp4 or tcp6: flows=2",
        "--size 64 --proto udp4 --flows 16385; --flows 16385 out of range",
        "--size 64 --proto tcp; invalid --proto 'tcp'",
        "--size 100-64; invalid --size '100-64'",
        "--size 64-100:0; invalid --size '64-100:0'",
        "--size 64-1520:8; exceeds MTU 1500"})
    void aBadCombinationIsAOneLineUsageError(String options, String message) {
        List<String> args = new java.util.ArrayList<>(List.of("send", "mock:82574L", "--count", "1", "--dst",
                "02:00:00:00:00:02"));
        args.addAll(List.of(options.split(" ")));
        CliRun r = CliRun.run(env, args.toArray(String[]::new));

        assertThat(r.exitCode()).isEqualTo(ExitCode.USAGE.code());
        assertThat(r.err().strip().lines()).hasSize(1);
        assertThat(r.err()).contains(message);
    }

    /** The folded ones'-complement sum of {@code length} bytes at {@code offset}, added to {@code initial}. */
    private static int sum(byte[] f, int offset, int length, long initial) {
        return InternetChecksum.fold(InternetChecksum.add(MemorySegment.ofArray(f), offset, length, initial));
    }
}

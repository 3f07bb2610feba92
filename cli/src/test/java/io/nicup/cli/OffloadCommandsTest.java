package io.nicup.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.nicup.ndis.miniport.core.InternetChecksum;
import java.lang.foreign.MemorySegment;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * {@code send --proto tcp4|tcp6 --csum-offload on --lso MSS} and {@code recv --checksums} on
 * {@code mock:virtio-net?offload=on} (and {@code --lso} on {@code mock:82574L} and {@code mock:82576}), the frames
 * read back from the mock wire and checked as a receiver would.
 */
class OffloadCommandsTest {

    private static final String OFFLOAD = "mock:virtio-net?offload=on";

    private final Environment env = new Environment(() -> {
        throw new AssertionError("a mock device needs no Linux host");
    }, PciIds.none());

    @TempDir
    Path dir;

    private List<byte[]> send(String device, String... options) {
        Path capture = dir.resolve("wire-" + System.nanoTime() + ".pcap");
        List<String> args = new ArrayList<>(List.of("send", device, "--dst", "02:00:00:00:00:02", "--capture",
                capture.toString()));
        args.addAll(List.of(options));
        CliRun r = CliRun.run(env, args.toArray(String[]::new));
        assertThat(r.exitCode()).as(r.err()).isZero();
        return TrafficCommandsTest.readPcap(capture);
    }

    private static int u16(byte[] f, int at) {
        return (f[at] & 0xFF) << 8 | f[at + 1] & 0xFF;
    }

    /** Whether the IPv4 header checksum (IPv4) and the TCP/UDP checksum of {@code f} verify. */
    static boolean checksumsVerify(byte[] f) {
        boolean v6 = u16(f, 12) == 0x86DD;
        int ip = 14;
        int l4 = ip + (v6 ? 40 : 20);
        int protocol = f[v6 ? ip + 6 : ip + 9] & 0xFF;
        if (!v6 && sum(f, ip, 20, 0) != 0xFFFF) {
            return false;
        }
        long pseudo = v6 ? sum(f, ip + 8, 32, protocol + (f.length - l4))
                : sum(f, ip + 12, 8, protocol + (f.length - l4));
        return sum(f, l4, f.length - l4, pseudo) == 0xFFFF;
    }

    @ParameterizedTest
    @CsvSource({"tcp4", "udp4", "tcp6", "udp6"})
    void checksumsLeftToTheDeviceAreTheOnesNicupWouldHaveComputed(String proto) {
        List<byte[]> offloaded = send(OFFLOAD, "--count", "6", "--size", "80-1514:97", "--proto", proto,
                "--flows", "3", "--csum-offload", "on");
        List<byte[]> software = send(OFFLOAD, "--count", "6", "--size", "80-1514:97", "--proto", proto,
                "--flows", "3");
        assertThat(offloaded).hasSize(6).allMatch(OffloadCommandsTest::checksumsVerify);
        assertThat(offloaded).containsExactlyElementsOf(software);
    }

    @Test
    void txCsumWrongShowsInTheCapture() {
        List<byte[]> wire = send(OFFLOAD + "&fault=tx-csum-wrong", "--count", "3", "--size", "200", "--proto", "tcp4",
                "--csum-offload", "on");
        assertThat(wire).hasSize(3).noneMatch(OffloadCommandsTest::checksumsVerify);
    }

    @ParameterizedTest
    @CsvSource({OFFLOAD + ",tcp4,20", OFFLOAD + ",tcp6,40", "mock:82574L,tcp4,20", "mock:82574L,tcp6,40",
        "mock:82576,tcp4,20", "mock:82576,tcp6,40"})
    void aLargeSendLeavesAsMssSegmentsWithContiguousSequenceNumbers(String device, String proto, int ipHeader) {
        int mss = 1400;
        Path capture = dir.resolve("lso.pcap");
        CliRun r = CliRun.run(env, "send", device, "--dst", "02:00:00:00:00:02", "--capture", capture.toString(),
                "--count", "2", "--size", "65535", "--proto", proto, "--lso", String.valueOf(mss));
        assertThat(r.exitCode()).as(r.err()).isZero();
        int payload = 65535 - 14 - ipHeader - 20;
        int perSend = (payload + mss - 1) / mss;
        assertThat(r.out()).contains("sent 2 frames, 131070 bytes").contains("mock wire: " + 2 * perSend + " frames");
        List<byte[]> wire = TrafficCommandsTest.readPcap(capture);
        assertThat(wire).hasSize(2 * perSend).allMatch(OffloadCommandsTest::checksumsVerify)
                .allMatch(f -> f.length <= 1514);
        int tcp = 14 + ipHeader;
        for (int send = 0; send < 2; send++) {
            long seq = (long) send << 16;
            int bytes = 0;
            for (int i = 0; i < perSend; i++) {
                byte[] f = wire.get(send * perSend + i);
                assertThat(((long) u16(f, tcp + 4) << 16 | u16(f, tcp + 6))).as("segment %d of send %d", i, send)
                        .isEqualTo(seq + bytes);
                bytes += f.length - tcp - 20;
            }
            assertThat(bytes).isEqualTo(payload);
        }
    }

    @Test
    void anOffloadTheAdapterDoesNotHaveIsExit4() throws java.io.IOException {
        CliRun r = CliRun.run(env, "send", "mock:virtio-net", "--dst", "02:00:00:00:00:02", "--count", "1",
                "--size", "100", "--proto", "tcp4", "--csum-offload", "on");
        assertThat(r.exitCode()).isEqualTo(ExitCode.NOT_SUPPORTED.code());
        assertThat(r.err()).contains("offload not enabled on the adapter: tcp4 checksum on transmit");
        Path params = java.nio.file.Files.writeString(dir.resolve("lso.params"), "*LsoV2IPv6 = 0\n");
        CliRun lso = CliRun.run(env, "send", "mock:82574L", "--params", params.toString(), "--dst",
                "02:00:00:00:00:02", "--count", "1", "--size", "9000", "--proto", "tcp6", "--lso", "1000");
        assertThat(lso.exitCode()).isEqualTo(ExitCode.NOT_SUPPORTED.code());
        assertThat(lso.err()).contains("offload not enabled on the adapter: LSOv2 for IPv6");
    }

    @ParameterizedTest
    @CsvSource(delimiter = ';', value = {
        "--size 64 --csum-offload on; --csum-offload on and --lso need --proto",
        "--size 64 --csum-offload maybe --proto udp4; invalid --csum-offload 'maybe'",
        "--size 9000 --proto udp4 --lso 1000; --lso needs --proto tcp4 or tcp6: proto=udp4",
        "--size 9000 --proto tcp4 --lso 10; --lso 10 out of range",
        "--size 65536 --proto tcp4 --lso 1000; exceeds MTU 65521"})
    void aBadOffloadCombinationIsAOneLineUsageError(String options, String message) {
        List<String> args = new ArrayList<>(List.of("send", OFFLOAD, "--count", "1", "--dst", "02:00:00:00:00:02"));
        args.addAll(List.of(options.split(" ")));
        CliRun r = CliRun.run(env, args.toArray(String[]::new));
        assertThat(r.exitCode()).isEqualTo(ExitCode.USAGE.code());
        assertThat(r.err().strip().lines()).hasSize(1);
        assertThat(r.err()).contains(message);
    }

    // ------------------------------------------------------------------ recv --checksums

    private List<byte[]> injectable() {
        List<byte[]> frames = new ArrayList<>();
        // frames to us, made by a send's generator and checked by the receiver's arithmetic above
        GeneratedFrames tcp = new GeneratedFrames(io.nicup.ndis.MacAddress.parse("52:54:00:12:34:57"), 2,
                FrameSizes.parse("300"), GeneratedFrames.Proto.TCP4, 1, null, IpHeaders.Checksums.SOFTWARE, 0);
        GeneratedFrames udp = new GeneratedFrames(io.nicup.ndis.MacAddress.parse("52:54:00:12:34:57"), 1,
                FrameSizes.parse("200"), GeneratedFrames.Proto.UDP6, 1, null, IpHeaders.Checksums.SOFTWARE, 0);
        io.nicup.ndis.MacAddress peer = io.nicup.ndis.MacAddress.parse("02:00:00:00:00:02");
        byte[] good = ReferenceFrames.frame(tcp, peer, 0);
        byte[] bad = ReferenceFrames.frame(tcp, peer, 1);
        bad[bad.length - 1] ^= 0x5A;
        frames.add(good);
        frames.add(bad);
        frames.add(ReferenceFrames.frame(udp, peer, 0));
        return frames;
    }

    private CliRun recv(String device) {
        Path in = dir.resolve("in.pcap");
        TrafficCommandsTest.writePcap(in, injectable());
        return CliRun.run(env, "recv", device, "--pcap", dir.resolve("out.pcap").toString(), "--inject", in.toString(),
                "--count", "3", "--checksums");
    }

    @Test
    void recvPrintsEachFramesVerdictAndCountsThem() {
        assertThat(injectable()).extracting(OffloadCommandsTest::checksumsVerify).containsExactly(true, false, true);
        CliRun r = recv(OFFLOAD);
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out()).contains("frame 1: 300 bytes, checksum good (TCP)", "frame 2: 300 bytes, checksum not checked",
                "frame 3: 200 bytes, checksum good (UDP)", "checksums: 2 good, 0 bad, 1 not checked");
    }

    @Test
    void withoutAVerdictFromTheDeviceNoFrameIsCalledGood() {
        CliRun r = recv("mock:virtio-net");
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out()).contains("checksums: 0 good, 0 bad, 3 not checked").doesNotContain("checksum good");
    }

    @Test
    void rxCsumAlwaysValidShowsAsABadFrameCalledGood() {
        CliRun r = recv(OFFLOAD + "&fault=rx-csum-always-valid");
        assertThat(r.out()).contains("frame 2: 300 bytes, checksum good (TCP)", "checksums: 3 good");
    }

    /** The folded ones'-complement sum of {@code length} bytes at {@code offset}, added to {@code initial}. */
    private static int sum(byte[] f, int offset, int length, long initial) {
        return InternetChecksum.fold(InternetChecksum.add(MemorySegment.ofArray(f), offset, length, initial));
    }
}

package io.nicup.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.nicup.ndis.MacAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** `nicup send`, `recv` and `loopback` on the simulated 82574L, and their argument checks. */
class TrafficCommandsTest {

    private final Environment env = new Environment(() -> {
        throw new AssertionError("a mock device needs no Linux host");
    }, PciIds.none());

    @TempDir
    Path dir;

    static List<byte[]> frames(String dst, int count, int size) {
        List<byte[]> out = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            out.add(Traffic.frame(MacAddress.parse(dst), MacAddress.parse("02:00:00:00:00:02"), size, 1000 + i));
        }
        return out;
    }

    static void writePcap(Path file, List<byte[]> frames) {
        try (Pcap.Writer w = new Pcap.Writer(file)) {
            for (int i = 0; i < frames.size(); i++) {
                w.write(i, frames.get(i), 0, frames.get(i).length);
            }
        }
    }

    static List<byte[]> readPcap(Path file) {
        return Pcap.readAll(file, 100_000).stream().map(Pcap.Frame::data).toList();
    }

    @Test
    void sendPutsTenGeneratedFramesOnTheWireAndCaptureWritesThem() {
        Path capture = dir.resolve("wire.pcap");
        CliRun r = CliRun.run(env, "send", "mock:82574L", "--count", "10", "--size", "64", "--dst", "02:00:00:00:00:02",
                "--capture", capture.toString());

        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out()).contains("sent 10 frames, 640 bytes", "0 errors, 0 drops", "mock wire: 10 frames captured");
        List<byte[]> wire = readPcap(capture);
        assertThat(wire).hasSize(10).allMatch(f -> f.length == 64);
        assertThat(MacAddress.of(java.util.Arrays.copyOf(wire.get(0), 6))).isEqualTo(MacAddress.parse("02:00:00:00:00:02"));
        assertThat(MacAddress.of(java.util.Arrays.copyOfRange(wire.get(0), 6, 12))).isEqualTo(MacAddress.parse("52:54:00:12:34:56"));
    }

    @Test
    void sendFromAPcapSendsItsFramesByteForByteAtARate() {
        Path in = dir.resolve("in.pcap");
        Path capture = dir.resolve("wire.pcap");
        List<byte[]> frames = frames("02:00:00:00:00:09", 20, 300);
        writePcap(in, frames);
        CliRun r = CliRun.run(env, "--json", "send", "mock:82574L", "--pcap", in.toString(), "--rate", "1000",
                "--capture", capture.toString());

        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out()).contains("\"frames\":20", "\"bytes\":6000", "\"errors\":0", "\"wire_frames\":20");
        assertThat(readPcap(capture)).containsExactlyElementsOf(frames);
    }

    @Test
    void recvWithInjectWritesTheInjectedFramesByteForByte() {
        Path inject = dir.resolve("inject.pcap");
        Path out = dir.resolve("received.pcap");
        List<byte[]> frames = new ArrayList<>(frames("52:54:00:12:34:56", 40, 128));
        frames.addAll(frames("ff:ff:ff:ff:ff:ff", 10, 1514));
        writePcap(inject, frames);
        CliRun r = CliRun.run(env, "recv", "mock:82574L", "--pcap", out.toString(), "--inject", inject.toString());

        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out()).contains("received 50 frames, " + (40 * 128 + 10 * 1514) + " bytes", "0 errors, 0 drops");
        assertThat(readPcap(out)).containsExactlyElementsOf(frames);
    }

    @Test
    void recvStopsAfterCount() {
        Path inject = dir.resolve("inject.pcap");
        Path out = dir.resolve("received.pcap");
        writePcap(inject, frames("52:54:00:12:34:56", 10, 64));
        CliRun r = CliRun.run(env, "recv", "mock:82574L", "--pcap", out.toString(), "--inject", inject.toString(),
                "--count", "4");

        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(readPcap(out)).hasSize(4);
    }

    @Test
    void loopbackBrings64FramesBackIdentical() {
        CliRun r = CliRun.run(env, "loopback", "mock:82574L", "--count", "64");

        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out()).contains("looped back 64 frames, 65536 bytes", "0 errors, 0 drops",
                "loopback: all 64 frames came back identical");
    }

    @ParameterizedTest
    @ValueSource(strings = {"02:00:00:00:00", "02:00:00:00:00:0g", "0200.0000.0002", "02:00-00:00:00:02", "020000000002"})
    void aBadMacIsAUsageErrorInOneLine(String mac) {
        CliRun r = CliRun.run(env, "send", "mock:82574L", "--count", "1", "--size", "64", "--dst", mac);

        assertThat(r.exitCode()).isEqualTo(ExitCode.USAGE.code());
        assertThat(r.err().strip().lines()).hasSize(1);
        assertThat(r.err()).contains("invalid MAC address for --dst");
    }

    @Test
    void aRuntSizeIsAUsageErrorInOneLine() {
        CliRun r = CliRun.run(env, "send", "mock:82574L", "--count", "1", "--size", "13", "--dst", "02:00:00:00:00:02");

        assertThat(r.exitCode()).isEqualTo(ExitCode.USAGE.code());
        assertThat(r.err().strip().lines()).hasSize(1);
        assertThat(r.err()).contains("runt");
    }

    @Test
    void aFrameLargerThanTheMtuIsAUsageErrorInOneLine() {
        CliRun r = CliRun.run(env, "send", "mock:82574L", "--count", "1", "--size", "1515", "--dst", "02:00:00:00:00:02");

        assertThat(r.exitCode()).isEqualTo(ExitCode.USAGE.code());
        assertThat(r.err().strip().lines()).hasSize(1);
        assertThat(r.err()).contains("exceeds MTU 1500");
    }

    @Test
    void outOfRangeCountRateAndTimeoutAreUsageErrors() {
        assertThat(CliRun.run(env, "send", "mock:82574L", "--count", "0", "--size", "64", "--dst", "02:00:00:00:00:02")
                .exitCode()).isEqualTo(ExitCode.USAGE.code());
        assertThat(CliRun.run(env, "send", "mock:82574L", "--count", "1", "--size", "64", "--dst", "02:00:00:00:00:02",
                "--rate", "0").exitCode()).isEqualTo(ExitCode.USAGE.code());
        assertThat(CliRun.run(env, "recv", "mock:82574L", "--pcap", dir.resolve("x.pcap").toString(), "--timeout", "0")
                .exitCode()).isEqualTo(ExitCode.USAGE.code());
        assertThat(CliRun.run(env, "loopback", "mock:82574L", "--count", "-1").exitCode()).isEqualTo(ExitCode.USAGE.code());
    }

    @Test
    void aMissingPcapIsAUsageErrorInOneLine() {
        CliRun r = CliRun.run(env, "send", "mock:82574L", "--pcap", dir.resolve("missing.pcap").toString());

        assertThat(r.exitCode()).isEqualTo(ExitCode.USAGE.code());
        assertThat(r.err().strip().lines()).hasSize(1);
        assertThat(r.err()).contains("pcap file not found");
    }

    @Test
    void sendNeedsEitherAPcapOrCountSizeAndDst() {
        CliRun r = CliRun.run(env, "send", "mock:82574L", "--count", "1", "--size", "64");

        assertThat(r.exitCode()).isEqualTo(ExitCode.USAGE.code());
        assertThat(r.err()).contains("--dst");
    }

    @Test
    void injectIsOnlyForASimulatedNic() throws Exception {
        Path inject = dir.resolve("inject.pcap");
        writePcap(inject, frames("52:54:00:12:34:56", 1, 64));
        CliRun r = CliRun.run(env, "recv", "0000:01:00.0", "--pcap", dir.resolve("o.pcap").toString(), "--inject",
                inject.toString());

        assertThat(r.exitCode()).isEqualTo(ExitCode.USAGE.code());
        assertThat(r.err()).contains("--inject is valid only for a simulated NIC");
        assertThat(Files.exists(dir.resolve("o.pcap"))).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"bringup", "selftest", "regs", "stats", "send", "recv", "loopback"})
    void everyNewCommandsHelpHasExamples(String command) {
        CliRun r = CliRun.run(env, command, "--help");

        assertThat(r.exitCode()).isZero();
        assertThat(r.out()).contains("Examples:", "nicup " + command);
    }
}

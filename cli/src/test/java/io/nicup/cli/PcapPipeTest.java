package io.nicup.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** `--pcap -`: send reads the pcap from standard input, recv writes it to standard output and its text to stderr. */
class PcapPipeTest {

    @TempDir
    Path dir;

    private final ByteArrayOutputStream stdout = new ByteArrayOutputStream();

    private Environment env(byte[] stdin) {
        return new Environment(() -> {
            throw new AssertionError("a mock device needs no Linux host");
        }, PciIds.none(), () -> new ByteArrayInputStream(stdin), () -> stdout);
    }

    @Test
    void sendPcapDashSendsTheFramesOfStandardInput() throws Exception {
        Path file = dir.resolve("in.pcap");
        List<byte[]> frames = TrafficCommandsTest.frames("02:00:00:00:00:09", 20, 300);
        TrafficCommandsTest.writePcap(file, frames);
        Path capture = dir.resolve("wire.pcap");
        CliRun r = CliRun.run(env(Files.readAllBytes(file)), "send", "mock:82574L", "--pcap", "-", "--capture",
                capture.toString());

        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out()).contains("sent 20 frames, 6000 bytes");
        assertThat(TrafficCommandsTest.readPcap(capture)).containsExactlyElementsOf(frames);
    }

    @Test
    void sendPcapDashWithGarbageOnStandardInputIsAOneLineUsageError() {
        CliRun r = CliRun.run(env("not a pcap at all".getBytes()), "send", "mock:82574L", "--pcap", "-");

        assertThat(r.exitCode()).isEqualTo(ExitCode.USAGE.code());
        assertThat(r.err().strip().lines()).hasSize(1);
        assertThat(r.err()).contains("not a valid pcap file: file=-");
    }

    @Test
    void recvPcapDashWritesAValidPcapToStandardOutputAndTheSummaryToStandardError() throws Exception {
        Path inject = dir.resolve("inject.pcap");
        List<byte[]> frames = TrafficCommandsTest.frames("52:54:00:12:34:56", 30, 128);
        TrafficCommandsTest.writePcap(inject, frames);
        CliRun r = CliRun.run(env(new byte[0]), "recv", "mock:82574L", "--pcap", "-", "--inject", inject.toString(),
                "--interval", "0.001");

        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out()).isEmpty();
        assertThat(r.err()).contains("received 30 frames, 3840 bytes", "written to standard output", "s of virtual time: received");
        Path piped = dir.resolve("piped.pcap");
        Files.write(piped, stdout.toByteArray());
        assertThat(TrafficCommandsTest.readPcap(piped)).containsExactlyElementsOf(frames);
    }

    @Test
    void recvPcapDashWithJsonIsRefusedBeforeTheDeviceIsTouched() {
        CliRun r = CliRun.run(env(new byte[0]), "--json", "recv", "mock:82574L", "--pcap", "-", "--count", "1");

        assertThat(r.exitCode()).isEqualTo(ExitCode.USAGE.code());
        assertThat(r.err().strip().lines()).hasSize(1);
        assertThat(r.err()).contains("--json and --pcap - both write to standard output");
        assertThat(stdout.size()).isZero();
    }
}

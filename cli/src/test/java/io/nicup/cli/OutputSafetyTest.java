package io.nicup.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import picocli.CommandLine;

/**
 * A user's mistake is a usage error, not a bug; output files are checked before the device is touched and
 * replaced only when the run succeeded; output that could not be written fails the run.
 */
class OutputSafetyTest {

    private final Environment env = new Environment(() -> {
        throw new AssertionError("a mock device needs no Linux host");
    }, PciIds.none());

    @TempDir
    Path dir;

    @ParameterizedTest
    @ValueSource(strings = {"recv", "stats"})
    void aRuntInAnInjectedPcapIsAUsageErrorLikeSendSaysOfTheSameFile(String command) {
        Path runt = dir.resolve("runt.pcap");
        TrafficCommandsTest.writePcap(runt, List.of(new byte[10]));
        List<String> args = new java.util.ArrayList<>(List.of(command, "mock:82574L", "--inject", runt.toString()));
        if (command.equals("recv")) {
            args.addAll(List.of("--pcap", dir.resolve("r.pcap").toString()));
        }
        CliRun r = CliRun.run(env, args.toArray(String[]::new));

        assertThat(r.exitCode()).as(r.err()).isEqualTo(ExitCode.USAGE.code());
        assertThat(r.err().strip()).startsWith("nicup: cannot inject a frame: file=" + runt + " frame=0 length=10 min=14");
        assertThat(CliRun.run(env, "send", "mock:82574L", "--pcap", runt.toString()).exitCode())
                .isEqualTo(ExitCode.USAGE.code());
    }

    @Test
    void aTraceThatCannotBeWrittenIsNotABug() {
        CliRun full = CliRun.run(env, "bringup", "mock:82574L", "--trace", "/dev/full");
        CliRun directory = CliRun.run(env, "bringup", "mock:82574L", "--trace", dir.toString());

        assertThat(full.exitCode()).as(full.err()).isEqualTo(ExitCode.ENVIRONMENT.code());
        assertThat(full.err().strip()).startsWith("nicup: writing the trace file failed: file=/dev/full")
                .endsWith("free space on that file system or write elsewhere");
        assertThat(directory.exitCode()).isEqualTo(ExitCode.USAGE.code());
        assertThat(directory.out()).as("refused before the device was touched").isEmpty();
        assertThat(directory.err().strip()).contains("problem=is a directory");
    }

    @Test
    void aTraceOverTheParameterFileIsRefusedAndTheFileKept() throws IOException {
        Path params = Files.writeString(dir.resolve("e.params"), "*JumboPacket = 9014\n");
        CliRun r = CliRun.run(env, "bringup", "mock:82574L", "--params", params.toString(), "--trace", params.toString());

        assertThat(r.exitCode()).isEqualTo(ExitCode.USAGE.code());
        assertThat(r.err().strip()).startsWith("nicup: --trace would overwrite --params");
        assertThat(Files.readString(params)).isEqualTo("*JumboPacket = 9014\n");
    }

    @Test
    void recvOnADeviceThatFailsToInitializeLeavesAnExistingPcapAsItWas() throws IOException {
        Path pcap = Files.writeString(dir.resolve("keep.pcap"), "an earlier capture");
        CliRun r = CliRun.run(env, "recv", "mock:82574L?fault=reset-stuck", "--pcap", pcap.toString());

        assertThat(r.exitCode()).isEqualTo(ExitCode.HARDWARE.code());
        assertThat(Files.readString(pcap)).isEqualTo("an earlier capture");
        try (var files = Files.list(dir)) {
            assertThat(files).as("no temporary file left behind").containsExactly(pcap);
        }
    }

    @Test
    void sendWithACaptureIntoAMissingDirectoryFailsBeforeSending() {
        CliRun r = CliRun.run(env, "send", "mock:82574L", "--count", "10", "--size", "64", "--dst", "02:00:00:00:00:01",
                "--capture", dir.resolve("missing/c.pcap").toString());

        assertThat(r.exitCode()).isEqualTo(ExitCode.USAGE.code());
        assertThat(r.out()).isEmpty();
        assertThat(r.err().strip()).startsWith("nicup: cannot write output file: option=--capture")
                .contains("problem=directory not found");
    }

    @Test
    void aFailedWriteToStandardOutputFailsTheRun() {
        CommandLine cmd = Nicup.commandLine(env);
        StringWriter err = new StringWriter();
        cmd.setOut(new PrintWriter(new OutputStream() {
            @Override
            public void write(int b) throws IOException {
                throw new IOException("No space left on device");
            }
        }));
        cmd.setErr(new PrintWriter(err, true));

        int code = cmd.execute("--json", "bringup", "mock:82574L");

        assertThat(code).isEqualTo(ExitCode.ENVIRONMENT.code());
        assertThat(err.toString().strip()).startsWith("nicup: writing to standard output failed: command=bringup");
    }

    @Test
    void underJsonAFailureIsAlsoAJsonErrorObjectOnStandardOutput() {
        CliRun hardware = CliRun.run(env, "--json", "bringup", "mock:82574L?fault=reset-stuck");
        CliRun usage = CliRun.run(env, "--json", "send", "mock:82574L", "--count", "1", "--size", "64", "--dst", "zz");

        assertThat(hardware.exitCode()).isEqualTo(ExitCode.HARDWARE.code());
        assertThat(hardware.out().strip().lines().toList().getLast())
                .startsWith("{\"error\":{\"code\":8,\"name\":\"HARDWARE\",\"message\":\"initialization failed: ")
                .contains("\"remedy\":\"the simulated NIC's fault did this");
        assertThat(hardware.err().strip().lines()).singleElement().asString().startsWith("nicup: initialization failed");
        assertThat(usage.out().strip()).isEqualTo("{\"error\":{\"code\":2,\"name\":\"USAGE\",\"message\":"
                + "\"invalid MAC address for --dst: 'zz'\",\"remedy\":\"give six hex octets like 02:00:00:00:00:02\"}}");
    }
}

package io.nicup.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** `--trace FILE` on every command that brings an adapter up, not only bringup. */
class TraceEverywhereTest {

    private final Environment env = new Environment(() -> {
        throw new AssertionError("a mock device needs no Linux host");
    }, PciIds.none());

    @TempDir
    Path dir;

    @Test
    void sendWritesTheJsonLinesTraceFromInitializeToTheTeardown() throws Exception {
        Path trace = dir.resolve("send.jsonl");
        CliRun r = CliRun.run(env, "send", "mock:82574L", "--count", "5", "--size", "64", "--dst", "02:00:00:00:00:02",
                "--trace", trace.toString());

        assertThat(r.exitCode()).as(r.err()).isZero();
        List<String> lines = Files.readAllLines(trace);
        assertThat(lines).isNotEmpty().allMatch(l -> l.startsWith("{\"seq\":") && l.endsWith("}"));
        String all = String.join("\n", lines);
        assertThat(all).contains("\"name\":\"MiniportInitializeEx\"", "\"name\":\"RestartAdapter\"",
                "\"name\":\"MiniportHaltEx\"", "\"name\":\"MiniportDriverUnload\"");
        assertThat(all.indexOf("\"name\":\"MiniportInitializeEx\"")).isLessThan(all.indexOf("\"name\":\"MiniportHaltEx\""));
    }

    @ParameterizedTest
    @ValueSource(strings = {"selftest", "regs", "stats", "loopback", "nvm"})
    void everyOtherCommandWritesOneToo(String command) throws Exception {
        Path trace = dir.resolve(command + ".jsonl");
        CliRun r = CliRun.run(env, command, "mock:82574L", "--trace", trace.toString());

        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(Files.readString(trace)).contains("\"name\":\"MiniportInitializeEx\"", "\"name\":\"MiniportHaltEx\"");
    }

    @Test
    void aFailedInitializationStillLeavesItsTrace() throws Exception {
        Path trace = dir.resolve("failed.jsonl");
        CliRun r = CliRun.run(env, "selftest", "mock:82574L?fault=reset-stuck", "--trace", trace.toString());

        assertThat(r.exitCode()).isEqualTo(ExitCode.HARDWARE.code());
        assertThat(Files.readString(trace)).contains("\"name\":\"MiniportInitializeEx\"");
    }

    @Test
    void aTraceIntoAMissingDirectoryIsRefusedBeforeTheDeviceIsTouched() {
        CliRun r = CliRun.run(env, "recv", "mock:82574L", "--pcap", dir.resolve("in.pcap").toString(), "--trace",
                dir.resolve("missing/t.jsonl").toString());

        assertThat(r.exitCode()).isEqualTo(ExitCode.USAGE.code());
        assertThat(r.err().strip().lines()).hasSize(1);
        assertThat(Files.exists(dir.resolve("in.pcap"))).isFalse();
    }
}

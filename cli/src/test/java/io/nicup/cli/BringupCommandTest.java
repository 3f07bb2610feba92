package io.nicup.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** `nicup bringup` on the simulated 82574L: the sequence, the attributes, the verdict, the trace, failures. */
class BringupCommandTest {

    private final Environment env = new Environment(() -> {
        throw new AssertionError("a mock device needs no Linux host");
    }, PciIds.none());

    @Test
    void bringupRunsTheWholeSequenceAndReportsAttributesAndAPassingVerdict() {
        CliRun r = CliRun.run(env, "bringup", "mock:82574L");

        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out()).containsSubsequence("DriverEntry", "NdisMRegisterMiniportDriver", "MiniportInitializeEx",
                "MiniportOidRequest", "MiniportRestart", "MiniportPause", "MiniportHaltEx", "MiniportDriverUnload",
                "NdisMDeregisterMiniportDriver");
        assertThat(r.out()).contains("NDIS_STATUS_SUCCESS", " ms ", "mac 52:54:00:12:34:56", "link up 1000 Mb/s full duplex",
                "mtu 1500", "verifier (RECORD): passed, no violations", "bringup: ok");
    }

    @Test
    void bringupWithJsonGivesStepsAttributesAndVerdict() {
        CliRun r = CliRun.run(env, "--json", "bringup", "mock:82574L?mac=02:00:00:00:00:01");

        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out().strip().lines()).hasSize(1);
        assertThat(r.out()).contains("\"name\":\"MiniportInitializeEx\"", "\"mac\":\"02:00:00:00:00:01\"", "\"link\":\"up\"",
                "\"speed_bps\":1000000000", "\"mtu\":1500", "\"passed\":true", "\"result\":\"ok\"");
    }

    @Test
    void bringupWithTraceWritesJsonLinesOfTheDocumentedKinds(@TempDir Path dir) throws Exception {
        Path trace = dir.resolve("bringup.jsonl");
        CliRun r = CliRun.run(env, "bringup", "mock:82574L", "--trace", trace.toString());

        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out()).contains("trace: " + trace);
        List<String> lines = Files.readAllLines(trace);
        assertThat(lines).isNotEmpty().allMatch(l -> l.startsWith("{\"seq\":") && l.endsWith("}"));
        assertThat(String.join("\n", lines)).contains("\"kind\":\"call\"", "\"kind\":\"state\"", "\"kind\":\"acquire\"",
                "\"kind\":\"release\"", "\"kind\":\"config\"", "\"name\":\"MiniportInitializeEx\"",
                "\"dir\":\"ndis->miniport\"", "\"status_name\":\"NDIS_STATUS_SUCCESS\"");
    }

    @Test
    void aResetThatNeverCompletesFailsInitializationWithExit8AndOneLineNamingTheRegister() {
        CliRun r = CliRun.run(env, "bringup", "mock:82574L?fault=reset-stuck");

        assertThat(r.exitCode()).isEqualTo(ExitCode.HARDWARE.code());
        assertThat(r.err().strip().lines()).hasSize(1);
        assertThat(r.err()).contains("initialization failed", "CTRL.RST");
        assertThat(r.out()).contains("MiniportInitializeEx", "NDIS_STATUS_FAILURE", "MiniportDriverUnload", "bringup: FAILED");
    }

    @Test
    void aDeviceWithoutADriverIsExit4InOneLineNamingItsIdsAndTheDriversThereAre() {
        UnsupportedModel.register();
        for (String command : List.of("bringup", "selftest", "regs", "stats", "loopback")) {
            CliRun r = CliRun.run(env, command, "mock:82540EM");

            assertThat(r.exitCode()).as(command + ": " + r.err()).isEqualTo(ExitCode.NOT_SUPPORTED.code());
            assertThat(r.err().strip().lines()).as(command).hasSize(1);
            assertThat(r.err()).as(command).contains("no driver for device 8086:100e", "8086:10d3 e82574");
        }
    }

    @Test
    void anUnknownSimulatedModelIsAUsageErrorInOneLine() {
        CliRun r = CliRun.run(env, "bringup", "mock:nosuch");

        assertThat(r.exitCode()).isEqualTo(ExitCode.USAGE.code());
        assertThat(r.err().strip().lines()).hasSize(1);
    }

    @Test
    void aMissingParameterFileIsAUsageError() {
        CliRun r = CliRun.run(env, "bringup", "mock:82574L", "--params", "/nonexistent/e82574.params");

        assertThat(r.exitCode()).isEqualTo(ExitCode.USAGE.code());
        assertThat(r.err().strip().lines()).hasSize(1);
        assertThat(r.err()).contains("parameter file not found");
    }

    @Test
    void aParameterFileChangesWhatTheAdapterReports(@TempDir Path dir) throws Exception {
        Path params = Files.writeString(dir.resolve("e82574.params"), "*JumboPacket = 9014\n");
        CliRun r = CliRun.run(env, "bringup", "mock:82574L", "--params", params.toString());

        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out()).contains("mtu 9000");
    }

    @Test
    void cyclesSoakBringsUpAndHaltsRepeatedlyWithSteadyFileDescriptors() {
        CliRun r = CliRun.run(new Environment(() -> {
            throw new AssertionError("a mock device needs no Linux host");
        }, PciIds.none()), "bringup", "mock:82574L", "--cycles", "12");

        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out().lines().filter(l -> l.matches(
                "cycle \\d+: up and halted in \\d+ ms, open fds \\d+, locked \\d+ KiB up and \\d+ KiB after, verifier passed")))
                .hasSize(12);
        assertThat(r.out()).containsPattern("cycles: 12 of 12 up and halted; open fds \\d+ after cycle 3, \\d+ after cycle 12 \\(steady\\)")
                .containsPattern("dma: locked memory up to \\d+ KiB while up, \\d+ KiB after cycle 3, \\d+ KiB after cycle 12 \\(steady\\);"
                        + " 5 shared-memory IOVAs, the same in every cycle");   // two receive rings with MSI-X
    }

    @Test
    void cyclesSoakReportsTheSharedMemoryIovasOfEveryCycleInJson() {
        CliRun r = CliRun.run(new Environment(() -> {
            throw new AssertionError("a mock device needs no Linux host");
        }, PciIds.none()), "--json", "bringup", "mock:82574L", "--cycles", "3");

        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out()).contains("\"iovas_moved\":false", "\"locked_grew\":false")
                .containsPattern("\"iovas\":\\[\"0x[0-9a-f]+\"(,\"0x[0-9a-f]+\"){4}\\]");   // two receive rings
        // each cycle's rings land where the first cycle's were: the allocator hands out the lowest free IOVA
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("\"iovas\":(\\[[^\\]]*\\])").matcher(r.out());
        java.util.List<String> lists = new java.util.ArrayList<>();
        while (m.find()) {
            lists.add(m.group(1));
        }
        assertThat(lists).hasSize(4).containsOnly(lists.getFirst());
    }

    @Test
    void cyclesWithHoldIsAUsageError() {
        CliRun r = CliRun.run(new Environment(() -> {
            throw new AssertionError("a mock device needs no Linux host");
        }, PciIds.none()), "bringup", "mock:82574L", "--cycles", "2", "--hold");

        assertThat(r.exitCode()).isEqualTo(ExitCode.USAGE.code());
        assertThat(r.err().strip().lines()).singleElement().asString().startsWith("nicup: --cycles cannot be combined");
    }
}

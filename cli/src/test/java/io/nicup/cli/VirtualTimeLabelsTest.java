package io.nicup.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.nicup.ndis.miniport.core.SelfTestResult;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Times on a simulated NIC are virtual and every command says so where it prints them, in text and in
 * --json; a real NIC's times (on the system clock) carry no such label.
 */
class VirtualTimeLabelsTest {

    private static final String NOTE_DURATIONS = "note: durations are the simulated NIC's virtual time, not wall-clock time";

    private final Environment env = new Environment(() -> {
        throw new AssertionError("a mock device needs no Linux host");
    }, PciIds.none());

    @Test
    void bringupOnASimulatedNicLabelsItsDurationColumnVirtualAndSaysSo() {
        CliRun r = CliRun.run(env, "bringup", "mock:82576");

        assertThat(r.exitCode()).as(r.err()).isZero();
        List<String> lines = r.out().lines().toList();
        assertThat(lines.getFirst()).matches("STEP +DIRECTION +DURATION \\(virtual\\) +STATUS");
        assertThat(lines).contains(NOTE_DURATIONS);
    }

    @Test
    void bringupJsonOnASimulatedNicSaysItsTimesAreVirtual() {
        CliRun r = CliRun.run(env, "--json", "bringup", "mock:virtio-net");

        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out()).contains("\"virtual_time\":true", "\"duration_ns\":");
    }

    @Test
    void bringupOnARealNicKeepsAWallClockDurationColumnWithoutANote() {
        var step = new BringupReport.Step("MiniportInitializeEx", "ndis->miniport", 12_345_000, "NDIS_STATUS_SUCCESS", 1);
        var report = new BringupReport("0000:01:00.0", "e82574", null, List.of(step),
                new BringupReport.Verdict("RECORD", List.of()), "ok", "ok", false, null, false);

        List<String> lines = report.lines(false);

        assertThat(lines.getFirst()).matches("STEP +DIRECTION +DURATION +STATUS");
        assertThat(lines.get(1)).contains("12.345 ms");
        assertThat(String.join("\n", lines)).doesNotContain("virtual");
        assertThat(report.json()).containsEntry("virtual_time", false);
    }

    @Test
    void bringupHoldLabelsTheStepsItPrintsAtTheTeardown() {
        var report = new BringupReport("mock:82574L", "e82574", null, List.of(), new BringupReport.Verdict("RECORD",
                List.of()), "interrupted: teardown completed", "ok", true, null, true);

        assertThat(report.lines(false)).contains(NOTE_DURATIONS);
        assertThat(report.lines(false).getFirst()).contains("DURATION (virtual)");
    }

    @Test
    void selftestOnASimulatedNicSaysTheTimesInItsReasonsAreVirtual() {
        CliRun text = CliRun.run(env, "selftest", "mock:82574L");
        CliRun json = CliRun.run(env, "--json", "selftest", "mock:82574L");

        assertThat(text.exitCode()).as(text.err()).isZero();
        assertThat(text.out()).contains("after 500 ms",
                "note: times in the reasons are the simulated NIC's virtual time, not wall-clock time");
        assertThat(json.out()).contains("\"virtual_time\":true");
    }

    @Test
    void selftestOnARealNicHasNoVirtualNote() {
        var report = new SelftestCommand.Report("0000:01:00.0", List.of(new SelfTestResult("link",
                SelfTestResult.Outcome.PASS, "link up at 1000 Mb/s full duplex after 2100 ms")), false);

        assertThat(String.join("\n", report.lines(false))).doesNotContain("virtual", "note:");
        assertThat(report.json()).containsEntry("virtual_time", false);
    }

    @Test
    void theSoakOnASimulatedNicSaysItsCycleTimesAreTheHostsWallClock() {
        CliRun text = CliRun.run(env, "bringup", "mock:82574L", "--cycles", "1");
        CliRun json = CliRun.run(env, "--json", "bringup", "mock:82574L", "--cycles", "1");

        assertThat(text.exitCode()).as(text.err()).isZero();
        assertThat(text.out()).contains("up and halted in ",
                "note: cycle times are this host's wall-clock time, not the simulated NIC's virtual time");
        assertThat(json.out()).contains("\"virtual_time\":false");
    }

    @Test
    void theSoakOnARealNicNeedsNoNote() {
        var cycle = new BringupCycles.Cycle(1, 40, 9, 64, 0, List.of("0x100000000"), null);
        var report = BringupCycles.Report.of("0000:01:00.0", 1, List.of(cycle), 0, null);

        assertThat(report.lines(false)).noneMatch(l -> l.startsWith("note:"));
        assertThat(report.json()).containsEntry("virtual_time", false);
    }

    @Test
    void loopbackOnASimulatedNicGivesVirtualTimeAndSimulatedRates() {
        CliRun text = CliRun.run(env, "loopback", "mock:82574L", "--count", "8");
        CliRun json = CliRun.run(env, "--json", "loopback", "mock:82574L", "--count", "8");

        assertThat(text.exitCode()).as(text.err()).isZero();
        assertThat(text.out()).containsPattern("looped back 8 frames, \\d+ bytes in \\d+\\.\\d{3} ms of virtual time"
                + " \\(\\d+ pps, [\\d.]+ [kMG]?b/s simulated");
        assertThat(json.out()).contains("\"virtual_time\":true");
    }
}

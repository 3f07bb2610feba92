package io.nicup.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** `send`/`recv --interval S` on the simulated 82574L: periodic lines on virtual time, then the summary. */
class IntervalTest {

    private final Environment env = new Environment(() -> {
        throw new AssertionError("a mock device needs no Linux host");
    }, PciIds.none());

    @TempDir
    Path dir;

    @Test
    void sendPrintsALinePerSecondOfVirtualTimeWithTheRatesSinceTheLastAndInTotal() {
        CliRun r = CliRun.run(env, "send", "mock:82574L", "--count", "3500", "--size", "125", "--dst",
                "02:00:00:00:00:02", "--rate", "1000", "--interval", "1");

        assertThat(r.exitCode()).as(r.err()).isZero();
        List<String> lines = r.out().lines().toList();
        List<String> intervals = lines.stream().filter(l -> l.matches("\\d+\\.\\d{3}-\\d+\\.\\d{3} s of virtual time: .*")).toList();
        assertThat(intervals).hasSizeBetween(3, 4);
        assertThat(intervals.get(0)).startsWith("0.000-1.000 s of virtual time: sent ")
                .contains("pps, ", " simulated); total ");
        // 1000 frames of 125 bytes a second: 1000 pps and 1.0 Mb/s, in the interval and in total
        assertThat(intervals.get(1)).matches("1\\.000-2\\.000 s of virtual time: sent (999|1000|1001) frames \\((999|1000|1001)"
                + " pps, 1\\.0 Mb/s simulated\\); total (1999|2000|2001) frames \\((999|1000|1001) pps, 1\\.0 Mb/s simulated\\)");
        assertThat(lines.getLast()).startsWith("mock wire: 3500 frames");
        assertThat(lines).filteredOn(l -> l.startsWith("sent 3500 frames")).hasSize(1);
        assertThat(lines.indexOf(intervals.getLast())).isLessThan(lines.indexOf(lines.stream()
                .filter(l -> l.startsWith("sent 3500")).findFirst().orElseThrow()));
    }

    @Test
    void recvWithJsonPrintsIntervalLinesBeforeTheSummary() {
        Path inject = dir.resolve("inject.pcap");
        TrafficCommandsTest.writePcap(inject, TrafficCommandsTest.frames("52:54:00:12:34:56", 3200, 64));
        CliRun r = CliRun.run(env, "--json", "recv", "mock:82574L", "--pcap", dir.resolve("in.pcap").toString(),
                "--inject", inject.toString(), "--interval", "0.01");

        assertThat(r.exitCode()).as(r.err()).isZero();
        List<String> lines = r.out().lines().toList();
        assertThat(lines.size()).isGreaterThanOrEqualTo(4);
        List<String> intervals = lines.subList(0, lines.size() - 1);
        assertThat(intervals).allMatch(l -> l.startsWith("{\"interval\":true,") && l.contains("\"virtual_time\":true")
                && l.contains("\"pps\":") && l.contains("\"bps\":") && l.contains("\"total_frames\":"));
        assertThat(lines.getLast()).startsWith("{\"device\":\"mock:82574L\"").contains("\"frames\":3200");
        long summed = intervals.stream().mapToLong(l -> Long.parseLong(l.replaceAll(".*?\"frames\":(\\d+),.*", "$1"))).sum();
        assertThat(summed).isEqualTo(Long.parseLong(intervals.getLast().replaceAll(".*\"total_frames\":(\\d+),.*", "$1")));
    }

    @Test
    void aZeroIntervalIsAUsageError() {
        CliRun r = CliRun.run(env, "send", "mock:82574L", "--count", "1", "--size", "64", "--dst", "02:00:00:00:00:02",
                "--interval", "0");

        assertThat(r.exitCode()).isEqualTo(ExitCode.USAGE.code());
        assertThat(r.err()).contains("--interval 0.0 out of range");
    }
}

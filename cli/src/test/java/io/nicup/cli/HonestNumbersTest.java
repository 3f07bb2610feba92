package io.nicup.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Every number nicup prints is true: a counter read from a device that went away (it answers every read
 * with all-ones) is unknown, never an all-ones count, and no count is ever negative.
 */
class HonestNumbersTest {

    private final Environment env = new Environment(() -> {
        throw new AssertionError("a mock device needs no Linux host");
    }, PciIds.none());

    @TempDir
    Path tmp;

    private Path twentyBroadcasts() {
        Path in = tmp.resolve("in.pcap");
        List<byte[]> frames = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            frames.add(Traffic.frame(ffff(), ffff(), 64, i));
        }
        TrafficCommandsTest.writePcap(in, frames);
        return in;
    }

    private static io.nicup.ndis.MacAddress ffff() {
        return io.nicup.ndis.MacAddress.parse("ff:ff:ff:ff:ff:ff");
    }

    @ParameterizedTest
    @ValueSource(strings = {"82574L", "82576"})
    void recvAfterARemovalSaysItsErrorsAndDropsAreUnknown(String model) {
        Path in = twentyBroadcasts();
        CliRun text = CliRun.run(env, "recv", "mock:" + model + "?fault=all-ones@5", "--pcap",
                tmp.resolve("r.pcap").toString(), "--inject", in.toString());
        CliRun json = CliRun.run(env, "--json", "recv", "mock:" + model + "?fault=all-ones@5", "--pcap",
                tmp.resolve("j.pcap").toString(), "--inject", in.toString());

        assertThat(text.exitCode()).as(text.err()).isEqualTo(ExitCode.HARDWARE.code());
        assertThat(text.out()).contains("unknown errors, unknown drops");
        assertThat(json.out()).contains("\"errors\":null", "\"drops\":null", "\"device_removed\":true");
        assertNoImpossibleCount(text.out().replace(tmp.toString(), "TMP"));
        assertNoImpossibleCount(json.out().replace(tmp.toString(), "TMP"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"82574L", "82576"})
    void statsAfterARemovalShowsTheDevicesCountersAsUnknownAndExits8(String model) {
        Path in = twentyBroadcasts();
        CliRun text = CliRun.run(env, "stats", "mock:" + model + "?fault=all-ones@5", "--inject", in.toString());
        CliRun json = CliRun.run(env, "--json", "stats", "mock:" + model + "?fault=all-ones@5", "--inject", in.toString());

        assertThat(text.exitCode()).as(text.out() + text.err()).isEqualTo(ExitCode.HARDWARE.code());
        assertThat(text.err()).startsWith("nicup: device removed");
        assertThat(text.out()).containsPattern("ifHCInUcastPkts +unknown").containsPattern("GPRC +unknown");
        assertThat(json.out()).contains("\"ifHCInUcastPkts\":null", "\"GPRC\":null", "\"device_removed\":true");
        assertNoImpossibleCount(text.out());
        assertNoImpossibleCount(json.out());
    }

    /** No negative number and none of the all-ones patterns a removed device's 32-bit registers give. */
    static void assertNoImpossibleCount(String out) {
        Matcher m = Pattern.compile("(?<![\\w.:x])-?\\d+").matcher(out);
        while (m.find()) {
            long n = Long.parseLong(m.group());
            assertThat(n).as("a count in %s", out).isNotNegative();
            assertThat(n % 0xFFFF_FFFFL == 0 && n > 0).as("%d is an all-ones reading in %s", n, out).isFalse();
        }
    }

    @org.junit.jupiter.api.Test
    void recvThatGetsFewerFramesThanItsCountExits11AndSaysWhyWithoutClaimingATimeout() {
        Path in = twentyBroadcasts();
        CliRun text = CliRun.run(env, "recv", "mock:82574L", "--pcap", tmp.resolve("r.pcap").toString(), "--inject",
                in.toString(), "--count", "50");
        CliRun json = CliRun.run(env, "--json", "recv", "mock:82574L", "--pcap", tmp.resolve("j.pcap").toString(),
                "--inject", in.toString(), "--count", "50");

        assertThat(text.exitCode()).as(text.err()).isEqualTo(ExitCode.INCOMPLETE.code());
        assertThat(text.out()).contains("received 20 frames", "(the simulated wire had no more frames: 20 of 50)")
                .doesNotContain("timed out");
        assertThat(text.err().lines().filter(l -> !l.contains("Ctrl-C"))).singleElement().asString()
                .startsWith("nicup: recv incomplete: received=20 count=50 ended=wire-empty");
        assertThat(json.exitCode()).isEqualTo(ExitCode.INCOMPLETE.code());
        assertThat(json.out()).contains("\"count\":50,\"ended\":\"wire-empty\",\"timed_out\":false");
    }

    @org.junit.jupiter.api.Test
    void recvThatTimesOutBeforeItsCountExits11AndTheLineSaysTheTimeout() {
        CliRun r = CliRun.run(env, "recv", "mock:82574L", "--pcap", tmp.resolve("r.pcap").toString(), "--count", "5",
                "--timeout", "1");

        assertThat(r.exitCode()).as(r.err()).isEqualTo(ExitCode.INCOMPLETE.code());
        assertThat(r.out()).containsPattern("received 0 frames, 0 bytes in 10\\d\\d\\.\\d+ ms of virtual time \\(0 pps, 0 b/s simulated\\)")
                .contains("(timed out after 1 s: 0 of 5 frames)");
        assertThat(r.err()).contains("nicup: recv incomplete: received=0 count=5 ended=timeout");
    }

    @org.junit.jupiter.api.Test
    void recvThatGetsItsCountExits0() {
        Path in = twentyBroadcasts();
        CliRun r = CliRun.run(env, "recv", "mock:82574L", "--pcap", tmp.resolve("r.pcap").toString(), "--inject",
                in.toString(), "--count", "20");

        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out()).contains("received 20 frames").doesNotContain("of 20");
    }

    @org.junit.jupiter.api.Test
    void aSimulatedNicsTimeIsVirtualAndARateBeyondTheLinkIsSaidToBeSimulated() {
        CliRun text = CliRun.run(env, "send", "mock:82574L", "--count", "1000", "--size", "1514", "--dst",
                "02:00:00:00:00:01");
        CliRun json = CliRun.run(env, "--json", "send", "mock:82574L", "--count", "1000", "--size", "1514", "--dst",
                "02:00:00:00:00:01");

        assertThat(text.exitCode()).as(text.err()).isZero();
        assertThat(text.out()).containsPattern("sent 1000 frames, 1514000 bytes in \\d+\\.\\d{3} ms of virtual time"
                + " \\(\\d+ pps, \\d+\\.\\d Gb/s simulated, beyond the 1\\.0 Gb/s link: the simulated NIC does not model wire time\\)");
        assertThat(json.out()).contains("\"virtual_time\":true", "\"link_bps\":1000000000");
        Matcher bps = Pattern.compile("\"elapsed_ms\":([0-9.]+),.*\"bps\":(\\d+)").matcher(json.out());
        assertThat(bps.find()).as(json.out()).isTrue();
        assertThat(Long.parseLong(bps.group(2))).as("bits of 1514000 bytes over the elapsed time")
                .isCloseTo(Math.round(1514000 * 8 / (Double.parseDouble(bps.group(1)) / 1000)),
                        org.assertj.core.data.Percentage.withPercentage(1));
    }

    @org.junit.jupiter.api.Test
    void aMeasuredRateCarriesItsBitRateAndNoVirtualLabel() {
        var summary = new TrafficSummary(1000, 64000, new TrafficSummary.Timing(1_000_000, false, 1_000_000_000L), 0L,
                0L, null);

        assertThat(summary.line("sent")).isEqualTo("sent 1000 frames, 64000 bytes in 1.000 ms (1000000 pps, 512.0 Mb/s),"
                + " 0 errors, 0 drops");
        assertThat(summary.json()).containsEntry("virtual_time", false).containsEntry("bps", 512_000_000L);
    }

    @org.junit.jupiter.api.Test
    void captureNeverClaimsMoreFramesThanTheFileHolds() {
        var summary = new TrafficSummary(1000, 64000, new TrafficSummary.Timing(1_000_000, true, 0), 0L, 0L,
                TrafficSummary.Removal.NONE);
        Path file = tmp.resolve("c.pcap");
        var report = new SendRun.Report("mock:82574L", 1000, summary, false, false, 0, null, 1200L, file, 1000, 1000, null);

        assertThat(report.lines(false)).contains("mock wire: 1200 frames captured, the last 1000 written to " + file
                + " (--capture keeps at most 1000)");
        assertThat(report.json()).containsEntry("wire_frames", 1200L).containsEntry("capture_frames", 1000L);

        CliRun r = CliRun.run(env, "--json", "send", "mock:82574L?fault=link-flap", "--count", "200", "--size", "64",
                "--dst", "02:00:00:00:00:01", "--capture", file.toString());
        int inFile = Pcap.readAll(file, 1000).size();
        assertThat(r.out()).contains("\"wire_frames\":" + inFile, "\"capture_frames\":" + inFile);
    }

    @org.junit.jupiter.api.Test
    void recvCountsAFrameTheDriverDroppedAmongItsDrops() {
        Path in = twentyBroadcasts();
        CliRun r = CliRun.run(env, "--json", "recv", "mock:82574L?fault=rx-length", "--pcap",
                tmp.resolve("r.pcap").toString(), "--inject", in.toString());

        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out()).contains("\"frames\":19,", "\"errors\":0,\"drops\":1,\"lost\":0");
    }

    @org.junit.jupiter.api.Test
    void recvAccountsForEveryInjectedFrameAcrossALinkFlapAndWarnsOnce() {
        Path in = twentyBroadcasts();
        CliRun r = CliRun.run(env, "recv", "mock:82574L?fault=link-flap&after=5", "--pcap",
                tmp.resolve("r.pcap").toString(), "--inject", in.toString());

        assertThat(r.exitCode()).as(r.err()).isZero();
        Matcher m = Pattern.compile("received (\\d+) frames, .*, (\\d+) errors, (\\d+) drops, (\\d+) injected but never"
                + " indicated \\(lost while the link was down, or filtered out\\)").matcher(r.out());
        assertThat(m.find()).as(r.out()).isTrue();
        long sum = 0;
        for (int g = 1; g <= 4; g++) {
            sum += Long.parseLong(m.group(g));
        }
        assertThat(sum).as("every injected frame accounted for: %s", r.out()).isEqualTo(20);
        assertThat(r.err().lines().filter(l -> l.startsWith("nicup: warning: the link went down"))).hasSize(1);
    }
}

package io.nicup.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.nicup.mock.IpFrames;
import io.nicup.ndis.MacAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code nicup rss}: the spread of many flows over the 82576's receive queues and the 82574L's two, each on the
 * queue the table names; FAIL and exit 9 on a NIC that delivers to the wrong queue; one queue under MSI; clear
 * errors for bad input and a NIC without RSS. And {@code recv}'s per-queue counts.
 */
class RssCommandTest {

    private static final MacAddress MAC = MacAddress.parse("52:54:00:12:34:56");
    private static final MacAddress PEER = MacAddress.parse("02:00:00:00:00:02");

    private final Environment env = new Environment(() -> {
        throw new AssertionError("a mock device needs no Linux host");
    }, PciIds.none());

    @TempDir
    Path dir;

    @Test
    void manyFlowsReachEveryQueueEachOnTheQueueTheTableNames() {
        CliRun r = CliRun.run(env, "rss", "mock:82576", "--flows", "64");
        assertThat(r.exitCode()).as(r.err()).isZero();
        List<String> lines = r.out().lines().toList();
        assertThat(lines.getFirst()).isEqualTo("QUEUE  FRAMES  SHARE  EXPECTED  MISMATCHES");
        assertThat(lines).hasSize(6);
        for (int q = 0; q < 4; q++) {
            String[] cells = lines.get(1 + q).split("\\s+");
            assertThat(cells[0]).isEqualTo(Integer.toString(q));
            assertThat(Long.parseLong(cells[1])).as("queue %d frames", q).isPositive().isEqualTo(Long.parseLong(cells[3]));
            assertThat(cells[4]).isEqualTo("0");
        }
        assertThat(lines.getLast()).isEqualTo("rss: PASS: 64 frames of 64 flows each on the queue its table entry names,"
                + " with the software Toeplitz hash; 4 queues reached");
    }

    @Test
    void queuesLimitsTheTableAndJsonHasEveryRow() {
        CliRun r = CliRun.run(env, "--json", "rss", "mock:82576", "--flows", "32", "--queues", "2");
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out()).contains("\"announced_queues\":4", "\"sent\":32", "\"received\":32",
                "{\"queue\":0,", "{\"queue\":1,", "\"passed\":true").doesNotContain("{\"queue\":2,");
    }

    @Test
    void aNicThatDeliversToTheWrongQueueFailsWithExit9() {
        CliRun r = CliRun.run(env, "rss", "mock:82576?fault=rss-wrong-queue");
        assertThat(r.exitCode()).isEqualTo(ExitCode.SELFTEST_FAILED.code());
        assertThat(r.out()).contains("rss: FAIL: 64 on a queue other than the table names");
        assertThat(r.err().strip().lines()).hasSize(1);
        assertThat(r.err()).startsWith("nicup: rss spread wrong: device=mock:82576?fault=rss-wrong-queue");
    }

    @Test
    void moreQueuesThanTheAdapterHasIsAUsageError() {
        CliRun r = CliRun.run(env, "rss", "mock:82576", "--queues", "5");
        assertThat(r.exitCode()).isEqualTo(ExitCode.USAGE.code());
        assertThat(r.err().strip().lines()).hasSize(1);
        assertThat(r.err()).contains("invalid --queues: --queues 5 is more than the adapter's 4 receive queues");
    }

    @Test
    void flowsOutOfRangeIsAUsageError() {
        CliRun r = CliRun.run(env, "rss", "mock:82576", "--flows", "0");
        assertThat(r.exitCode()).isEqualTo(ExitCode.USAGE.code());
        assertThat(r.err()).contains("invalid --flows: 0");
    }

    @Test
    void aNicWithoutRssExits4() {
        CliRun r = CliRun.run(env, "rss", "mock:virtio-net");
        assertThat(r.exitCode()).isEqualTo(ExitCode.NOT_SUPPORTED.code());
        assertThat(r.err()).contains("rss not measured: rss not announced");
    }

    @Test
    void the82574lSpreadsFlowsOverItsTwoQueues() {
        CliRun r = CliRun.run(env, "rss", "mock:82574L");
        assertThat(r.exitCode()).as(r.err()).isZero();
        List<String> lines = r.out().lines().toList();
        assertThat(lines).hasSize(4);
        for (int q = 0; q < 2; q++) {
            String[] cells = lines.get(1 + q).split("\\s+");
            assertThat(cells[0]).isEqualTo(Integer.toString(q));
            assertThat(Long.parseLong(cells[1])).as("queue %d frames", q).isPositive().isEqualTo(Long.parseLong(cells[3]));
            assertThat(cells[4]).isEqualTo("0");
        }
        assertThat(lines.getLast()).isEqualTo("rss: PASS: 64 frames of 64 flows each on the queue its table entry names,"
                + " with the software Toeplitz hash; 2 queues reached");
    }

    @Test
    void an82574lThatDeliversToTheOtherQueueFailsWithExit9() {
        CliRun r = CliRun.run(env, "rss", "mock:82574L?fault=rss-wrong-queue");
        assertThat(r.exitCode()).isEqualTo(ExitCode.SELFTEST_FAILED.code());
        assertThat(r.out()).contains("rss: FAIL: 64 on a queue other than the table names");
    }

    @Test
    void the82574lUnderMsiRunsOneQueue() throws Exception {
        Path params = dir.resolve("params.txt");
        Files.writeString(params, "InterruptMode = 2\n");
        CliRun r = CliRun.run(env, "rss", "mock:82574L", "--params", params.toString());
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out().lines().toList()).containsExactly(
                "QUEUE  FRAMES  SHARE   EXPECTED  MISMATCHES",
                "0      64      100.0%  64        0",
                "rss: PASS: 64 frames of 64 flows each on the queue its table entry names, with the software Toeplitz"
                        + " hash; 1 queue reached");
    }

    @Test
    void underMsiTheAdapterRunsOneQueueAndTheSpreadSaysSo() throws Exception {
        Path params = dir.resolve("params.txt");
        Files.writeString(params, "InterruptMode = 2\n");
        CliRun r = CliRun.run(env, "rss", "mock:82576", "--params", params.toString());
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out().lines().toList()).hasSize(3);
        assertThat(r.out()).contains("rss: PASS: 64 frames of 64 flows", "; 1 queue reached");
    }

    @Test
    void msiXRefusedWhenArmedAnnouncesOneQueueAndTheSpreadAndTheCheckPass() {
        CliRun r = CliRun.run(env, "rss", "mock:82576?fault=msix-refused");
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out().lines().toList()).containsExactly(
                "QUEUE  FRAMES  SHARE   EXPECTED  MISMATCHES",
                "0      64      100.0%  64        0",
                "rss: PASS: 64 frames of 64 flows each on the queue its table entry names, with the software Toeplitz"
                        + " hash; 1 queue reached");
        CliRun check = CliRun.run(env, "conformance", "mock:82576?fault=msix-refused", "--only", "rss");
        assertThat(check.exitCode()).as(check.out()).isZero();
        assertThat(check.out()).containsPattern("rss +PASS ").contains("1 receive queue announced");
    }

    @Test
    void recvCountsFramesAndBytesPerQueue() {
        List<byte[]> frames = new ArrayList<>();
        for (int seed = 0; seed < 32; seed++) {
            frames.add(IpFrames.frame(MAC.bytes(), PEER.bytes(), false, IpFrames.TCP, 0, 100, seed, true));
        }
        Path in = dir.resolve("in.pcap");
        TrafficCommandsTest.writePcap(in, frames);
        CliRun r = CliRun.run(env, "recv", "mock:82576", "--pcap", dir.resolve("out.pcap").toString(), "--inject",
                in.toString(), "--count", "32", "--rss");
        assertThat(r.exitCode()).as(r.err()).isZero();
        String line = r.out().lines().filter(l -> l.startsWith("queues: ")).findFirst().orElseThrow();
        long total = 0;
        for (String part : line.substring("queues: ".length()).split(", ")) {
            String[] w = part.split(" ");
            assertThat(Long.parseLong(w[1])).as(part).isPositive();
            assertThat(Long.parseLong(w[3])).isEqualTo(Long.parseLong(w[1]) * frames.getFirst().length);
            total += Long.parseLong(w[1]);
        }
        assertThat(line.split(", ")).hasSize(4);
        assertThat(total).isEqualTo(32);
    }

    @Test
    void recvWithoutRssPutsEveryFrameOnQueueZeroAndShowsTheOthersAtZero() {
        byte[] f = IpFrames.frame(MAC.bytes(), PEER.bytes(), false, IpFrames.UDP, 0, 100, 1, true);
        Path in = dir.resolve("in.pcap");
        TrafficCommandsTest.writePcap(in, List.of(f, f));
        CliRun r = CliRun.run(env, "--json", "recv", "mock:82576", "--pcap", dir.resolve("out.pcap").toString(),
                "--inject", in.toString(), "--count", "2");
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out()).contains("\"queues\":[{\"queue\":0,\"frames\":2,\"bytes\":" + 2 * f.length + "},"
                + "{\"queue\":1,\"frames\":0,\"bytes\":0}");
    }
}

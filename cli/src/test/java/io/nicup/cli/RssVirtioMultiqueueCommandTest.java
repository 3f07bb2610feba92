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
 * {@code nicup rss}, {@code recv} and {@code regs} on the simulated virtio-net with several queue pairs
 * ({@code mock:virtio-net?rss=on&queues=N}, docs/ndis-contract.md §21, docs/hardware-reference.md C.10): the
 * spread of many flows over the receive queues, each on the queue the table names; FAIL and exit 9 on a device
 * that steers to the wrong queue; one queue while polling; the per-queue counts of {@code recv}.
 */
class RssVirtioMultiqueueCommandTest {

    private static final String FOUR = "mock:virtio-net?rss=on&queues=4";
    private static final MacAddress MAC = MacAddress.parse("52:54:00:12:34:57");
    private static final MacAddress PEER = MacAddress.parse("02:00:00:00:00:02");

    private final Environment env = new Environment(() -> {
        throw new AssertionError("a mock device needs no Linux host");
    }, PciIds.none());

    @TempDir
    Path dir;

    @Test
    void manyFlowsReachEveryQueueEachOnTheQueueTheTableNames() {
        CliRun r = CliRun.run(env, "rss", FOUR, "--flows", "64");
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
    void twoPairsSpreadOverTwoQueues() {
        CliRun r = CliRun.run(env, "--json", "rss", "mock:virtio-net?rss=on&queues=2", "--flows", "32");
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out()).contains("\"announced_queues\":2", "\"sent\":32", "\"received\":32",
                "{\"queue\":0,", "{\"queue\":1,", "\"passed\":true").doesNotContain("{\"queue\":2,");
    }

    @Test
    void aDeviceThatSteersToTheWrongQueueFailsWithExit9() {
        CliRun r = CliRun.run(env, "rss", FOUR + "&fault=rss-wrong-queue");
        assertThat(r.exitCode()).isEqualTo(ExitCode.SELFTEST_FAILED.code());
        assertThat(r.out()).contains("rss: FAIL: 64 on a queue other than the table names");
        assertThat(r.err().strip().lines()).hasSize(1);
        assertThat(r.err()).startsWith("nicup: rss spread wrong: device=" + FOUR + "&fault=rss-wrong-queue");
    }

    @Test
    void pollingRunsOneQueueAndTheSpreadSaysSo() throws Exception {
        Path params = dir.resolve("params.txt");
        Files.writeString(params, "InterruptMode = 4\n");
        CliRun r = CliRun.run(env, "rss", FOUR, "--params", params.toString());
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out().lines().toList()).hasSize(3);
        assertThat(r.out()).contains("rss: PASS: 64 frames of 64 flows", "; 1 queue reached");
    }

    @Test
    void recvCountsFramesPerQueueAndRegsShowsThePairs() {
        List<byte[]> frames = new ArrayList<>();
        for (int seed = 0; seed < 32; seed++) {
            frames.add(IpFrames.frame(MAC.bytes(), PEER.bytes(), false, IpFrames.TCP, 0, 100, seed, true));
        }
        Path in = dir.resolve("in.pcap");
        TrafficCommandsTest.writePcap(in, frames);
        CliRun r = CliRun.run(env, "recv", FOUR, "--pcap", dir.resolve("out.pcap").toString(), "--inject",
                in.toString(), "--count", "32", "--rss");
        assertThat(r.exitCode()).as(r.err()).isZero();
        String line = r.out().lines().filter(l -> l.startsWith("queues: ")).findFirst().orElseThrow();
        long total = 0;
        for (String part : line.substring("queues: ".length()).split(", ")) {
            String[] w = part.split(" ");
            assertThat(Long.parseLong(w[1])).as(part).isPositive();
            total += Long.parseLong(w[1]);
        }
        assertThat(line.split(", ")).hasSize(4);
        assertThat(total).isEqualTo(32);
        CliRun regs = CliRun.run(env, "regs", FOUR);
        assertThat(regs.exitCode()).as(regs.err()).isZero();
        assertThat(regs.out()).contains("max_virtqueue_pairs", "4 pairs; 4 receive queues in use", "receiveq4",
                "transmitq4", "controlq");
    }
}

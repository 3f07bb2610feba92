package io.nicup.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * SIGTERM (what Ctrl-C's SIGINT and a service manager both end in) while send, recv or loopback is moving
 * frames, in a process of its own: the traffic stops, the adapter is torn down in order (Pause, Halt,
 * Unload, Deregister) with the verifier clean, the summary of what moved so far is printed and is true,
 * and the exit code is 130.
 */
class TrafficSignalTest {

    @TempDir
    Path tmp;

    @Test
    @Timeout(120)
    void sigtermDuringSendStopsPrintsATrueSummaryAndTearsDownInOrder() throws Exception {
        Path capture = tmp.resolve("wire.pcap");
        NicupProcess.Result r = runUntilAnnouncedThenTerm("send", "mock:82574L", "--count", "10000000", "--size", "64",
                "--dst", "02:00:00:00:00:02", "--rate", "1", "--capture", capture.toString());

        assertInterruptedAndTornDown(r);
        Matcher m = Pattern.compile("sent (\\d+) frames.*\\(interrupted after (\\d+) of 10000000\\)").matcher(r.out());
        assertThat(m.find()).as(r.out()).isTrue();
        long sent = Long.parseLong(m.group(1));
        assertThat(sent).isLessThan(10_000_000L);
        assertThat(r.out()).contains("mock wire: " + sent + " frames captured");
        assertThat(Pcap.readAll(capture, 10_000_000)).as("every completed frame on the wire once").hasSize((int) sent);
    }

    @Test
    @Timeout(120)
    void sigtermDuringRecvLeavesACompletePcapAndTheSummary() throws Exception {
        Path pcap = tmp.resolve("in.pcap");
        NicupProcess.Result r = runUntilAnnouncedThenTerm("recv", "mock:82574L", "--pcap", pcap.toString(), "--timeout", "86400");

        assertInterruptedAndTornDown(r);
        assertThat(r.out()).containsPattern("received 0 frames, .* written to .*in\\.pcap \\(interrupted\\)");
        assertThat(Files.size(pcap)).as("the pcap global header is there").isEqualTo(24);
    }

    @Test
    @Timeout(120)
    void sigtermDuringRecvInjectStopsTheInjectionAndAccountsForWhatWasInjected() throws Exception {
        Path inject = tmp.resolve("inject.pcap");
        TrafficCommandsTest.writePcap(inject, TrafficCommandsTest.frames("52:54:00:12:34:56", 500_000, 64));
        NicupProcess.Result r = runUntilAnnouncedThenTerm("recv", "mock:82574L", "--pcap", tmp.resolve("in.pcap").toString(),
                "--inject", inject.toString());

        assertInterruptedAndTornDown(r);
        Matcher m = Pattern.compile("received (\\d+) frames, .*, (\\d+) errors, (\\d+) drops(?:, (\\d+) injected but never"
                + " indicated \\([^)]*\\))?, written to \\S+ \\(interrupted after injecting (\\d+) of 500000 frames\\)").matcher(r.out());
        assertThat(m.find()).as(r.out()).isTrue();
        long received = Long.parseLong(m.group(1));
        long lost = m.group(4) == null ? 0 : Long.parseLong(m.group(4));
        long injected = Long.parseLong(m.group(5));
        assertThat(injected).as("the signal stopped the injection part-way").isBetween(1L, 499_999L);
        assertThat(received + Long.parseLong(m.group(2)) + Long.parseLong(m.group(3)) + lost)
                .as("every injected frame accounted for once").isEqualTo(injected);
        assertThat(Pcap.readAll(tmp.resolve("in.pcap"), 500_000)).hasSize((int) received);
    }

    @Test
    @Timeout(120)
    void sigtermDuringLoopbackJudgesOnlyWhatWasOffered() throws Exception {
        NicupProcess.Result r = runUntilAnnouncedThenTerm("loopback", "mock:82574L", "--count", "1000000", "--size", "1024");

        assertInterruptedAndTornDown(r);
        assertThat(r.out()).containsPattern("loopback: all \\d+ frames came back identical \\(interrupted after \\d+ of 1000000\\)");
    }

    private static void assertInterruptedAndTornDown(NicupProcess.Result r) {
        assertThat(r.exit()).as(r.out() + r.err()).isEqualTo(ExitCode.INTERRUPTED.code());
        assertThat(r.out()).contains("teardown: MiniportPause -> MiniportHaltEx -> MiniportDriverUnload"
                + " -> NdisMDeregisterMiniportDriver; verifier: no violations");
        assertThat(r.err().strip().lines().toList().getLast()).isEqualTo("nicup: interrupted: teardown completed");
    }

    /** Starts nicup, waits (bounded) for its "Ctrl-C stops" line on stderr, sends SIGTERM, collects the rest. */
    private static NicupProcess.Result runUntilAnnouncedThenTerm(String... args) throws Exception {
        NicupProcess p = NicupProcess.start(args);
        boolean announced = p.awaitErrContaining("Ctrl-C stops");
        if (announced) {
            p.terminate();
        }
        NicupProcess.Result r = p.finish();
        assertThat(announced).as("the traffic started; stderr:%n%s", r.err()).isTrue();
        return r;
    }
}

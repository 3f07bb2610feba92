package io.nicup.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
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
        Result r = runUntilAnnouncedThenTerm("send", "mock:82574L", "--count", "10000000", "--size", "64",
                "--dst", "02:00:00:00:00:02", "--rate", "1", "--capture", capture.toString());

        assertInterruptedAndTornDown(r);
        Matcher m = Pattern.compile("sent (\\d+) frames.*\\(interrupted after (\\d+) of 10000000\\)").matcher(r.out);
        assertThat(m.find()).as(r.out).isTrue();
        long sent = Long.parseLong(m.group(1));
        assertThat(sent).isLessThan(10_000_000L);
        assertThat(r.out).contains("mock wire: " + sent + " frames captured");
        assertThat(Pcap.readAll(capture, 10_000_000)).as("every completed frame on the wire once").hasSize((int) sent);
    }

    @Test
    @Timeout(120)
    void sigtermDuringRecvLeavesACompletePcapAndTheSummary() throws Exception {
        Path pcap = tmp.resolve("in.pcap");
        Result r = runUntilAnnouncedThenTerm("recv", "mock:82574L", "--pcap", pcap.toString(), "--timeout", "86400");

        assertInterruptedAndTornDown(r);
        assertThat(r.out).containsPattern("received 0 frames, .* written to .*in\\.pcap \\(interrupted\\)");
        assertThat(Files.size(pcap)).as("the pcap global header is there").isEqualTo(24);
    }

    @Test
    @Timeout(120)
    void sigtermDuringLoopbackJudgesOnlyWhatWasOffered() throws Exception {
        Result r = runUntilAnnouncedThenTerm("loopback", "mock:82574L", "--count", "1000000", "--size", "1024");

        assertInterruptedAndTornDown(r);
        assertThat(r.out).containsPattern("loopback: all \\d+ frames came back identical \\(interrupted after \\d+ of 1000000\\)");
    }

    private static void assertInterruptedAndTornDown(Result r) {
        assertThat(r.exit).as(r.out + r.err).isEqualTo(ExitCode.INTERRUPTED.code());
        assertThat(r.out).contains("teardown: MiniportPause -> MiniportHaltEx -> MiniportDriverUnload"
                + " -> NdisMDeregisterMiniportDriver; verifier: no violations");
        assertThat(r.err.strip().lines().toList().getLast()).isEqualTo("nicup: interrupted: teardown completed");
    }

    private record Result(int exit, String out, String err) {
    }

    /** Starts nicup, waits (bounded) for its "Ctrl-C stops" line on stderr, sends SIGTERM, collects the rest. */
    private static Result runUntilAnnouncedThenTerm(String... args) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> cmd = new ArrayList<>(List.of(java, "--enable-native-access=ALL-UNNAMED", "-cp",
                System.getProperty("java.class.path"), "io.nicup.cli.Main"));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).start();
        CompletableFuture<String> out = CompletableFuture.supplyAsync(() -> {
            try {
                return new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            } catch (java.io.IOException e) {
                return "";
            }
        });
        StringBuilder err = new StringBuilder();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getErrorStream(), StandardCharsets.UTF_8))) {
            String line;
            boolean announced = false;
            while ((line = r.readLine()) != null) {
                err.append(line).append('\n');
                if (!announced && line.contains("Ctrl-C stops")) {
                    announced = true;
                    p.toHandle().destroy();   // SIGTERM
                }
            }
            assertThat(announced).as("the traffic started; stderr:%n%s", err).isTrue();
        } finally {
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
            }
        }
        return new Result(p.exitValue(), out.get(60, TimeUnit.SECONDS), err.toString());
    }
}

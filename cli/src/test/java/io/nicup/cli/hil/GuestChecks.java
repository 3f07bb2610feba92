package io.nicup.cli.hil;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

/** What every guest suite requires of the same commands on its NIC: the conformance run without a peer, nicup rss. */
final class GuestChecks {

    private GuestChecks() {
    }

    /**
     * The suite's conformance check without a link partner: timed-rules, oid-buffers, oid-robustness,
     * send-shapes, pause-restart and reset (seconds of traffic, no peer needed) passed with the verifier clean,
     * and the JUnit file counts the six.
     */
    static void assertTheChecksWithoutAPeerPassed(String out, String junitXml) {
        assertThat(out).containsPattern("timed-rules +PASS").containsPattern("pause-restart +PASS").containsPattern("reset +PASS")
                .doesNotContainPattern("\\bFAIL\\b")
                .contains("verifier (RECORD): passed, no violations", "conformance: 6 passed, 0 failed, 0 skipped");
        assertThat(junitXml).contains("tests=\"6\"", "failures=\"0\"", "skipped=\"0\"");
    }

    /**
     * {@code nicup rss} through the host's reflector: 64 flows spread over every one of {@code queues} receive
     * queues, each frame on the queue the software Toeplitz hash and RETA name (no mismatch).
     */
    static void assertEveryFlowReachedItsQueue(String out, int queues) {
        List<String> lines = out.lines().filter(l -> l.matches("\\d+ .*|QUEUE .*|rss: .*")).toList();
        assertThat(lines.getFirst()).isEqualTo("QUEUE  FRAMES  SHARE  EXPECTED  MISMATCHES");
        assertThat(lines).hasSize(2 + queues);
        for (int q = 0; q < queues; q++) {
            String[] cells = lines.get(1 + q).split("\\s+");
            assertThat(cells[0]).isEqualTo(Integer.toString(q));
            assertThat(Long.parseLong(cells[1])).as("queue %d frames", q).isPositive().isEqualTo(Long.parseLong(cells[3]));
            assertThat(cells[4]).as("queue %d mismatches", q).isEqualTo("0");
        }
        assertThat(lines.getLast()).startsWith("rss: PASS: 64 frames of 64 flows").endsWith("; " + queues + " queues reached");
    }
}

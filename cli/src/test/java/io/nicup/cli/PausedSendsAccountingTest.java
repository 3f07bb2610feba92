package io.nicup.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * Sends a pause gives back unsent complete with NDIS_STATUS_PAUSED (docs/ndis-contract.md §22, the pause of a
 * removal the kernel asked for among them): the summaries of send and loopback count them as "not sent
 * (paused)", never as errors, so that sent + not sent (paused) + errors + drops + the removal's counts is the
 * count asked for; a send that really failed is still an error.
 */
class PausedSendsAccountingTest {

    private static final TrafficSummary.Timing TIMING = new TrafficSummary.Timing(1_000_000, true, 0);

    private static TrafficSummary send(Completions done, int count, int submitted, boolean removed) {
        return SendRun.summary(done, count, submitted, n -> n * 64, TIMING, removed, false, null, null);
    }

    private static long sum(TrafficSummary t) {
        return t.frames() + t.errors() + t.drops() + t.paused() + t.removal().unconfirmed() + t.removal().aborted()
                + t.removal().notSubmitted() + t.lost().count();
    }

    @Test
    void sendsTheRemovalsPauseGaveBackAreNotSentPausedAndNoErrors() {
        // 1000 asked, 700 submitted before the request: 600 sent, 100 given back by the pause, 300 not submitted
        TrafficSummary t = send(new Completions(600, 100, 0, 0, 100), 1000, 700, true);

        assertThat(t.errors()).isZero();
        assertThat(t.paused()).isEqualTo(100);
        assertThat(t.frames()).isEqualTo(600);
        assertThat(sum(t)).isEqualTo(1000);
        assertThat(t.line("sent")).contains("600 frames", "0 errors, 0 drops, 100 not sent (paused)",
                "300 not submitted");
        assertThat(t.json()).containsEntry("not_sent_paused", 100L).containsEntry("errors", 0L);
    }

    @Test
    void aGenuineSendFailureIsStillAnErrorBesideThePausedOnes() {
        // no removal: 3 completed NDIS_STATUS_FAILURE, 5 NDIS_STATUS_PAUSED
        TrafficSummary t = send(new Completions(92, 8, 3, 0, 5), 100, 100, false);

        assertThat(t.errors()).isEqualTo(3);
        assertThat(t.paused()).isEqualTo(5);
        assertThat(sum(t)).isEqualTo(100);
        assertThat(t.line("sent")).contains("92 frames", "3 errors, 0 drops, 5 not sent (paused)");
    }

    @Test
    void aRunWithoutPausedSendsPrintsTheLineItAlwaysPrinted() {
        TrafficSummary t = send(new Completions(100, 0, 0, 0, 0), 100, 100, false);

        assertThat(t.line("sent")).endsWith("0 errors, 0 drops").doesNotContain("paused");
        assertThat(t.json()).containsEntry("not_sent_paused", 0L);
    }

    @Test
    void loopbackCountsPausedSendsApartFromErrorsAfterARemoval() {
        // 64 asked, 40 submitted: 30 sent and 28 back, 6 paused, 4 queued (SEND_ABORTED), 24 not submitted
        TrafficSummary t = LoopbackRun.removalSummary(28, 28 * 64, TIMING, 24, new Completions(30, 10, 0, 4, 6));

        assertThat(t.errors()).isZero();
        assertThat(t.paused()).isEqualTo(6);
        assertThat(t.frames() + t.errors() + t.drops() + t.paused() + t.removal().unconfirmed() + t.removal().aborted()
                + t.removal().notSubmitted()).isEqualTo(64);
        assertThat(t.line("looped back")).contains("0 errors, 2 drops, 6 not sent (paused)");
    }
}

package io.nicup.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.OutputStream;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@code bringup --pause-after CALL}: the sequence stops when CALL returns and stays stopped until Enter
 * (or the end of input); SIGTERM at the pause tears down in order. The runs that pause are processes of
 * their own, since a pause reads standard input.
 */
class PauseAfterTest {

    private static final String PAUSED_IN_INIT =
            "nicup: paused after NdisMRegisterInterruptEx NDIS_STATUS_SUCCESS (inside MiniportInitializeEx):"
                    + " press Enter to go on, Ctrl-C to tear down";

    private static Environment mockOnly() {
        return new Environment(() -> {
            throw new AssertionError("a mock device needs no Linux host");
        }, PciIds.none());
    }

    @Test
    @Timeout(120)
    void thePauseHoldsTheSequenceUntilEnterThenTheBringUpFinishes() throws Exception {
        NicupProcess run = startAndAwaitPause(PAUSED_IN_INIT, "bringup", "mock:82574L", "--pause-after", "NdisMRegisterInterruptEx");

        assertThat(run.process().waitFor(2, TimeUnit.SECONDS)).as("still paused, waiting for Enter").isFalse();
        try (OutputStream in = run.stdin()) {
            in.write('\n');
        }
        NicupProcess.Result r = run.finish();

        assertThat(r.exit()).as(r.out() + r.err()).isZero();
        assertThat(r.out()).contains("MiniportInitializeEx", "MiniportRestart", "MiniportHaltEx", "passed, no violations",
                "bringup: ok");
    }

    @Test
    @Timeout(120)
    void sigtermAtThePauseFinishesTheStepsCallerThenTearsDownInOrder() throws Exception {
        NicupProcess run = startAndAwaitPause(PAUSED_IN_INIT, "bringup", "mock:82574L", "--pause-after", "NdisMRegisterInterruptEx");

        run.terminate();
        NicupProcess.Result r = run.finish();

        assertThat(r.exit()).as(r.out() + r.err()).isEqualTo(ExitCode.INTERRUPTED.code());
        assertThat(r.out()).contains("MiniportInitializeEx", "MiniportHaltEx", "MiniportDriverUnload",
                "NdisMDeregisterMiniportDriver", "passed, no violations", "bringup: interrupted")
                .doesNotContain("MiniportRestart");
        assertThat(r.err().strip().lines().toList().getLast()).isEqualTo("nicup: interrupted: teardown completed");
    }

    @Test
    @Timeout(120)
    void aCallMadeBeforeTheDeviceWasOpenedPausesAtOnceAndTheEndOfInputGoesOn() throws Exception {
        NicupProcess run = startAndAwaitPause("nicup: paused after NdisMRegisterMiniportDriver NDIS_STATUS_SUCCESS: press Enter",
                "bringup", "mock:82574L", "--pause-after", "NdisMRegisterMiniportDriver");

        run.stdin().close();             // no terminal: end of input
        NicupProcess.Result r = run.finish();

        assertThat(r.exit()).as(r.out() + r.err()).isZero();
        assertThat(r.out()).contains("MiniportRestart", "bringup: ok");
    }

    @Test
    void aCallThatIsNotADdiNameIsAUsageErrorAndNothingRuns() {
        CliRun r = CliRun.run(mockOnly(), "bringup", "mock:82574L", "--pause-after", "NdisMRegisterInterrupt");

        assertThat(r.exitCode()).isEqualTo(ExitCode.USAGE.code());
        assertThat(r.out()).isEmpty();
        assertThat(r.err().strip().lines()).singleElement().asString()
                .startsWith("nicup: unknown call for --pause-after: NdisMRegisterInterrupt: name a call as the trace spells it");
    }

    @Test
    void aCallTheSequenceNeverMakesIsAWarningAndTheBringUpStillRuns() {
        CliRun r = CliRun.run(mockOnly(), "bringup", "mock:82574L", "--pause-after", "MiniportResetEx");

        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out()).contains("bringup: ok");
        assertThat(r.err().strip().lines()).singleElement().asString()
                .isEqualTo("nicup: warning: --pause-after MiniportResetEx: the sequence never made that call, so it did not stop");
    }

    @Test
    void pauseAfterDoesNotCombineWithTheSoak() {
        CliRun r = CliRun.run(mockOnly(), "bringup", "mock:82574L", "--cycles", "2", "--pause-after", "MiniportInitializeEx");

        assertThat(r.exitCode()).isEqualTo(ExitCode.USAGE.code());
        assertThat(r.err().strip().lines()).singleElement().asString()
                .startsWith("nicup: --cycles cannot be combined with --hold, --trace or --pause-after");
    }

    /** Starts nicup and reads its stderr until a line starts with {@code expected} (bounded by the test's timeout). */
    private static NicupProcess startAndAwaitPause(String expected, String... args) throws Exception {
        NicupProcess p = NicupProcess.start(args);
        if (!p.awaitErrLine(expected)) {
            throw new AssertionError("nicup never paused; stderr:\n" + p.finish().err());
        }
        return p;
    }
}

package io.nicup.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
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
        Paused run = startAndAwaitPause(PAUSED_IN_INIT, "bringup", "mock:82574L", "--pause-after", "NdisMRegisterInterruptEx");

        assertThat(run.process.waitFor(2, TimeUnit.SECONDS)).as("still paused, waiting for Enter").isFalse();
        try (OutputStream in = run.process.getOutputStream()) {
            in.write('\n');
        }
        Result r = run.finish();

        assertThat(r.exit).as(r.out + r.err).isZero();
        assertThat(r.out).contains("MiniportInitializeEx", "MiniportRestart", "MiniportHaltEx", "passed, no violations",
                "bringup: ok");
    }

    @Test
    @Timeout(120)
    void sigtermAtThePauseFinishesTheStepsCallerThenTearsDownInOrder() throws Exception {
        Paused run = startAndAwaitPause(PAUSED_IN_INIT, "bringup", "mock:82574L", "--pause-after", "NdisMRegisterInterruptEx");

        run.process.toHandle().destroy();                  // SIGTERM
        Result r = run.finish();

        assertThat(r.exit).as(r.out + r.err).isEqualTo(ExitCode.INTERRUPTED.code());
        assertThat(r.out).contains("MiniportInitializeEx", "MiniportHaltEx", "MiniportDriverUnload",
                "NdisMDeregisterMiniportDriver", "passed, no violations", "bringup: interrupted")
                .doesNotContain("MiniportRestart");
        assertThat(r.err.strip().lines().toList().getLast()).isEqualTo("nicup: interrupted: teardown completed");
    }

    @Test
    @Timeout(120)
    void aCallMadeBeforeTheDeviceWasOpenedPausesAtOnceAndTheEndOfInputGoesOn() throws Exception {
        Paused run = startAndAwaitPause("nicup: paused after NdisMRegisterMiniportDriver NDIS_STATUS_SUCCESS: press Enter",
                "bringup", "mock:82574L", "--pause-after", "NdisMRegisterMiniportDriver");

        run.process.getOutputStream().close();             // no terminal: end of input
        Result r = run.finish();

        assertThat(r.exit).as(r.out + r.err).isZero();
        assertThat(r.out).contains("MiniportRestart", "bringup: ok");
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

    private record Result(int exit, String out, String err) {
    }

    private record Paused(Process process, CompletableFuture<String> out, StringBuilder err, BufferedReader errReader) {

        Result finish() throws Exception {
            String line;
            while ((line = errReader.readLine()) != null) {
                err.append(line).append('\n');
            }
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
            return new Result(process.exitValue(), out.get(60, TimeUnit.SECONDS), err.toString());
        }
    }

    /** Starts nicup and reads its stderr until {@code expected} appears (bounded by the test's timeout). */
    private static Paused startAndAwaitPause(String expected, String... args) throws Exception {
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
        BufferedReader r = new BufferedReader(new InputStreamReader(p.getErrorStream(), StandardCharsets.UTF_8));
        StringBuilder err = new StringBuilder();
        String line;
        while ((line = r.readLine()) != null) {
            err.append(line).append('\n');
            if (line.startsWith(expected)) {
                return new Paused(p, out, err, r);
            }
        }
        p.waitFor(60, TimeUnit.SECONDS);
        throw new AssertionError("nicup never paused; stderr:\n" + err);
    }
}

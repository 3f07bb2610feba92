package io.nicup.cli;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * SIGINT/SIGTERM while traffic runs. The JVM turns both into a shutdown; a hook cannot safely tear the
 * adapter down itself while the command's thread is inside the driver, so the hook only asks the
 * command to stop ({@link #requested()}), then waits for the command to tear down in order (Pause, Halt,
 * Unload, Deregister), print its partial summary and finish, and exits with 130.
 *
 * <p>One per command invocation; {@link #close()} removes the hook when the command ends on its own.
 */
final class StopSignal implements AutoCloseable {

    /** How long the hook waits for the command's teardown before exiting anyway (every wait is bounded). */
    static final long TEARDOWN_LIMIT_SECONDS = 90;

    /** Counted down by {@link Main} once the command returned and its last line is printed. */
    private static final CountDownLatch COMMAND_FINISHED = new CountDownLatch(1);

    private final Thread hook;
    private volatile boolean requested;

    private StopSignal() {
        hook = new Thread(this::onSignal, "nicup-stop");
    }

    /** Installs the hook; stop requests arrive from here on. */
    static StopSignal install() {
        StopSignal s = new StopSignal();
        Runtime.getRuntime().addShutdownHook(s.hook);
        return s;
    }

    /** Called by {@link Main} when the command has returned: a waiting hook may now exit. */
    static void commandFinished() {
        COMMAND_FINISHED.countDown();
    }

    /** True once SIGINT or SIGTERM arrived: stop the traffic loop, tear down, print, return 130. */
    boolean requested() {
        return requested;
    }

    private void onSignal() {
        requested = true;
        boolean finished = false;
        try {
            finished = COMMAND_FINISHED.await(TEARDOWN_LIMIT_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (!finished) {
            System.err.println("nicup: interrupted: teardown did not finish within " + TEARDOWN_LIMIT_SECONDS
                    + " s: run nicup list to see the device state, then rerun");
            System.err.flush();
        }
        System.out.flush();
        Runtime.getRuntime().halt(ExitCode.INTERRUPTED.code());
    }

    /** The failure a command throws after an interrupted run: one line, exit 130. */
    static CliException interrupted() {
        return new CliException(ExitCode.INTERRUPTED, "interrupted: teardown completed", "");
    }

    @Override
    public void close() {
        if (requested) {
            return;                                        // the hook is running: it exits for us
        }
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException shuttingDown) {
            // the signal arrived just now: the hook runs and exits with 130 once Main is done
        }
    }
}

package io.nicup.cli;

/**
 * Which failure a command ends with once its {@link Session} has closed. A device that left (or that the
 * driver gave up on) explains everything that failed after it, so the removal the teardown found is what
 * the user hears, exit 8, and the other failure rides along as suppressed instead of hiding it.
 */
final class RemovalFirst {

    private RemovalFirst() {
    }

    /** {@code removal} (null when none) in place of {@code e}, with {@code e} attached to it. */
    static RuntimeException instead(CliException removal, RuntimeException e) {
        if (removal == null || removal == e) {
            return e;
        }
        removal.addSuppressed(e);                            // what failed because the device vanished
        return removal;
    }

    /**
     * The end of a command that printed what it found: {@code removal} if any (the other failure rides
     * along), else {@code failure}, else the interruption; exit 0 otherwise.
     */
    static int finish(CliException removal, CliException failure, boolean interrupted) {
        if (removal != null) {
            if (failure != null && failure != removal) {
                removal.addSuppressed(failure);
            }
            throw removal;
        }
        if (failure != null) {
            throw failure;
        }
        if (interrupted) {
            throw StopSignal.interrupted();
        }
        return ExitCode.OK.code();
    }
}

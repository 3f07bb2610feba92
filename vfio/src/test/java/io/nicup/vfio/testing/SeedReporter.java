package io.nicup.vfio.testing;

import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.TestExecutionExceptionHandler;

/**
 * Puts the seed of a failing {@link SeededTest} case at the front of its failure, with the flag that
 * replays it: test reports show the case's index, not its display name ({@link Gen#toString()}).
 */
public final class SeedReporter implements TestExecutionExceptionHandler {

    @Override
    public void handleTestExecutionException(ExtensionContext context, Throwable failure) throws Throwable {
        String name = context.getDisplayName();
        if (!name.startsWith(Gen.NAME_PREFIX)) {
            throw failure;
        }
        String seed = name.substring(Gen.NAME_PREFIX.length());
        AssertionError named = new AssertionError(name + " (replay this case alone: -Dnicup.seed=" + seed + "): "
                + failure, failure);
        named.setStackTrace(failure.getStackTrace());
        throw named;
    }
}

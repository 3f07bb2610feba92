package io.nicup.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * One run of a user's bench command ({@code --link-command}, {@code --remove-command}): no shell, one executable
 * with its arguments, {@code NICUP_DEVICE} set to the DEVICE argument, stdin empty, stdout ignored, stderr kept
 * for its last line. It must exit 0 within the deadline; otherwise {@link Failed} says what was run and what
 * it said, in the words of {@code role} ("link command", "remove command").
 */
final class ExternalCommand {

    /** The command did not do what was asked: the message names it, its arguments and its last stderr line. */
    static final class Failed extends RuntimeException {

        Failed(String message) {
            super(message);
        }
    }

    private ExternalCommand() {
    }

    /** Runs {@code command args...}; returns once it exited 0. */
    static void run(String role, Path command, List<String> args, String device, Duration deadline) {
        String shown = " command=" + command + (args.isEmpty() ? "" : " arg=" + String.join(" ", args));
        Path stderr = null;
        try {
            stderr = Files.createTempFile("nicup-command", ".err");
            List<String> argv = new ArrayList<>();
            argv.add(command.toString());
            argv.addAll(args);
            ProcessBuilder pb = new ProcessBuilder(argv)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .redirectError(stderr.toFile());
            pb.environment().put("NICUP_DEVICE", device);
            Process p = pb.start();
            p.getOutputStream().close();
            if (!p.waitFor(deadline.toMillis(), TimeUnit.MILLISECONDS)) {
                String said = LinkCommand.lastLine(stderr);    // before the kill: its shell may report the kill
                p.descendants().forEach(ProcessHandle::destroyForcibly);
                p.destroyForcibly();
                throw new Failed(role + " timed out:" + shown + " deadline=" + (deadline.toMillis() % 1000 == 0
                        ? deadline.toSeconds() + " s" : deadline.toMillis() + " ms") + " stderr=" + said);
            }
            if (p.exitValue() != 0) {
                throw new Failed(role + " failed:" + shown + " exit=" + p.exitValue() + " stderr="
                        + LinkCommand.lastLine(stderr));
            }
        } catch (IOException e) {
            throw new Failed(role + " could not run:" + shown + " error=" + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Failed(role + " interrupted:" + shown);
        } finally {
            if (stderr != null) {
                try {
                    Files.deleteIfExists(stderr);
                } catch (IOException ignored) {
                    // a temporary file left in /tmp is no reason to fail the check
                }
            }
        }
    }
}

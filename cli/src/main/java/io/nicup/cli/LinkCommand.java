package io.nicup.cli;

import io.nicup.ndis.conformance.LinkControl;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * {@code --link-command CMD}: the link check pulls the link by running {@code CMD down} and plugs it with
 * {@code CMD up} (docs/ndis-contract.md §18). No shell: CMD is one executable file, run with one argument,
 * {@code NICUP_DEVICE} set to the DEVICE argument, stdin empty and stdout ignored. It must exit 0 once the
 * link is down (up) as far as the far end can tell, within {@link #DEADLINE}; a non-zero exit or the deadline
 * fails the check with the last line the command wrote to stderr.
 */
final class LinkCommand implements LinkControl {

    /** Long enough for a managed switch's CLI over SSH, short against the check's own 25 s pull. */
    static final Duration DEADLINE = Duration.ofSeconds(60);

    private final Path command;
    private final String device;
    private final Duration deadline;

    LinkCommand(Path command, String device, Duration deadline) {
        this.command = command;
        this.device = device;
        this.deadline = deadline;
    }

    /** The command the user named, checked before anything is touched. */
    static LinkCommand of(Path command, String device) {
        Path abs = command.toAbsolutePath().normalize();
        if (!Files.isRegularFile(abs) || !Files.isExecutable(abs)) {
            throw new CliException(ExitCode.USAGE, "--link-command is not an executable file: path=" + abs
                    + (Files.exists(abs) ? "" : " (no such file)"), "give a script nicup can run as CMD down and"
                    + " CMD up (chmod +x; the contract is in docs/ndis-contract.md §18)");
        }
        return new LinkCommand(abs, device, DEADLINE);
    }

    @Override
    public void set(boolean up) {
        String arg = up ? "up" : "down";
        Path stderr = null;
        try {
            stderr = Files.createTempFile("nicup-link-command", ".err");
            ProcessBuilder pb = new ProcessBuilder(command.toString(), arg)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .redirectError(stderr.toFile());
            pb.environment().put("NICUP_DEVICE", device);
            Process p = pb.start();
            p.getOutputStream().close();
            if (!p.waitFor(deadline.toMillis(), TimeUnit.MILLISECONDS)) {
                p.descendants().forEach(ProcessHandle::destroyForcibly);
                p.destroyForcibly();
                throw failure("link command timed out: command=" + command + " arg=" + arg + " deadline="
                        + (deadline.toMillis() % 1000 == 0 ? deadline.toSeconds() + " s" : deadline.toMillis() + " ms"),
                        stderr);
            }
            if (p.exitValue() != 0) {
                throw failure("link command failed: command=" + command + " arg=" + arg + " exit=" + p.exitValue(),
                        stderr);
            }
        } catch (IOException e) {
            throw new LinkControlException("link command could not run: command=" + command + " arg=" + arg
                    + " error=" + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new LinkControlException("link command interrupted: command=" + command + " arg=" + arg);
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

    private static LinkControlException failure(String what, Path stderr) {
        return new LinkControlException(what + " stderr=" + lastLine(stderr));
    }

    /** The last non-blank line of {@code file}, or "(none)". */
    static String lastLine(Path file) {
        try {
            List<String> lines = new String(Files.readAllBytes(file), StandardCharsets.UTF_8).lines()
                    .filter(l -> !l.isBlank()).toList();
            return lines.isEmpty() ? "(none)" : lines.getLast().strip();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

package io.nicup.cli;

import io.nicup.ndis.conformance.LinkControl;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

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
        try {
            ExternalCommand.run("link command", command, List.of(up ? "up" : "down"), device, deadline);
        } catch (ExternalCommand.Failed e) {
            throw new LinkControlException(e.getMessage());
        }
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

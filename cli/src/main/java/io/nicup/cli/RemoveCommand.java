package io.nicup.cli;

import io.nicup.ndis.conformance.DeviceRemover;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * {@code --remove-command CMD}: the surprise-removal check takes the device off the bus by running {@code CMD}
 * (docs/ndis-contract.md §22), as {@code --link-command} runs its command: no shell, one executable file, no
 * argument, {@code NICUP_DEVICE} set to the DEVICE argument, stdin empty, stdout ignored. It must exit 0 once
 * the removal was asked for (a slot's attention button pressed, QEMU's {@code device_del} accepted, an unbind
 * started in the background), within {@link #DEADLINE}; the kernel then asks nicup for the device back.
 * A non-zero exit or the deadline fails the check with the last line the command wrote to stderr.
 */
final class RemoveCommand implements DeviceRemover {

    /** As for the link command: a bench's remote power switch or a hypervisor over SSH. */
    static final Duration DEADLINE = Duration.ofSeconds(60);

    private final Path command;
    private final String device;
    private final Duration deadline;

    RemoveCommand(Path command, String device, Duration deadline) {
        this.command = command;
        this.device = device;
        this.deadline = deadline;
    }

    /** The command the user named, checked before anything is touched. */
    static RemoveCommand of(Path command, String device) {
        Path abs = command.toAbsolutePath().normalize();
        if (!Files.isRegularFile(abs) || !Files.isExecutable(abs)) {
            throw new CliException(ExitCode.USAGE, "--remove-command is not an executable file: path=" + abs
                    + (Files.exists(abs) ? "" : " (no such file)"), "give a script that takes the device off the bus"
                    + " (chmod +x; the contract is in docs/ndis-contract.md §22)");
        }
        return new RemoveCommand(abs, device, DEADLINE);
    }

    @Override
    public void remove() {
        try {
            ExternalCommand.run("remove command", command, List.of(), device, deadline);
        } catch (ExternalCommand.Failed e) {
            throw new DeviceRemoverException(e.getMessage());
        }
    }
}

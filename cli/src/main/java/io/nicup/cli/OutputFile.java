package io.nicup.cli;

import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * A file a command writes (--pcap of recv, --trace, --capture): checked before the device is touched,
 * written to a temporary file beside it and renamed over it only when the run succeeded, so a failed run
 * leaves an existing file as it was. A target that is not a regular file (/dev/null, a FIFO, a terminal)
 * is written in place: there is nothing to rename over.
 */
final class OutputFile {

    private final Path target;
    private final Path temporary;

    private OutputFile(Path target, Path temporary) {
        this.target = target;
        this.temporary = temporary;
    }

    /** USAGE unless {@code file} can be written: its directory exists and is writable, it is no directory. */
    static void check(String option, Path file) {
        Path absolute = file.toAbsolutePath();
        if (Files.isDirectory(absolute)) {
            throw new CliException(ExitCode.USAGE, "cannot write output file: option=" + option + " file=" + file
                    + " problem=is a directory", "give a file name, not a directory");
        }
        if (Files.exists(absolute)) {
            if (!Files.isWritable(absolute)) {
                throw new CliException(ExitCode.USAGE, "cannot write output file: option=" + option + " file=" + file
                        + " problem=not writable", "give a file you may write");
            }
            if (Files.isRegularFile(absolute)) {
                probe(option, file, absolute.getParent());
            }
            return;
        }
        Path dir = absolute.getParent();
        if (dir == null || !Files.isDirectory(dir)) {
            throw new CliException(ExitCode.USAGE, "cannot write output file: option=" + option + " file=" + file
                    + " problem=directory not found", "create the directory first, or give another path");
        }
        probe(option, file, dir);
    }

    /** Creates and removes the temporary file the run will write: the one proof the directory takes files. */
    private static void probe(String option, Path file, Path dir) {
        try {
            Files.delete(Files.createFile(temporaryFor(file.toAbsolutePath())));
        } catch (IOException e) {
            throw new CliException(ExitCode.USAGE, "cannot write output file: option=" + option + " file=" + file
                    + " problem=directory not writable", "give a file in a directory you may write");
        }
    }

    /** ".NAME.PID.part" beside {@code absolute}: created with the umask's permissions, like the target. */
    private static Path temporaryFor(Path absolute) {
        return absolute.resolveSibling("." + absolute.getFileName() + "." + ProcessHandle.current().pid() + ".part");
    }

    /** USAGE when an output file would overwrite an input of the same run (--trace F --params F). */
    static void distinct(String output, Path out, String input, Path in) {
        if (out == null || in == null) {
            return;
        }
        try {
            boolean same = Files.exists(out) ? Files.isSameFile(out, in) : out.toAbsolutePath().normalize()
                    .equals(in.toAbsolutePath().normalize());
            if (same) {
                throw new CliException(ExitCode.USAGE, output + " would overwrite " + input + ": file=" + out,
                        "give " + output + " another file");
            }
        } catch (IOException e) {
            // one of them cannot be looked at: the checks of each report it on their own
        }
    }

    /** Opens {@code file} for writing: a temporary file beside it, or the file itself when it is not regular. */
    static OutputFile open(Path file) {
        Path absolute = file.toAbsolutePath();
        if (Files.exists(absolute) && !Files.isRegularFile(absolute)) {
            return new OutputFile(file, file);
        }
        try {
            Path temporary = temporaryFor(absolute);
            Files.deleteIfExists(temporary);
            return new OutputFile(file, Files.createFile(temporary));
        } catch (IOException e) {
            throw new CliException(ExitCode.USAGE, "cannot write output file: file=" + file + " error=" + e.getMessage(),
                    "check the directory exists and is writable");
        }
    }

    /** Where to write now. */
    Path path() {
        return temporary;
    }

    /** The run succeeded: the written file takes the target's name. */
    void commit() {
        if (temporary == target) {
            return;
        }
        try {
            try {
                Files.move(temporary, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temporary, target, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            throw new CliException(ExitCode.ENVIRONMENT, "cannot rename the output file: file=" + target + " error="
                    + e.getMessage(), "check the directory is writable; the output is in " + temporary);
        }
    }

    /** The run failed: the temporary file goes, the target stays as it was. */
    void discard() {
        if (temporary != target) {
            try {
                Files.deleteIfExists(temporary);
            } catch (IOException e) {
                // a stray .part file is all that is left; the target is untouched
            }
        }
    }
}

package io.nicup.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine;
import picocli.CommandLine.Option;

/**
 * {@code --trace FILE}, mixed into every command that brings an adapter up (through {@link DeviceOptions}):
 * the NDIS trace as JSON lines, checked before the device is touched, written when the session closes
 * (after the teardown, so Pause, Halt and Unload are in it; also after a failure, when it helps most),
 * beside the target and renamed over it ({@link OutputFile}).
 */
@CommandLine.Command
final class TraceOption {

    @Option(names = "--trace", paramLabel = "FILE", description = "Write the NDIS trace as JSON lines to FILE.")
    Path file;

    /** USAGE when FILE cannot be written or names the --params file; nothing is touched yet. */
    void check(Path params) {
        if (file != null) {
            OutputFile.check("--trace", file);
            OutputFile.distinct("--trace", file, "--params", params);
        }
    }

    /** Writes the session's trace to FILE (nothing without --trace). */
    void write(Session s) {
        if (file == null) {
            return;
        }
        OutputFile out = OutputFile.open(file);
        try (Writer w = Files.newBufferedWriter(out.path(), StandardCharsets.UTF_8)) {
            s.host.trace().writeJsonLines(w);
        } catch (IOException | UncheckedIOException e) {
            out.discard();
            IOException cause = e instanceof UncheckedIOException u ? u.getCause() : (IOException) e;
            throw new CliException(ExitCode.ENVIRONMENT, "writing the trace file failed: file=" + file + " error="
                    + cause.getMessage(), Pcap.remedy(cause));
        }
        out.commit();
    }
}

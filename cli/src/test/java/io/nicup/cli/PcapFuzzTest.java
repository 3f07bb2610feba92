package io.nicup.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * A pcap file a user hands {@code send --pcap} or {@code recv --inject}, with any bytes: its frames are
 * read, none longer than {@link Pcap#MAX_FRAME}, or it is a USAGE error in one line; no other
 * exception, no allocation a lying length asks for, no hang.
 */
class PcapFuzzTest {

    private static final Path FILE = tempFile();

    @FuzzTest
    void anyFileIsFramesOrAOneLineUsageError(byte[] input) throws IOException {
        Files.write(FILE, input);
        try {
            List<Pcap.Frame> frames = Pcap.readAll(FILE, 1000);
            assertThat(frames).allSatisfy(f -> assertThat(f.data().length).isBetween(0, Pcap.MAX_FRAME));
        } catch (CliException e) {
            assertThat(e.exitCode()).isEqualTo(ExitCode.USAGE);
            assertThat(ErrorReporter.oneLine(e)).startsWith("nicup: ").doesNotContain("\n", "\r");
        }
    }

    private static Path tempFile() {
        try {
            Path f = Files.createTempFile("nicup-fuzz", ".pcap");
            f.toFile().deleteOnExit();
            return f;
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}

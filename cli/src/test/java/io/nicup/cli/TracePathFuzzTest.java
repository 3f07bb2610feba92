package io.nicup.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.List;

/**
 * The file a user names with {@code bringup --trace FILE}, any name inside a scratch directory (NUL,
 * control characters, missing directories, a directory, names too long): bring-up runs and the trace
 * is there as JSON lines, or the run is a USAGE error in one line; never another exit code or a
 * stack trace. Names that would leave the scratch directory are skipped, so the fuzzer writes nowhere
 * else.
 */
class TracePathFuzzTest {

    private static final Path DIR = scratch();
    private static final Environment ENV = new Environment(() -> {
        throw new CliException(ExitCode.NOT_FOUND, "no such device in this test", "");
    }, PciIds.none());

    @FuzzTest
    void anyTracePathIsWrittenOrAOneLineUsageError(byte[] input) throws IOException {
        String name = new String(input, StandardCharsets.UTF_8);
        String path = DIR + "/" + name;
        Path target = null;
        if (name.indexOf('\0') < 0) {
            try {
                target = Path.of(path).normalize();
            } catch (InvalidPathException e) {
                target = null;
            }
            if (target == null || !target.startsWith(DIR) || target.equals(DIR.getParent())) {
                return;
            }
        }
        CliRun r = CliRun.run(ENV, "bringup", "mock:82574L", "--quiet", "--trace", path);
        if (r.exitCode() == 0) {
            assertThat(target).isNotNull();
            List<String> lines = Files.readAllLines(target);
            assertThat(lines).isNotEmpty().allSatisfy(l -> assertThat(l).startsWith("{").endsWith("}"));
        } else {
            assertThat(r.exitCode()).as(r.err()).isEqualTo(ExitCode.USAGE.code());
            assertThat(r.err().lines().toList()).as(r.err()).singleElement().asString().startsWith("nicup: ")
                    .containsIgnoringCase("trace");
        }
        if (target != null && !target.equals(DIR) && Files.isRegularFile(target)) {
            Files.delete(target);
        }
    }

    private static Path scratch() {
        try {
            Path d = Files.createTempDirectory("nicup-trace-fuzz").toRealPath();
            d.toFile().deleteOnExit();
            return d;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

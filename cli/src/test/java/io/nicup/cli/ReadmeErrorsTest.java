package io.nicup.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.nicup.vfio.DeviceAccessException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * README.md's table of error messages is the code's: every error the CLI, the VFIO layer or the mock
 * devices raise with a literal message is listed with its stable prefix (the text before the first
 * {@code :}, {@code =}, quote or format directive) and the exit code the user gets for it.
 */
class ReadmeErrorsTest {

    private static final Pattern CLI = Pattern.compile(
            "new CliException\\(\\s*ExitCode\\.(\\w+),\\s*(?:String\\.format\\(\\s*)?\"([^\"]*)\"");
    private static final Pattern DEVICE = Pattern.compile(
            "new DeviceAccessException\\(\\s*(?:DeviceAccessException\\.)?Reason\\.(\\w+),\\s*(?:String\\.format\\(\\s*)?\"([^\"]*)\"");
    private static final Pattern ROW = Pattern.compile("^\\| `([^`]+)` \\| (\\d+) `([A-Z_]+)` \\|$", Pattern.MULTILINE);

    private static final Path REPO = Path.of(System.getProperty("nicup.repo", ".."));

    @Test
    void everyErrorMessageIsInTheReadmeWithTheExitCodeItGives() throws IOException {
        Set<String> documented = new TreeSet<>();
        Matcher m = ROW.matcher(Files.readString(REPO.resolve("README.md")));
        while (m.find()) {
            ExitCode code = ExitCode.valueOf(m.group(3));
            assertThat(code.code()).as(m.group()).isEqualTo(Integer.parseInt(m.group(2)));
            documented.add(m.group(1) + " -> " + code);
        }
        Set<String> raised = new TreeSet<>();
        for (Path root : new Path[] {REPO.resolve("cli/src/main/java"), REPO.resolve("vfio/src/main/java"),
            REPO.resolve("mock-device/src/main/java/io/nicup/mock")}) {
            try (Stream<Path> files = Files.walk(root)) {
                files.filter(p -> p.toString().endsWith(".java") && (root.endsWith("mock") ? p.getParent().equals(root)
                        || p.getParent().endsWith("e82574") : true)).forEach(p -> collect(p, raised));
            }
        }
        assertThat(raised).hasSizeGreaterThan(50);
        assertThat(documented).containsAll(raised);
    }

    private static void collect(Path file, Set<String> out) {
        String text;
        try {
            text = Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Matcher c = CLI.matcher(text);
        while (c.find()) {
            out.add(prefix(c.group(2)) + " -> " + ExitCode.valueOf(c.group(1)));
        }
        Matcher d = DEVICE.matcher(text);
        while (d.find()) {
            DeviceAccessException e = new DeviceAccessException(DeviceAccessException.Reason.valueOf(d.group(1)), "x", "");
            out.add(prefix(d.group(2)) + " -> " + ErrorReporter.exitCode(e));
        }
    }

    /** The stable start of a message: up to the first ':', '=', quote or format directive. */
    static String prefix(String literal) {
        int cut = literal.length();
        for (char ch : new char[] {':', '=', '\'', '%'}) {
            int i = literal.indexOf(ch);
            if (i >= 0 && i < cut) {
                cut = i;
            }
        }
        String p = literal.substring(0, cut);
        if (cut < literal.length() && literal.charAt(cut) == '=') {
            p = p.substring(0, Math.max(0, p.lastIndexOf(' ')));   // drop the key of key=value
        }
        return p.strip();
    }
}

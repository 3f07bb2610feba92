package io.nicup.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** README.md's exit-code table and {@link ExitCode} say the same thing. */
class ReadmeExitCodesTest {

    private static final Pattern ROW = Pattern.compile("^\\| (\\d+) \\| `([A-Z_]+)` \\|.*$", Pattern.MULTILINE);

    @Test
    void readmeListsEveryExitCodeWithItsNumberAndNothingElse() throws IOException {
        Path readme = Path.of(System.getProperty("nicup.repo", "..")).resolve("README.md");
        String text = Files.readString(readme);
        Matcher m = ROW.matcher(text);
        var documented = new java.util.TreeMap<String, Integer>();
        while (m.find()) {
            documented.put(m.group(2), Integer.parseInt(m.group(1)));
        }
        var actual = Stream.of(ExitCode.values())
                .collect(Collectors.toMap(Enum::name, ExitCode::code, (a, b) -> a, java.util.TreeMap::new));
        assertThat(documented).isEqualTo(actual);
    }
}

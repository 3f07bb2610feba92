package io.nicup.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import picocli.CommandLine;

/**
 * README.md's command table names every option of the commands that bring an adapter up (--bind, --help
 * and the global options are described once, below the table).
 */
class ReadmeOptionsTest {

    @ParameterizedTest
    @ValueSource(strings = {"bringup", "selftest", "regs", "stats", "send", "recv", "loopback", "nvm", "identify",
            "conformance"})
    void theCommandTableListsEveryOptionOfTheCommand(String command) throws IOException {
        Path readme = Path.of(System.getProperty("nicup.repo", "..")).resolve("README.md");
        String row = Files.readAllLines(readme).stream().filter(l -> l.startsWith("| `nicup " + command + " "))
                .findFirst().orElseThrow();
        String usage = row.substring(0, row.indexOf("` |") + 1);
        CommandLine cmd = Nicup.commandLine().getSubcommands().get(command);
        for (CommandLine.Model.OptionSpec o : cmd.getCommandSpec().options()) {
            String name = o.longestName();
            if (name.equals("--help") || name.equals("--bind") || o.inherited()
                    || name.equals("--json") || name.equals("--verbose") || name.equals("--quiet")) {
                continue;
            }
            String shown = java.util.regex.Pattern.quote(name) + (o.arity().max() > 0 ? " [A-Z]+" : "(?![\\w-])");
            assertThat(usage).as("README's row for %s", command).containsPattern(shown);
        }
    }
}

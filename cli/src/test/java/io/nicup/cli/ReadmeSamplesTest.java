package io.nicup.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The sample output in README.md is what the command prints today: each {@code $ scripts/nicup ...} block
 * on a simulated NIC is run in-process (the simulated NIC runs on virtual time, so durations repeat) and
 * compared line by line.
 */
class ReadmeSamplesTest {

    private final Environment env = new Environment(() -> {
        throw new AssertionError("a mock device needs no Linux host");
    }, PciIds.none());

    @ParameterizedTest
    @ValueSource(strings = {"bringup mock:82574L", "selftest mock:82574L"})
    void readmeSampleIsWhatTheCommandPrints(String command) throws IOException {
        List<String> documented = sample(command);
        assertThat(documented).as("README has a sample of `%s`", command).isNotEmpty();

        CliRun r = CliRun.run(env, command.split(" "));

        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out().strip().lines().toList()).isEqualTo(documented);
    }

    private static List<String> sample(String command) throws IOException {
        Path readme = Path.of(System.getProperty("nicup.repo", "..")).resolve("README.md");
        List<String> lines = Files.readAllLines(readme);
        List<String> out = new ArrayList<>();
        boolean in = false;
        for (String line : lines) {
            if (line.equals("$ scripts/nicup " + command)) {
                in = true;
                continue;
            }
            if (in && (line.startsWith("$ ") || line.startsWith("```") || line.isEmpty())) {
                break;
            }
            if (in) {
                out.add(line);
            }
        }
        return out;
    }
}

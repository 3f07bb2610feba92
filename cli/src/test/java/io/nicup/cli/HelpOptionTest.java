package io.nicup.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * {@code nicup COMMAND --help} and {@code -h} print the command's usage and exit 0, for every command, also
 * one whose arguments are missing ({@code bind}, {@code info}): a command without the option answered
 * "unknown option" with exit 2.
 */
class HelpOptionTest {

    private final Environment env = new Environment(() -> {
        throw new AssertionError("--help needs no Linux host");
    }, PciIds.none());

    @Test
    void everyCommandAnswersHelpWithItsUsageAndExitZero() {
        for (String name : Nicup.commandLine(env).getSubcommands().keySet()) {
            for (String flag : new String[] {"--help", "-h"}) {
                CliRun r = CliRun.run(env, name, flag);

                assertThat(r.exitCode()).as("nicup %s %s: %s", name, flag, r.err()).isZero();
                assertThat(r.out()).as("nicup %s %s", name, flag).contains("Usage: nicup " + name);
                assertThat(r.err()).as("nicup %s %s", name, flag).isEmpty();
            }
        }
    }
}

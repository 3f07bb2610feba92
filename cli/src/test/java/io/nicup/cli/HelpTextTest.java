package io.nicup.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** Every command's --help shows its description lines as written: none is re-wrapped into ragged halves. */
class HelpTextTest {

    @Test
    void descriptionLinesAreNotRewrappedInAnyCommandsHelp() {
        CommandLine root = Nicup.commandLine();
        for (CommandLine cmd : root.getSubcommands().values()) {
            if (cmd.getCommand().getClass().getPackageName().startsWith("picocli")) {
                continue;   // picocli's own help and completion commands
            }
            String help = cmd.getUsageMessage(CommandLine.Help.Ansi.OFF);
            for (String line : cmd.getCommandSpec().usageMessage().description()) {
                assertThat(help).as("help of %s", cmd.getCommandName()).contains(line);
            }
            assertThat(Arrays.stream(help.split("\n")).mapToInt(String::length).max().orElse(0))
                    .as("widest line of %s --help", cmd.getCommandName()).isLessThanOrEqualTo(Nicup.HELP_WIDTH);
        }
    }
}

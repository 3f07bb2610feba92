package io.nicup.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class CompletionTest {

    @Test
    void generateCompletionPrintsABashScriptThatKnowsEveryCommand() {
        CliRun r = CliRun.run(new Environment(() -> {
            throw new AssertionError("no host needed");
        }, PciIds.none()), "generate-completion");

        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out()).contains("complete -F", "nicup", "bringup", "selftest", "loopback", "--json");
    }
}

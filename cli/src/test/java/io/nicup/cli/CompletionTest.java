package io.nicup.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.nicup.mock.MockDevices;
import io.nicup.vfio.linux.FakeMachine;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code nicup generate-completion}: the script is run in a real bash, as bash runs it on TAB (COMP_LINE,
 * COMP_POINT, COMP_WORDS split at COMP_WORDBREAKS, COMP_CWORD), against a fake machine's sysfs, and what
 * it puts in COMPREPLY is what the user would be offered; and in zsh, where zsh is installed.
 */
class CompletionTest {

    /** bash's default COMP_WORDBREAKS, ':' included. */
    private static final String WORDBREAKS = "\"'><=;|&(:";

    /**
     * Emulates bash at TAB: splits the line at blanks and, when COMP_WORDBREAKS has ':', at ':' (the only
     * break character in these lines), sets the COMP_ variables, calls the function registered for nicup
     * and prints COMPREPLY, one per line. Arguments: the script, the line, COMP_WORDBREAKS, optional setup.
     */
    private static final String HARNESS = """
            source "$1" 2>/dev/null
            eval "$4"
            COMP_LINE=$2; COMP_POINT=${#COMP_LINE}; COMP_WORDBREAKS=$3
            split=$COMP_LINE
            [[ $COMP_WORDBREAKS == *:* ]] && split=${split//:/ : }
            read -r -a COMP_WORDS <<<"$split"
            [[ $COMP_LINE == *' ' ]] && COMP_WORDS+=('')
            COMP_CWORD=$(( ${#COMP_WORDS[@]} - 1 ))
            COMPREPLY=()
            fn=$(complete -p nicup | sed 's/.*-F \\([^ ]*\\).*/\\1/')
            "$fn" nicup "${COMP_WORDS[COMP_CWORD]}" "${COMP_WORDS[COMP_CWORD-1]}" 2>/dev/null
            printf '%s\\n' "${COMPREPLY[@]}"
            """;

    /**
     * The same in zsh, through bashcompinit's compgen -F (what zsh's _bash_complete calls on TAB): zsh
     * keeps 0000:01:00.0 one word and matches the replies against the word itself, so only the replies
     * that start with it are kept here. Arguments: the script, the line.
     */
    private static final String ZSH_HARNESS = """
            source "$1" 2>/dev/null
            COMP_LINE=$2; COMP_POINT=${#COMP_LINE}
            words=( ${(z)COMP_LINE} ); [[ $COMP_LINE == *' ' ]] && words+=('')
            CURRENT=${#words}
            COMP_WORDS=( "${words[@]}" ); COMP_CWORD=$(( CURRENT - 1 ))
            for reply in $(compgen -F _nicup_complete -- "${words[CURRENT]}" 2>/dev/null); do
              if [[ $reply == "${words[CURRENT]}"* ]]; then print -r -- $reply; fi
            done
            """;

    @TempDir
    Path root;

    Environment env;

    @BeforeEach
    void machineWithTwoNicsAndTwoOtherFunctions() {
        FakeMachine machine = new FakeMachine(root);
        machine.device("0000:00:03.0").boundTo("e1000e");               // a NIC on its kernel driver
        machine.device("0000:01:00.0").boundTo("vfio-pci");             // a NIC handed to vfio-pci
        machine.device("0000:00:1f.2").ids(0x8086, 0x2922, 0x010601).boundTo("ahci");    // SATA: no NIC
        machine.device("0000:02:00.0").ids(0x8086, 0x2922, 0x010601).boundTo("vfio-pci"); // bind --any-class
        env = new Environment(machine::host, PciIds.none());
    }

    @Test
    void generateCompletionPrintsABashScriptThatKnowsEveryCommand() {
        CliRun r = CliRun.run(env, "generate-completion");

        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out()).contains("complete -F", "nicup", "bringup", "selftest", "loopback", "--json");
    }

    @Test
    void aScriptThatCouldNotBeWrittenFailsTheRun() {
        CommandLine cmd = Nicup.commandLine(env);
        StringWriter err = new StringWriter();
        cmd.setOut(new PrintWriter(new OutputStream() {
            @Override
            public void write(int b) throws IOException {
                throw new IOException("No space left on device");
            }
        }));
        cmd.setErr(new PrintWriter(err, true));

        int code = cmd.execute("generate-completion");

        assertThat(code).isEqualTo(ExitCode.ENVIRONMENT.code());
        assertThat(err.toString().strip())
                .startsWith("nicup: writing to standard output failed: command=generate-completion");
    }

    @Test
    void deviceOffersEveryModelOfTheMockCatalog() {
        assertThat(CompletionScript.simulatedDevices()).containsExactly("mock:82574L", "mock:82576", "mock:virtio-net")
                .hasSize(MockDevices.models().size());
    }

    @Test
    void everyCommandTakingADeviceCompletesItAndBindAndUnbindCompleteEachAddress() {
        Map<String, Map<String, CompletionScript.Kind>> slots = CompletionScript.slots(Nicup.commandLine(env));

        for (String command : List.of("info", "bringup", "selftest", "regs", "stats", "send", "recv", "loopback")) {
            assertThat(slots).as(command).containsEntry(command, Map.of("0", CompletionScript.Kind.DEVICE));
        }
        assertThat(slots).containsEntry("bind", Map.of("*", CompletionScript.Kind.NETWORK))
                .containsEntry("unbind", Map.of("*", CompletionScript.Kind.VFIO))
                .doesNotContainKeys("list", "help");
    }

    @Test
    void aSimulatedModelCompletesAfterTheColonBashSplitsAt() throws Exception {
        assertThat(complete("nicup bringup mock:8")).containsExactly("82574L", "82576");
        assertThat(complete("nicup bringup mock:v")).containsExactly("virtio-net");
    }

    @Test
    void withoutTheColonInWordBreaksTheWholeSpecIsOffered() throws Exception {
        assertThat(complete("nicup bringup mock:8", WORDBREAKS.replace(":", ""), ""))
                .containsExactly("mock:82574L", "mock:82576");
    }

    @Test
    void aDeviceOffersTheSimulatedNicsAndTheNetworkFunctionsOnly() throws Exception {
        assertThat(complete("nicup --json info ")).containsExactly("mock:82574L", "mock:82576", "mock:virtio-net",
                "0000:00:03.0", "0000:01:00.0");
        assertThat(complete("nicup send --count 5 0000:0")).containsExactly("00:03.0", "01:00.0");
    }

    @Test
    void bindOffersTheNetworkFunctionsForEveryAddressAndUnbindTheFunctionsOnVfio() throws Exception {
        assertThat(complete("nicup bind 0000:0")).containsExactly("00:03.0", "01:00.0");
        assertThat(complete("nicup bind --force 0000:00:03.0 0000:01")).containsExactly("01:00.0");
        assertThat(complete("nicup unbind --restore ")).containsExactly("0000:01:00.0", "0000:02:00.0");
    }

    @Test
    void subcommandsOptionsAndOptionValuesStillCompleteAsPicocliDoes() throws Exception {
        assertThat(complete("nicup bri")).containsExactly("bringup");
        assertThat(complete("nicup bringup mock:82574L --cy")).containsExactly("--cycles");
        assertThat(complete("nicup send --pcap ")).noneMatch(c -> c.startsWith("mock:") || c.startsWith("0000:"));
        assertThat(complete("nicup bringup mock:82574L ")).isEmpty();   // one DEVICE only
    }

    @Test
    void bashCompletionsOwnColonTrimmingIsUsedWhenItIsLoaded() throws Exception {
        String standIn = "__ltrim_colon_completions() { COMPREPLY=(\"trimmed-after:$1\"); }";

        assertThat(complete("nicup bringup mock:8", WORDBREAKS, standIn)).containsExactly("trimmed-after:mock:8");
    }

    @Test
    void withBashCompletionLoadedItsColonTrimmingGivesTheSameReplies() throws Exception {
        Path bashCompletion = Path.of("/usr/share/bash-completion/bash_completion");
        Assumptions.assumeTrue(Files.isReadable(bashCompletion), "bash-completion is not installed");
        String load = "source " + bashCompletion + "; declare -F __ltrim_colon_completions >/dev/null || exit 3";

        assertThat(complete("nicup bringup mock:8", WORDBREAKS, load)).containsExactly("82574L", "82576");
        assertThat(complete("nicup bind 0000:0", WORDBREAKS, load)).containsExactly("00:03.0", "01:00.0");
    }

    @Test
    void zshThroughBashcompinitOffersTheSameDevicesWhole() throws Exception {
        Assumptions.assumeTrue(Files.isExecutable(Path.of("/usr/bin/zsh")) || Files.isExecutable(Path.of("/bin/zsh")),
                "zsh is not installed");

        assertThat(zsh("nicup bringup mock:8")).containsExactly("mock:82574L", "mock:82576");
        assertThat(zsh("nicup info 0000:0")).containsExactly("0000:00:03.0", "0000:01:00.0");
        assertThat(zsh("nicup unbind 0000:01:00.0 ")).containsExactly("0000:01:00.0", "0000:02:00.0");
        assertThat(zsh("nicup bri")).containsExactly("bringup");
    }

    private List<String> complete(String line) throws Exception {
        return complete(line, WORDBREAKS, "");
    }

    /** What the script offers at the end of {@code line}, run by bash. */
    private List<String> complete(String line, String wordbreaks, String setup) throws Exception {
        return run("bash", "--norc", "--noprofile", "-c", HARNESS, "harness", script().toString(), line, wordbreaks,
                setup);
    }

    /** What the script offers at the end of {@code line}, run by zsh. */
    private List<String> zsh(String line) throws Exception {
        return run("zsh", "-f", "-c", ZSH_HARNESS, "harness", script().toString(), line);
    }

    private Path script() throws IOException {
        CliRun r = CliRun.run(env, "generate-completion");
        assertThat(r.exitCode()).as(r.err()).isZero();
        return Files.writeString(root.resolve("nicup-completion"), r.out());
    }

    private static List<String> run(String... command) throws Exception {
        Process shell = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(shell.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(shell.waitFor(30, TimeUnit.SECONDS)).as("%s finished", command[0]).isTrue();
        assertThat(shell.exitValue()).as(out).isZero();
        return out.lines().filter(l -> !l.isEmpty()).toList();
    }
}

package io.nicup.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.nicup.mock.MockDevices;
import io.nicup.vfio.linux.FakeMachine;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code nicup generate-completion}: the script is run in a real bash, as bash runs it on TAB (COMP_LINE,
 * COMP_POINT, COMP_WORDS split at COMP_WORDBREAKS, COMP_CWORD), against a fake machine's sysfs, and what
 * it puts in COMPREPLY is what the user would be offered.
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
    void deviceOffersEveryModelOfTheMockCatalog() {
        assertThat(BashCompletion.simulatedDevices()).containsExactly("mock:82574L", "mock:82576", "mock:virtio-net")
                .hasSize(MockDevices.models().size());
    }

    @Test
    void everyCommandTakingADeviceCompletesItAndBindAndUnbindCompleteEachAddress() {
        Map<String, Map<String, BashCompletion.Kind>> slots = BashCompletion.slots(Nicup.commandLine(env));

        for (String command : List.of("info", "bringup", "selftest", "regs", "stats", "send", "recv", "loopback")) {
            assertThat(slots).as(command).containsEntry(command, Map.of("0", BashCompletion.Kind.DEVICE));
        }
        assertThat(slots).containsEntry("bind", Map.of("*", BashCompletion.Kind.NETWORK))
                .containsEntry("unbind", Map.of("*", BashCompletion.Kind.VFIO))
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

    private List<String> complete(String line) throws Exception {
        return complete(line, WORDBREAKS, "");
    }

    /** What the script offers at the end of {@code line}, run by bash. */
    private List<String> complete(String line, String wordbreaks, String setup) throws Exception {
        CliRun r = CliRun.run(env, "generate-completion");
        assertThat(r.exitCode()).as(r.err()).isZero();
        Path script = Files.writeString(root.resolve("nicup.bash"), r.out());
        Process bash = new ProcessBuilder("bash", "--norc", "--noprofile", "-c", HARNESS, "harness",
                script.toString(), line, wordbreaks, setup).redirectErrorStream(true).start();
        assertThat(bash.waitFor(30, TimeUnit.SECONDS)).as("bash finished").isTrue();
        String out = new String(bash.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(bash.exitValue()).as(out).isZero();
        return out.lines().filter(l -> !l.isEmpty()).toList();
    }
}

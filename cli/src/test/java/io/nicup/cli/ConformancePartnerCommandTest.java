package io.nicup.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.nicup.ndis.conformance.LinkControl;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * `nicup conformance --peer reflect --link-command CMD` on the simulated NICs (docs/ndis-contract.md §18): the
 * wire echoes every frame as a loopback plug does, and the command runs before the simulated cable is pulled,
 * so the options and the command's contract are exercised as on a bench.
 */
class ConformancePartnerCommandTest {

    private final Environment env = new Environment(() -> {
        throw new AssertionError("a mock device needs no Linux host");
    }, PciIds.none());

    @TempDir
    Path dir;

    @ParameterizedTest
    @ValueSource(strings = {"mock:82574L", "mock:82576", "mock:virtio-net"})
    void theThreeChecksPassBehindAReflectorWithALinkCommand(String spec) throws IOException {
        Path log = dir.resolve("link.log");
        Path cmd = script("link-ok", "echo \"$1 $NICUP_DEVICE\" >> " + log + "\necho noise on stdout\n");

        CliRun r = CliRun.run(env, "conformance", spec, "--only", "packet-filters,priority,link", "--peer", "reflect",
                "--link-command", cmd.toString());

        assertThat(r.exitCode()).as(r.err() + r.out()).isZero();
        assertThat(r.out()).containsPattern("packet-filters +PASS .*32 filter combinations")
                .containsPattern("link +PASS .*traffic resumed")
                .containsPattern("priority +PASS .*48 tagged frames sent and 40 came back from the reflector")
                .doesNotContain("noise on stdout")
                .contains("conformance: 3 passed, 0 failed, 0 skipped");
        assertThat(Files.readAllLines(log)).containsExactly("down " + spec, "up " + spec, "down " + spec,
                "up " + spec, "down " + spec, "up " + spec);
    }

    @Test
    void theWholeBatteryPassesBehindAReflector() {
        CliRun r = CliRun.run(env, "conformance", "mock:82576", "--peer", "reflect");

        assertThat(r.exitCode()).as(r.err() + r.out()).isZero();
        assertThat(r.out()).contains("conformance: 14 passed, 0 failed, 0 skipped");
    }

    @Test
    void aLinkCommandThatFailsFailsTheLinkCheckWithItsLastStderrLine() throws IOException {
        Path cmd = script("link-fail", "[ \"$1\" = up ] || exit 0\necho connecting >&2\necho 'port Gi0/1: permission"
                + " denied' >&2\nexit 3\n");

        CliRun r = CliRun.run(env, "conformance", "mock:82574L", "--only", "link", "--link-command", cmd.toString());

        assertThat(r.exitCode()).isEqualTo(ExitCode.SELFTEST_FAILED.code());
        assertThat(r.out()).containsPattern("link +FAIL .*link command failed: command=" + cmd + " arg=up exit=3"
                + " stderr=port Gi0/1: permission denied");
    }

    @Test
    void aLinkCommandPastItsDeadlineIsKilledAndSaysSo() throws IOException {
        Path cmd = script("link-hang", "echo pulling >&2\nsleep 30\n");
        LinkCommand link = new LinkCommand(cmd, "mock:82574L", Duration.ofMillis(300));

        long start = System.nanoTime();
        assertThatThrownBy(() -> link.set(false)).isInstanceOf(LinkControl.LinkControlException.class)
                .hasMessage("link command timed out: command=" + cmd + " arg=down deadline=300 ms stderr=pulling");
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));
    }

    @Test
    void anUnknownPeerIsAUsageErrorSayingWhatToGive() {
        CliRun r = CliRun.run(env, "conformance", "mock:82574L", "--peer", "mirror");

        assertThat(r.exitCode()).isEqualTo(ExitCode.USAGE.code());
        assertThat(r.out()).isEmpty();
        assertThat(r.err().strip().lines()).singleElement().asString()
                .startsWith("nicup: unknown --peer 'mirror'").contains("give --peer reflect");
    }

    @Test
    void aLinkCommandThatIsNotExecutableIsRefusedBeforeAnythingRuns() throws IOException {
        Path plain = Files.writeString(dir.resolve("not-executable.sh"), "#!/bin/sh\nexit 0\n");
        Path xml = Files.writeString(dir.resolve("keep.xml"), "previous");

        CliRun r = CliRun.run(env, "conformance", "mock:82574L", "--link-command", plain.toString(), "--junit",
                xml.toString());
        CliRun missing = CliRun.run(env, "conformance", "mock:82574L", "--link-command", dir.resolve("nope").toString());

        assertThat(r.exitCode()).isEqualTo(ExitCode.USAGE.code());
        assertThat(r.out()).isEmpty();
        assertThat(r.err().strip().lines()).singleElement().asString()
                .startsWith("nicup: --link-command is not an executable file: path=" + plain).contains("chmod +x");
        assertThat(Files.readString(xml)).isEqualTo("previous");
        assertThat(missing.err()).contains("path=" + dir.resolve("nope") + " (no such file)");
    }

    private Path script(String name, String body) throws IOException {
        Path p = Files.writeString(dir.resolve(name), "#!/bin/bash\n" + body);
        Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwx------"));
        return p;
    }
}

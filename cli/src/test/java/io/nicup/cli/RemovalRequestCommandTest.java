package io.nicup.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The kernel asking for the device back (docs/ndis-contract.md §22) on the simulated NICs: {@code
 * fault=removal-request@N} raises the request the way vfio-pci's REQ interrupt does, and {@code conformance
 * --remove-command CMD} runs the command, then raises it as pciehp does 5 s after the attention button.
 */
class RemovalRequestCommandTest {

    private final Environment env = new Environment(() -> {
        throw new AssertionError("a mock device needs no Linux host");
    }, PciIds.none());

    @TempDir
    Path dir;

    private Path script(String name, String body) throws IOException {
        Path p = Files.writeString(dir.resolve(name), "#!/bin/bash\n" + body);
        Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwx------"));
        return p;
    }

    @ParameterizedTest
    @ValueSource(strings = {"mock:82574L", "mock:82576", "mock:virtio-net"})
    void surpriseRemovalPassesThroughTheRemoveCommandAndTheKernelsRequest(String spec) throws IOException {
        Path log = dir.resolve("remove.log");
        Path cmd = script("unplug", "echo \"$# $NICUP_DEVICE\" >> " + log + "\n");

        CliRun r = CliRun.run(env, "conformance", spec, "--only", "surprise-removal", "--remove-command", cmd.toString());

        assertThat(r.exitCode()).as(r.err() + r.out()).isZero();
        assertThat(r.out()).containsPattern("surprise-removal +PASS .*1024 sends in flight at the removal request each"
                + " completed once: .*adapter halted with NdisHaltDeviceDisabled, device released and gone from the bus")
                .contains("conformance: 1 passed, 0 failed, 0 skipped");
        assertThat(Files.readAllLines(log)).containsExactly("0 " + spec);
    }

    @Test
    void aRemoveCommandThatFailsFailsTheCheckWithItsLastStderrLine() throws IOException {
        Path cmd = script("unplug-fail", "echo 'slot 3: no attention button' >&2\nexit 4\n");

        CliRun r = CliRun.run(env, "conformance", "mock:82576", "--only", "surprise-removal", "--remove-command",
                cmd.toString());

        assertThat(r.exitCode()).isEqualTo(ExitCode.SELFTEST_FAILED.code());
        assertThat(r.out()).containsPattern("surprise-removal +FAIL .*remove command failed: command=" + cmd
                + " exit=4 stderr=slot 3: no attention button");
    }

    @Test
    void aRemoveCommandThatIsNotExecutableIsAUsageErrorBeforeAnythingIsTouched() {
        CliRun r = CliRun.run(env, "conformance", "mock:82576", "--remove-command", dir.resolve("nope").toString());

        assertThat(r.exitCode()).isEqualTo(ExitCode.USAGE.code());
        assertThat(r.err()).contains("--remove-command is not an executable file: path=" + dir.resolve("nope")
                + " (no such file)");
    }

    @ParameterizedTest
    @ValueSource(strings = {"mock:82574L", "mock:82576", "mock:virtio-net"})
    void sendStopsHaltsAndExitsEightWhenTheKernelAsksForTheDeviceMidTraffic(String spec) {
        CliRun r = CliRun.run(env, "--json", "send", spec + "?fault=removal-request@50", "--count", "2000", "--size",
                "64", "--dst", "02:00:00:00:00:01");

        assertThat(r.exitCode()).as(r.err() + r.out()).isEqualTo(ExitCode.HARDWARE.code());
        assertThat(r.err()).contains("device removed: the kernel asked for it back (hot-unplug or unbind): spec="
                + spec + "?fault=removal-request@50 adapter halted with NdisHaltDeviceDisabled, device released");
        assertThat(r.out()).contains("\"device_removed\":true");
        RemovalAccounting.Counts c = RemovalAccounting.fromJson(r.out());
        assertThat(c.sum()).as("every frame counted once: %s\n%s", c, r.out()).isEqualTo(2000);
        assertThat(c.notSubmitted()).as("the send loop stopped at the request").isPositive();
        assertThat(c.errors() + c.drops()).as(r.out()).isZero();
    }

    @Test
    void recvEndsAndExitsEightWhenTheKernelAsks() {
        CliRun r = CliRun.run(env, "recv", "mock:82574L?fault=removal-request", "--pcap", dir.resolve("r.pcap").toString(),
                "--count", "5", "--timeout", "2");

        assertThat(r.exitCode()).as(r.err() + r.out()).isEqualTo(ExitCode.HARDWARE.code());
        assertThat(r.err()).contains("device removed: the kernel asked for it back (hot-unplug or unbind)");
    }

    @Test
    void conformanceSkipsWhatFollowsARequestItDidNotAskForAndExitsEight() {
        CliRun r = CliRun.run(env, "conformance", "mock:82574L?fault=removal-request", "--only", "timed-rules,reset");

        assertThat(r.exitCode()).as(r.err() + r.out()).isEqualTo(ExitCode.HARDWARE.code());
        assertThat(r.out()).containsPattern("timed-rules +SKIPPED .*the kernel took the device back")
                .contains("conformance: 0 passed, 0 failed, 2 skipped");
        assertThat(r.err()).contains("device removed: the kernel asked for it back (hot-unplug or unbind): spec="
                + "mock:82574L?fault=removal-request device released");
    }

    @Test
    void bringupCyclesStopAtTheFirstCycleTheKernelAsksIn() {
        CliRun r = CliRun.run(env, "bringup", "mock:82576?fault=removal-request", "--cycles", "3");

        assertThat(r.exitCode()).as(r.err() + r.out()).isEqualTo(ExitCode.HARDWARE.code());
        assertThat(r.err()).contains("device removed: the kernel asked for it back (hot-unplug or unbind): spec="
                + "mock:82576?fault=removal-request adapter halted with NdisHaltDeviceDisabled, device released");
    }
}

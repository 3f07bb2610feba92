package io.nicup.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.nicup.vfio.PciAddress;
import io.nicup.vfio.linux.FakeMachine;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --bind} against a fake machine (sysfs, /dev/vfio and the state directory in a temp dir; its
 * 82574L has no working BAR, so MiniportInitializeEx fails): the device goes to vfio-pci for the run and
 * back to its own driver when the run ends, whatever the outcome; a refusal changes nothing; a device
 * already on vfio-pci stays there.
 */
class RunBindingTest {

    private static final String NIC = "0000:00:03.0";

    @TempDir
    Path root;

    FakeMachine machine;
    Environment env;

    @BeforeEach
    void machineWithOneNicOnItsKernelDriver() {
        machine = new FakeMachine(root).driver("vfio-pci");
        machine.device(NIC).boundTo("e1000e").group(7);
        env = new Environment(machine::host, PciIds.none());
    }

    private String driverOf(String bdf) {
        return machine.sysfs.driver(PciAddress.parse(bdf)).orElse("none");
    }

    @Test
    void aFailedRunGivesTheDeviceBackToItsDriverAndDropsTheRecord() {
        CliRun r = CliRun.run(env, "bringup", NIC, "--bind");

        assertThat(r.exitCode()).as(r.out() + r.err()).isEqualTo(ExitCode.HARDWARE.code());
        assertThat(r.out()).contains("MiniportInitializeEx", "NdisMDeregisterMiniportDriver");
        assertThat(r.err().lines().toList()).hasSize(3);
        assertThat(r.err()).contains("nicup: 0000:00:03.0 on vfio-pci for this run (was e1000e)",
                "nicup: 0000:00:03.0 given back to e1000e (was e1000e before this run)", "nicup: initialization failed");
        assertThat(driverOf(NIC)).isEqualTo("e1000e");
        assertThat(Files.exists(machine.state.resolve(NIC + ".json"))).as("the bind record").isFalse();
    }

    @Test
    void aSessionThatCannotOpenGivesTheDeviceBackBeforeTheError() {
        CliRun r = CliRun.run(env, "selftest", NIC, "--bind", "--params", root.resolve("missing.params").toString());

        assertThat(r.exitCode()).as(r.out() + r.err()).isEqualTo(ExitCode.USAGE.code());
        assertThat(r.err().lines().toList()).hasSize(3);
        assertThat(r.err()).contains("given back to e1000e", "nicup: parameter file not found");
        assertThat(driverOf(NIC)).isEqualTo("e1000e");
    }

    @Test
    void aDeviceAlreadyOnVfioPciStaysThereAndItsRecordIsKept() {
        assertThat(CliRun.run(env, "bind", NIC).exitCode()).isZero();

        CliRun r = CliRun.run(env, "regs", NIC, "--bind");

        assertThat(r.err()).doesNotContain("for this run", "given back");
        assertThat(driverOf(NIC)).isEqualTo("vfio-pci");
        assertThat(Files.exists(machine.state.resolve(NIC + ".json"))).isTrue();
    }

    @Test
    void aBindThatIsRefusedChangesNothingAndRunsNothing() throws IOException {
        machine.device("0000:00:04.0").boundTo("e1000e").group(9).net("eth1", 0x1003, "up");
        Path route = root.resolve("proc/net/route");
        Files.writeString(route, Files.readString(route) + "eth1\t0000A8C0\t00000000\t0001\t0\t0\t0\t00FFFFFF\t0\t0\t0\n");

        CliRun r = CliRun.run(env, "send", "0000:00:04.0", "--bind", "--count", "1", "--size", "64", "--dst",
                "02:00:00:00:00:01");

        assertThat(r.exitCode()).isEqualTo(ExitCode.BUSY.code());
        assertThat(r.out()).isEmpty();
        assertThat(r.err().lines()).singleElement().asString().startsWith("nicup: network interface in use");
        assertThat(driverOf("0000:00:04.0")).isEqualTo("e1000e");
    }

    @Test
    void aVirtioNicInUseIsRefusedByBindAsWell() throws IOException {
        machine.device("0000:00:06.0").ids(0x1af4, 0x1000, 0x020000).boundTo("virtio-pci").group(12)
                .virtioNet("virtio0", "eth0", 0x1003, "up");
        Path route = root.resolve("proc/net/route");
        Files.writeString(route, Files.readString(route) + "eth0\t00000000\t0102A8C0\t0003\t0\t0\t0\t00000000\t0\t0\t0\n");

        CliRun r = CliRun.run(env, "bringup", "0000:00:06.0", "--bind");

        assertThat(r.exitCode()).isEqualTo(ExitCode.BUSY.code());
        assertThat(r.out()).isEmpty();
        assertThat(r.err().lines()).singleElement().asString()
                .startsWith("nicup: network interface in use: bdf=0000:00:06.0 interface=eth0");
        assertThat(driverOf("0000:00:06.0")).isEqualTo("virtio-pci");
    }

    @Test
    void bindOnASimulatedNicIsAUsageError() {
        CliRun r = CliRun.run(env, "loopback", "mock:82574L", "--bind");

        assertThat(r.exitCode()).isEqualTo(ExitCode.USAGE.code());
        assertThat(r.err().lines()).singleElement().asString()
                .startsWith("nicup: --bind is valid only for a PCI device: device=mock:82574L");
    }

    @Test
    void theSoakBindsOnceAndGivesBackOnce() {
        CliRun r = CliRun.run(env, "bringup", NIC, "--bind", "--cycles", "3");

        assertThat(r.err().lines().filter(l -> l.contains("for this run"))).hasSize(1);
        assertThat(r.err().lines().filter(l -> l.contains("given back to e1000e"))).hasSize(1);
        assertThat(driverOf(NIC)).isEqualTo("e1000e");
    }
}

package io.nicup.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.nicup.vfio.linux.FakeMachine;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** list, bind and unbind against a fake machine (sysfs, /dev/vfio and the state directory in a temp dir). */
class BindingCommandsTest {

    @TempDir
    Path root;

    FakeMachine machine;
    Environment env;

    @BeforeEach
    void machineWithOneNicOnItsKernelDriver() {
        machine = new FakeMachine(root).driver("vfio-pci");
        machine.device("0000:00:03.0").boundTo("e1000e").group(7);
        machine.device("0000:00:1f.2").ids(0x8086, 0x2922, 0x010601).boundTo("ahci").group(8);
        env = new Environment(machine::host, PciIds.none());
    }

    @Test
    void listShowsOnlyNetworkControllersWithDriverGroupAndReadiness() {
        CliRun r = CliRun.run(env, "list");

        assertThat(r.exitCode()).isZero();
        assertThat(r.out()).contains("0000:00:03.0", "8086:10d3", "e1000e", "not-bound", "82574L")
                .doesNotContain("0000:00:1f.2");
    }

    @Test
    void listAllIncludesOtherClassesAndJsonIsMachineReadable() {
        CliRun r = CliRun.run(env, "--json", "list", "--all");

        assertThat(r.exitCode()).isZero();
        assertThat(r.out()).startsWith("[{").contains("\"bdf\":\"0000:00:1f.2\"", "\"driver\":\"ahci\"",
                "\"iommu_group\":7", "\"group_viable\":true");
    }

    @Test
    void bindHandsTheDeviceToVfioPciAndRecordsTheOriginalDriver() {
        CliRun r = CliRun.run(env, "bind", "0000:00:03.0");

        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out()).contains("bound to vfio-pci (was e1000e)", "ready");
        assertThat(machine.sysfs.driver(io.nicup.vfio.PciAddress.parse("0000:00:03.0"))).contains("vfio-pci");
        assertThat(machine.dev.resolve("vfio/7")).exists();
        assertThat(Files.exists(machine.state.resolve("0000:00:03.0.json"))).isTrue();
    }

    @Test
    void unbindRestoreGivesTheOriginalDriverBack() {
        assertThat(CliRun.run(env, "bind", "0000:00:03.0").exitCode()).isZero();

        CliRun r = CliRun.run(env, "unbind", "--restore", "0000:00:03.0");

        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out()).contains("released from vfio-pci", "driver now e1000e");
        assertThat(machine.sysfs.driver(io.nicup.vfio.PciAddress.parse("0000:00:03.0"))).contains("e1000e");
    }

    @Test
    void bindRefusesAnActiveInterfaceWithoutForceAndChangesNothing() {
        machine.device("0000:00:04.0").boundTo("e1000e").group(9).net("eth1", 0x1003, "up");
        // an IPv4 route through eth1 makes it "active", as dpdk-devbind judges it
        writeRoute("eth1");

        CliRun r = CliRun.run(env, "bind", "0000:00:04.0");

        assertThat(r.exitCode()).isEqualTo(ExitCode.BUSY.code());
        assertThat(r.err().lines()).hasSize(1);
        assertThat(r.err()).startsWith("nicup: network interface in use").contains("--force");
        assertThat(machine.sysfs.driver(io.nicup.vfio.PciAddress.parse("0000:00:04.0"))).contains("e1000e");
    }

    /** virtio-net puts its interface one bus below the function ({@code virtioN/net/eth0}): it counts all the same. */
    @Test
    void aVirtioNicCarryingTheDefaultRouteIsListedWithItsInterfaceAndRefused() {
        machine.device("0000:00:06.0").ids(0x1af4, 0x1000, 0x020000).boundTo("virtio-pci").group(12)
                .virtioNet("virtio2", "eth0", 0x1003, "up");
        writeRoute("eth0");

        CliRun list = CliRun.run(env, "--json", "list");
        assertThat(list.out()).contains("\"bdf\":\"0000:00:06.0\"", "\"interfaces\":[\"eth0\"]");

        CliRun r = CliRun.run(env, "bind", "0000:00:06.0");

        assertThat(r.exitCode()).isEqualTo(ExitCode.BUSY.code());
        assertThat(r.err().lines()).singleElement().asString()
                .startsWith("nicup: network interface in use: bdf=0000:00:06.0 interface=eth0 up=true");
        assertThat(machine.sysfs.driver(io.nicup.vfio.PciAddress.parse("0000:00:06.0"))).contains("virtio-pci");
        assertThat(machine.sysfs.writes).isEmpty();

        CliRun forced = CliRun.run(env, "bind", "--force", "0000:00:06.0");
        assertThat(forced.exitCode()).as(forced.err()).isZero();
        assertThat(machine.sysfs.driver(io.nicup.vfio.PciAddress.parse("0000:00:06.0"))).contains("vfio-pci");
    }

    @Test
    void twoDevicesOfOneGroupAreBoundTogether() {
        machine.device("0000:00:03.1").boundTo("e1000e").group(7);

        CliRun r = CliRun.run(env, "bind", "0000:00:03.0", "0000:00:03.1");

        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out()).contains("0000:00:03.1: bound to vfio-pci (was e1000e)");
    }

    @Test
    void aFailingBindInAListGivesBackTheDevicesAlreadyBound() {
        machine.device("0000:00:05.0").boundTo("e1000e").group(11);
        machine.device("0000:00:05.1").ids(0x8086, 0x1234, 0x040300).boundTo("snd_hda_intel").group(11);

        CliRun r = CliRun.run(env, "bind", "0000:00:03.0", "0000:00:05.0");

        assertThat(r.exitCode()).isEqualTo(ExitCode.VFIO_SETUP.code());
        assertThat(r.err()).contains("not viable", "0000:00:05.1(driver=snd_hda_intel)");
        assertThat(machine.sysfs.driver(io.nicup.vfio.PciAddress.parse("0000:00:03.0"))).contains("e1000e");
        assertThat(machine.sysfs.driver(io.nicup.vfio.PciAddress.parse("0000:00:05.0"))).contains("e1000e");
    }

    @Test
    void malformedAddressIsAUsageErrorOnOneLine() {
        CliRun r = CliRun.run(env, "bind", "03.0:zz");

        assertThat(r.exitCode()).isEqualTo(ExitCode.USAGE.code());
        assertThat(r.err().strip().lines()).hasSize(1);
        assertThat(r.err()).contains("malformed PCI address '03.0:zz'", "DDDD:BB:DD.F");
    }

    @Test
    void unknownDeviceIsNotFound() {
        CliRun r = CliRun.run(env, "bind", "0000:42:00.0");

        assertThat(r.exitCode()).isEqualTo(ExitCode.NOT_FOUND.code());
        assertThat(r.err()).contains("0000:42:00.0");
    }

    @Test
    void deviceThatIsNotANicIsRefusedUnlessAnyClass() {
        CliRun r = CliRun.run(env, "bind", "0000:00:1f.2");

        assertThat(r.exitCode()).isEqualTo(ExitCode.USAGE.code());
        assertThat(r.err()).contains("not a network controller", "--any-class");
        assertThat(machine.sysfs.driver(io.nicup.vfio.PciAddress.parse("0000:00:1f.2"))).contains("ahci");
    }

    @Test
    void unknownOptionIsAUsageErrorThatPointsToHelp() {
        CliRun r = CliRun.run(env, "list", "--bogus");

        assertThat(r.exitCode()).isEqualTo(ExitCode.USAGE.code());
        assertThat(r.err()).contains("--bogus", "nicup list --help");
    }

    /** A uid the test can give a file to: any when root, only its own otherwise. */
    private static int giveableUid() {
        return "root".equals(System.getProperty("user.name")) ? 4242 : (int) new com.sun.security.auth.module.UnixSystem().getUid();
    }

    private static int giveableGid() {
        return "root".equals(System.getProperty("user.name")) ? 4343 : (int) new com.sun.security.auth.module.UnixSystem().getGid();
    }

    @Test
    void bindUserHandsTheGroupNodeOverAndSaysHowMuchLockedMemoryItNeeds() throws Exception {
        machine.passwd("root:x:0:0:root:/root:/bin/sh\nalice:x:" + giveableUid() + ":" + giveableGid() + "::/home/alice:/bin/sh\n")
                .memlock(64 * 1024);
        Path node = machine.dev.resolve("vfio/7");
        CliRun r = CliRun.run(env, "bind", "--user", "alice", "0000:00:03.0");

        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(Files.getAttribute(node, "unix:uid")).isEqualTo(giveableUid());
        assertThat(Files.getAttribute(node, "unix:gid")).isEqualTo(giveableGid());
        assertThat(r.out()).contains("/vfio/7 handed to alice (uid " + giveableUid())
                .contains("locked memory: a bring-up needs 8192 KiB; this session's limit is 65536 bytes (64 KiB) (too low)",
                        "alice - memlock 8192", "/etc/security/limits.conf");
        assertThat(machine.state.resolve("group-7.owner")).exists();
    }

    @Test
    void unbindRestoreGivesTheGroupNodeBackToItsOwner() throws Exception {
        machine.passwd("alice:x:" + giveableUid() + ":" + giveableGid() + "::/home/alice:/bin/sh\n");
        assertThat(CliRun.run(env, "bind", "--user", "alice", "0000:00:03.0").exitCode()).isZero();
        Path node = machine.dev.resolve("vfio/7");
        int ownerBefore = (Integer) Files.getAttribute(machine.dev, "unix:uid");   // nodes are created like their dir

        CliRun r = CliRun.run(env, "unbind", "--restore", "0000:00:03.0");

        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out()).contains("given back (was handed to alice");
        if (Files.exists(node)) {
            assertThat(Files.getAttribute(node, "unix:uid")).isEqualTo(ownerBefore);
        }
        assertThat(machine.state.resolve("group-7.owner")).doesNotExist();
    }

    @Test
    void bindToAnUnknownUserIsAUsageErrorThatChangesNothing() {
        machine.passwd("root:x:0:0:root:/root:/bin/sh\n");

        CliRun r = CliRun.run(env, "bind", "--user", "mallory", "0000:00:03.0");

        assertThat(r.exitCode()).isEqualTo(ExitCode.USAGE.code());
        assertThat(r.err().strip().lines()).singleElement().asString().startsWith("nicup: no such user: user=mallory");
        assertThat(machine.sysfs.driver(io.nicup.vfio.PciAddress.parse("0000:00:03.0"))).contains("e1000e");
        assertThat(machine.state.resolve("group-7.owner")).doesNotExist();
    }

    @Test
    void listShowsALiveLockHolderAsInUseAndAStalePidLeftBySigkillAsReady() throws Exception {
        assertThat(CliRun.run(env, "bind", "0000:00:03.0").exitCode()).isZero();
        Path lock = machine.state.resolve("0000:00:03.0.lock");

        Files.writeString(lock, ProcessHandle.current().pid() + "\n");
        assertThat(CliRun.run(env, "list").out()).contains("in-use(pid " + ProcessHandle.current().pid() + ")");

        Process dead = new ProcessBuilder("true").start();
        dead.waitFor();
        Files.writeString(lock, dead.pid() + "\n");   // what a SIGKILLed holder leaves behind
        assertThat(CliRun.run(env, "list").out()).contains("ready").doesNotContain("in-use");
    }

    private void writeRoute(String iface) {
        try {
            Path route = root.resolve("proc/net/route");
            Files.writeString(route, Files.readString(route)
                    + iface + "\t0000A8C0\t00000000\t0001\t0\t0\t0\t00FFFFFF\t0\t0\t0\n");
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}

package io.nicup.cli;

import static io.nicup.vfio.ConfigSpaceFixtures.endpoint;
import static org.assertj.core.api.Assertions.assertThat;

import io.nicup.vfio.PciAddress;
import io.nicup.vfio.linux.DeviceBinder;
import io.nicup.vfio.linux.DeviceLock;
import io.nicup.vfio.linux.FakeMachine;
import io.nicup.vfio.linux.PciFunction;
import io.nicup.vfio.linux.Sysfs;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code nicup info} on PCI functions read from sysfs, whatever their driver, as {@code lspci -vv} reads
 * them: on a fake machine, and read-only on this machine's own devices.
 */
class InfoFromSysfsTest {

    private static final String NIC = "0000:00:03.0";

    @TempDir
    Path root;

    FakeMachine machine;
    Environment env;

    @BeforeEach
    void machineWithOneNicOnItsKernelDriver() {
        machine = new FakeMachine(root).driver("vfio-pci");
        machine.device(NIC).boundTo("e1000e").group(7).config(endpoint());
        env = new Environment(machine::host, PciIds.none());
    }

    @Test
    void aFunctionOnItsKernelDriverIsDecodedFromSysfsWithoutVfioAndNothingIsWritten() {
        CliRun r = CliRun.run(env, "info", NIC);

        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.err()).isEmpty();
        assertThat(r.out()).contains(NIC + "  8086:10d3  class 020000", "driver e1000e",
                "BAR0 mem32 128 KiB at 0xfebc0000", "BAR2 io    32 B at 0xc000", "BAR3 mem32 16 KiB at 0xfebf0000",
                "[50] PCI Express", "device_status=[CorrErr, AuxPwr]", "aspm_support=L0s L1 aspm=L1",
                "link_speed=2.5GT/s link_width=x1", "dll_link_active=true", "target_link_speed=5GT/s",
                "[70] MSI-X", "table_size=5",
                "[100] Advanced Error Reporting", "uncorrectable_status=[UnsupReq]", "uncorrectable_mask=[UncorrIntErr]",
                "correctable_status=[RxErr, BadTLP]", "correctable_mask=[AdvNonFatalErr]",
                "[140] Device Serial Number")
                .doesNotContain("vfio:", "mappable", "interrupt vectors");
        assertThat(machine.sysfs.writes).isEmpty();
        assertThat(machine.sysfs.driver(PciAddress.parse(NIC))).contains("e1000e");
    }

    @Test
    void jsonCarriesTheBarAddressesAndTheAerRegisters() {
        CliRun r = CliRun.run(env, "--json", "info", NIC);

        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out()).contains("\"device\":\"" + NIC + "\"", "\"driver\":\"e1000e\"",
                "{\"index\":0,\"address\":\"0xfebc0000\",\"size\":131072,\"type\":\"mem32\",\"prefetchable\":false}",
                "\"uncorrectable_status\":[\"UnsupReq\"]", "\"aspm\":\"L1\"", "\"warnings\":[]");
    }

    @Test
    void aFunctionOnVfioPciAlsoShowsWhatVfioOffers() {
        assertThat(CliRun.run(env, "bind", NIC).exitCode()).isZero();

        CliRun r = CliRun.run(env, "info", NIC);

        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out()).contains("driver vfio-pci", "BAR0 mem32 128 KiB at 0xfebc0000 mappable", "[70] MSI-X",
                "interrupt vectors: {msix=5, msi=1, intx=1}", "vfio:", "iommu_type");
    }

    /** While a run holds the device (a --pause-after pause, bringup --hold) info still shows what sysfs says. */
    @Test
    void aFunctionARunHoldsShowsTheSysfsPartAndWhyVfioIsMissing() {
        assertThat(CliRun.run(env, "bind", NIC).exitCode()).isZero();

        CliRun r;
        try (DeviceLock _ = DeviceLock.acquire(machine.state, PciAddress.parse(NIC))) {
            r = CliRun.run(env, "info", NIC);
        }

        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out()).contains("driver vfio-pci", "BAR0 mem32 128 KiB at 0xfebc0000", "[70] MSI-X")
                .doesNotContain("vfio:");
        assertThat(r.err().strip().lines()).singleElement().asString()
                .startsWith("nicup: warning: VFIO part not shown: device " + NIC + " in use by PID "
                        + ProcessHandle.current().pid());
    }

    @Test
    void aConfigSpaceOfAllOnesIsOneLineWithExit8() {
        byte[] gone = new byte[4096];
        Arrays.fill(gone, (byte) 0xFF);
        machine.device("0000:00:05.0").boundTo("e1000e").config(gone);

        CliRun r = CliRun.run(env, "info", "0000:00:05.0");

        assertThat(r.exitCode()).isEqualTo(ExitCode.HARDWARE.code());
        assertThat(r.out()).isEmpty();
        assertThat(r.err().strip().lines()).singleElement().asString()
                .startsWith("nicup: device reads all-ones: vendor_id=0xffff device_id=0xffff: the device is not"
                        + " responding or was removed");
    }

    @Test
    void aCapabilityChainThatLoopsIsCutWithOneWarningLine() {
        byte[] looping = endpoint();
        looping[0x71] = 0x40;                                // MSI-X points back to Power Management
        machine.device("0000:00:05.0").config(looping);

        CliRun r = CliRun.run(env, "info", "0000:00:05.0");

        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out().lines().filter(l -> l.startsWith("    ["))).hasSize(5);   // 3 capabilities, 2 extended
        assertThat(r.err().strip().lines()).singleElement()
                .isEqualTo("nicup: warning: capability chain cut: the pointer at 0x71 loops back to 0x40");
    }

    @Test
    void onlyTheHeaderReadableGivesTheHeaderAndAWarningToRunAsRoot() {
        machine.device("0000:00:05.0").config(Arrays.copyOf(endpoint(), 64));

        CliRun r = CliRun.run(env, "info", "0000:00:05.0");

        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out()).contains("8086:10d3", "BAR0 mem32 128 KiB");
        assertThat(r.err()).startsWith("nicup: warning: only 64 of 256 bytes of config space are readable");
    }

    @Test
    void anUnknownAddressIsNotFound() {
        CliRun r = CliRun.run(env, "info", "0000:42:00.0");

        assertThat(r.exitCode()).isEqualTo(ExitCode.NOT_FOUND.code());
        assertThat(r.err()).startsWith("nicup: no such PCI device: bdf=0000:42:00.0");
    }

    /**
     * Read-only on this machine: every PCI function not on vfio-pci is decoded from sysfs with exit 0, its
     * IDs as sysfs states them and no warning (real devices have sane capability chains). A function on
     * vfio-pci is left alone: opening it through VFIO would touch it.
     */
    @Test
    void everyPciFunctionOfThisMachineIsDecodedFromSysfs() {
        Environment system = Environment.system();
        for (PciFunction f : Sysfs.system().functions()) {
            if (f.boundTo(DeviceBinder.VFIO_PCI)) {
                continue;
            }
            CliRun r = CliRun.run(system, "info", f.address().toString());

            assertThat(r.exitCode()).as("info %s: %s", f.address(), r.err()).isZero();
            assertThat(r.out()).as("info %s", f.address()).contains(f.address() + "  " + String.format("%04x:%04x",
                    f.identity().vendorId(), f.identity().deviceId()), "driver " + f.driver().orElse("none"));
            if ("root".equals(System.getProperty("user.name"))) {
                assertThat(r.err()).as("info %s", f.address()).isEmpty();
            }
        }
    }
}

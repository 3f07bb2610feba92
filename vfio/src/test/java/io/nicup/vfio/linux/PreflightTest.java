package io.nicup.vfio.linux;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.nicup.vfio.DeviceAccessException;
import io.nicup.vfio.DeviceAccessException.Reason;
import io.nicup.vfio.PciAddress;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PreflightTest {

    static final PciAddress NIC = PciAddress.parse("0000:00:02.0");

    @TempDir
    Path tmp;
    FakeMachine m;

    @BeforeEach
    void setUp() {
        m = new FakeMachine(tmp);
    }

    private Preflight.Report run(Optional<PciAddress> d) {
        return new Preflight(m.host()).run(d);
    }

    private void readyMachine() {
        FakeMachine.touch(m.dev.resolve("vfio/vfio"), "");
        m.driver("vfio-pci");
        m.device(NIC.toString()).boundTo("vfio-pci").group(5);
        FakeMachine.write(m.sys.resolve("kernel/mm/hugepages/hugepages-2048kB/free_hugepages"), "64\n");
    }

    @Test
    void aReadyMachinePassesEveryCheck() {
        readyMachine();
        Preflight.Report r = run(Optional.of(NIC));
        assertThat(r.ok()).as(r.toString()).isTrue();
        assertThat(r.checks()).allSatisfy(c -> assertThat(c.status()).isEqualTo(Preflight.Status.OK));
        assertThat(r.check("hugepages").orElseThrow().detail()).contains("64 free");
        r.throwIfFailed();
    }

    @Test
    void aMachineWithoutVfioOrIommuFailsWithTheFirmwareAndModprobeRemedies() {
        Preflight.Report r = run(Optional.empty());
        assertThat(r.ok()).isFalse();
        assertThat(r.check("vfio-device").orElseThrow().remedy()).contains("modprobe vfio-pci");
        assertThat(r.check("iommu").orElseThrow().remedy()).contains("VT-d/AMD-Vi")
                .contains("intel_iommu=on / amd_iommu=on");
        assertThat(r.check("vfio-pci").orElseThrow().status()).isEqualTo(Preflight.Status.WARN);
        assertThat(r.check("hugepages").orElseThrow().remedy()).contains("nr_hugepages");
        assertThatThrownBy(r::throwIfFailed).isInstanceOfSatisfying(DeviceAccessException.class,
                e -> assertThat(e.reason()).isEqualTo(Reason.VFIO_SETUP));
    }

    @Test
    void aDeviceOnItsHostDriverIsToldToRunNicupBind() {
        readyMachine();
        m.device("0000:00:03.0").boundTo("e1000e").group(6);
        Preflight.Check c = run(Optional.of(PciAddress.parse("0000:00:03.0"))).check("device-driver").orElseThrow();
        assertThat(c.status()).isEqualTo(Preflight.Status.FAIL);
        assertThat(c.detail()).contains("bound to e1000e");
        assertThat(c.remedy()).isEqualTo("run `nicup bind 0000:00:03.0`");
    }

    @Test
    void aNonRootUserWithoutAccessToTheGroupNodeIsToldToChownIt() throws Exception {
        readyMachine();
        m.status(1000, 0);
        Path node = m.dev.resolve("vfio/5");
        java.nio.file.Files.setPosixFilePermissions(node, java.util.Set.of());
        Preflight.Check c = run(Optional.of(NIC)).check("group-access").orElseThrow();
        // root ignores file modes, so the check can only be exercised when the test itself is not root
        if (!java.nio.file.Files.isReadable(node)) {
            assertThat(c.status()).isEqualTo(Preflight.Status.FAIL);
            assertThat(c.remedy()).isEqualTo("run as root or chown " + node + " to your user");
        } else {
            assertThat(c.status()).isEqualTo(Preflight.Status.OK);
        }
    }

    @Test
    void aLowLockedMemoryLimitWithoutCapIpcLockFailsSayingHowToRaiseIt() {
        readyMachine();
        m.status(1000, 0);
        m.kernel.memlock = new MemlockLimit(64 << 10, 64 << 10);
        Preflight.Check c = run(Optional.empty()).check("memlock").orElseThrow();
        assertThat(c.status()).isEqualTo(Preflight.Status.FAIL);
        assertThat(c.reason()).isEqualTo(Reason.RESOURCE_LIMIT);
        assertThat(c.detail()).contains("current=65536 bytes (64 KiB)");
        assertThat(c.remedy()).contains("ulimit -l 8192").contains("limits.conf");
    }

    @Test
    void aLowLimitIsFineWithCapIpcLock() {
        readyMachine();
        m.kernel.memlock = new MemlockLimit(64 << 10, 64 << 10);
        assertThat(run(Optional.empty()).check("memlock").orElseThrow().status()).isEqualTo(Preflight.Status.OK);
    }

    @Test
    void aGroupWithADeviceOnAHostDriverFailsNamingIt() {
        readyMachine();
        m.device("0000:00:02.1").boundTo("snd_hda_intel").group(5);
        Preflight.Check c = run(Optional.of(NIC)).check("group-viable").orElseThrow();
        assertThat(c.status()).isEqualTo(Preflight.Status.FAIL);
        assertThat(c.detail()).contains("0000:00:02.1(driver=snd_hda_intel)");
    }

    @Test
    void aDeviceInUseByAnotherNicupFailsTheLockCheck() {
        readyMachine();
        try (DeviceLock _ = DeviceLock.acquire(m.state, NIC)) {
            Preflight.Check c = run(Optional.of(NIC)).check("device-lock").orElseThrow();
            assertThat(c.status()).isEqualTo(Preflight.Status.FAIL);
            assertThat(c.detail()).contains("in use by PID");
        }
        assertThat(run(Optional.of(NIC)).check("device-lock").orElseThrow().status()).isEqualTo(Preflight.Status.OK);
    }

    @Test
    void unsafeInterruptsAreAWarning() {
        readyMachine();
        FakeMachine.write(m.sys.resolve("module/vfio_iommu_type1/parameters/allow_unsafe_interrupts"), "Y\n");
        assertThat(run(Optional.empty()).check("interrupt-remapping").orElseThrow().status())
                .isEqualTo(Preflight.Status.WARN);
    }

    @Test
    void thisMachineCanBeCheckedWithoutErrors() {
        Preflight.Report r = new Preflight(LinuxHost.system()).run(Optional.empty());
        assertThat(r.checks()).extracting(Preflight.Check::name).contains("vfio-device", "iommu", "memlock", "hugepages");
    }
}

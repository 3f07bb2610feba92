package io.nicup.vfio.linux;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.nicup.vfio.DeviceAccessException;
import io.nicup.vfio.DeviceAccessException.Reason;
import io.nicup.vfio.PciAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DeviceBinderTest {

    static final PciAddress NIC = PciAddress.parse("0000:00:02.0");
    static final Duration T = Duration.ofSeconds(2);

    @TempDir
    Path tmp;
    FakeMachine m;
    List<String> modprobes = new ArrayList<>();
    DeviceBinder binder;

    @BeforeEach
    void setUp() {
        m = new FakeMachine(tmp);
        m.driver("vfio-pci");
        m.device(NIC.toString()).boundTo("e1000e").group(5).net("eth0", 0x1003, "up");
        binder = new DeviceBinder(m.host(), module -> {
            modprobes.add(module);
            m.driver(module);
        });
    }

    private void giveEth0AnAddress() {
        FakeMachine.write(m.proc.resolve("net/route"), NetInterfacesTest.ROUTE);
        FakeMachine.write(m.proc.resolve("net/fib_trie"), NetInterfacesTest.FIB);
    }

    @Test
    void bindWritesOverrideThenUnbindThenProbeAndWaitsForTheGroupDevice() {
        DeviceBinder.BindResult r = binder.bind(NIC, DeviceBinder.BindOptions.defaults());

        assertThat(m.sysfs.writes).containsExactly(
                "bus/pci/devices/0000:00:02.0/driver_override=vfio-pci",
                "bus/pci/drivers/e1000e/unbind=0000:00:02.0",
                "bus/pci/drivers_probe=0000:00:02.0");
        assertThat(m.sysfs.driver(NIC)).contains("vfio-pci");
        assertThat(r.previousDriver()).contains("e1000e");
        assertThat(r.alreadyBound()).isFalse();
        assertThat(r.iommuGroup()).isEqualTo(5);
        assertThat(r.groupDevice()).isEqualTo(m.dev.resolve("vfio/5")).exists();
        assertThat(r.interfaces()).extracting(NetInterfaceState::name).containsExactly("eth0");
    }

    @Test
    void bindRecordsTheOriginalDriverInTheStateDirectory() {
        binder.bind(NIC, DeviceBinder.BindOptions.defaults());

        BindRecord rec = m.host().stateStore().load(NIC).orElseThrow();
        assertThat(rec.originalDriver()).contains("e1000e");
        assertThat(rec.originalOverride()).isEmpty();
        assertThat(rec.pid()).isEqualTo(ProcessHandle.current().pid());
        assertThat(m.state.resolve("0000:00:02.0.json")).exists();
    }

    @Test
    void restoreInALaterProcessGivesTheDeviceBackToTheRecordedDriver() {
        binder.bind(NIC, DeviceBinder.BindOptions.defaults());
        m.sysfs.writes.clear();

        DeviceBinder later = new DeviceBinder(m.host(), module -> { });
        DeviceBinder.UnbindResult r = later.unbind(NIC, true, T);

        assertThat(m.sysfs.writes).containsExactly(
                "bus/pci/devices/0000:00:02.0/driver_override=",
                "bus/pci/drivers/vfio-pci/unbind=0000:00:02.0",
                "bus/pci/drivers/e1000e/bind=0000:00:02.0");
        assertThat(r.wasOnVfio()).isTrue();
        assertThat(r.driverNow()).contains("e1000e");
        assertThat(m.sysfs.driverOverride(NIC)).isEmpty();
        assertThat(m.host().stateStore().load(NIC)).isEmpty();
    }

    @Test
    void unbindWithoutRestoreLeavesTheDeviceDriverlessAndKeepsTheRecordForALaterRestore() {
        binder.bind(NIC, DeviceBinder.BindOptions.defaults());
        DeviceBinder.UnbindResult r = binder.unbind(NIC, false, T);

        assertThat(r.driverNow()).isEmpty();
        assertThat(m.host().stateStore().load(NIC).orElseThrow().originalDriver()).contains("e1000e");

        binder.bind(NIC, DeviceBinder.BindOptions.defaults());
        assertThat(m.host().stateStore().load(NIC).orElseThrow().originalDriver())
                .as("re-binding a driverless device keeps the first original").contains("e1000e");
        binder.unbind(NIC, true, T);
        assertThat(m.sysfs.driver(NIC)).contains("e1000e");
    }

    @Test
    void restoreWithoutARecordLetsTheKernelProbeForADriver() {
        m.device("0000:00:03.0").boundTo("vfio-pci").group(6).defaultDriver("virtio-pci");
        PciAddress v = PciAddress.parse("0000:00:03.0");

        DeviceBinder.UnbindResult r = binder.unbind(v, true, T);

        assertThat(m.sysfs.writes).containsExactly("bus/pci/drivers/vfio-pci/unbind=0000:00:03.0",
                "bus/pci/drivers_probe=0000:00:03.0");
        assertThat(r.driverNow()).contains("virtio-pci");
    }

    @Test
    void anInterfaceThatIsUpWithAddressesIsRefusedWithoutForce() {
        giveEth0AnAddress();

        assertThatThrownBy(() -> binder.bind(NIC, DeviceBinder.BindOptions.defaults()))
                .isInstanceOfSatisfying(DeviceAccessException.class, e -> {
                    assertThat(e.reason()).isEqualTo(Reason.BUSY);
                    assertThat(e.getMessage()).contains("interface=eth0").contains("192.0.2.2");
                    assertThat(e.remedy()).contains("--force");
                });
        assertThat(m.sysfs.writes).isEmpty();
        assertThat(m.sysfs.driver(NIC)).contains("e1000e");
    }

    @Test
    void aVirtioNetInterfaceInUseIsRefusedLikeAnyOther() {
        PciAddress virtio = PciAddress.parse("0000:00:03.0");
        m.device(virtio.toString()).ids(0x1af4, 0x1041, 0x020000).boundTo("virtio-pci").group(6)
                .virtioNet("virtio2", "eth0", 0x1003, "up");
        giveEth0AnAddress();

        assertThatThrownBy(() -> binder.bind(virtio, DeviceBinder.BindOptions.defaults()))
                .isInstanceOfSatisfying(DeviceAccessException.class, e -> {
                    assertThat(e.reason()).isEqualTo(Reason.BUSY);
                    assertThat(e.getMessage()).contains("bdf=0000:00:03.0").contains("interface=eth0")
                            .contains("192.0.2.2");
                });
        assertThat(m.sysfs.writes).isEmpty();
        assertThat(m.sysfs.driver(virtio)).contains("virtio-pci");

        DeviceBinder.BindResult r = binder.bind(virtio, DeviceBinder.BindOptions.defaults().withForce(true));
        assertThat(m.sysfs.driver(virtio)).contains("vfio-pci");
        assertThat(r.interfaces()).extracting(NetInterfaceState::name).containsExactly("eth0");
    }

    @Test
    void anInterfaceThatIsUpWithAddressesIsTakenWithForce() {
        giveEth0AnAddress();

        DeviceBinder.BindResult r = binder.bind(NIC, DeviceBinder.BindOptions.defaults().withForce(true));

        assertThat(m.sysfs.driver(NIC)).contains("vfio-pci");
        assertThat(r.interfaces().get(0).active()).isTrue();
    }

    @Test
    void anInterfaceThatIsUpWithoutAddressesIsTakenWithoutForce() {
        binder.bind(NIC, DeviceBinder.BindOptions.defaults());
        assertThat(m.sysfs.driver(NIC)).contains("vfio-pci");
    }

    @Test
    void aDeviceThatIsNotANetworkControllerIsRefusedUnlessAllowed() {
        m.device("0000:00:1f.3").ids(0x8086, 0x2930, 0x0c0500).boundTo("i801_smbus").group(9);
        PciAddress smbus = PciAddress.parse("0000:00:1f.3");

        assertThatThrownBy(() -> binder.bind(smbus, DeviceBinder.BindOptions.defaults()))
                .isInstanceOfSatisfying(DeviceAccessException.class, e -> {
                    assertThat(e.reason()).isEqualTo(Reason.INVALID_ARGUMENT);
                    assertThat(e.getMessage()).contains("class=0x0c0500");
                });
        binder.bind(smbus, DeviceBinder.BindOptions.defaults().withAllowNonNetwork(true));
        assertThat(m.sysfs.driver(smbus)).contains("vfio-pci");
    }

    @Test
    void aMissingDeviceIsNotFound() {
        assertThatThrownBy(() -> binder.bind(PciAddress.parse("0000:09:00.0"), DeviceBinder.BindOptions.defaults()))
                .isInstanceOfSatisfying(DeviceAccessException.class,
                        e -> assertThat(e.reason()).isEqualTo(Reason.NOT_FOUND));
    }

    @Test
    void aGroupThatCannotBeViableIsRefusedBeforeAnythingChangesAndTheOtherDevicesAreNamed() {
        m.device("0000:00:02.1").ids(0x8086, 0x1234, 0x040300).boundTo("snd_hda_intel").group(5);
        Optional<String> before = m.sysfs.driver(NIC);

        assertThatThrownBy(() -> binder.bind(NIC, DeviceBinder.BindOptions.defaults()))
                .isInstanceOfSatisfying(DeviceAccessException.class, e -> {
                    assertThat(e.reason()).isEqualTo(Reason.VFIO_SETUP);
                    assertThat(e.getMessage()).contains("group=5").contains("0000:00:02.1(driver=snd_hda_intel)");
                    assertThat(e.remedy()).contains("nicup bind 0000:00:02.1").contains("unbind them");
                });
        assertThat(m.sysfs.driver(NIC)).isEqualTo(before);
        assertThat(m.sysfs.writes).noneMatch(w -> w.contains("driver_override") || w.contains("drivers_probe"));
    }

    @Test
    void aGroupMemberBoundInTheSameOperationDoesNotBlockTheBind() {
        m.device("0000:00:02.1").boundTo("e1000e").group(5);

        DeviceBinder.BindResult r = binder.bind(NIC, DeviceBinder.BindOptions.defaults()
                .withCompanions(java.util.Set.of(PciAddress.parse("0000:00:02.1"))));

        assertThat(r.alreadyBound()).isFalse();
        assertThat(m.sysfs.driver(NIC)).contains("vfio-pci");
    }

    @Test
    void vfioPciIsLoadedWithModprobeWhenMissingAndRoot() {
        FakeMachine fresh = new FakeMachine(tmp.resolve("fresh"));
        fresh.device(NIC.toString()).boundTo("e1000e").group(5);
        List<String> loaded = new ArrayList<>();
        new DeviceBinder(fresh.host(), mod -> {
            loaded.add(mod);
            fresh.driver(mod);
        }).bind(NIC, DeviceBinder.BindOptions.defaults());

        assertThat(loaded).containsExactly("vfio-pci");
        assertThat(fresh.sysfs.driver(NIC)).contains("vfio-pci");
    }

    @Test
    void vfioPciMissingAndNotRootIsAPermissionErrorWithoutModprobe() {
        FakeMachine fresh = new FakeMachine(tmp.resolve("fresh")).status(1000, 0);
        fresh.device(NIC.toString()).boundTo("e1000e").group(5);
        List<String> loaded = new ArrayList<>();

        assertThatThrownBy(() -> new DeviceBinder(fresh.host(), loaded::add).bind(NIC,
                DeviceBinder.BindOptions.defaults())).isInstanceOfSatisfying(DeviceAccessException.class, e -> {
                    assertThat(e.reason()).isEqualTo(Reason.PERMISSION);
                    assertThat(e.remedy()).contains("modprobe vfio-pci");
                });
        assertThat(loaded).isEmpty();
    }

    @Test
    void whenVfioPciDoesNotTakeTheDeviceTheBindTimesOutAndRollsBack() {
        m.sysfs.refusing.add("vfio-pci");

        assertThatThrownBy(() -> binder.bind(NIC, DeviceBinder.BindOptions.defaults()))
                .isInstanceOfSatisfying(DeviceAccessException.class, e -> {
                    assertThat(e.reason()).isEqualTo(Reason.VFIO_SETUP);
                    assertThat(e.getMessage()).contains("timed out waiting for vfio-pci to bind");
                });
        assertThat(m.sysfs.driver(NIC)).contains("e1000e");
        assertThat(m.sysfs.driverOverride(NIC)).isEmpty();
        assertThat(m.host().stateStore().load(NIC)).isEmpty();
    }

    @Test
    void aDeviceAlreadyOnVfioPciIsLeftAlone() {
        binder.bind(NIC, DeviceBinder.BindOptions.defaults());
        m.sysfs.writes.clear();

        DeviceBinder.BindResult r = binder.bind(NIC, DeviceBinder.BindOptions.defaults());

        assertThat(r.alreadyBound()).isTrue();
        assertThat(m.sysfs.writes).isEmpty();
    }

    @Test
    void bindAndUnbindRefuseWhileANicupProcessHoldsTheDevice() {
        binder.bind(NIC, DeviceBinder.BindOptions.defaults());
        try (DeviceLock _ = DeviceLock.acquire(m.state, NIC)) {
            assertThatThrownBy(() -> binder.unbind(NIC, true, T)).isInstanceOfSatisfying(DeviceAccessException.class,
                    e -> assertThat(e.reason()).isEqualTo(Reason.BUSY));
        }
        assertThat(m.sysfs.driver(NIC)).contains("vfio-pci");
    }

    @Test
    void aDamagedStateFileIsIgnoredRatherThanFatal() throws Exception {
        Files.createDirectories(m.state);
        Files.writeString(m.state.resolve("0000:00:02.0.json"), "{\"bdf\":\"0000:00:02.0\",\"pid\":\"x\",garbage");
        assertThat(m.host().stateStore().load(NIC)).hasValueSatisfying(r -> {
            assertThat(r.originalDriver()).isEmpty();
            assertThat(r.pid()).isEqualTo(-1);
        });
        Files.writeString(m.state.resolve("0000:00:02.0.json"), "not json");
        assertThat(m.host().stateStore().load(NIC)).isEmpty();
    }
}

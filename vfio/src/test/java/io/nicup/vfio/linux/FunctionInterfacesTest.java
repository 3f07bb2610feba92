package io.nicup.vfio.linux;

import static org.assertj.core.api.Assertions.assertThat;

import io.nicup.vfio.PciAddress;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Which kernel network interfaces belong to a PCI function, for every way sysfs lays them out. */
class FunctionInterfacesTest {

    static final PciAddress NIC = PciAddress.parse("0000:00:03.0");

    @TempDir
    Path tmp;
    FakeMachine m;

    @BeforeEach
    void setUp() {
        m = new FakeMachine(tmp);
    }

    @Test
    void anInterfaceRegisteredOnTheFunctionItselfIsFound() {
        m.device(NIC.toString()).net("enp0s3", 0x1003, "up");

        assertThat(m.sysfs.netInterfaces(NIC)).containsExactly("enp0s3");
    }

    @Test
    void aVirtioNetInterfaceOneBusBelowTheFunctionIsFound() {
        m.device(NIC.toString()).ids(0x1af4, 0x1000, 0x020000).boundTo("virtio-pci").group(3)
                .virtioNet("virtio2", "eth0", 0x1003, "up");

        assertThat(m.sysfs.netInterfaces(NIC)).containsExactly("eth0");
        assertThat(m.sysfs.function(NIC).orElseThrow().netInterfaces()).containsExactly("eth0");
    }

    @Test
    void aUsbNicBehindAHostControllerIsFoundFourLevelsDown() {
        FakeMachine.DeviceBuilder xhci = m.device("0000:00:14.0").ids(0x8086, 0xa36d, 0x0c0330);
        xhci.netAt(xhci.dir().resolve("usb1/1-1/1-1:1.0/net"), "usb0", 0x1003, "up");

        assertThat(m.sysfs.netInterfaces(PciAddress.parse("0000:00:14.0"))).containsExactly("usb0");
    }

    @Test
    void everyInterfaceOfTheSubtreeIsListedOnceAndSorted() {
        FakeMachine.DeviceBuilder d = m.device(NIC.toString()).net("eth9", 0x1003, "up")
                .virtioNet("virtio2", "eth1", 0, "down");
        d.netAt(d.dir().resolve("virtio2/net"), "eth0", 0, "down");

        assertThat(m.sysfs.netInterfaces(NIC)).containsExactly("eth0", "eth1", "eth9");
    }

    @Test
    void linksOutOfTheSubtreeAreNotFollowed() throws IOException {
        FakeMachine.DeviceBuilder other = m.device("0000:00:04.0").net("eth4", 0x1003, "up");
        FakeMachine.DeviceBuilder nic = m.device(NIC.toString()).boundTo("virtio-pci").group(3);
        Files.createSymbolicLink(nic.dir().resolve("peer"), other.dir());
        Files.createSymbolicLink(nic.dir().resolve("self"), nic.dir());   // a loop: must not recurse forever

        assertThat(m.sysfs.netInterfaces(NIC)).isEmpty();
    }

    @Test
    void aBridgesDownstreamFunctionKeepsItsOwnInterfaces() {
        FakeMachine.DeviceBuilder bridge = m.device("0000:00:1c.0").ids(0x8086, 0xa33c, 0x060400);
        bridge.netAt(bridge.dir().resolve("0000:02:00.0/net"), "enp2s0", 0x1003, "up");

        assertThat(m.sysfs.netInterfaces(PciAddress.parse("0000:00:1c.0"))).isEmpty();
    }

    @Test
    void theWalkStopsAtItsDepthBound() {
        FakeMachine.DeviceBuilder d = m.device(NIC.toString());
        d.netAt(d.dir().resolve("a/b/c/d/e/net"), "deep6", 0, "down");
        d.netAt(d.dir().resolve("a/b/c/d/e/f/net"), "deep7", 0, "down");

        assertThat(FunctionInterfaces.MAX_DEPTH).isEqualTo(6);
        assertThat(m.sysfs.netInterfaces(NIC)).containsExactly("deep6");
    }

    @Test
    void theBusViewLinkIsFollowedToTheDeviceDirectory() throws IOException {
        // The real layout: bus/pci/devices/<BDF> is a link to devices/pci0000:00/<BDF>.
        Path real = tmp.resolve("sys/devices/pci0000:00").resolve(NIC.toString());
        Files.createDirectories(real.resolve("virtio2/net/eth0"));
        Files.createSymbolicLink(m.sysfs.deviceDir(NIC), real);

        assertThat(m.sysfs.netInterfaces(NIC)).containsExactly("eth0");
    }

    @Test
    void aMissingFunctionHasNoInterfaces() {
        assertThat(m.sysfs.netInterfaces(PciAddress.parse("0000:09:00.0"))).isEmpty();
    }

    /**
     * Read-only check on this machine: every interface in {@code /sys/class/net} whose device lives below a
     * PCI function is found for that function, and nothing else is (a virtio NIC here is the case the old
     * {@code <function>/net} lookup missed).
     */
    @Test
    void onThisMachineEveryPciInterfaceInClassNetIsFoundForItsFunction() throws IOException {
        Sysfs sysfs = Sysfs.system();
        Path classNet = sysfs.netClassDir();
        List<String> expected = new ArrayList<>();
        List<String> found = new ArrayList<>();
        for (PciFunction f : sysfs.functions()) {
            Path real = sysfs.deviceDir(f.address()).toRealPath();
            if (Files.isDirectory(classNet)) {
                try (DirectoryStream<Path> s = Files.newDirectoryStream(classNet)) {
                    for (Path iface : s) {
                        Path target = iface.toRealPath();
                        // directly below this function, not below a downstream function of a bridge
                        if (target.startsWith(real) && !real.relativize(target).toString()
                                .matches(".*[0-9a-f]{4}:[0-9a-f]{2}:[0-9a-f]{2}\\.[0-7].*")) {
                            expected.add(f.address() + "/" + iface.getFileName());
                        }
                    }
                }
            }
            f.netInterfaces().forEach(i -> found.add(f.address() + "/" + i));
        }
        assertThat(found).containsExactlyInAnyOrderElementsOf(expected);
    }
}

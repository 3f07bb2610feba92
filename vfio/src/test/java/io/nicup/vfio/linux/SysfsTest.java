package io.nicup.vfio.linux;

import static org.assertj.core.api.Assertions.assertThat;

import io.nicup.vfio.DeviceIdentity;
import io.nicup.vfio.PciAddress;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SysfsTest {

    @TempDir
    Path tmp;
    FakeMachine m;

    @BeforeEach
    void setUp() {
        m = new FakeMachine(tmp);
    }

    @Test
    void enumerationListsEveryFunctionSortedWithIdsDriverGroupAndInterfaces() {
        m.device("0000:00:1f.3").ids(0x8086, 0x2930, 0x0c0500).boundTo("i801_smbus").group(9);
        m.device("0000:00:02.0").ids(0x8086, 0x10d3, 0x020000).boundTo("e1000e").group(5)
                .net("enp0s2", 0x1003, "up");
        m.device("0000:00:03.0").ids(0x1af4, 0x1041, 0x020000);

        List<PciFunction> all = m.sysfs.functions();

        assertThat(all).extracting(f -> f.address().toString())
                .containsExactly("0000:00:02.0", "0000:00:03.0", "0000:00:1f.3");
        PciFunction nic = all.get(0);
        assertThat(nic.identity()).isEqualTo(new DeviceIdentity(0x8086, 0x10d3, 0x8086, 0, 0x020000, 0));
        assertThat(nic.identity().isNetworkController()).isTrue();
        assertThat(nic.driver()).contains("e1000e");
        assertThat(nic.iommuGroup()).hasValue(5);
        assertThat(nic.netInterfaces()).containsExactly("enp0s2");
        assertThat(nic.numaNode()).isEqualTo(-1);
        assertThat(nic.driverOverride()).isEmpty();
        assertThat(all.get(1).driver()).isEmpty();
        assertThat(all.get(1).iommuGroup()).isEmpty();
        assertThat(all.get(2).identity().isNetworkController()).isFalse();
    }

    @Test
    void theResourceFileGivesBarStartEndSizeAndKind() {
        m.device("0000:00:02.0");
        List<PciResource> bars = m.sysfs.function(PciAddress.parse("0000:00:02.0")).orElseThrow().bars();

        assertThat(bars).hasSize(6);
        assertThat(bars.get(0).start()).isEqualTo(0xfebc0000L);
        assertThat(bars.get(0).end()).isEqualTo(0xfebdffffL);
        assertThat(bars.get(0).size()).isEqualTo(128 << 10);
        assertThat(bars.get(0).memory()).isTrue();
        assertThat(bars.get(2).io()).isTrue();
        assertThat(bars.get(2).size()).isEqualTo(32);
        assertThat(bars.get(4).size()).isZero();
    }

    @Test
    void resourceParsingKnows64BitPrefetchableBarsAndSkipsGarbage() {
        List<PciResource> r = Sysfs.parseResources("0x0000004000000000 0x000000400007ffff 0x0000000000140204\n"
                + "garbage line\n0x0 0x0 0x0\n");
        assertThat(r).hasSize(2);
        assertThat(r.get(0).is64Bit()).isTrue();
        assertThat(r.get(0).prefetchable()).isFalse();
        assertThat(r.get(0).memory()).isTrue();
        assertThat(r.get(0).size()).isEqualTo(0x80000);
        assertThat(Sysfs.parseResources("0x1000 0x1fff 0x2200\n").get(0).prefetchable()).isTrue();
    }

    @Test
    void groupMembersCarryTheirDriversAndVfioCompatibility() {
        m.device("0000:00:02.0").boundTo("vfio-pci").group(5);
        m.device("0000:00:02.1").boundTo("snd_hda_intel").group(5);
        m.device("0000:00:01.0").boundTo("pcieport").group(5);
        m.device("0000:00:02.2").group(5);

        List<GroupMember> members = m.sysfs.groupMembers(5);

        assertThat(members).extracting(GroupMember::device)
                .containsExactly("0000:00:01.0", "0000:00:02.0", "0000:00:02.1", "0000:00:02.2");
        assertThat(members).filteredOn(g -> !g.compatibleWithVfio()).extracting(GroupMember::toString)
                .containsExactly("0000:00:02.1 (driver snd_hda_intel)");
        assertThat(members.get(3).driver()).isEmpty();
    }

    @Test
    void theIommuCountsAsOnOnlyWhenAGroupExists() {
        assertThat(m.sysfs.iommuEnabled()).isFalse();
        m.device("0000:00:02.0").group(0);
        assertThat(m.sysfs.iommuEnabled()).isTrue();
    }

    @Test
    void driverOverrideOfNullReadsAsNone() {
        m.device("0000:00:02.0");
        PciAddress a = PciAddress.parse("0000:00:02.0");
        assertThat(m.sysfs.driverOverride(a)).isEmpty();
        m.sysfs.writeDriverOverride(a, "vfio-pci");
        assertThat(m.sysfs.driverOverride(a)).contains("vfio-pci");
        m.sysfs.writeDriverOverride(a, "");
        assertThat(m.sysfs.driverOverride(a)).isEmpty();
        assertThat(m.sysfs.writes).containsExactly("bus/pci/devices/0000:00:02.0/driver_override=vfio-pci",
                "bus/pci/devices/0000:00:02.0/driver_override=");
    }

    @Test
    void aMissingDeviceIsEmptyNotAnError() {
        assertThat(m.sysfs.function(PciAddress.parse("0000:09:00.0"))).isEqualTo(Optional.empty());
        assertThat(m.sysfs.exists(PciAddress.parse("0000:09:00.0"))).isFalse();
    }

    @Test
    void theRealSysfsOfThisMachineCanBeEnumeratedWithoutErrors() {
        List<PciFunction> all = Sysfs.system().functions();
        for (PciFunction f : all) {
            assertThat(f.address().toString()).hasSize(12);
            assertThat(f.resources()).allSatisfy(r -> assertThat(r.size()).isGreaterThanOrEqualTo(0));
        }
    }
}

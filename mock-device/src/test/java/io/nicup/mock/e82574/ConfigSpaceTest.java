package io.nicup.mock.e82574;

import io.nicup.mock.MockDevices;
import io.nicup.vfio.BarInfo;
import io.nicup.vfio.ConfigSpace;
import io.nicup.vfio.DeviceAccessException;
import io.nicup.vfio.DeviceIdentity;
import io.nicup.vfio.PciAddress;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Identity, BARs and the capability chain as QEMU presents the e1000e (docs/hardware-reference.md B.1). */
class ConfigSpaceTest {

    @Test
    void shouldIdentifyAsAn82574L() {
        try (Fixture f = Fixture.open()) {
            DeviceIdentity id = f.dev.identity();
            assertThat(id).isEqualTo(new DeviceIdentity(0x8086, 0x10D3, 0x8086, 0x0000, 0x020000, 0));
            assertThat(id.isNetworkController()).isTrue();
            assertThat(f.dev.address()).isEqualTo(PciAddress.parse("0000:00:01.0"));
            assertThat(f.dev.description()).startsWith("mock 82574L");
            assertThat(f.dev.config().size()).isEqualTo(4096);
        }
    }

    @Test
    void shouldListFourBarsAndRefuseTheIoBar() {
        try (Fixture f = Fixture.open()) {
            assertThat(f.dev.bars()).extracting(BarInfo::index, BarInfo::size, BarInfo::memory)
                    .containsExactly(org.assertj.core.groups.Tuple.tuple(0, 131072L, true),
                            org.assertj.core.groups.Tuple.tuple(1, 131072L, true),
                            org.assertj.core.groups.Tuple.tuple(2, 32L, false),
                            org.assertj.core.groups.Tuple.tuple(3, 16384L, true));
            assertThatThrownBy(() -> f.dev.bar(2)).isInstanceOfSatisfying(DeviceAccessException.class,
                    e -> assertThat(e.reason()).isEqualTo(DeviceAccessException.Reason.UNSUPPORTED));
            assertThatThrownBy(() -> f.dev.bar(5)).isInstanceOfSatisfying(DeviceAccessException.class,
                    e -> assertThat(e.reason()).isEqualTo(DeviceAccessException.Reason.NOT_FOUND));
        }
    }

    @Test
    void shouldSizeBarsTheWayFirmwareDoes() {
        try (Fixture f = Fixture.open()) {
            ConfigSpace c = f.dev.config();
            int[] expected = {0xFFFE0000, 0xFFFE0000, 0xFFFFFFE1, 0xFFFFC000};
            for (int i = 0; i < 4; i++) {
                int offset = 0x10 + 4 * i;
                int saved = c.read32(offset);
                c.write32(offset, 0xFFFFFFFF);
                assertThat(c.read32(offset)).as("BAR%d", i).isEqualTo(expected[i]);
                c.write32(offset, saved);
                assertThat(c.read32(offset)).isEqualTo(saved);
            }
        }
    }

    @Test
    void shouldChainCapabilitiesAsQemuDoes() {
        try (Fixture f = Fixture.open()) {
            ConfigSpace c = f.dev.config();
            assertThat(c.read16(6) & 0x10).isEqualTo(0x10);
            List<int[]> chain = new ArrayList<>();
            for (int at = c.read8(0x34); at != 0; at = c.read8(at + 1)) {
                chain.add(new int[] {at, c.read8(at)});
            }
            assertThat(chain).containsExactly(new int[] {0xC8, 0x01}, new int[] {0xD0, 0x05},
                    new int[] {0xE0, 0x10}, new int[] {0xA0, 0x11});
            assertThat(c.read16(0xD2) & 0x0E).isZero(); // MSI: one vector
            assertThat(c.read16(0xA2) & 0x7FF).isEqualTo(4); // MSI-X: 5 vectors
            assertThat(c.read32(0xA4)).isEqualTo(0x3); // table in BAR3 at 0
            assertThat(c.read32(0xA8)).isEqualTo(0x2003); // PBA in BAR3 at 0x2000
            assertThat(c.read16(0xE2) & 0xF).isEqualTo(1); // PCIe capability version 1
        }
    }

    @Test
    void shouldChainExtendedCapabilitiesAerThenDsn() {
        try (var dev = MockDevices.open("mock:82574L")) {
            ConfigSpace c = dev.config();
            int aer = c.read32(0x100);
            assertThat(aer & 0xFFFF).isEqualTo(0x0001);
            assertThat(aer >>> 20).isEqualTo(0x140);
            int dsn = c.read32(0x140);
            assertThat(dsn & 0xFFFF).isEqualTo(0x0003);
            assertThat(dsn >>> 20).isZero();
            // QEMU e1000e_gen_dsn for 52:54:00:12:34:56
            assertThat(c.read32(0x144)).isEqualTo(0xFF123456);
            assertThat(c.read32(0x148)).isEqualTo(0x525400FF);
        }
    }

    @Test
    void shouldStartWithBusMasterOffAndFollowSetBusMaster() {
        try (Fixture f = Fixture.open()) {
            assertThat(f.dev.config().read16(4) & 0x4).isZero();
            f.dev.setBusMaster(true);
            assertThat(f.dev.config().read16(4) & 0x4).isEqualTo(0x4);
            f.dev.config().write16(4, f.dev.config().read16(4) & ~0x4);
            assertThat(f.dev.configSpace().busMaster()).isFalse();
        }
    }

    @Test
    void shouldNotLetConfigWritesEnableMsix() {
        try (Fixture f = Fixture.open()) {
            f.dev.config().write16(0xA2, 0x8000);
            assertThat(f.dev.config().read16(0xA2) & 0x8000).isZero();
        }
    }
}

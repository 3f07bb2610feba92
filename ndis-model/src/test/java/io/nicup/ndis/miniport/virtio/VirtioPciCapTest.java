package io.nicup.ndis.miniport.virtio;

import static org.assertj.core.api.Assertions.assertThat;

import io.nicup.mock.MockDevices;
import io.nicup.mock.MockPciDevice;
import org.junit.jupiter.api.Test;

/** The capability walk over QEMU's chain (docs/hardware-reference.md C.1) and over chains a broken device could present. */
class VirtioPciCapTest {

    @Test
    void theWalkFindsTheFiveVendorCapabilitiesInChainOrder() {
        try (MockPciDevice d = MockDevices.open("mock:virtio-net")) {
            var caps = VirtioPciCap.walk(d.config());
            assertThat(caps).extracting(VirtioPciCap::at).containsExactly(0x84, 0x70, 0x60, 0x50, 0x40);
            assertThat(caps).extracting(VirtioPciCap::cfgType).containsExactly(5, 2, 4, 3, 1);
            VirtioPciCap notify = caps.get(1);
            assertThat(notify.bar()).isEqualTo(4);
            assertThat(notify.offset()).isEqualTo(0x3000);
            assertThat(notify.length()).isEqualTo(0x1000);
            assertThat(notify.notifyOffMultiplier()).isEqualTo(4);
            assertThat(caps.get(4).toString()).isEqualTo("COMMON_CFG@0x40 bar=4 offset=0x0 length=0x1000");
        }
    }

    @Test
    void aLoopingChainEndsAndAMissingListGivesNothing() {
        byte[] space = new byte[256];
        space[0x06] = 0x10;                                   // capabilities list present
        space[0x34] = 0x40;
        space[0x40] = 0x09;
        space[0x41] = 0x40;                                   // points at itself
        space[0x42] = 16;
        space[0x43] = 1;
        assertThat(VirtioPciCap.walk(new ConfigSnapshot(space))).hasSizeLessThanOrEqualTo(48).isNotEmpty();
        space[0x06] = 0;
        assertThat(VirtioPciCap.walk(new ConfigSnapshot(space))).isEmpty();
    }

    @Test
    void aDeviceWithoutTheVendorCapabilitiesFailsInitializationNamingThem() {
        try (VirtioBench b = new VirtioBench()) {
            b.device.configSpace().set(0x34, 1, 0x98);        // the chain now starts at MSI-X, whose next is 0x84
            b.device.configSpace().set(0x99, 1, 0);           // ... and ends there
            b.add();
            assertThat(b.adapter.initStatus()).isEqualTo(io.nicup.ndis.NdisStatus.FAILURE);
            assertThat(b.initFailure()).contains("not a modern virtio device", "COMMON_CFG");
            assertThat(b.adapter.heldResources()).isEmpty();
        }
    }
}

package io.nicup.ndis.miniport.virtio;

import static org.assertj.core.api.Assertions.assertThat;

import io.nicup.mock.MockConfigSpace;
import io.nicup.mock.virtio.VirtioNetModel;
import io.nicup.ndis.NdisStatus;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Vendor capabilities that locate their structure where it cannot be reached (virtio 1.2, 4.1.4;
 * docs/hardware-reference.md A.9), for each of the four structures the driver uses: the capability is
 * ignored, and with none of its type left MiniportInitializeEx fails naming it, nothing mapped or allocated.
 * One that is ignored while another of its type is usable changes nothing.
 */
class VirtioVendorCapabilityTest {

    @ParameterizedTest(name = "{1} {2}")
    @CsvSource({
        "64,  COMMON_CFG, bar-missing", "112, NOTIFY_CFG, bar-missing", "80, ISR_CFG, bar-missing",
        "96,  DEVICE_CFG, bar-missing",
        "64,  COMMON_CFG, beyond-bar", "112, NOTIFY_CFG, beyond-bar", "80, ISR_CFG, beyond-bar",
        "96,  DEVICE_CFG, beyond-bar"})
    void aStructureOutsideItsBarFailsInitializationNamingTheCapability(int at, String type, String how) {
        try (VirtioBench b = new VirtioBench()) {
            MockConfigSpace c = b.device.configSpace();
            if (how.equals("bar-missing")) {
                c.set(at + 4, 1, 5);                          // BAR5: the upper half of 64-bit BAR4
            } else {
                c.set(at + 8, 4, (int) VirtioNetModel.BAR4_SIZE - 0x800);
            }
            b.add();
            assertThat(b.adapter.initStatus()).isEqualTo(NdisStatus.FAILURE);
            assertThat(b.initFailure()).startsWith(String.format("no usable %s capability: %s@0x%02X", type, type, at))
                    .endsWith(how.equals("bar-missing") ? "(its BAR is not a memory BAR of the function)"
                            : "(runs past the end of BAR4: end=0x4800 bar_size=0x4000)");
            assertThat(b.adapter.heldResources()).isEmpty();
            assertThat(b.device.dmaAllocator().liveRegions()).isZero();
        }
    }

    @Test
    void anUnusableCapabilityIsIgnoredWhenAnotherOfItsTypeIsUsable() {
        try (VirtioBench b = new VirtioBench()) {
            MockConfigSpace c = b.device.configSpace();
            int pciCfg = VirtioNetModel.CAP_PCI_CFG;           // first in the chain: now a COMMON_CFG in BAR5
            c.set(pciCfg + 3, 1, VirtioPciCap.COMMON_CFG);
            c.set(pciCfg + 4, 1, 5);
            c.set(pciCfg + 12, 4, 0x1000);
            b.add();
            assertThat(b.adapter.initStatus()).isEqualTo(NdisStatus.SUCCESS);
            assertThat(b.nic().device.commonCap.at()).isEqualTo(VirtioNetModel.CAP_COMMON);
            b.halt();
            assertThat(b.device.dmaAllocator().liveRegions()).isZero();
        }
    }
}

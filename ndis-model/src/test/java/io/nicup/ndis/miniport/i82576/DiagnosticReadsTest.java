package io.nicup.ndis.miniport.i82576;

import static org.assertj.core.api.Assertions.assertThat;

import io.nicup.ndis.miniport.core.LedIdentify;
import io.nicup.ndis.miniport.core.NvmImage;
import io.nicup.ndis.miniport.core.PhyDump;
import org.junit.jupiter.api.Test;

/** The PHY dump, the NVM image and port identification of the 82576 miniport on the mock. */
class DiagnosticReadsTest {

    @Test
    void thePhyDumpShowsIgbsPhyAndPartner() {
        try (MockBench b = new MockBench()) {
            b.running();
            PhyDump phy = b.driver.diagnostics(b.host, b.adapter).phy().orElseThrow();

            assertThat(phy.registers().get(2).value()).isEqualTo(0x02A8);
            assertThat(phy.registers().get(1).decoded()).contains("LSTATUS", "(link up)");
            assertThat(phy.partner().modes()).containsExactly("10baseT/Half", "10baseT/Full", "100baseT/Half",
                    "100baseT/Full", "1000baseT/Half", "1000baseT/Full");
        }
    }

    @Test
    void theFirmwareVersionIsIgbsWithoutAnEtrackIdBeyondTheImage() {
        try (MockBench b = new MockBench()) {
            b.running();
            NvmImage nvm = b.driver.diagnostics(b.host, b.adapter).nvm().orElseThrow();

            assertThat(nvm.checksumValid()).isTrue();
            assertThat(nvm.firmwareVersion()).isEqualTo("2.1.0");
        }
    }

    @Test
    void identificationSwitchesBetweenBlinkAndOffAndStopPutsLedctlBack() {
        try (MockBench b = new MockBench()) {
            b.running();
            int before = b.device.bar(0).read32(Regs82576.LEDCTL);
            LedIdentify led = b.driver.diagnostics(b.host, b.adapter).identify().orElseThrow();

            led.start();
            assertThat(b.device.bar(0).read32(Regs82576.LEDCTL)).isEqualTo(0x8E0F8302);
            led.off();
            assertThat(b.device.bar(0).read32(Regs82576.LEDCTL)).isEqualTo(0x0F0F8302);
            led.stop();

            assertThat(led.togglesPerSecond()).isEqualTo(4);
            assertThat(b.device.bar(0).read32(Regs82576.LEDCTL)).isEqualTo(before);
        }
    }
}

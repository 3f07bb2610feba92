package io.nicup.ndis.miniport.i82574;

import static org.assertj.core.api.Assertions.assertThat;

import io.nicup.mock.PortLeds;
import io.nicup.ndis.miniport.core.LedIdentify;
import io.nicup.ndis.miniport.core.NvmImage;
import io.nicup.ndis.miniport.core.PhyDump;
import io.nicup.ndis.miniport.core.RegisterReading;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The PHY dump, the NVM image and port identification of the 82574L miniport on the mock. */
class DiagnosticReadsTest {

    @Test
    void thePhyDumpShowsTheLinkUpAndThePartnerQemuPresents() {
        try (MockBench b = new MockBench()) {
            b.running();
            PhyDump phy = b.driver.diagnostics(b.host, b.adapter).phy().orElseThrow();

            assertThat(phy.registers()).extracting(RegisterReading::name).containsExactly("BMCR", "BMSR", "PHYSID1",
                    "PHYSID2", "ANAR", "ANLPAR", "ANER", "CTRL1000", "STAT1000");
            assertThat(phy.registers().get(1).decoded()).contains("LSTATUS", "ANEGCOMPLETE", "(link up)");
            assertThat(phy.registers().get(3).value()).isEqualTo(0x0CB1);
            assertThat(phy.partner().negotiated()).isTrue();
            assertThat(phy.partner().modes()).contains("100baseT/Full", "1000baseT/Full");
            assertThat(phy.partner().pause()).isEqualTo("Symmetric");
        }
    }

    @Test
    void theNvmImageIsQemusTemplateWithTheMacAndAValidChecksum() {
        try (MockBench b = new MockBench()) {
            b.running();
            NvmImage nvm = b.driver.diagnostics(b.host, b.adapter).nvm().orElseThrow();

            assertThat(nvm.words()).hasSize(0x40);
            assertThat(nvm.checksumValid()).isTrue();
            assertThat(nvm.sum()).isEqualTo(0xBABA);
            assertThat(nvm.mac()).isEqualTo(MockBench.MAC);
            assertThat(nvm.firmwareVersion()).isEqualTo("2.1-0");
            assertThat(b.driver.nvmAtInitFailure(b.adapter)).isEmpty();
        }
    }

    @Test
    void aRefusedImageIsKeptWithItsBadSum() {
        try (MockBench b = new MockBench("mock:82574L?fault=nvm-checksum", "")) {
            b.add();
            NvmImage refused = b.driver.nvmAtInitFailure(b.adapter).orElseThrow();

            assertThat(refused.checksumValid()).isFalse();
            assertThat(refused.sum()).isEqualTo(0xBABB);
            assertThat(refused.mac()).isEqualTo(MockBench.MAC);
        }
    }

    @Test
    void identificationMakesLed2BlinkInHardwareAndStopPutsLedctlBack() {
        try (MockBench b = new MockBench()) {
            b.running();
            int before = b.readRegister(Regs82574.LEDCTL);
            LedIdentify led = b.driver.diagnostics(b.host, b.adapter).identify().orElseThrow();
            PortLeds leds = b.device.model().leds().orElseThrow();
            long start = b.host.clock().nanoTime();

            led.start();
            assertThat(b.readRegister(Regs82574.LEDCTL)).isEqualTo(0x008E8302);
            b.host.idle(Duration.ofSeconds(1));
            led.stop();
            long end = b.host.clock().nanoTime();

            assertThat(led.togglesPerSecond()).isZero();
            assertThat(leds.toggles(2, start, end)).isGreaterThanOrEqualTo(4);
            assertThat(leds.toggles(0, start, end)).isZero();
            assertThat(b.readRegister(Regs82574.LEDCTL)).isEqualTo(before);
        }
    }
}

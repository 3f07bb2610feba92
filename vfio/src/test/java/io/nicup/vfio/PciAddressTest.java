package io.nicup.vfio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.nicup.vfio.testing.Gen;
import io.nicup.vfio.testing.SeededTest;
import org.junit.jupiter.api.Test;

class PciAddressTest {

    @Test
    void theLongFormParsesIntoItsFields() {
        assertThat(PciAddress.parse("0001:3a:1f.7")).isEqualTo(new PciAddress(1, 0x3a, 0x1f, 7));
    }

    @Test
    void theShortFormMeansDomainZero() {
        assertThat(PciAddress.parse("01:00.0")).isEqualTo(new PciAddress(0, 1, 0, 0));
        assertThat(PciAddress.parse("01:00.0").toString()).isEqualTo("0000:01:00.0");
    }

    @Test
    void upperCaseHexIsAcceptedAndPrintedInLowerCase() {
        assertThat(PciAddress.parse("0000:AB:1F.3").toString()).isEqualTo("0000:ab:1f.3");
    }

    @Test
    void deviceNumbersAbove1fAreRejectedAsOutOfRange() {
        assertThatThrownBy(() -> PciAddress.parse("0000:00:20.0")).isInstanceOfSatisfying(DeviceAccessException.class,
                e -> {
                    assertThat(e.reason()).isEqualTo(DeviceAccessException.Reason.INVALID_ARGUMENT);
                    assertThat(e.getMessage()).contains("device=32");
                });
    }

    @Test
    void malformedTextIsAnInvalidArgumentWithTheFormInTheRemedy() {
        for (String bad : new String[] {"", "0000:00:00", "0000:00:00.8", "zz:00.0", "0000:000:00.0", "0000:00:00.0x",
                null}) {
            assertThatThrownBy(() -> PciAddress.parse(bad)).as(String.valueOf(bad))
                    .isInstanceOfSatisfying(DeviceAccessException.class, e -> {
                        assertThat(e.reason()).isEqualTo(DeviceAccessException.Reason.INVALID_ARGUMENT);
                        assertThat(e.remedy()).contains("DDDD:BB:DD.F");
                    });
        }
    }

    @Test
    void addressesSortByDomainBusDeviceFunction() {
        assertThat(PciAddress.parse("0000:01:00.1")).isGreaterThan(PciAddress.parse("0000:01:00.0"));
        assertThat(PciAddress.parse("0001:00:00.0")).isGreaterThan(PciAddress.parse("0000:ff:1f.7"));
    }

    @SeededTest
    void randomStringsNeverCrashTheParser(Gen gen) {
        String text = gen.anyString(255);
        try {
            PciAddress a = PciAddress.parse(text);
            assertThat(a.toString()).hasSize(12);
        } catch (DeviceAccessException e) {
            assertThat(e.reason()).isEqualTo(DeviceAccessException.Reason.INVALID_ARGUMENT);
        }
    }

    @SeededTest
    void nearMissesOfTheFormNeverCrashTheParser(Gen gen) {
        String text = gen.string("0123456789abcdefABCDEFxX:.- ", 0, 16);
        try {
            PciAddress.parse(text);
        } catch (DeviceAccessException e) {
            assertThat(e.reason()).isEqualTo(DeviceAccessException.Reason.INVALID_ARGUMENT);
        }
    }

    @SeededTest
    void validAddressesRoundTripThroughTheirText(Gen gen) {
        PciAddress a = new PciAddress(gen.between(0, 0xFFFF), gen.between(0, 0xFF), gen.between(0, 0x1F),
                gen.between(0, 7));
        assertThat(PciAddress.parse(a.toString())).isEqualTo(a);
        assertThat(PciAddress.parse(a.toString().toUpperCase())).isEqualTo(a);
        if (a.domain() == 0) {
            assertThat(PciAddress.parse(a.toString().substring(5))).isEqualTo(a);
        }
    }
}

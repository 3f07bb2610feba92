package io.nicup.mock.intel;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The LEDs LEDCTL drives, over virtual time (docs/hardware-reference.md B.13). */
class IntelLedsTest {

    private static final long MS = 1_000_000L;

    @Test
    void aBlinkingLedChangesEveryHalfPeriodAndALinkDrivenOneNever() {
        IntelLeds leds = new IntelLeds();
        leds.holds(0, 0x00068302);
        leds.holds(100 * MS, 0x008E8302);                 // LED2: BLINK | LED_ON
        leds.holds(1100 * MS, 0x00068302);                // back to link-driven

        // lit at 100 ms, dark at 300, lit at 500, 700, 900: four changes inside one second of blinking
        assertThat(leds.toggles(2, 0, 2000 * MS)).isEqualTo(4);
        assertThat(leds.toggles(0, 0, 2000 * MS)).isZero();
        assertThat(leds.toggles(2, 1200 * MS, 2000 * MS)).isZero();
        assertThat(leds.control()).isEqualTo(0x00068302);
    }

    @Test
    void switchingBetweenForcedOnAndOffCountsEachSwitch() {
        IntelLeds leds = new IntelLeds();
        leds.holds(0, 0x0F000000);                        // LED3 off
        leds.holds(10 * MS, 0x0E000000);                  // on
        leds.holds(20 * MS, 0x0F000000);                  // off
        leds.holds(30 * MS, 0x4F000000);                  // off, inverted: lit

        assertThat(leds.toggles(3, 0, 40 * MS)).isEqualTo(3);
    }

    @Test
    void anUnchangedValueIsNotRecordedTwice() {
        IntelLeds leds = new IntelLeds();
        leds.holds(0, 0x0E);
        leds.holds(5 * MS, 0x0E);

        assertThat(leds.toggles(0, 0, 10 * MS)).isZero();
    }
}

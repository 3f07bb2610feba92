package io.nicup.ndis.miniport.intel;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Port identification through LEDCTL as Linux e1000e and igb do it (docs/hardware-reference.md B.13). */
class IdLedTest {

    private static final int LEDCTL = 0x00E00;

    @Test
    void the82574DefaultSettingsBlinkLed2AndLeaveTheOthersAsTheyWere() {
        int settings = IdLed.DEF1_DEF2 << 12 | IdLed.OFF1_ON2 << 8 | IdLed.DEF1_DEF2 << 4 | IdLed.DEF1_DEF2;
        int original = 0x00068302;
        int mode2 = IdLed.mode(original, settings, true);
        assertThat(mode2).isEqualTo(0x000E8302);
        assertThat(IdLed.mode(original, settings, false)).isEqualTo(0x000F8302);
        assertThat(IdLed.blink(original, mode2)).isEqualTo(0x008E8302);
    }

    @Test
    void theIgbDefaultBlinksLed3AndKeepsLed2Off() {
        int original = 0x07068302;
        int mode2 = IdLed.mode(original, IdLed.DEFAULT, true);
        assertThat(mode2).isEqualTo(0x0E0F8302);
        assertThat(IdLed.blink(original, mode2)).isEqualTo(0x8E0F8302);
        assertThat(IdLed.mode(original, IdLed.DEFAULT, false)).isEqualTo(0x0F0F8302);
    }

    @Test
    void anInvertedLedBlinksWhereMode2TurnsItOff() {
        int original = 0x00000040 | 0x02;                 // LED0 inverted
        int mode2 = IdLed.mode(original, IdLed.DEF1_OFF2, true);
        assertThat(mode2 & 0xFF).isEqualTo(IdLed.MODE_LED_OFF);
        assertThat(IdLed.blink(original, mode2) & 0xFF).isEqualTo(IdLed.BLINK | IdLed.MODE_LED_ON);
    }

    @Test
    void startBlinksOffDarkensAndStopWritesBackWhatStartFound() {
        List<Integer> writes = new ArrayList<>();
        int[] ledctl = {0x07068302};
        IntelHardware hw = (IntelHardware) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {IntelHardware.class}, (proxy, method, args) -> switch (method.getName()) {
                    case "read" -> {
                        assertThat(args[0]).isEqualTo(LEDCTL);
                        yield ledctl[0];
                    }
                    case "write" -> {
                        assertThat(args[0]).isEqualTo(LEDCTL);
                        ledctl[0] = (Integer) args[1];
                        writes.add(ledctl[0]);
                        yield null;
                    }
                    default -> throw new AssertionError("unexpected " + method.getName());
                });
        IdLed led = new IdLed(hw, LEDCTL, IdLed.DEFAULT, 4);

        led.start();
        led.off();
        led.on();
        led.stop();

        assertThat(led.togglesPerSecond()).isEqualTo(4);
        assertThat(writes).containsExactly(0x8E0F8302, 0x0F0F8302, 0x8E0F8302, 0x0F0F8302, 0x07068302);
        assertThat(led.state()).isEqualTo("LEDCTL 0x07068302");
    }
}

package io.nicup.ndis.miniport.intel;

import io.nicup.ndis.miniport.core.LedIdentify;

/**
 * Port identification through LEDCTL, as Linux e1000e and igb do it (docs/hardware-reference.md B.13).
 * The NVM's ID LED settings word gives, for each of the four LEDs, its state in "mode 1" (off) and
 * "mode 2" (on) of identification ({@code e1000e_id_led_init_generic}, {@code igb_id_led_init}); blinking
 * sets LEDx_BLINK with the mode LED_ON on each LED that is on in mode 2 ({@code e1000e_blink_led_generic},
 * {@code igb_blink_led}); off is mode 1 ({@code led_off}); the end writes back the LEDCTL found at the
 * start ({@code cleanup_led}).
 *
 * <pre>
 * LEDCTL, one byte per LED (LED0 bits 7:0 .. LED3 bits 31:24):
 *    7      6     5    4   3        0
 * +-------+------+----+----+----------+
 * | BLINK | IVRT |    |    |   MODE   |   MODE 0xE LED_ON, 0xF LED_OFF
 * +-------+------+----+----+----------+
 * </pre>
 */
public final class IdLed implements LedIdentify {

    public static final int MODE_MASK = 0x0F;
    public static final int MODE_LED_ON = 0x0E;
    public static final int MODE_LED_OFF = 0x0F;
    public static final int IVRT = 0x40;
    public static final int BLINK = 0x80;

    /** ID LED settings, one nibble per LED (Linux {@code ID_LED_*}): the states in mode 1 and mode 2. */
    public static final int DEF1_DEF2 = 0x1;
    public static final int DEF1_ON2 = 0x2;
    public static final int DEF1_OFF2 = 0x3;
    public static final int ON1_DEF2 = 0x4;
    public static final int ON1_ON2 = 0x5;
    public static final int ON1_OFF2 = 0x6;
    public static final int OFF1_DEF2 = 0x7;
    public static final int OFF1_ON2 = 0x8;
    public static final int OFF1_OFF2 = 0x9;
    /** Linux {@code ID_LED_DEFAULT}: LED3 off/on, LED2 off/off, LED1 and LED0 as they are. */
    public static final int DEFAULT = OFF1_ON2 << 12 | OFF1_OFF2 << 8 | DEF1_DEF2 << 4 | DEF1_DEF2;

    private final IntelHardware hw;
    private final int ledctl;
    private final int settings;
    private final int togglesPerSecond;
    private int original;
    private int mode1;
    private int mode2;

    /**
     * @param ledctl the offset of LEDCTL
     * @param settings the ID LED settings the chip's driver derives from NVM word 4
     * @param togglesPerSecond 0 when the hardware blinks by itself (e1000e), else how often to switch
     */
    public IdLed(IntelHardware hw, int ledctl, int settings, int togglesPerSecond) {
        this.hw = hw;
        this.ledctl = ledctl;
        this.settings = settings;
        this.togglesPerSecond = togglesPerSecond;
    }

    /** LEDCTL of mode 1 ({@code mode2} false) or mode 2 derived from {@code ledctlDefault} and the settings. */
    public static int mode(int ledctlDefault, int settings, boolean mode2) {
        int v = ledctlDefault;
        for (int i = 0; i < 4; i++) {
            int nibble = settings >>> 4 * i & 0xF;
            int shift = 8 * i;
            Boolean on = mode2 ? switch (nibble) {
                case DEF1_ON2, ON1_ON2, OFF1_ON2 -> Boolean.TRUE;
                case DEF1_OFF2, ON1_OFF2, OFF1_OFF2 -> Boolean.FALSE;
                default -> null;
            } : switch (nibble) {
                case ON1_DEF2, ON1_ON2, ON1_OFF2 -> Boolean.TRUE;
                case OFF1_DEF2, OFF1_ON2, OFF1_OFF2 -> Boolean.FALSE;
                default -> null;
            };
            if (on != null) {
                v = v & ~(0xFF << shift) | (on ? MODE_LED_ON : MODE_LED_OFF) << shift;
            }
        }
        return v;
    }

    /** The blinking LEDCTL: each LED that mode 2 lights (LED_ON, or LED_OFF when inverted) gets BLINK and LED_ON. */
    public static int blink(int ledctlDefault, int mode2) {
        int v = mode2;
        for (int i = 0; i < 32; i += 8) {
            int mode = mode2 >>> i & MODE_MASK;
            boolean inverted = (ledctlDefault >>> i & IVRT) != 0;
            if (!inverted && mode == MODE_LED_ON || inverted && mode == MODE_LED_OFF) {
                v = v & ~(MODE_MASK << i) | (BLINK | MODE_LED_ON) << i;
            }
        }
        return v;
    }

    @Override
    public int togglesPerSecond() {
        return togglesPerSecond;
    }

    @Override
    public void start() {
        original = hw.read(ledctl);
        mode1 = mode(original, settings, false);
        mode2 = mode(original, settings, true);
        on();
    }

    @Override
    public void on() {
        hw.write(ledctl, blink(original, mode2));
    }

    @Override
    public void off() {
        hw.write(ledctl, mode1);
    }

    @Override
    public void stop() {
        off();
        hw.write(ledctl, original);
    }

    @Override
    public String state() {
        return String.format("LEDCTL 0x%08X", hw.read(ledctl));
    }
}

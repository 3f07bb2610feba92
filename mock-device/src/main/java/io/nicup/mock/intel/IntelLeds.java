package io.nicup.mock.intel;

import io.nicup.mock.PortLeds;
import java.util.ArrayList;
import java.util.List;

/**
 * The four LEDs LEDCTL drives on both Intel models (docs/hardware-reference.md B.13), recorded over
 * virtual time: every value LEDCTL takes, with when. An LED in mode LED_ON (0xE) is lit and LED_OFF (0xF)
 * dark, both the other way round with IVRT; LED_ON with BLINK lights it for {@link #BLINK_HALF_PERIOD_NANOS}
 * and darkens it as long, from the write on. The other modes follow the link and traffic, which this
 * model does not animate. QEMU stores LEDCTL without any of this.
 */
public final class IntelLeds implements PortLeds {

    /** 200 ms on, 200 ms off: the blink rate of the datasheets' default global blink mode. */
    public static final long BLINK_HALF_PERIOD_NANOS = 200_000_000L;
    static final int MODE_LED_ON = 0xE;
    static final int MODE_LED_OFF = 0xF;
    static final int IVRT = 0x40;
    static final int BLINK = 0x80;

    private final List<long[]> history = new ArrayList<>();   // {nanos, value}

    /** LEDCTL holds {@code value} from {@code nanos} on (recorded only when it changed). */
    void holds(long nanos, int value) {
        if (history.isEmpty() || (int) history.getLast()[1] != value) {
            history.add(new long[] {nanos, value});
        }
    }

    @Override
    public int count() {
        return 4;
    }

    @Override
    public int control() {
        return history.isEmpty() ? 0 : (int) history.getLast()[1];
    }

    @Override
    public int toggles(int led, long fromNanos, long toNanos) {
        int count = 0;
        Boolean previous = null;
        for (int i = 0; i < history.size(); i++) {
            long since = history.get(i)[0];
            long until = i + 1 < history.size() ? history.get(i + 1)[0] : Long.MAX_VALUE;
            long start = Math.max(since, fromNanos);
            long end = Math.min(until, toNanos);
            if (start >= end) {
                continue;
            }
            int b = (int) history.get(i)[1] >>> 8 * led & 0xFF;
            int mode = b & 0xF;
            boolean inverted = (b & IVRT) != 0;
            if ((b & BLINK) != 0 && mode == MODE_LED_ON) {
                boolean litAtStart = (start - since) / BLINK_HALF_PERIOD_NANOS % 2 == 0;
                count += previous != null && previous != litAtStart ? 1 : 0;
                long firstEdge = (start - since) / BLINK_HALF_PERIOD_NANOS + 1;
                long lastEdge = (end - 1 - since) / BLINK_HALF_PERIOD_NANOS;
                count += (int) Math.max(0, lastEdge - firstEdge + 1);
                previous = (end - 1 - since) / BLINK_HALF_PERIOD_NANOS % 2 == 0;
            } else if (mode == MODE_LED_ON || mode == MODE_LED_OFF) {
                boolean lit = (mode == MODE_LED_ON) != inverted;
                count += previous != null && previous != lit ? 1 : 0;
                previous = lit;
            } else {
                previous = null;                              // the link or traffic drives it
            }
        }
        return count;
    }
}

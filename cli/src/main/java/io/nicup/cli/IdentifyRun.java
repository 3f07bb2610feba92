package io.nicup.cli;

import io.nicup.mock.PortLeds;
import io.nicup.ndis.miniport.core.LedIdentify;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One {@code identify} on a session: the adapter initialized, the port LED blinked the way the family's
 * Linux driver blinks it ({@link LedIdentify}) for the time asked or until a signal, and the LED
 * configuration put back in every case, also when the wait fails.
 */
final class IdentifyRun {

    /** How often a wait looks at the signal: Ctrl-C ends the blinking within this. */
    private static final long SLICE_NANOS = 50_000_000L;

    private final Session s;
    private final Output output;
    private final StopSignal stop;

    IdentifyRun(Session s, Output output, StopSignal stop) {
        this.s = s;
        this.output = output;
        this.stop = stop;
    }

    /**
     * What {@code identify} did: the LED register before and after, how long it blinked (virtual time on a
     * simulated NIC), how many times software switched it, on a simulated NIC how often each LED went on or
     * off, and after a signal the teardown that followed.
     */
    record Report(String device, long elapsedNanos, boolean virtualTime, String before, String after, int switches,
            boolean interrupted, List<Integer> simulatedToggles, String teardown) implements io.nicup.cli.Report {

        boolean restored() {
            return before.equals(after);
        }

        @Override
        public Map<String, Object> json() {
            Map<String, Object> doc = new LinkedHashMap<>();
            doc.put("device", device);
            doc.put("elapsed_s", elapsedNanos / 1e9);
            doc.put("virtual_time", virtualTime);
            doc.put("led_before", before);
            doc.put("led_after", after);
            doc.put("restored", restored());
            doc.put("switches", switches);
            doc.put("interrupted", interrupted);
            if (simulatedToggles != null) {
                doc.put("simulated_led_toggles", simulatedToggles);
            }
            if (teardown != null) {
                doc.put("teardown", teardown);
            }
            return doc;
        }

        @Override
        public List<String> lines(boolean quiet) {
            List<String> lines = new ArrayList<>();
            lines.add(String.format("identify: port LED blinked for %.3f s%s%s", elapsedNanos / 1e9,
                    virtualTime ? " of virtual time" : "", switches == 0 ? " by the hardware's own blink"
                            : ", switched " + switches + " times"));
            if (simulatedToggles != null) {
                StringBuilder sb = new StringBuilder("simulated LEDs (changes seen):");
                for (int i = 0; i < simulatedToggles.size(); i++) {
                    sb.append(" LED").append(i).append(' ').append(simulatedToggles.get(i));
                }
                lines.add(sb.toString());
            }
            lines.add("identify: " + (restored() ? before + " restored" : "NOT restored: " + before + " before, " + after
                    + " after") + (interrupted ? " (interrupted)" : ""));
            if (teardown != null) {
                lines.add(teardown);
            }
            return lines;
        }
    }

    Report blink(int seconds) {
        s.initialize();
        LedIdentify led = s.diagnostics().identify().orElseThrow(() -> new CliException(ExitCode.NOT_SUPPORTED,
                "device has no port LED: model=" + s.family.model() + " spec=" + s.spec,
                "a " + s.family.model() + " has no LED nicup can blink: find its port by the PCI address (nicup list)"));
        String before = led.state();
        long start = s.nanoTime();
        long end = seconds == 0 ? Long.MAX_VALUE : start + seconds * 1_000_000_000L;
        long period = led.togglesPerSecond() == 0 ? Long.MAX_VALUE : 1_000_000_000L / led.togglesPerSecond();
        int switches = 0;
        boolean interrupted = false;
        Traffic.announce(output, "blinking the port LED of " + s.spec + (seconds == 0 ? "" : " for " + seconds + " s"));
        led.start();
        try {
            boolean on = true;
            long next = period == Long.MAX_VALUE ? Long.MAX_VALUE : start + period;
            for (long now = start; now - end < 0; now = s.nanoTime()) {
                if (stop.requested()) {
                    interrupted = true;
                    break;
                }
                if (now - next >= 0) {
                    on = !on;
                    if (on) {
                        led.on();
                    } else {
                        led.off();
                    }
                    switches++;
                    next += period;
                }
                s.pump(Duration.ofNanos(Math.max(1, Math.min(SLICE_NANOS, Math.min(next, end) - now))));
            }
        } finally {
            led.stop();
        }
        long stopped = s.nanoTime();
        String after = led.state();
        List<Integer> toggles = simulatedToggles(start, stopped);
        return new Report(s.spec, stopped - start, s.isMock(), before, after, switches, interrupted, toggles,
                interrupted ? Traffic.teardownAfterSignal(s) : null);
    }

    /** On a simulated NIC: how many times each LED went on or off while identification ran. */
    private List<Integer> simulatedToggles(long from, long to) {
        if (!s.isMock()) {
            return null;
        }
        PortLeds leds = s.mock.model().leds().orElse(null);
        if (leds == null) {
            return null;
        }
        List<Integer> toggles = new ArrayList<>();
        for (int i = 0; i < leds.count(); i++) {
            toggles.add(leds.toggles(i, from, to + 1));
        }
        return toggles;
    }
}

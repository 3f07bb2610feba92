package io.nicup.cli;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;
import java.util.function.LongUnaryOperator;

/**
 * {@code --interval S}: while traffic runs, one line every S seconds of the device clock (virtual on a
 * simulated NIC, and said so) with the frames, pps and bit rate since the last line and since the start.
 * {@link #tick} is cheap when no line is due: one clock read and a compare.
 */
final class IntervalStats {

    /** The shortest interval: a line per millisecond is already more than anyone reads. */
    static final double MIN_SECONDS = 0.001;

    private final Session s;
    private final Output output;
    private final String verb;
    private final long intervalNanos;
    private final LongSupplier frames;
    private final LongUnaryOperator bytesOf;
    private final long start;
    private long last;
    private long lastFrames;
    private long lastBytes;

    /**
     * Lines for {@code verb} ("sent", "received") every {@code seconds} (0 = none), counting
     * {@code frames} so far and {@code bytesOf} that many frames.
     */
    IntervalStats(Session s, Output output, String verb, double seconds, LongSupplier frames, LongUnaryOperator bytesOf) {
        this.s = s;
        this.output = output;
        this.verb = verb;
        this.intervalNanos = Math.round(seconds * 1e9);
        this.frames = frames;
        this.bytesOf = bytesOf;
        this.start = s.nanoTime();
        this.last = start;
    }

    /** Checks --interval: 0.001..86400 seconds. */
    static double check(Double seconds) {
        if (seconds == null) {
            return 0;
        }
        if (!(seconds >= MIN_SECONDS && seconds <= Traffic.MAX_TIMEOUT_SECONDS)) {
            String option = "--interval";   // the message every range check gives: "<OPTION> N out of range"
            throw new CliException(ExitCode.USAGE, option + " " + seconds + " out of range",
                    "give " + MIN_SECONDS + ".." + Traffic.MAX_TIMEOUT_SECONDS + " seconds");
        }
        return seconds;
    }

    /** Prints a line when an interval has passed since the last one. */
    void tick() {
        if (intervalNanos == 0) {
            return;
        }
        long now = s.nanoTime();
        if (now - last < intervalNanos) {
            return;
        }
        long n = frames.getAsLong();
        long bytes = bytesOf.applyAsLong(n);
        Line line = new Line(verb, (last - start) / 1e9, (now - start) / 1e9,
                new TrafficSummary(n - lastFrames, bytes - lastBytes, s.timing(now - last), 0L, 0L, null),
                new TrafficSummary(n, bytes, s.timing(now - start), 0L, 0L, null));
        last = now;
        lastFrames = n;
        lastBytes = bytes;
        if (output.json()) {
            output.out().println(Json.write(line.json()));
        } else if (!output.quiet()) {
            line.lines(false).forEach(output.out()::println);
        }
        output.out().flush();
    }

    /** One interval: from {@code from} to {@code to} seconds after the start. */
    record Line(String verb, double from, double to, TrafficSummary interval, TrafficSummary total) implements Report {

        private static String rates(TrafficSummary t) {
            return t.pps() + " pps, " + TrafficSummary.bitRate(t.bps()) + VirtualTime.rate(t.timing().virtual());
        }

        @Override
        public Map<String, Object> json() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("interval", true);
            m.put("from_s", from);
            m.put("to_s", to);
            VirtualTime.label(m, interval.timing().virtual());
            m.put("frames", interval.frames());
            m.put("bytes", interval.bytes());
            m.put("pps", interval.pps());
            m.put("bps", interval.bps());
            m.put("total_frames", total.frames());
            m.put("total_bytes", total.bytes());
            m.put("total_pps", total.pps());
            m.put("total_bps", total.bps());
            return m;
        }

        @Override
        public List<String> lines(boolean quiet) {
            return List.of(String.format("%.3f-%.3f s%s: %s %d frames (%s); total %d frames (%s)", from, to,
                    VirtualTime.ofTime(interval.timing().virtual()), verb, interval.frames(), rates(interval),
                    total.frames(), rates(total)));
        }
    }
}

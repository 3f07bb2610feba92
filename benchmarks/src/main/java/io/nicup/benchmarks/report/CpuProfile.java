package io.nicup.benchmarks.report;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordingFile;

/**
 * Where a benchmark's CPU time goes, from a JFR recording of {@code jdk.CPUTimeSample} (JEP 509, Linux: the
 * thread's CPU-time timer, so a sample lands where the thread was when its CPU time ran out, not at the next
 * safepoint or wherever a wall-clock sampler could walk the stack). Only samples taken inside the measured
 * loop count (a frame whose method is {@code loop}, e.g. {@code forward}, which each benchmark path
 * has). Prints two views:
 * inclusive (the sample's stack holds the method: the share of the loop spent in it and what it calls)
 * for the project's own methods, and self (the top frame) for every method.
 *
 * <p>Usage: {@code CpuProfile RECORDING LOOP_METHOD OUT}
 */
public final class CpuProfile {

    private static final int DEPTH = 64;

    private CpuProfile() {
    }

    public static void main(String[] args) throws IOException {
        if (args.length != 3) {
            System.err.println("usage: CpuProfile RECORDING LOOP_METHOD OUT");
            System.exit(2);
        }
        Files.writeString(Path.of(args[2]), render(Path.of(args[0]), args[1]));
    }

    static String render(Path recording, String loop) throws IOException {
        Map<String, Integer> inclusive = new HashMap<>();
        Map<String, Integer> self = new HashMap<>();
        int samples = 0;
        int other = 0;
        for (RecordedEvent e : RecordingFile.readAllEvents(recording)) {
            if (!e.getEventType().getName().equals("jdk.CPUTimeSample") || e.getStackTrace() == null) {
                continue;
            }
            // A lambda's hidden frame sits between its caller and the method it calls: left out.
            List<RecordedFrame> frames = e.getStackTrace().getFrames().stream()
                    .filter(f -> !f.getMethod().isHidden()).toList();
            if (frames.stream().limit(DEPTH).noneMatch(f -> f.getMethod().getName().equals(loop))) {
                other++;
                continue;
            }
            samples++;
            self.merge(name(frames.get(0)), 1, Integer::sum);
            Set<String> seen = new HashSet<>();
            for (RecordedFrame f : frames) {
                String n = name(f);
                if (f.getMethod().getType().getName().startsWith("io.nicup.") && seen.add(n)) {
                    inclusive.merge(n, 1, Integer::sum);
                }
            }
        }
        StringBuilder out = new StringBuilder();
        out.append(String.format("CPU-time samples (jdk.CPUTimeSample) in %s: %d (%d elsewhere: JMH, JIT, GC)%n%n",
                loop, samples, other));
        out.append("inclusive: the project's methods on the stack (the method and what it calls)\n");
        table(out, inclusive, samples, 45);
        out.append("\nself: the method running when the sample was taken\n");
        table(out, self, samples, 25);
        return out.toString();
    }

    private static void table(StringBuilder out, Map<String, Integer> counts, int total, int rows) {
        counts.entrySet().stream()
                .sorted(Map.Entry.<String, Integer>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey()))
                .limit(rows)
                .forEach(en -> out.append(String.format("%6.1f %%  %s%n", 100.0 * en.getValue() / Math.max(1, total),
                        en.getKey())));
    }

    /** {@code SimpleClass.method}: the package says little here and makes the lines long. */
    private static String name(RecordedFrame f) {
        String type = f.getMethod().getType().getName();
        return type.substring(type.lastIndexOf('.') + 1) + "." + f.getMethod().getName();
    }
}

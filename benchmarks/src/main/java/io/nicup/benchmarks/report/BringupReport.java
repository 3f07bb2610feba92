package io.nicup.benchmarks.report;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The "bring-up latency per NDIS step" section of RESULTS.md, from three sources:
 * <ul>
 *   <li>{@code BringupBenchmark}'s JMH sample-time CSV: host CPU time per step on the simulated 82574L;</li>
 *   <li>{@code nicup --json bringup mock:82574L}: the trace's step durations on the simulated device's
 *       virtual clock, which is where the datasheet's waits (reset, NVM auto-read) show;</li>
 *   <li>the same command run N times in the QEMU guest against the emulated 82574L through VFIO: wall
 *       clock under TCG software emulation, labelled as emulated (a real card is far faster).</li>
 * </ul>
 */
final class BringupReport {

    /** The benchmark's steps with the trace calls whose durations make them up. */
    static final Map<String, List<String>> STEPS = new LinkedHashMap<>();

    static {
        STEPS.put("DriverEntry", List.of("DriverEntry"));
        STEPS.put("InitializeEx", List.of("MiniportInitializeEx"));
        STEPS.put("Restart", List.of("MiniportOidRequest", "MiniportRestart"));
        STEPS.put("Pause", List.of("MiniportPause"));
        STEPS.put("Halt", List.of("MiniportHaltEx"));
        STEPS.put("Unload", List.of("MiniportDriverUnload"));
    }

    private static final Pattern STEP = Pattern.compile(
            "\\{\"name\":\"([^\"]+)\",\"dir\":\"[^\"]*\",\"duration_ns\":(\\d+)");

    /** step -> percentile label ("p0.50") -> microseconds. */
    final Map<String, Map<String, Double>> cpu = new LinkedHashMap<>();
    /** step -> mean microseconds (JMH). */
    final Map<String, Double> cpuMean = new LinkedHashMap<>();
    /** step -> nanoseconds on the simulated device's virtual clock. */
    Map<String, Long> simulated = Map.of();
    /** per guest run: step -> nanoseconds (wall clock in the TCG guest). */
    final List<Map<String, Long>> emulated = new ArrayList<>();
    /** Why there are no emulated numbers, when there are none. */
    String emulatedNote = "not measured";

    boolean isEmpty() {
        return cpu.isEmpty() && simulated.isEmpty() && emulated.isEmpty();
    }

    void readJmh(Path csv) throws IOException {
        if (!Files.exists(csv)) {
            return;
        }
        List<String> lines = Files.readAllLines(csv);
        List<String> header = Csv.parseCsvLine(lines.get(0));
        int iBench = header.indexOf("Benchmark");
        int iScore = header.indexOf("Score");
        int iStep = header.indexOf("Param: step");
        for (String line : lines.subList(1, lines.size())) {
            List<String> f = Csv.parseCsvLine(line);
            String bench = f.get(iBench);
            if (!bench.contains("BringupBenchmark")) {
                continue;
            }
            String step = f.get(iStep);
            double score = Csv.parseDouble(f.get(iScore));
            int colon = bench.lastIndexOf(':');
            if (colon < 0) {
                cpuMean.put(step, score);
            } else {
                cpu.computeIfAbsent(step, k -> new LinkedHashMap<>()).put(bench.substring(colon + 1), score);
            }
        }
    }

    void readSimulated(Path json) throws IOException {
        if (Files.exists(json)) {
            simulated = steps(Files.readString(json));
        }
    }

    void readEmulated(Path json) throws IOException {
        if (Files.exists(json)) {
            Map<String, Long> run = steps(Files.readString(json));
            if (!run.isEmpty()) {
                emulated.add(run);
            }
        }
    }

    /** Trace call durations summed into the benchmark's steps. */
    static Map<String, Long> steps(String json) {
        Map<String, Long> byCall = new LinkedHashMap<>();
        Matcher m = STEP.matcher(json);
        while (m.find()) {
            byCall.merge(m.group(1), Long.parseLong(m.group(2)), Long::sum);
        }
        Map<String, Long> out = new LinkedHashMap<>();
        if (byCall.isEmpty()) {
            return out;
        }
        STEPS.forEach((step, calls) -> out.put(step, calls.stream().mapToLong(c -> byCall.getOrDefault(c, 0L)).sum()));
        return out;
    }

    String markdown() {
        StringBuilder md = new StringBuilder("## Bring-up latency per NDIS step\n\n");
        md.append("- **host CPU** (`BringupBenchmark`, JMH sample time, µs): one step alone on a fresh simulated ")
                .append("82574L, the NDIS model, the miniport and the device model together; the datasheet's ")
                .append("waits pass in virtual time and are not in it.\n")
                .append("- **simulated device time** (`nicup --json bringup mock:82574L`, ms): the trace's ")
                .append("durations on the device model's virtual clock, where the waits show (reset, NVM ")
                .append("auto-read, the link).\n")
                .append("- **emulated (QEMU TCG)** (ms): `nicup --json bringup` in a QEMU guest on the ")
                .append("emulated 82574L through VFIO, median [min–max] over ").append(emulated.size())
                .append(" runs. Software emulation on a shared 2-core host: many times slower than a real ")
                .append("card, shown for the shape, not the size.")
                .append(emulated.isEmpty() ? " " + emulatedNote + "." : "").append("\n\n");
        md.append("| step | trace calls | host CPU p50 | p90 | p99 | mean | simulated device time | emulated (QEMU TCG) |\n")
                .append("|---|---|---|---|---|---|---|---|\n");
        for (Map.Entry<String, List<String>> e : STEPS.entrySet()) {
            String step = e.getKey();
            Map<String, Double> p = cpu.getOrDefault(step, Map.of());
            md.append("| ").append(step).append(" | ").append(String.join(" + ", e.getValue())).append(" | ")
                    .append(us(p.get("p0.50"))).append(" | ").append(us(p.get("p0.90"))).append(" | ")
                    .append(us(p.get("p0.99"))).append(" | ").append(us(cpuMean.get(step))).append(" | ")
                    .append(ms(simulated.get(step))).append(" | ").append(emulated(step)).append(" |\n");
        }
        md.append('\n');
        return md.toString();
    }

    private String emulated(String step) {
        List<Long> v = emulated.stream().map(r -> r.get(step)).filter(x -> x != null).sorted().toList();
        if (v.isEmpty()) {
            return "–";
        }
        long median = v.get(v.size() / 2);
        return ms(median) + " [" + ms(v.getFirst()) + "–" + ms(v.getLast()) + "]";
    }

    private static String us(Double v) {
        return v == null ? "–" : Cells.fmt(v) + " µs";
    }

    private static String ms(Long ns) {
        return ns == null ? "–" : String.format(Locale.ROOT, "%.2f ms", ns / 1e6);
    }
}

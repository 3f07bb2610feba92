package io.nicup.benchmarks.report;

import static io.nicup.benchmarks.report.Csv.parseCsvLine;
import static io.nicup.benchmarks.report.Csv.parseDouble;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.openjdk.jmh.util.ListStatistics;

/**
 * Reads one run's files into {@link BenchResults}: JMH CSV ({@code -rf csv}, with {@code -prof gc}) for
 * means, errors and allocation; JMH's human-readable log for the per-iteration medians and minimums; the
 * C baseline's CSV; the key=value machine description. A missing result file is skipped.
 *
 * <p>A benchmark method {@code <variant>_<op>} is filed under its variant, named with the product
 * parameters when present ({@link BenchResults#variantKey}). The same benchmark may come from several
 * runs (the quick profile runs the suite in rounds, one fork each, so that variants interleave): the
 * iterations of all rounds are pooled, and {@link #finish} gives such a score JMH's own statistic over
 * the pooled iterations; allocation keeps the largest figure of any round, unless the logs give the
 * per-iteration figures: then it is their median over the pooled iterations, as for the scores. JMH runs a
 * trial's {@code @TearDown} inside the last measurement iteration and its GC profiler counts what the
 * tear-down allocates (the product variants' pause, halt and host close: hundreds of kilobytes), which the
 * mean spreads over every packet of the trial; the median is the steady state (docs/ndis-contract.md §19.1).
 */
final class ResultsReader {

    private final BenchResults results;
    /** Pooled iteration scores per benchmark (variant, op, batch, ring). */
    private final Map<List<Object>, List<Double>> iterations = new HashMap<>();
    /** Pooled per-iteration {@code gc.alloc.rate.norm} per benchmark (variant, op, batch, ring). */
    private final Map<List<Object>, List<Double>> allocIterations = new HashMap<>();
    /** How many result files gave a benchmark its mean. */
    private final Map<List<Object>, Integer> rounds = new HashMap<>();

    ResultsReader(BenchResults results) {
        this.results = results;
    }

    /** Where the method name's variant ends: before its last underscore ({@code product_device_forward}). */
    private static int opSeparator(String method) {
        return method.lastIndexOf('_');
    }

    void readJmh(Path csv) throws IOException {
        if (!Files.exists(csv)) {
            return;
        }
        List<String> lines = Files.readAllLines(csv);
        List<String> header = parseCsvLine(lines.get(0));
        int iBench = header.indexOf("Benchmark");
        int iScore = header.indexOf("Score");
        int iError = header.indexOf("Score Error (99.9%)");
        int iBatch = header.indexOf("Param: batch");
        int iRing = header.indexOf("Param: ringSize");
        int iNic = header.indexOf("Param: nic");
        int iChecks = header.indexOf("Param: checks");
        for (String line : lines.subList(1, lines.size())) {
            List<String> f = parseCsvLine(line);
            if (f.size() < header.size()) {
                continue;
            }
            String bench = f.get(iBench);
            String secondary = null;
            int colon = bench.indexOf(':');
            if (colon >= 0) {
                secondary = bench.substring(colon + 1);
                bench = bench.substring(0, colon);
            }
            String method = bench.substring(bench.lastIndexOf('.') + 1);
            int us = opSeparator(method);
            if (us < 0) {
                continue;
            }
            String variant = BenchResults.variantKey(method.substring(0, us), param(f, iNic), param(f, iChecks));
            String op = method.substring(us + 1);
            int batch = Integer.parseInt(f.get(iBatch));
            int ring = Integer.parseInt(f.get(iRing));
            double score = parseDouble(f.get(iScore));
            double error = parseDouble(f.get(iError));
            if (secondary == null) {
                rounds.merge(List.of(variant, op, batch, ring), 1, Integer::sum);
                results.scores.computeIfAbsent(variant, k -> new TreeMap<>()).computeIfAbsent(op, k -> new TreeMap<>())
                        .computeIfAbsent(batch, k -> new TreeMap<>())
                        .merge(ring, new Score(score, error, Double.NaN, Double.NaN),
                                (old, fresh) -> fresh.withIterations(old.median(), old.min()));
            } else if (secondary.equals("gc.alloc.rate.norm")) {
                results.alloc.computeIfAbsent(variant, k -> new TreeMap<>()).computeIfAbsent(op, k -> new TreeMap<>())
                        .computeIfAbsent(batch, k -> new TreeMap<>()).merge(ring, score, Math::max);
            }
        }
    }

    private static String param(List<String> fields, int index) {
        return index < 0 ? null : fields.get(index);
    }

    /**
     * For a benchmark measured in more than one round: mean and 99.9 % half-width over the pooled
     * iterations, as JMH computes them over the iterations of its forks.
     */
    void finish() {
        allocIterations.forEach((key, values) -> results.alloc.computeIfAbsent((String) key.get(0), k -> new TreeMap<>())
                .computeIfAbsent((String) key.get(1), k -> new TreeMap<>())
                .computeIfAbsent((Integer) key.get(2), k -> new TreeMap<>()).put((Integer) key.get(3), median(values)));
        rounds.forEach((key, n) -> {
            List<Double> values = iterations.get(key);
            if (n < 2 || values == null || values.size() < 2) {
                return;
            }
            ListStatistics stats = new ListStatistics();
            values.forEach(stats::addValue);
            var byRing = results.scores.get((String) key.get(0)).get((String) key.get(1)).get((Integer) key.get(2));
            Score old = byRing.get((Integer) key.get(3));
            byRing.put((Integer) key.get(3), new Score(stats.getMean(), stats.getMeanErrorAt(0.999), old.median(),
                    old.min()));
        });
    }

    void readC(Path csv) throws IOException {
        if (!Files.exists(csv)) {
            return;
        }
        for (String line : Files.readAllLines(csv)) {
            String[] f = line.split(",");
            if (f.length < 6 || !f[0].equals("c")) {
                continue;
            }
            String op = f[1];
            String variant = "c";
            if (op.startsWith("device_")) {
                variant = "cdevice";
                op = op.substring("device_".length());
            }
            results.scores.computeIfAbsent(variant, k -> new TreeMap<>()).computeIfAbsent(op, k -> new TreeMap<>())
                    .computeIfAbsent(Integer.parseInt(f[2]), k -> new TreeMap<>())
                    .put(Integer.parseInt(f[3]), new Score(parseDouble(f[4]), parseDouble(f[5]),
                            f.length > 7 ? parseDouble(f[7]) : Double.NaN, f.length > 6 ? parseDouble(f[6]) : Double.NaN));
        }
    }

    /** Per-iteration primary scores from a JMH human-readable log: median and minimum per benchmark. */
    void readJmhLog(Path log) throws IOException {
        if (!Files.exists(log)) {
            return;
        }
        String method = null;
        String nic = null;
        String checks = null;
        int batch = 0;
        int ring = 0;
        List<Double> values = new ArrayList<>();
        List<Double> allocs = new ArrayList<>();
        for (String line : Files.readAllLines(log)) {
            if (line.startsWith("# Benchmark: ")) {
                putIterations(method, nic, checks, batch, ring, values, allocs);
                allocs = new ArrayList<>();
                method = line.substring(line.lastIndexOf('.') + 1).strip();
                nic = null;
                checks = null;
                values = new ArrayList<>();
            } else if (line.startsWith("# Parameters: ")) {
                for (String kv : line.substring(line.indexOf('(') + 1, line.lastIndexOf(')')).split(",")) {
                    String[] p = kv.split("=");
                    if (p[0].strip().equals("batch")) {
                        batch = Integer.parseInt(p[1].strip());
                    } else if (p[0].strip().equals("ringSize")) {
                        ring = Integer.parseInt(p[1].strip());
                    } else if (p[0].strip().equals("nic")) {
                        nic = p[1].strip();
                    } else if (p[0].strip().equals("checks")) {
                        checks = p[1].strip();
                    }
                }
            } else if (line.startsWith("Iteration ")) {
                String[] w = line.substring(line.indexOf(':') + 1).strip().split("\\s+");
                values.add(parseDouble(w[0]));
            } else if (line.strip().startsWith("gc.alloc.rate.norm:") && !values.isEmpty()) {
                allocs.add(jmhNumber(line.substring(line.indexOf(':') + 1).strip()));
            }
        }
        putIterations(method, nic, checks, batch, ring, values, allocs);
    }

    /**
     * A number as JMH's log prints it: {@code 0.030 B/op}, or for a tiny one only its order of magnitude,
     * {@code ≈ 10⁻³ B/op} ({@code ≈ 0 B/op} for none).
     */
    static double jmhNumber(String text) {
        if (!text.startsWith("≈")) {
            return parseDouble(text.split("\\s+")[0]);
        }
        String v = text.substring(1).strip().split("\\s+")[0];
        if (!v.startsWith("10")) {
            return parseDouble(v);
        }
        StringBuilder exponent = new StringBuilder();
        for (char c : v.substring(2).toCharArray()) {
            exponent.append(c == '⁻' ? '-' : (char) ('0' + "⁰¹²³⁴⁵⁶⁷⁸⁹".indexOf(c)));
        }
        return Math.pow(10, Integer.parseInt(exponent.toString()));
    }

    private static double median(List<Double> values) {
        List<Double> sorted = new ArrayList<>(values);
        sorted.sort(null);
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }

    private void putIterations(String method, String nic, String checks, int batch, int ring, List<Double> values,
            List<Double> allocs) {
        int us = method == null ? -1 : opSeparator(method);
        if (us < 0 || values.isEmpty()) {
            return;
        }
        String variant = BenchResults.variantKey(method.substring(0, us), nic, checks);
        String op = method.substring(us + 1);
        List<Object> key = List.of(variant, op, batch, ring);
        List<Double> pooled = iterations.computeIfAbsent(key, k -> new ArrayList<>());
        pooled.addAll(values);
        if (!allocs.isEmpty()) {
            allocIterations.computeIfAbsent(key, k -> new ArrayList<>()).addAll(allocs);
        }
        double median = median(pooled);
        double min = pooled.stream().mapToDouble(Double::doubleValue).min().orElseThrow();
        results.scores.computeIfAbsent(variant, k -> new TreeMap<>()).computeIfAbsent(op, k -> new TreeMap<>())
                .computeIfAbsent(batch, k -> new TreeMap<>())
                .merge(ring, new Score(Double.NaN, Double.NaN, median, min),
                        (old, fresh) -> old.withIterations(median, min));
    }

    void readMachine(Path file) throws IOException {
        for (String line : Files.readAllLines(file)) {
            int eq = line.indexOf('=');
            if (eq > 0) {
                results.machine.put(line.substring(0, eq).strip(), line.substring(eq + 1).strip());
            }
        }
    }
}

package io.nicup.benchmarks.report;

import static io.nicup.benchmarks.report.Csv.parseCsvLine;
import static io.nicup.benchmarks.report.Csv.parseDouble;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;

/**
 * Reads one run's files into {@link BenchResults}: JMH CSV ({@code -rf csv}, with {@code -prof gc}) for
 * means, errors and allocation; JMH's human-readable log for the per-iteration medians and minimums; the
 * C baseline's CSV; the key=value machine description. A missing result file is skipped.
 */
final class ResultsReader {

    private final BenchResults results;

    ResultsReader(BenchResults results) {
        this.results = results;
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
            int us = method.indexOf('_');
            if (us < 0) {
                continue;
            }
            String variant = method.substring(0, us);
            String op = method.substring(us + 1);
            int batch = Integer.parseInt(f.get(iBatch));
            int ring = Integer.parseInt(f.get(iRing));
            double score = parseDouble(f.get(iScore));
            double error = parseDouble(f.get(iError));
            if (secondary == null) {
                results.scores.computeIfAbsent(variant, k -> new TreeMap<>()).computeIfAbsent(op, k -> new TreeMap<>())
                        .computeIfAbsent(batch, k -> new TreeMap<>())
                        .merge(ring, new Score(score, error, Double.NaN, Double.NaN),
                                (old, fresh) -> fresh.withIterations(old.median(), old.min()));
            } else if (secondary.equals("gc.alloc.rate.norm")) {
                results.alloc.computeIfAbsent(variant, k -> new TreeMap<>()).computeIfAbsent(op, k -> new TreeMap<>())
                        .computeIfAbsent(batch, k -> new TreeMap<>()).put(ring, score);
            }
        }
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
        String variant = null;
        String op = null;
        int batch = 0;
        int ring = 0;
        List<Double> values = new ArrayList<>();
        for (String line : Files.readAllLines(log)) {
            if (line.startsWith("# Benchmark: ")) {
                putIterations(variant, op, batch, ring, values);
                String method = line.substring(line.lastIndexOf('.') + 1).strip();
                int us = method.indexOf('_');
                variant = us < 0 ? null : method.substring(0, us);
                op = us < 0 ? null : method.substring(us + 1);
                values = new ArrayList<>();
            } else if (line.startsWith("# Parameters: ")) {
                for (String kv : line.substring(line.indexOf('(') + 1, line.lastIndexOf(')')).split(",")) {
                    String[] p = kv.split("=");
                    if (p[0].strip().equals("batch")) {
                        batch = Integer.parseInt(p[1].strip());
                    } else if (p[0].strip().equals("ringSize")) {
                        ring = Integer.parseInt(p[1].strip());
                    }
                }
            } else if (line.startsWith("Iteration ")) {
                String[] w = line.substring(line.indexOf(':') + 1).strip().split("\\s+");
                values.add(parseDouble(w[0]));
            }
        }
        putIterations(variant, op, batch, ring, values);
    }

    private void putIterations(String variant, String op, int batch, int ring, List<Double> values) {
        if (variant == null || values.isEmpty()) {
            return;
        }
        List<Double> sorted = new ArrayList<>(values);
        sorted.sort(null);
        int n = sorted.size();
        double median = n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
        double min = sorted.get(0);
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

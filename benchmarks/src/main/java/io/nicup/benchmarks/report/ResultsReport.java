package io.nicup.benchmarks.report;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Turns one {@code scripts/bench} run into {@code benchmarks/RESULTS.md} and
 * {@code benchmarks/results-chart.svg}: reads the JMH CSV files ({@code -rf csv}, with {@code -prof gc}),
 * the C baseline's CSV and a key=value machine description, and judges the goals of issue 7. The part of
 * an existing RESULTS.md between {@value #NOTES_BEGIN} and {@value #NOTES_END} (the hand-written
 * analysis) is kept.
 *
 * <p>Usage: {@code ResultsReport --jmh main.csv --rings rings.csv --c c.csv --machine machine.txt
 * [--profile name=file ...] --md RESULTS.md --svg results-chart.svg}
 */
public final class ResultsReport {

    static final String NOTES_BEGIN = "<!-- notes:begin -->";
    static final String NOTES_END = "<!-- notes:end -->";

    static final List<String> OPS = List.of("transmit", "receive", "forward");
    /** Variants in table order; "c" is the C baseline. */
    static final List<String> VARIANTS = List.of("c", "ffm", "unsafe", "bytebuffer", "jna", "ndis");
    static final Map<String, String> COLORS = Map.of("c", "#000000", "ffm", "#d62728", "unsafe", "#1f77b4",
            "bytebuffer", "#2ca02c", "jna", "#9467bd", "ndis", "#ff7f0e", "device", "#7f7f7f");

    /**
     * One score: mean and error (99.9% half-width for JMH, standard deviation for C), and the median and
     * minimum over the measurement iterations (robust against the other tenants of a shared machine).
     */
    record Score(double mean, double error, double median, double min) {
        Score withIterations(double median, double min) {
            return new Score(mean, error, median, min);
        }
    }

    /** variant -> op -> batch -> ring -> score. */
    final Map<String, Map<String, Map<Integer, Map<Integer, Score>>>> scores = new TreeMap<>();
    /** variant -> op -> batch -> ring -> B/op. */
    final Map<String, Map<String, Map<Integer, Map<Integer, Double>>>> alloc = new TreeMap<>();
    final Map<String, String> machine = new LinkedHashMap<>();
    final Map<String, String> profiles = new LinkedHashMap<>();
    final BringupReport bringup = new BringupReport();

    public static void main(String[] args) throws IOException {
        ResultsReport r = new ResultsReport();
        Path md = null;
        Path svg = null;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--jmh", "--rings" -> r.readJmh(Path.of(args[++i]));
                case "--log" -> r.readJmhLog(Path.of(args[++i]));
                case "--c" -> r.readC(Path.of(args[++i]));
                case "--machine" -> r.readMachine(Path.of(args[++i]));
                case "--profile" -> {
                    String[] kv = args[++i].split("=", 2);
                    Path p = Path.of(kv[1]);
                    if (Files.exists(p)) {
                        r.profiles.put(kv[0], Files.readString(p));
                    }
                }
                case "--bringup" -> r.bringup.readJmh(Path.of(args[++i]));
                case "--bringup-simulated" -> r.bringup.readSimulated(Path.of(args[++i]));
                case "--bringup-emulated" -> r.bringup.readEmulated(Path.of(args[++i]));
                case "--bringup-emulated-note" -> r.bringup.emulatedNote = args[++i];
                case "--md" -> md = Path.of(args[++i]);
                case "--svg" -> svg = Path.of(args[++i]);
                default -> throw new IllegalArgumentException("unknown argument: " + args[i]);
            }
        }
        if (md == null || svg == null) {
            throw new IllegalArgumentException("--md and --svg are required");
        }
        String notes = "";
        if (Files.exists(md)) {
            String old = Files.readString(md);
            int b = old.indexOf(NOTES_BEGIN);
            int e = old.indexOf(NOTES_END);
            if (b >= 0 && e > b) {
                notes = old.substring(b + NOTES_BEGIN.length(), e).strip();
            }
        }
        Files.writeString(svg, r.svg(), StandardCharsets.UTF_8);
        Files.writeString(md, r.markdown(notes, svg.getFileName().toString()), StandardCharsets.UTF_8);
    }

    // ---- input ------------------------------------------------------------------------------------

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
                scores.computeIfAbsent(variant, k -> new TreeMap<>()).computeIfAbsent(op, k -> new TreeMap<>())
                        .computeIfAbsent(batch, k -> new TreeMap<>())
                        .merge(ring, new Score(score, error, Double.NaN, Double.NaN),
                                (old, fresh) -> fresh.withIterations(old.median(), old.min()));
            } else if (secondary.equals("gc.alloc.rate.norm")) {
                alloc.computeIfAbsent(variant, k -> new TreeMap<>()).computeIfAbsent(op, k -> new TreeMap<>())
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
            scores.computeIfAbsent(variant, k -> new TreeMap<>()).computeIfAbsent(op, k -> new TreeMap<>())
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
        scores.computeIfAbsent(variant, k -> new TreeMap<>()).computeIfAbsent(op, k -> new TreeMap<>())
                .computeIfAbsent(batch, k -> new TreeMap<>())
                .merge(ring, new Score(Double.NaN, Double.NaN, median, min),
                        (old, fresh) -> old.withIterations(median, min));
    }

    void readMachine(Path file) throws IOException {
        for (String line : Files.readAllLines(file)) {
            int eq = line.indexOf('=');
            if (eq > 0) {
                machine.put(line.substring(0, eq).strip(), line.substring(eq + 1).strip());
            }
        }
    }

    static double parseDouble(String s) {
        if (s == null || s.isBlank() || s.equals("NaN")) {
            return Double.NaN;
        }
        return Double.parseDouble(s.replace(',', '.'));
    }

    static List<String> parseCsvLine(String line) {
        List<String> out = new ArrayList<>();
        StringBuilder cur = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < line.length(); i++) {
            char ch = line.charAt(i);
            if (quoted) {
                if (ch == '"' && i + 1 < line.length() && line.charAt(i + 1) == '"') {
                    cur.append('"');
                    i++;
                } else if (ch == '"') {
                    quoted = false;
                } else {
                    cur.append(ch);
                }
            } else if (ch == '"') {
                quoted = true;
            } else if (ch == ',') {
                out.add(cur.toString());
                cur.setLength(0);
            } else {
                cur.append(ch);
            }
        }
        out.add(cur.toString());
        return out;
    }

    // ---- queries ------------------------------------------------------------------------------------

    Score score(String variant, String op, int batch, int ring) {
        var byOp = scores.get(variant);
        if (byOp == null || !byOp.containsKey(op)) {
            return null;
        }
        var byBatch = byOp.get(op).get(batch);
        return byBatch == null ? null : byBatch.get(ring);
    }

    Double allocation(String variant, String op, int batch, int ring) {
        var byOp = alloc.get(variant);
        if (byOp == null || !byOp.containsKey(op)) {
            return null;
        }
        var byBatch = byOp.get(op).get(batch);
        return byBatch == null ? null : byBatch.get(ring);
    }

    TreeSet<Integer> batches() {
        TreeSet<Integer> b = new TreeSet<>();
        scores.values().forEach(m -> m.values().forEach(x -> x.forEach((batch, rings) -> {
            if (rings.containsKey(512)) {
                b.add(batch);
            }
        })));
        return b;
    }

    TreeSet<Integer> rings() {
        TreeSet<Integer> r = new TreeSet<>();
        scores.values().forEach(m -> m.values().forEach(x -> {
            if (x.containsKey(32)) {
                r.addAll(x.get(32).keySet());
            }
        }));
        return r;
    }

    List<String> presentVariants() {
        List<String> v = new ArrayList<>();
        for (String name : VARIANTS) {
            if (scores.containsKey(name)) {
                v.add(name);
            }
        }
        return v;
    }

    static String fmt(double v) {
        if (Double.isNaN(v)) {
            return "n/a";
        }
        return String.format(Locale.ROOT, v >= 100 ? "%.0f" : v >= 10 ? "%.1f" : "%.2f", v);
    }

    static String cell(Score s) {
        return s == null || Double.isNaN(s.mean()) ? "–" : fmt(s.mean()) + " ± " + fmt(s.error());
    }

    /** The robust figure used for ratios and goals: the median over iterations (the mean when absent). */
    static double typical(Score s) {
        return s == null ? Double.NaN : Double.isNaN(s.median()) ? s.mean() : s.median();
    }

    static String robust(Score s) {
        if (s == null) {
            return "–";
        }
        return fmt(typical(s)) + (Double.isNaN(s.min()) ? "" : " [" + fmt(s.min()) + "]");
    }

    static String ratio(Score a, Score b) {
        double r = typical(a) / typical(b);
        return Double.isNaN(r) ? "–" : fmt(r);
    }

    static String diff(Score a, Score b) {
        double r = typical(a) - typical(b);
        return Double.isNaN(r) ? "–" : fmt(r);
    }

    // ---- markdown -----------------------------------------------------------------------------------

    String markdown(String notes, String svgName) {
        StringBuilder md = new StringBuilder();
        List<String> variants = presentVariants();
        md.append("# nicup fast-path benchmarks: results\n\n");
        md.append("Generated by `scripts/bench").append("quick".equals(machine.get("mode")) ? " --quick" : "")
                .append("` (`benchmarks/src/main/java/io/nicup/benchmarks/report/ResultsReport.java`); ")
                .append("the analysis between the notes markers is written by hand and kept across runs.\n\n");

        md.append("## Machine and run\n\n| | |\n|---|---|\n");
        machine.forEach((k, v) -> md.append("| ").append(k).append(" | ").append(v.replace("|", "/")).append(" |\n"));
        md.append("\n**Shared machine:** two cores shared with other engineers' builds and a QEMU guest; the load ")
                .append("averages above were taken before and after the run. Treat small differences (under about ")
                .append("10 %) as noise unless the error bars say otherwise.\n\n");

        md.append("## Goals\n\n").append(goals()).append('\n');

        md.append("## Chart\n\n![ns/packet against batch size](").append(svgName)
                .append(")\n\nns/packet (log scale) against batch size, ring 512, one line per variant; the ")
                .append("device's own cost (grey, dashed) is included in every variant's line.\n\n");

        for (String op : OPS) {
            md.append("## ").append(Character.toUpperCase(op.charAt(0))).append(op.substring(1))
                    .append(": ns/packet (ring 512)\n\n");
            md.append("Median over the measurement iterations [best iteration]. `device` is the benchmark device ")
                    .append("alone (its work is inside every other column); `ffm − device` and `C − device` are the ")
                    .append("drivers' own cost; ratios are of medians.\n\n");
            md.append("| batch |");
            for (String v : variants) {
                md.append(' ').append(v).append(" |");
            }
            md.append(" device (Java) | device (C) | ffm − device | C − device | ffm / C | ffm / unsafe |\n|---|");
            md.append("---|".repeat(variants.size() + 6)).append('\n');
            for (int b : batches()) {
                md.append("| ").append(b).append(" |");
                for (String v : variants) {
                    md.append(' ').append(robust(score(v, op, b, 512))).append(" |");
                }
                Score dj = score("device", op, b, 512);
                Score dc = score("cdevice", op, b, 512);
                Score f = score("ffm", op, b, 512);
                Score c = score("c", op, b, 512);
                Score u = score("unsafe", op, b, 512);
                md.append(' ').append(robust(dj)).append(" | ").append(robust(dc)).append(" | ")
                        .append(diff(f, dj)).append(" | ").append(diff(c, dc)).append(" | ")
                        .append(ratio(f, c)).append(" | ").append(ratio(f, u)).append(" |\n");
            }
            md.append("\nJMH's own statistic, mean ± 99.9 % confidence half-width (C: mean ± standard deviation):\n\n| batch |");
            for (String v : variants) {
                md.append(' ').append(v).append(" |");
            }
            md.append(" device |\n|---|").append("---|".repeat(variants.size() + 1)).append('\n');
            for (int b : batches()) {
                md.append("| ").append(b).append(" |");
                for (String v : variants) {
                    md.append(' ').append(cell(score(v, op, b, 512))).append(" |");
                }
                md.append(' ').append(cell(score("device", op, b, 512))).append(" |\n");
            }
            md.append("\nMpps on one core (1000 / median ns per packet):\n\n| batch |");
            for (String v : variants) {
                md.append(' ').append(v).append(" |");
            }
            md.append("\n|---|").append("---|".repeat(variants.size())).append('\n');
            for (int b : batches()) {
                md.append("| ").append(b).append(" |");
                for (String v : variants) {
                    Score sc = score(v, op, b, 512);
                    md.append(' ').append(sc == null ? "–" : fmt(1000 / typical(sc))).append(" |");
                }
                md.append('\n');
            }
            md.append('\n');
        }

        md.append("## Ring size at batch 32 (forward): ns/packet\n\nMedian [best iteration].\n\n| ring |");
        List<String> ringVariants = new ArrayList<>(variants);
        ringVariants.add("device");
        for (String v : ringVariants) {
            md.append(' ').append(v).append(" |");
        }
        md.append(" ffm / C |\n|---|").append("---|".repeat(ringVariants.size() + 1)).append('\n');
        for (int ring : rings()) {
            md.append("| ").append(ring).append(" |");
            for (String v : ringVariants) {
                md.append(' ').append(robust(score(v, "forward", 32, ring))).append(" |");
            }
            md.append(' ').append(ratio(score("ffm", "forward", 32, ring), score("c", "forward", 32, ring))).append(" |\n");
        }
        md.append("\nThe ring's descriptors are 16 bytes each (64 → 1 KiB, 4096 → 64 KiB per ring); the packet ")
                .append("buffers are not touched by any variant.\n\n");

        md.append("## Allocation (JMH `-prof gc`, `gc.alloc.rate.norm`, bytes per packet)\n\n")
                .append("Largest value over all batch sizes and ring sizes measured.\n\n| variant |");
        for (String op : OPS) {
            md.append(' ').append(op).append(" |");
        }
        md.append("\n|---|---|---|---|\n");
        for (String v : variants) {
            if (v.equals("c")) {
                continue;
            }
            md.append("| ").append(v).append(" |");
            for (String op : OPS) {
                double max = maxAlloc(v, op);
                md.append(' ').append(Double.isNaN(max) ? "–" : String.format(Locale.ROOT, "%.4f", max)).append(" |");
            }
            md.append('\n');
        }
        md.append('\n');

        if (!bringup.isEmpty()) {
            md.append(bringup.markdown());
        }

        if (!profiles.isEmpty()) {
            md.append("## Profiles (JFR execution samples, forward at batch 32: `jfr view hot-methods`)\n\n");
            profiles.forEach((name, text) -> md.append("### ").append(name).append("\n\n```\n")
                    .append(text.strip()).append("\n```\n\n"));
        }

        md.append("## Notes and analysis\n\n").append(NOTES_BEGIN).append('\n');
        md.append(notes.isEmpty() ? "(none yet)" : notes).append('\n').append(NOTES_END).append('\n');
        return md.toString();
    }

    double maxAlloc(String variant, String op) {
        var byOp = alloc.get(variant);
        if (byOp == null || !byOp.containsKey(op)) {
            return Double.NaN;
        }
        double max = Double.NaN;
        for (var rings : byOp.get(op).values()) {
            for (double v : rings.values()) {
                max = Double.isNaN(max) ? v : Math.max(max, v);
            }
        }
        return max;
    }

    String goals() {
        StringBuilder g = new StringBuilder("Judged on medians over the measurement iterations (robust on a shared ")
                .append("machine); JMH's mean ± 99.9 % error is given beside them.\n\n")
                .append("| goal | measured | verdict |\n|---|---|---|\n");
        Score f = score("ffm", "forward", 32, 512);
        Score c = score("c", "forward", 32, 512);
        if (f != null && c != null) {
            double r = typical(f) / typical(c);
            g.append("| forward at batch 32: ffm ≤ 1.5 × C | ffm ").append(fmt(typical(f))).append(" ns (mean ")
                    .append(cell(f)).append("), C ").append(fmt(typical(c))).append(" ns: **").append(fmt(r))
                    .append(" ×** | ").append(r <= 1.5 ? "met" : "**missed**").append(" |\n");
        } else {
            g.append("| forward at batch 32: ffm ≤ 1.5 × C | not measured | – |\n");
        }
        List<String> slower = new ArrayList<>();
        List<String> slowerCi = new ArrayList<>();
        int compared = 0;
        for (String op : OPS) {
            for (int b : batches()) {
                Score fs = score("ffm", op, b, 512);
                Score us = score("unsafe", op, b, 512);
                if (fs == null || us == null) {
                    continue;
                }
                compared++;
                // "within the error bars": the medians differ by less than 10 %, the spread this machine shows.
                if (typical(fs) > typical(us) * 1.10) {
                    slower.add(op + "@" + b + " (" + fmt(typical(fs)) + " vs " + fmt(typical(us)) + ")");
                }
                if (fs.mean() - fs.error() > us.mean() + us.error()) {
                    slowerCi.add(op + "@" + b);
                }
            }
        }
        g.append("| ffm at least as fast as unsafe (within the error bars), every op and batch | ")
                .append(slower.isEmpty() ? "all " + compared + " medians within 10 % or faster"
                        : "median more than 10 % slower in " + slower.size() + " of " + compared + ": "
                                + String.join(", ", slower))
                .append("; by JMH's 99.9 % intervals slower in ").append(slowerCi.size()).append(" of ")
                .append(compared).append(slowerCi.isEmpty() ? "" : " (" + String.join(", ", slowerCi) + ")")
                .append(" | ").append(compared == 0 ? "–" : slower.isEmpty() ? "met" : "**missed**").append(" |\n");
        for (String v : List.of("ffm", "ndis")) {
            if (!alloc.containsKey(v)) {
                continue;
            }
            double worst = 0;
            for (String op : OPS) {
                double m = maxAlloc(v, op);
                if (!Double.isNaN(m)) {
                    worst = Math.max(worst, m);
                }
            }
            double floor = 0;
            for (String op : OPS) {
                double m = maxAlloc("unsafe", op);
                if (!Double.isNaN(m)) {
                    floor = Math.max(floor, m);
                }
            }
            // One object per batch shows as >= 16 B/packet at batch 1; JMH's own per-iteration bookkeeping,
            // spread over the packets of a short iteration, stays far below 1 B/packet (see unsafe's figure).
            g.append("| zero allocation on the ").append(v).append(" path (gc.alloc.rate.norm, every batch size) | at most ")
                    .append(String.format(Locale.ROOT, "%.4f", worst)).append(" B/packet (unsafe, which allocates ")
                    .append("nothing: ").append(String.format(Locale.ROOT, "%.4f", floor)).append(") | ")
                    .append(worst < 1.0 ? "met: under 1 B/packet, where one object per packet or per batch would be ≥ 16"
                            : "**missed**").append(" |\n");
        }
        Score n = score("ndis", "forward", 32, 512);
        if (n != null && f != null) {
            double r = typical(n) / typical(f);
            g.append("| NDIS-path forward ≤ 1.5 × raw-ring forward at batch 32 | ndis ").append(fmt(typical(n)))
                    .append(" ns, ffm ").append(fmt(typical(f))).append(" ns: **").append(fmt(r)).append(" ×** | ")
                    .append(r <= 1.5 ? "met" : "**missed**").append(" |\n");
        } else {
            g.append("| NDIS-path forward ≤ 1.5 × raw-ring forward at batch 32 | no ndis_* results in this run | "
                    + "not measured |\n");
        }
        return g.toString();
    }

    // ---- SVG ----------------------------------------------------------------------------------------

    String svg() {
        int panelW = 360;
        int panelH = 300;
        int left = 60;
        int top = 40;
        int gap = 40;
        int width = left + OPS.size() * (panelW + gap) + 110;
        int height = top + panelH + 70;
        List<String> lines = new ArrayList<>(presentVariants());
        lines.add("device");
        double min = Double.MAX_VALUE;
        double max = 0;
        for (String v : lines) {
            for (String op : OPS) {
                for (int b : batches()) {
                    Score s = score(v, op, b, 512);
                    if (s != null && typical(s) > 0) {
                        min = Math.min(min, typical(s));
                        max = Math.max(max, typical(s));
                    }
                }
            }
        }
        if (max == 0) {
            min = 1;
            max = 10;
        }
        double yMin = Math.pow(10, Math.floor(Math.log10(min)));
        double yMax = Math.pow(10, Math.ceil(Math.log10(max)));
        List<Integer> bs = new ArrayList<>(batches());
        StringBuilder s = new StringBuilder();
        s.append("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"").append(width).append("\" height=\"")
                .append(height).append("\" font-family=\"sans-serif\" font-size=\"11\">\n");
        s.append("<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n");
        s.append("<text x=\"").append(left).append("\" y=\"18\" font-size=\"14\">ns per packet against batch size")
                .append(" (median over iterations, ring 512, log scales)</text>\n");
        for (int p = 0; p < OPS.size(); p++) {
            String op = OPS.get(p);
            int x0 = left + p * (panelW + gap);
            s.append("<g>\n<rect x=\"").append(x0).append("\" y=\"").append(top).append("\" width=\"").append(panelW)
                    .append("\" height=\"").append(panelH).append("\" fill=\"none\" stroke=\"#888\"/>\n");
            s.append("<text x=\"").append(x0 + panelW / 2).append("\" y=\"").append(top - 6)
                    .append("\" text-anchor=\"middle\" font-size=\"13\">").append(op).append("</text>\n");
            for (double y = yMin; y <= yMax * 1.0001; y *= 10) {
                for (int k = 1; k < 10 && y * k <= yMax * 1.0001; k++) {
                    double v = y * k;
                    double py = yPos(v, yMin, yMax, top, panelH);
                    s.append("<line x1=\"").append(x0).append("\" x2=\"").append(x0 + panelW).append("\" y1=\"")
                            .append(f1(py)).append("\" y2=\"").append(f1(py)).append("\" stroke=\"")
                            .append(k == 1 ? "#ccc" : "#eee").append("\"/>\n");
                    if (k == 1 || k == 2 || k == 5) {
                        s.append("<text x=\"").append(x0 - 4).append("\" y=\"").append(f1(py + 4))
                                .append("\" text-anchor=\"end\">").append(fmt(v)).append("</text>\n");
                    }
                }
            }
            for (int i = 0; i < bs.size(); i++) {
                double px = x0 + 15 + i * (panelW - 30.0) / Math.max(1, bs.size() - 1);
                s.append("<text x=\"").append(f1(px)).append("\" y=\"").append(top + panelH + 14)
                        .append("\" text-anchor=\"middle\">").append(bs.get(i)).append("</text>\n");
            }
            s.append("<text x=\"").append(x0 + panelW / 2).append("\" y=\"").append(top + panelH + 30)
                    .append("\" text-anchor=\"middle\">batch size</text>\n");
            s.append("<text transform=\"translate(").append(x0 - 42).append(',').append(top + panelH / 2)
                    .append(") rotate(-90)\" text-anchor=\"middle\">ns per packet</text>\n");
            for (String v : lines) {
                StringBuilder pts = new StringBuilder();
                for (int i = 0; i < bs.size(); i++) {
                    Score sc = score(v, op, bs.get(i), 512);
                    if (sc == null || !(typical(sc) > 0)) {
                        continue;
                    }
                    double px = x0 + 15 + i * (panelW - 30.0) / Math.max(1, bs.size() - 1);
                    pts.append(f1(px)).append(',').append(f1(yPos(typical(sc), yMin, yMax, top, panelH))).append(' ');
                }
                if (pts.isEmpty()) {
                    continue;
                }
                s.append("<polyline fill=\"none\" stroke-width=\"2\" stroke=\"").append(COLORS.getOrDefault(v, "#000"))
                        .append('"').append(v.equals("device") ? " stroke-dasharray=\"4,3\"" : "")
                        .append(" points=\"").append(pts.toString().strip()).append("\"/>\n");
            }
            s.append("</g>\n");
        }
        int lx = left + OPS.size() * (panelW + gap) - 10;
        int ly = top + 10;
        for (String v : lines) {
            s.append("<line x1=\"").append(lx).append("\" x2=\"").append(lx + 24).append("\" y1=\"").append(ly)
                    .append("\" y2=\"").append(ly).append("\" stroke-width=\"2\" stroke=\"")
                    .append(COLORS.getOrDefault(v, "#000")).append('"')
                    .append(v.equals("device") ? " stroke-dasharray=\"4,3\"" : "").append("/>\n");
            s.append("<text x=\"").append(lx + 30).append("\" y=\"").append(ly + 4).append("\">")
                    .append(v.equals("c") ? "C (gcc -O2)" : v).append("</text>\n");
            ly += 18;
        }
        s.append("</svg>\n");
        return s.toString();
    }

    static double yPos(double v, double yMin, double yMax, int top, int panelH) {
        double t = (Math.log10(v) - Math.log10(yMin)) / (Math.log10(yMax) - Math.log10(yMin));
        return top + panelH - t * panelH;
    }

    static String f1(double v) {
        return String.format(Locale.ROOT, "%.1f", v);
    }
}

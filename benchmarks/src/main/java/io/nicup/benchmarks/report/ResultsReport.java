package io.nicup.benchmarks.report;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Turns one {@code scripts/bench} run into {@code benchmarks/RESULTS.md} and
 * {@code benchmarks/results-chart.svg}: reads the JMH CSV files ({@code -rf csv}, with {@code -prof gc}),
 * the C baseline's CSV and a key=value machine description, and judges the goals of issue 7. The part of
 * an existing RESULTS.md between {@value #NOTES_BEGIN} and {@value #NOTES_END} (the hand-written
 * analysis) is kept. Reading is {@link ResultsReader}'s job, writing {@link ResultsMarkdown}'s and
 * {@link ResultsChart}'s; this class only wires the command line to them.
 *
 * <p>Usage: {@code ResultsReport --jmh main.csv --rings rings.csv --c c.csv --machine machine.txt
 * [--profile name=file ...] --md RESULTS.md --svg results-chart.svg}
 */
public final class ResultsReport {

    static final String NOTES_BEGIN = "<!-- notes:begin -->";
    static final String NOTES_END = "<!-- notes:end -->";

    public static void main(String[] args) throws IOException {
        BenchResults r = new BenchResults();
        ResultsReader reader = new ResultsReader(r);
        Path md = null;
        Path svg = null;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--jmh", "--rings" -> reader.readJmh(Path.of(args[++i]));
                case "--log" -> reader.readJmhLog(Path.of(args[++i]));
                case "--c" -> reader.readC(Path.of(args[++i]));
                case "--machine" -> reader.readMachine(Path.of(args[++i]));
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
        reader.finish();
        String notes = "";
        if (Files.exists(md)) {
            String old = Files.readString(md);
            int b = old.indexOf(NOTES_BEGIN);
            int e = old.indexOf(NOTES_END);
            if (b >= 0 && e > b) {
                notes = old.substring(b + NOTES_BEGIN.length(), e).strip();
            }
        }
        Files.writeString(svg, new ResultsChart(r).svg(), StandardCharsets.UTF_8);
        String markdown = new ResultsMarkdown(r).markdown(notes, svg.getFileName().toString());
        Files.writeString(md, markdown, StandardCharsets.UTF_8);
    }
}

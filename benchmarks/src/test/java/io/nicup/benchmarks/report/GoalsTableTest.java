package io.nicup.benchmarks.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** The goals' verdicts: forward at batch 32 within 1.3 × C, ffm within 1.10 × unsafe from batch 8 on. */
class GoalsTableTest {

    private final BenchResults results = new BenchResults();

    private void put(String variant, String op, int batch, double median) {
        results.scores.computeIfAbsent(variant, k -> new TreeMap<>()).computeIfAbsent(op, k -> new TreeMap<>())
                .computeIfAbsent(batch, k -> new TreeMap<>()).put(512, new Score(median, 0.1, median, median));
    }

    private String row(String startsWith) {
        for (String line : new GoalsTable(results).markdown().split("\n")) {
            if (line.startsWith(startsWith)) {
                return line;
            }
        }
        throw new AssertionError("no row starting with " + startsWith);
    }

    @Test
    void forwardAtBatch32IsJudgedAgainst1point3TimesC() {
        put("c", "forward", 32, 10.0);
        put("ffm", "forward", 32, 12.9);
        assertThat(row("| forward at batch 32")).contains("1.29 ×").endsWith("| met |");

        put("ffm", "forward", 32, 13.2);
        assertThat(row("| forward at batch 32")).contains("1.32 ×").endsWith("| **missed** |");
    }

    @Test
    void ffmAgainstUnsafeIsJudgedFromBatch8OnWithin10Percent() {
        put("unsafe", "transmit", 4, 10.0);
        put("ffm", "transmit", 4, 20.0);                   // batch 4: fixed costs, not judged
        put("unsafe", "transmit", 8, 10.0);
        put("ffm", "transmit", 8, 10.9);
        put("unsafe", "receive", 32, 10.0);
        put("ffm", "receive", 32, 10.5);
        assertThat(row("| ffm ≤ 1.10 × unsafe")).contains("all 2 medians within 10 %").endsWith("| met |");

        put("ffm", "receive", 32, 11.2);
        assertThat(row("| ffm ≤ 1.10 × unsafe")).contains("1 of 2: receive@32 (11.2 vs 10.0)")
                .endsWith("| **missed** |");
    }
}

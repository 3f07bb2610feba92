package io.nicup.benchmarks.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import jdk.jfr.Recording;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The CPU-time profile charges a loop's time to what the loop calls: a loop that spends most of its CPU
 * in one callee and a little in another shows both, in that order, and nothing of the test's own other
 * work (which runs outside the loop) is counted.
 */
class CpuProfileTest {

    private static volatile long sink;

    @Test
    void chargesTheLoopsTimeToItsCalleesInclusiveAndSelf(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("cpu.jfr");
        try (Recording r = new Recording()) {
            r.enable("jdk.CPUTimeSample").with("throttle", "1ms");
            r.start();
            long end = System.nanoTime() + Duration.ofMillis(1500).toNanos();
            while (System.nanoTime() < end) {
                forward();
            }
            spinOutsideTheLoop(200);
            r.stop();
            r.dump(file);
        }

        String profile = CpuProfile.render(file, "forward");

        assertThat(profile).contains("CPU-time samples (jdk.CPUTimeSample) in forward:");
        int samples = Integer.parseInt(profile.replaceAll("(?s).*in forward: (\\d+) .*", "$1"));
        assertThat(samples).as("samples in the loop").isGreaterThan(100);
        String inclusive = profile.substring(profile.indexOf("inclusive:"), profile.indexOf("self:"));
        assertThat(percent(inclusive, "CpuProfileTest.forward")).isGreaterThan(95.0);
        assertThat(percent(inclusive, "CpuProfileTest.heavy")).isGreaterThan(percent(inclusive, "CpuProfileTest.light"));
        assertThat(percent(inclusive, "CpuProfileTest.light")).isGreaterThan(2.0);
        assertThat(inclusive).doesNotContain("spinOutsideTheLoop");
        assertThat(profile.substring(profile.indexOf("self:"))).contains("CpuProfileTest.work");
    }

    private static double percent(String table, String method) {
        for (String line : table.split("\n")) {
            if (line.endsWith("  " + method)) {
                return Double.parseDouble(line.substring(0, line.indexOf('%')).trim());
            }
        }
        return 0;
    }

    private static void forward() {
        heavy(40_000);
        light(4_000);
    }

    private static void heavy(int n) {
        sink += work(n);
    }

    private static void light(int n) {
        sink += work(n) ^ 1;
    }

    private static void spinOutsideTheLoop(long millis) {
        long end = System.nanoTime() + millis * 1_000_000;
        while (System.nanoTime() < end) {
            sink += work(1000);
        }
    }

    private static long work(int n) {
        long h = sink;
        for (int i = 0; i < n; i++) {
            h = h * 31 + i;
        }
        return h;
    }
}

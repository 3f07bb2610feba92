package io.nicup.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A short soak can still catch a leak: with three cycles or fewer the locked memory is compared with its
 * value before the first cycle, and the descriptors, which the JVM's warm-up makes unreliable that early,
 * are said not to be checked rather than reported steady.
 */
class SoakBaselineTest {

    private static final List<String> IOVAS = List.of("0x100000000");

    private static BringupCycles.Cycle cycle(int i, long fds, long locked) {
        return new BringupCycles.Cycle(i, 10, fds, locked + 64, locked, IOVAS, null);
    }

    @Test
    void oneCycleThatLeavesPagesPinnedFailsAsALeak() {
        var report = BringupCycles.Report.of("mock:82574L", 1, List.of(cycle(1, 9, 8)), 0, null);

        assertThat(report.leak()).isNotNull();
        assertThat(report.leak().exitCode()).isEqualTo(ExitCode.SELFTEST_FAILED);
        assertThat(report.leak().getMessage()).startsWith("DMA mappings leak: locked memory grew: locked_kib_baseline=0"
                + " locked_kib_last=8");
        assertThat(report.lines(false).get(1)).startsWith("dma: locked memory up to 72 KiB while up, 0 KiB before cycle 1,"
                + " 8 KiB after cycle 1 (GREW)");
    }

    @Test
    void aShortSoakSaysTheDescriptorsWereNotCheckedInsteadOfSteady() {
        var report = BringupCycles.Report.of("mock:82574L", 3, List.of(cycle(1, 9, 0), cycle(2, 12, 0), cycle(3, 15, 0)),
                0, null);

        assertThat(report.leak()).isNull();
        assertThat(report.lines(false).getFirst()).isEqualTo("cycles: 3 of 3 up and halted; open fds 15 after cycle 3"
                + " (not checked: the JVM opens files of its own in the first 3 cycles; give --cycles 4 or more)");
        assertThat(report.json()).containsEntry("fds_checked", false).containsEntry("fds_grew", false);
    }

    @Test
    void aLongerSoakComparesWithTheCycleAfterTheWarmUp() {
        var report = BringupCycles.Report.of("mock:82574L", 4,
                List.of(cycle(1, 7, 0), cycle(2, 9, 0), cycle(3, 9, 0), cycle(4, 10, 0)), 0, null);

        assertThat(report.leak().getMessage()).startsWith("file descriptors leak: fds_baseline=9 fds_last=10");
        assertThat(report.lines(false).getFirst()).endsWith("open fds 9 after cycle 3, 10 after cycle 4 (GREW)");
    }

    @Test
    void aShortSoakOnTheSimulatedNicSaysWhatItChecked() {
        CliRun r = CliRun.run(new Environment(() -> {
            throw new AssertionError("a mock device needs no Linux host");
        }, PciIds.none()), "bringup", "mock:82574L", "--cycles", "1");

        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out()).contains("(not checked: the JVM opens files of its own in the first 3 cycles")
                .containsPattern("dma: locked memory up to \\d+ KiB while up, \\d+ KiB before cycle 1, \\d+ KiB after cycle 1"
                        + " \\(steady\\)");
    }
}

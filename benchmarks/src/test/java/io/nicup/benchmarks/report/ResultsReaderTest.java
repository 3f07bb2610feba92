package io.nicup.benchmarks.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ResultsReaderTest {

    @TempDir
    Path dir;

    private static final String CSV = """
            "Benchmark","Mode","Threads","Samples","Score","Score Error (99.9%)","Unit","Param: batch","Param: checks","Param: nic","Param: ringSize"
            "io.nicup.benchmarks.ForwardBenchmark.product_forward","avgt",1,4,500.0,50.0,"ns/op",1,on,82574L,512
            "io.nicup.benchmarks.ForwardBenchmark.product_forward:gc.alloc.rate.norm","avgt",1,4,1.5225,9.0,"B/op",1,on,82574L,512
            """;

    /** JMH's log: three steady iterations, then the last one, which holds the trial's tear-down. */
    private static final String LOG = """
            # Benchmark: io.nicup.benchmarks.ForwardBenchmark.product_forward
            # Parameters: (batch = 1, checks = on, nic = 82574L, ringSize = 512)
            # Warmup Iteration   1: 900.0 ns/op
            Iteration   1: 500.0 ns/op
                             gc.alloc.rate.norm: 0.030 B/op
            Iteration   2: 490.0 ns/op
                             gc.alloc.rate.norm: 0.030 B/op
            Iteration   3: 510.0 ns/op
                             gc.alloc.rate.norm: 0.030 B/op
            Iteration   4: 500.0 ns/op
                             gc.alloc.rate.norm: 6.000 B/op
            """;

    @Test
    void allocationIsTheMedianIterationNotTheMeanThatSpreadsTheTearDownOverEveryPacket() throws IOException {
        BenchResults results = read(true);

        assertThat(results.allocation("product 82574L", "forward", 1, 512)).isEqualTo(0.030);
    }

    @Test
    void withoutTheLogAllocationIsJmhsMean() throws IOException {
        BenchResults results = read(false);

        assertThat(results.allocation("product 82574L", "forward", 1, 512)).isEqualTo(1.5225);
    }

    @Test
    void jmhsApproximateFiguresAreReadAsTheirOrderOfMagnitude() {
        assertThat(ResultsReader.jmhNumber("0.030 B/op")).isEqualTo(0.030);
        assertThat(ResultsReader.jmhNumber("≈ 10⁻³ B/op")).isCloseTo(0.001, org.assertj.core.data.Offset.offset(1e-12));
        assertThat(ResultsReader.jmhNumber("≈ 10⁻⁴ B/op")).isCloseTo(0.0001, org.assertj.core.data.Offset.offset(1e-12));
        assertThat(ResultsReader.jmhNumber("≈ 0 B/op")).isZero();
    }

    private BenchResults read(boolean withLog) throws IOException {
        Path csv = Files.writeString(dir.resolve("r.csv"), CSV);
        Path log = Files.writeString(dir.resolve("r.log"), LOG);
        BenchResults results = new BenchResults();
        ResultsReader reader = new ResultsReader(results);
        reader.readJmh(csv);
        if (withLog) {
            reader.readJmhLog(log);
        }
        reader.finish();
        return results;
    }
}

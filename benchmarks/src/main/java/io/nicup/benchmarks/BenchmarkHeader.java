package io.nicup.benchmarks;

import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The one annotation header every benchmark class inherits. Each invocation moves
 * {@value #PACKETS} packets in batches of {@link Shape#batch}, so with
 * {@code @OperationsPerInvocation(PACKETS)} the score is nanoseconds <b>per packet</b> at every batch size.
 * Override on the command line as usual ({@code -f}, {@code -wi}, {@code -i}, {@code -w}, {@code -r},
 * {@code -p batch=32}).
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 2, jvmArgsAppend = {
        "--enable-native-access=ALL-UNNAMED",
        // The unsafe_* peers use sun.misc.Unsafe memory access, which JDK 24+ warns about by default.
        "--sun-misc-unsafe-memory-access=allow",
        // The launcher's inlining depth (scripts/lib.sh), so the product runs here as it runs for a user;
        // the raw-ring variants compile the same either way (docs/ndis-contract.md §19.7).
        "-XX:MaxInlineLevel=25",
        "-Xms512m", "-Xmx512m"})
@OperationsPerInvocation(BenchmarkHeader.PACKETS)
public abstract class BenchmarkHeader {

    /** Packets per invocation: the largest batch size, and a multiple of every batch size. */
    public static final int PACKETS = 256;
}

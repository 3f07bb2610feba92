package io.nicup.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.management.ManagementFactory;
import java.util.Arrays;
import java.util.function.IntUnaryOperator;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The product's data path allocates nothing per packet once it runs: the very loops the JMH product
 * variants time ({@link ProductPath}: NdisHost, the real 82574L and 82576 miniports, send, completion,
 * indication, return), counted by the JVM's per-thread allocation counter around windows of thousands of
 * packets after a warm-up. A functional check of "allocates nothing", not a timing.
 *
 * <p>While the JIT is still at work the JVM itself allocates now and then on the running thread (a
 * method handle's lambda form customised after enough calls, objects a deoptimised frame rematerialises):
 * a few hundred bytes in one window out of several, seen the same with the interpreter alone
 * ({@code -Xint}), where the product's code allocated nothing. So the check is that some window allocates
 * exactly nothing and no window comes near one byte per packet; anything the product allocated per batch
 * or per packet shows in every window.
 */
class ProductPathAllocationTest {

    private static final int WARM_UP_PACKETS = 20_000;
    private static final int WINDOWS = 8;
    private static final int WINDOW_PACKETS = 4_096;

    @ParameterizedTest(name = "{0} {1} batch {2}")
    @CsvSource({
            "82574L, transmit, 1", "82574L, transmit, 32", "82574L, receive, 1", "82574L, receive, 32",
            "82574L, forward, 1", "82574L, forward, 32",
            "82576, transmit, 1", "82576, transmit, 32", "82576, receive, 1", "82576, receive, 32",
            "82576, forward, 1", "82576, forward, 32"})
    void theSteadyStateSendCompleteReceiveReturnCycleAllocatesNothing(String nic, String loop, int batch) {
        var threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        ProductPath path = new ProductPath(ProductNic.of(nic), batch);
        try {
            IntUnaryOperator run = switch (loop) {
                case "transmit" -> path::transmit;
                case "receive" -> path::receive;
                default -> path::forward;
            };
            run.applyAsInt(WARM_UP_PACKETS);
            long[] allocated = new long[WINDOWS];
            int moved = 0;
            for (int w = 0; w < WINDOWS; w++) {
                long before = threads.getCurrentThreadAllocatedBytes();
                moved += run.applyAsInt(WINDOW_PACKETS);
                allocated[w] = threads.getCurrentThreadAllocatedBytes() - before;
            }

            assertThat(path.shortBatches).as("batches that moved fewer packets than asked").isZero();
            assertThat(moved).isGreaterThanOrEqualTo(WINDOWS * WINDOW_PACKETS);
            assertThat(path.violations()).isEmpty();
            assertThat(Arrays.stream(allocated).min().orElseThrow())
                    .as("bytes allocated in the quietest window of %d packets, windows: %s", WINDOW_PACKETS,
                            Arrays.toString(allocated))
                    .isZero();
            assertThat(Arrays.stream(allocated).max().orElseThrow())
                    .as("bytes allocated in the busiest window of %d packets, windows: %s", WINDOW_PACKETS,
                            Arrays.toString(allocated))
                    .isLessThan(WINDOW_PACKETS);
        } finally {
            path.close();
        }
    }
}

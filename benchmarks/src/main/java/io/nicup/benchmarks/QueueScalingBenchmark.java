package io.nicup.benchmarks;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;

/**
 * Forward per receive queue and its scaling from one queue to two (docs/ndis-contract.md §21.3): the 82576
 * miniport with one receive queue forwarded by one thread, and with two forwarded by two threads, thread
 * i running queue i's DPC ({@link QueuePath}). Score: packets per microsecond, summed over the threads; the
 * scaling is {@code product_forward_2queues / product_forward_1queue}.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class QueueScalingBenchmark extends BenchmarkHeader {

    /** One adapter for the trial; each thread claims the next queue. */
    @State(Scope.Benchmark)
    public abstract static class Adapter {
        @Param({"32"})
        public int batch;

        QueuePath path;
        final AtomicInteger nextQueue = new AtomicInteger();

        abstract int queues();

        @Setup(Level.Trial)
        public void setUp() {
            path = new QueuePath(queues(), batch);
        }

        @TearDown(Level.Trial)
        public void tearDown() {
            try {
                for (int q = 0; q < path.queues; q++) {
                    Variants.checkFullBatches("product_forward queue " + q, path.shortBatches[q]);
                }
                if (!path.violations().isEmpty()) {
                    throw new IllegalStateException("NDIS verifier violations on the per-queue path: queues="
                            + path.queues + ", violations=" + path.violations());
                }
            } finally {
                path.close();
            }
        }
    }

    public static class OneQueue extends Adapter {
        @Override
        int queues() {
            return 1;
        }
    }

    public static class TwoQueues extends Adapter {
        @Override
        int queues() {
            return 2;
        }
    }

    /** The queue this benchmark thread forwards (its DPC's queue). */
    @State(Scope.Thread)
    public static class Queue {
        int q;

        @Setup(Level.Trial)
        public void claim(OneQueue one) {
            q = one.nextQueue.getAndIncrement();
        }
    }

    /** The queue this benchmark thread forwards on the two-queue adapter. */
    @State(Scope.Thread)
    public static class QueueOfTwo {
        int q;

        @Setup(Level.Trial)
        public void claim(TwoQueues two) {
            q = two.nextQueue.getAndIncrement();
            if (q >= 2) {
                throw new IllegalStateException("more threads than queues: run product_forward_2queues with 2 threads");
            }
        }
    }

    @Benchmark
    @Threads(1)
    public int product_forward_1queue(OneQueue adapter, Queue queue) {
        return adapter.path.forward(queue.q, PACKETS);
    }

    @Benchmark
    @Threads(2)
    public int product_forward_2queues(TwoQueues adapter, QueueOfTwo queue) {
        return adapter.path.forward(queue.q, PACKETS);
    }
}

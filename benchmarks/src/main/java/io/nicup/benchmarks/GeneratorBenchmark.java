package io.nicup.benchmarks;

import io.nicup.cli.FrameGenerator;
import io.nicup.ndis.datapath.NetBufferListPool;
import io.nicup.ndis.miniport.intel.IntelAdapter;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * {@code nicup send}'s traffic generator ({@link FrameGenerator}, docs/ndis-contract.md §20) on the product's
 * 82574L path ({@link ProductPath}: {@code NdisHost}, the real miniport, {@link BenchDevice} under it): per
 * batch the generator writes {@code batch} frames into buffers of a 256-NBL send pool (patching the
 * per-frame fields of the buffer that held the frame 256 before) and sends them as one chain, the device
 * transmits them, the TX vector's DPC completes them and the protocol frees them to the pool, as
 * {@code FrameEdge} does under {@code send}. Score: ns per frame, everything included; set beside
 * {@code TransmitBenchmark.product_transmit} (the same path sending the same NBLs unchanged) the
 * difference is the generator's share. With {@code -prof gc}, {@code gc.alloc.rate.norm} is B per frame.
 */
public class GeneratorBenchmark extends BenchmarkHeader {

    /** A generator on the product's 82574L. */
    @State(Scope.Thread)
    public static class Generator {

        /** What {@code send --proto} generates: raw 0x88B5 frames, or UDP over IPv4 (checksums patched). */
        @Param({"raw", "udp4"})
        public String proto;

        /** {@code send --size}: the minimum Ethernet frame without FCS. */
        @Param({"60"})
        public String size;

        ProductPath path;
        NetBufferListPool pool;
        FrameGenerator generator;
        int seq;

        @Setup(Level.Trial)
        public void setUp(Shape shape) {
            ProductChecks.set(true);
            path = new ProductPath(ProductNic.I82574L, shape.batch);
            path.protocol.freeCompletedSends = true;
            pool = path.host.allocateSendPool(path.adapter, 256, 2048);   // what send's session allocates
            generator = FrameGenerator.of("02:00:00:00:00:02", "52:54:00:12:34:56", Integer.MAX_VALUE, size, proto,
                    1, null);
        }

        /** One batch: generate and send, the device transmits, the DPC completes and frees. */
        int batch() {
            int batch = path.batch;
            int sent = generator.submit(path.host, path.adapter, pool, seq, batch);
            seq = (seq + sent) & ((1 << 30) - 1);    // wraps at a multiple of 256: the buffers keep their shape
            path.bench.transmit();
            path.device.raise(IntelAdapter.VECTOR_TX);
            path.host.pollInterrupts(path.adapter);
            int completed = path.protocol.takeCompletedSends();
            if (sent != batch || completed != batch) {
                path.shortBatches++;
            }
            return completed;
        }

        @TearDown(Level.Trial)
        public void tearDown() {
            generator.release();
            try {
                Variants.checkFullBatches("generator", path.shortBatches);
                if (generator.patched() == 0) {
                    throw new IllegalStateException("the generator patched no buffer: rebuilt=" + generator.rebuilt());
                }
                if (!path.violations().isEmpty()) {
                    throw new IllegalStateException("NDIS verifier violations: " + path.violations());
                }
            } finally {
                path.close();
            }
        }
    }

    @Benchmark
    public int generator_transmit(Generator g) {
        int s = 0;
        for (int p = 0; p < PACKETS; p += g.path.batch) {
            s += g.batch();
        }
        return s;
    }
}

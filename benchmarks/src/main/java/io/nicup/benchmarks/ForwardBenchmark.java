package io.nicup.benchmarks;

import org.openjdk.jmh.annotations.Benchmark;

/**
 * Forward: see {@link FfmPath#forwardBatch()} for what one batch does; every variant runs the same loop.
 * Score: ns per packet.
 */
public class ForwardBenchmark extends BenchmarkHeader {

    @Benchmark
    public int ffm_forward(Variants.Ffm s) {
        return s.path.forward(PACKETS);
    }

    @Benchmark
    public int unsafe_forward(Variants.UnsafeVariant s) {
        return s.path.forward(PACKETS);
    }

    @Benchmark
    public int jna_forward(Variants.Jna s) {
        return s.path.forward(PACKETS);
    }

    @Benchmark
    public int bytebuffer_forward(Variants.Buffer s) {
        return s.path.forward(PACKETS);
    }

    @Benchmark
    public int ndis_forward(Variants.Ndis s) {
        return s.path.forward(PACKETS);
    }

    @Benchmark
    public int device_forward(Variants.Device s) {
        return s.path.forward(PACKETS);
    }

    @Benchmark
    public int product_forward(Variants.Product s) {
        return s.path.forward(PACKETS);
    }

    @Benchmark
    public int product_device_forward(Variants.ProductDeviceOnly s) {
        return s.path.forward(PACKETS);
    }

    @Benchmark
    public int product_mixed_forward(Variants.ProductMixed s) {
        return s.path.forward(PACKETS);
    }
}

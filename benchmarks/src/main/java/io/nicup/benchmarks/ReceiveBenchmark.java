package io.nicup.benchmarks;

import org.openjdk.jmh.annotations.Benchmark;

/**
 * Receive: see {@link FfmPath#receiveBatch()} for what one batch does; every variant runs the same loop.
 * Score: ns per packet.
 */
public class ReceiveBenchmark extends BenchmarkHeader {

    @Benchmark
    public int ffm_receive(Variants.Ffm s) {
        return s.path.receive(PACKETS);
    }

    @Benchmark
    public int unsafe_receive(Variants.UnsafeVariant s) {
        return s.path.receive(PACKETS);
    }

    @Benchmark
    public int jna_receive(Variants.Jna s) {
        return s.path.receive(PACKETS);
    }

    @Benchmark
    public int bytebuffer_receive(Variants.Buffer s) {
        return s.path.receive(PACKETS);
    }

    @Benchmark
    public int ndis_receive(Variants.Ndis s) {
        return s.path.receive(PACKETS);
    }

    @Benchmark
    public int device_receive(Variants.Device s) {
        return s.path.receive(PACKETS);
    }

    @Benchmark
    public int product_receive(Variants.Product s) {
        return s.path.receive(PACKETS);
    }

    @Benchmark
    public int product_device_receive(Variants.ProductDeviceOnly s) {
        return s.path.receive(PACKETS);
    }
}

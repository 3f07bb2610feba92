package io.nicup.benchmarks;

import org.openjdk.jmh.annotations.Benchmark;

/**
 * Transmit: see {@link FfmPath#transmitBatch()} for what one batch does; every variant runs the same loop.
 * Score: ns per packet.
 */
public class TransmitBenchmark extends BenchmarkHeader {

    @Benchmark
    public int ffm_transmit(Variants.Ffm s) {
        return s.path.transmit(PACKETS);
    }

    @Benchmark
    public int unsafe_transmit(Variants.UnsafeVariant s) {
        return s.path.transmit(PACKETS);
    }

    @Benchmark
    public int jna_transmit(Variants.Jna s) {
        return s.path.transmit(PACKETS);
    }

    @Benchmark
    public int bytebuffer_transmit(Variants.Buffer s) {
        return s.path.transmit(PACKETS);
    }

    @Benchmark
    public int ndis_transmit(Variants.Ndis s) {
        return s.path.transmit(PACKETS);
    }

    @Benchmark
    public int device_transmit(Variants.Device s) {
        return s.path.transmit(PACKETS);
    }

    @Benchmark
    public int product_transmit(Variants.Product s) {
        return s.path.transmit(PACKETS);
    }

    @Benchmark
    public int product_device_transmit(Variants.ProductDeviceOnly s) {
        return s.path.transmit(PACKETS);
    }
}

package io.nicup.benchmarks;

import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * One JMH state per variant, each building its path over a fresh {@link Fixture} of the trial's
 * {@link Shape}, and checking at tear-down that every batch moved a full batch (so the score is the cost
 * of what it claims to measure).
 */
public final class Variants {

    private Variants() {
    }

    static void checkFullBatches(String variant, long shortBatches) {
        if (shortBatches != 0) {
            throw new IllegalStateException("benchmark moved short batches, the score is not per packet: variant="
                    + variant + ", shortBatches=" + shortBatches);
        }
    }

    @State(Scope.Thread)
    public static class Ffm {
        Fixture fixture;
        FfmPath path;

        @Setup(Level.Trial)
        public void setUp(Shape shape) {
            fixture = new Fixture(shape.ringSize);
            path = new FfmPath(fixture, shape.batch);
        }

        @TearDown(Level.Trial)
        public void tearDown() {
            checkFullBatches("ffm", path.shortBatches);
            fixture.close();
        }
    }

    @State(Scope.Thread)
    public static class UnsafeVariant {
        Fixture fixture;
        UnsafePath path;

        @Setup(Level.Trial)
        public void setUp(Shape shape) {
            fixture = new Fixture(shape.ringSize);
            path = new UnsafePath(fixture, shape.batch);
        }

        @TearDown(Level.Trial)
        public void tearDown() {
            checkFullBatches("unsafe", path.shortBatches);
            fixture.close();
        }
    }

    @State(Scope.Thread)
    public static class Jna {
        Fixture fixture;
        JnaPath path;

        @Setup(Level.Trial)
        public void setUp(Shape shape) {
            fixture = new Fixture(shape.ringSize);
            path = new JnaPath(fixture, shape.batch);
        }

        @TearDown(Level.Trial)
        public void tearDown() {
            checkFullBatches("jna", path.shortBatches);
            fixture.close();
        }
    }

    @State(Scope.Thread)
    public static class Buffer {
        Fixture fixture;
        ByteBufferPath path;

        @Setup(Level.Trial)
        public void setUp(Shape shape) {
            fixture = new Fixture(shape.ringSize);
            path = new ByteBufferPath(fixture, shape.batch);
        }

        @TearDown(Level.Trial)
        public void tearDown() {
            checkFullBatches("bytebuffer", path.shortBatches);
            fixture.close();
        }
    }

    @State(Scope.Thread)
    public static class Ndis {
        Fixture fixture;
        NdisPath path;

        @Setup(Level.Trial)
        public void setUp(Shape shape) {
            fixture = new Fixture(shape.ringSize);
            path = new NdisPath(fixture, shape.batch);
        }

        @TearDown(Level.Trial)
        public void tearDown() {
            checkFullBatches("ndis", path.shortBatches);
            if (!path.violations().isEmpty()) {
                throw new IllegalStateException("NDIS verifier violations on the benchmark path: " + path.violations());
            }
            path.close();
            fixture.close();
        }
    }

    @State(Scope.Thread)
    public static class Device {
        Fixture fixture;
        DevicePath path;

        @Setup(Level.Trial)
        public void setUp(Shape shape) {
            fixture = new Fixture(shape.ringSize);
            path = new DevicePath(fixture, shape.batch);
        }

        @TearDown(Level.Trial)
        public void tearDown() {
            fixture.close();
        }
    }

    /** The product's miniport on the benchmark device: {@link ProductPath}. */
    @State(Scope.Thread)
    public static class Product {
        ProductPath path;

        @Setup(Level.Trial)
        public void setUp(Shape shape, ProductShape product, ProductChecks checks) {
            checks.apply();
            path = new ProductPath(ProductNic.of(product.nic), shape.batch);
        }

        @TearDown(Level.Trial)
        public void tearDown() {
            checkProduct("product", path);
            path.close();
        }
    }

    /**
     * The product's miniport in a JVM that has brought up and run the other Intel family and virtio-net
     * first ({@link MixedFamilies}); fast-path checks on.
     */
    @State(Scope.Thread)
    public static class ProductMixed {
        MixedFamilies others;
        ProductPath path;

        @Setup(Level.Trial)
        public void setUp(Shape shape, ProductShape product) {
            ProductChecks.set(true);
            ProductNic nic = ProductNic.of(product.nic);
            others = new MixedFamilies(nic, shape.batch);
            path = new ProductPath(nic, shape.batch);
        }

        @TearDown(Level.Trial)
        public void tearDown() {
            try {
                checkProduct("product_mixed", path);
                path.close();
            } finally {
                others.close();
            }
        }
    }

    /** The device share of the product variants alone: {@link ProductDevicePath}. */
    @State(Scope.Thread)
    public static class ProductDeviceOnly {
        ProductDevicePath path;

        @Setup(Level.Trial)
        public void setUp(Shape shape, ProductShape product) {
            path = new ProductDevicePath(new ProductPath(ProductNic.of(product.nic), shape.batch));
        }

        @TearDown(Level.Trial)
        public void tearDown() {
            path.close();
        }
    }

    private static void checkProduct(String variant, ProductPath path) {
        checkFullBatches(variant, path.shortBatches);
        if (!path.violations().isEmpty()) {
            throw new IllegalStateException("NDIS verifier violations on the product path: variant=" + variant
                    + ", nic=" + path.nic + ", violations=" + path.violations());
        }
    }
}

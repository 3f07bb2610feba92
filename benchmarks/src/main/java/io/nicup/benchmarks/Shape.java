package io.nicup.benchmarks;

import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;

/** The parameters every variant is measured at; the variant states take them in their {@code @Setup}. */
@State(Scope.Thread)
public class Shape {

    /** Packets per batch: one doorbell write per batch. */
    @Param({"1", "4", "8", "16", "32", "64", "128", "256"})
    public int batch;

    /** Descriptors per ring (TX and RX alike); ixy's default is 512. */
    @Param({"512"})
    public int ringSize;
}

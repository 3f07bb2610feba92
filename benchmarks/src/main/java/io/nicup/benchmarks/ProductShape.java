package io.nicup.benchmarks;

import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;

/** Which product miniport the {@code product_*} variants bring up. */
@State(Scope.Thread)
public class ProductShape {

    /** The Intel family: the 82574L (legacy transmit, extended receive descriptors) or the 82576 (advanced descriptors). */
    @Param({"82574L", "82576"})
    public String nic;
}

package io.nicup.benchmarks;

import io.nicup.ndis.miniport.core.FastPathChecks;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;

/**
 * Whether the product's per-packet consistency checks run ({@link FastPathChecks}, the miniport's
 * verifier: ring index ranges, double frees, buffers handed out twice). The switch is a {@code static final}
 * read once per JVM, so it is set before the first product class is used; each JMH fork is a new JVM,
 * and a trial in a JVM that already chose the other way fails rather than measure the wrong thing. The
 * NDIS verifier itself ({@code NdisHost}'s rule checks, RECORD) has no off switch and runs in both.
 */
@State(Scope.Thread)
public class ProductChecks {

    @Param({"on", "off"})
    public String checks;

    /** Sets the switch for this JVM; call before anything touches the product's data path. */
    void apply() {
        set(switch (checks) {
            case "on" -> true;
            case "off" -> false;
            default -> throw new IllegalArgumentException("checks must be on or off: checks=" + checks);
        });
    }

    static void set(boolean wanted) {
        System.setProperty(FastPathChecks.PROPERTY, Boolean.toString(wanted));
        if (FastPathChecks.ENABLED != wanted) {
            throw new IllegalStateException("this JVM already runs with fast-path checks "
                    + (FastPathChecks.ENABLED ? "on" : "off") + ": run checks=" + (wanted ? "on" : "off")
                    + " in its own fork (-f 1 or more)");
        }
    }
}

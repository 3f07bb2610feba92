package io.nicup.ndis.miniport.core;

/**
 * The switch for the consistency checks on the per-packet paths of the families' queues (the Intel
 * descriptor rings in {@code io.nicup.ndis.miniport.intel}) and of {@link PacketBufferPool}: argument
 * ranges, double frees, buffers handed out twice. They catch driver bugs, never device conditions (those
 * are reported as values), and they throw.
 *
 * <p>{@link #ENABLED} is a {@code static final} constant, so when it is {@code false} the JIT folds every
 * {@code if (FastPathChecks.ENABLED)} away and the checks cost nothing. It is {@code true} when the system
 * property {@code nicup.fastPathChecks} is {@code true}, or, when the property is absent, when assertions
 * are enabled for this package ({@code -ea}, as under the unit tests).
 */
public final class FastPathChecks {

    private FastPathChecks() {
    }

    /** The system property that turns the checks on or off regardless of {@code -ea}. */
    public static final String PROPERTY = "nicup.fastPathChecks";

    public static final boolean ENABLED = enabled();

    private static boolean enabled() {
        String value = System.getProperty(PROPERTY);
        if (value != null) {
            return Boolean.parseBoolean(value);
        }
        return FastPathChecks.class.desiredAssertionStatus();
    }
}

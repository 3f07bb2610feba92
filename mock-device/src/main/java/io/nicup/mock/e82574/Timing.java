package io.nicup.mock.e82574;

import io.nicup.mock.intel.IntelTiming;

/** How long the 82574L model's self-timed operations take: the family's timings ({@link IntelTiming}). */
public final class Timing {

    private Timing() {
    }

    public static final long SOFTWARE_RESET_NANOS = IntelTiming.SOFTWARE_RESET_NANOS;
    public static final long NVM_AUTO_READ_NANOS = IntelTiming.NVM_AUTO_READ_NANOS;
    /** An EERD/EEWR word access. */
    public static final long EERD_NANOS = IntelTiming.EERD_NANOS;
    public static final long MDIC_NANOS = IntelTiming.MDIC_NANOS;
    public static final long AUTONEG_NANOS = IntelTiming.AUTONEG_NANOS;
    public static final long LINK_FLAP_DOWN_NANOS = IntelTiming.LINK_FLAP_DOWN_NANOS;
    public static final long IRQ_STORM_PERIOD_NANOS = IntelTiming.IRQ_STORM_PERIOD_NANOS;
}

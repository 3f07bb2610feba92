package io.nicup.mock.intel;

/**
 * How long the Intel models' self-timed operations take, in virtual nanoseconds, the same on the
 * 82574L and the 82576. QEMU completes most of them synchronously; the models take a little time so
 * that a driver which does not poll for completion fails on the model as it would on the chip.
 */
public final class IntelTiming {

    private IntelTiming() {
    }

    /** CTRL.RST stays set this long (a few microseconds for a software reset on both datasheets). */
    public static final long SOFTWARE_RESET_NANOS = 5_000;
    /** After RST clears, the NVM auto-read completes (EECD.AUTO_RD) this much later; Linux waits up to 10 ms. */
    public static final long NVM_AUTO_READ_NANOS = 2_000_000;
    /** An EERD/EEWR word access. */
    public static final long EERD_NANOS = 10_000;
    /** An MDIC transaction (an MDIO frame at 2.5 MHz is about 26 us). */
    public static final long MDIC_NANOS = 20_000;
    /** Autonegotiation after a restart, as QEMU's {@code e1000x_restart_autoneg} (500 ms of virtual time). */
    public static final long AUTONEG_NANOS = 500_000_000;
    /** How long the link-flap fault keeps the link down before autonegotiation starts again. */
    public static final long LINK_FLAP_DOWN_NANOS = 10_000_000;
    /** Period of the irq-storm fault's re-signalling. */
    public static final long IRQ_STORM_PERIOD_NANOS = 100_000;
}

package io.nicup.mock.e82576;

/**
 * How long the 82576 model's self-timed operations take, in virtual nanoseconds. QEMU's igb completes
 * them synchronously; the model takes a little time so that a driver which does not poll for completion
 * fails on the model as it would on the chip.
 */
public final class Timing {

    private Timing() {
    }

    /** CTRL.RST stays set this long. */
    public static final long SOFTWARE_RESET_NANOS = 5_000;
    /** After RST clears, the NVM auto-read completes (EECD.AUTO_RD); Linux waits up to 10 ms. */
    public static final long NVM_AUTO_READ_NANOS = 2_000_000;
    /** An EERD word read. */
    public static final long EERD_NANOS = 10_000;
    /** An MDIC transaction. */
    public static final long MDIC_NANOS = 20_000;
    /** RXDCTL/TXDCTL.ENABLE reads back this long after it is written (datasheet: software polls for it). */
    public static final long QUEUE_ENABLE_NANOS = 2_000;
    /** Autonegotiation after a restart: QEMU's 500 ms autoneg timer. */
    public static final long AUTONEG_NANOS = 500_000_000;
    /** How long the link-flap fault keeps the link down before autonegotiation starts again. */
    public static final long LINK_FLAP_DOWN_NANOS = 10_000_000;
    /** Period of the irq-storm fault's re-signalling. */
    public static final long IRQ_STORM_PERIOD_NANOS = 100_000;
}

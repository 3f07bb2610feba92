package io.nicup.ndis.miniport.core;

/**
 * Blinking the port LED so a person can find the port ({@code ethtool -p}), in the states Linux's
 * {@code set_phys_id} goes through: {@link #start} (ETHTOOL_ID_ACTIVE), then either nothing until
 * {@link #stop} when the hardware blinks by itself ({@link #togglesPerSecond()} 0), or {@link #on} and
 * {@link #off} alternately at {@link #togglesPerSecond()}; {@link #stop} (ETHTOOL_ID_INACTIVE) puts the
 * LED configuration back as it was before {@link #start}.
 */
public interface LedIdentify {

    /** 0 when {@link #start} leaves the hardware blinking; otherwise how many {@link #on}/{@link #off} calls per second. */
    int togglesPerSecond();

    /** Saves the LED configuration and starts identification. */
    void start();

    void on();

    void off();

    /** The LED configuration as {@link #start} found it. */
    void stop();

    /** The LED configuration register as it is now, for reports ("LEDCTL 0x07068302"). */
    String state();
}

package io.nicup.mock;

/**
 * A simulated NIC's port LEDs over virtual time: what a person looking at the port would have seen, so a
 * test can tell that identification ({@code nicup identify}) really blinked an LED and left the LED
 * configuration as it found it.
 */
public interface PortLeds {

    /** How many LEDs the port has. */
    int count();

    /**
     * How many times LED {@code led} went on or off between the two instants of virtual time; an LED
     * driven by the link or traffic (not by software) counts no changes.
     */
    int toggles(int led, long fromNanos, long toNanos);

    /** The LED configuration register now. */
    int control();
}

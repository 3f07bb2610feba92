package io.nicup.ndis.miniport.core;

import io.nicup.ndis.NdisHost;
import java.time.Duration;
import java.util.function.BooleanSupplier;

/**
 * Waiting for a link in device-clock time, running NDIS timers and polled interrupts meanwhile: what to
 * do before sending after a restart, and the link test of {@code ethtool -t}.
 */
public final class LinkWait {

    private LinkWait() {
    }

    /** Polls {@code linkUp} every 10 ms until it is true (then true) or {@code timeout} passed (false). */
    public static boolean await(NdisHost host, Duration timeout, BooleanSupplier linkUp) {
        long deadline = host.clock().nanoTime() + timeout.toNanos();
        while (true) {
            if (linkUp.getAsBoolean()) {
                return true;
            }
            if (host.clock().nanoTime() - deadline >= 0) {
                return false;
            }
            host.idle(Duration.ofMillis(10));
        }
    }
}

package io.nicup.ndis.miniport.intel;

import io.nicup.ndis.NdisHost;
import io.nicup.ndis.miniport.core.SelfTestResult.Outcome;
import io.nicup.ndis.miniport.core.SelfTestResult;
import io.nicup.vfio.DeviceClock;
import java.time.Duration;

/**
 * The link self-test of {@code ethtool -t} (Linux {@code e1000_link_test}, {@code igb_link_test}): STATUS.LU
 * within a timeout (Linux: 5 s). Not a bracketed test: it only reads STATUS, so it runs with the adapter
 * as it is.
 */
public final class LinkTest {

    private LinkTest() {
    }

    /** What the test reads: STATUS and its decoding, which each family's hardware class provides. */
    public interface LinkStatus {
        /** Whether STATUS.LU is set. */
        boolean linkUp();

        /** Link speed in bits per second from STATUS. */
        long linkSpeed();

        /** Whether STATUS.FD is set. */
        boolean fullDuplex();

        /** STATUS as read, for the failure message. */
        int readStatus();
    }

    /** Polls {@code link} every 10 ms of host idle time until LU or {@code timeout}. */
    public static SelfTestResult run(LinkStatus link, DeviceClock clock, NdisHost host, Duration timeout) {
        long deadline = clock.nanoTime() + timeout.toNanos();
        long start = clock.nanoTime();
        while (!link.linkUp()) {
            if (clock.nanoTime() - deadline >= 0) {
                return new SelfTestResult("link", Outcome.FAIL, "STATUS.LU not set within " + timeout.toMillis() + " ms (STATUS=0x"
                        + Integer.toHexString(link.readStatus()) + ")");
            }
            host.idle(Duration.ofMillis(10));
        }
        return new SelfTestResult("link", Outcome.PASS, String.format("link up at %d Mb/s %s duplex after %d ms",
                link.linkSpeed() / 1_000_000, link.fullDuplex() ? "full" : "half", (clock.nanoTime() - start) / 1_000_000));
    }
}

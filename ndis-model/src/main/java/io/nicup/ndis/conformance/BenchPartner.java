package io.nicup.ndis.conformance;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * The far end of a real NIC's cable as the bench provides it (docs/ndis-contract.md §18): a reflector that
 * echoes every frame (or nothing), and a link command (or none). Nothing here sees the wire itself: what the
 * NIC sent is known from what comes back.
 */
final class BenchPartner implements LinkPartner {

    /** The longest a reflected frame may take: a round trip through a switch port, or QEMU's socket and host. */
    static final Duration ROUND_TRIP = Duration.ofSeconds(2);
    /** How long a frame that must not come back is given to show itself. */
    static final Duration QUIET = Duration.ofMillis(200);

    private final boolean reflects;
    private final Optional<LinkControl> link;

    BenchPartner(boolean reflects, Optional<LinkControl> link) {
        this.reflects = reflects;
        this.link = link;
    }

    @Override
    public boolean bringsFrames() {
        return reflects;
    }

    /** Sends {@code frames} from the NIC: the reflection brings them back as frames from outside. */
    @Override
    public int toNic(CheckContext c, List<byte[]> frames) {
        if (!reflects) {
            throw new IllegalStateException("no frames from outside without a reflector");
        }
        return c.send(frames);
    }

    @Override
    public boolean reflects() {
        return reflects;
    }

    @Override
    public Optional<List<byte[]>> transmitted() {
        return Optional.empty();
    }

    @Override
    public boolean pullsLink() {
        return link.isPresent();
    }

    @Override
    public void setLink(boolean up) {
        link.orElseThrow(() -> new IllegalStateException("no link command")).set(up);
    }

    @Override
    public Duration arrival(Duration onSimulatedWire) {
        return onSimulatedWire.compareTo(ROUND_TRIP) > 0 ? onSimulatedWire : ROUND_TRIP;
    }

    @Override
    public Duration quiet(Duration onSimulatedWire) {
        return onSimulatedWire.compareTo(QUIET) > 0 ? onSimulatedWire : QUIET;
    }
}

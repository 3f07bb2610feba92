package io.nicup.ndis.conformance;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * The other end of the NIC's cable, as the checks that need one see it (docs/ndis-contract.md §18): a way to
 * get frames to the NIC from outside, a way to see what it sent, a link to pull. A simulated NIC's wire does
 * all three; on real hardware a reflector (a loopback plug, a reflector port, the QEMU suite's host side)
 * brings frames back that the NIC sent itself with source {@link CheckContext#PEER}, and a link command pulls
 * the link. What a partner cannot do, the check that needs it skips, naming the option that provides it.
 */
public interface LinkPartner {

    /** Why the checks that need frames from outside skip without frames from outside. */
    String NEEDS_FRAMES = "needs frames from outside the NIC: give --peer reflect with a reflector at the far end"
            + " (a loopback plug, a reflector port)";
    /** Why link skips without a link to pull. */
    String NEEDS_LINK = "needs the link pulled: give --link-command CMD (CMD down / CMD up pull and plug it)";

    /** Whether frames can reach the NIC from outside ({@link #toNic}). */
    boolean bringsFrames();

    /**
     * Puts {@code frames} on the wire towards the NIC: injected at the far end, or sent by the NIC for the
     * reflection to bring back. How many left (a send pool may run short).
     */
    int toNic(CheckContext c, List<byte[]> frames);

    /** Whether every frame the NIC sends comes back to it. */
    boolean reflects();

    /** What the NIC transmitted since the last call, oldest first, when this partner sees the wire; else empty. */
    Optional<List<byte[]>> transmitted();

    /** Whether {@link #setLink} can pull the link. */
    boolean pullsLink();

    /**
     * Pulls ({@code false}) or plugs the link.
     *
     * @throws LinkControl.LinkControlException when the far end could not
     */
    void setLink(boolean up);

    /**
     * How long a check waits for frames that must arrive, given what it waits on a simulated wire: a reflector
     * on a real clock adds a round trip through the far end.
     */
    Duration arrival(Duration onSimulatedWire);

    /** How long a check waits for a frame that must not arrive to show itself. */
    Duration quiet(Duration onSimulatedWire);

    /** A simulated NIC's wire: injects, captures and pulls the link, on the NIC's virtual clock. */
    static LinkPartner wire(SimulatedWire wire) {
        return new WirePartner(wire);
    }

    /** A far end that echoes every frame, with a link to pull when {@code link} is given. */
    static LinkPartner reflector(Optional<LinkControl> link) {
        return new BenchPartner(true, link);
    }

    /** Nothing at the far end the battery can use, apart from a link to pull when {@code link} is given. */
    static LinkPartner none(Optional<LinkControl> link) {
        return new BenchPartner(false, link);
    }
}

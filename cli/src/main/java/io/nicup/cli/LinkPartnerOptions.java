package io.nicup.cli;

import io.nicup.mock.MockPciDevice;
import io.nicup.ndis.conformance.LinkControl;
import io.nicup.ndis.conformance.LinkPartner;
import io.nicup.ndis.conformance.SimulatedWire;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;
import picocli.CommandLine.Option;

/**
 * {@code --peer} and {@code --link-command} of {@code nicup conformance}: what is at the far end of the cable
 * (docs/ndis-contract.md §18). Checked before the device is opened; turned into the battery's
 * {@link LinkPartner} once it is.
 */
final class LinkPartnerOptions {

    /** The far ends nicup knows. */
    enum Peer {
        /** Echoes every frame: a loopback plug, a reflector port, the QEMU suite's host side. */
        REFLECT
    }

    /** How long a reflected frame takes on the simulated wire: a loopback plug's cable and PHY. */
    static final long MOCK_REFLECTION_NANOS = 20_000;

    @Option(names = "--peer", paramLabel = "KIND",
            description = "What is at the far end of the cable: reflect (it echoes every frame: a loopback plug,"
                    + " a reflector port). packet-filters, priority, checksum-offload, large-send and rss send the frames from"
                    + " outside from the NIC"
                    + " itself and let the reflection bring them back; without it they are SKIPPED on real"
                    + " hardware.")
    String peer;

    @Option(names = "--link-command", paramLabel = "CMD",
            description = "An executable the link check runs as CMD down and CMD up to pull and plug the link"
                    + " (no shell; NICUP_DEVICE set; exit 0 within 60 s once done, else the check fails with its"
                    + " last stderr line). Without it link is SKIPPED on real hardware.")
    Path linkCommand;

    /** The options checked (exit 2 before anything is touched); the command, if any. */
    Optional<Peer> peer() {
        if (peer == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(Peer.valueOf(peer.strip().toUpperCase(Locale.ROOT)));
        } catch (IllegalArgumentException e) {
            throw new CliException(ExitCode.USAGE, "unknown --peer '" + peer + "'", "give --peer reflect when the far"
                    + " end of the cable echoes every frame (a loopback plug, a reflector port), or leave it out");
        }
    }

    Optional<LinkCommand> command(String device) {
        return Optional.ofNullable(linkCommand).map(c -> LinkCommand.of(c, device));
    }

    /**
     * The battery's far end. On a simulated NIC the reflector is its wire echoing each frame, and a link command
     * runs and then pulls the simulated cable, so a bench script can be tried before the bench.
     */
    static LinkPartner partner(Session s, Optional<Peer> peer, Optional<LinkCommand> command) {
        if (!s.isMock()) {
            Optional<LinkControl> link = command.map(c -> c);
            return peer.isPresent() ? LinkPartner.reflector(link) : LinkPartner.none(link);
        }
        MockPciDevice mock = s.mock;
        LinkControl cable = up -> {
            command.ifPresent(c -> c.set(up));
            mock.wire().setLink(up);
        };
        if (peer.isPresent()) {
            mock.wire().addListener(f -> mock.wire().injectAfter(MOCK_REFLECTION_NANOS, f));
            return LinkPartner.reflector(Optional.of(cable));
        }
        return LinkPartner.wire(SimulatedWire.of(mock.wire()::inject, mock.wire()::pollCaptured, cable::set,
                mock::surpriseRemove));
    }
}

package io.nicup.ndis.conformance;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** A simulated NIC's wire as the link partner: frames injected at the far end, the wire captured, the cable pulled. */
final class WirePartner implements LinkPartner {

    private final SimulatedWire wire;

    WirePartner(SimulatedWire wire) {
        this.wire = wire;
    }

    @Override
    public boolean bringsFrames() {
        return true;
    }

    @Override
    public int toNic(CheckContext c, List<byte[]> frames) {
        frames.forEach(wire::inject);
        return frames.size();
    }

    @Override
    public boolean reflects() {
        return false;
    }

    @Override
    public Optional<List<byte[]>> transmitted() {
        return Optional.of(wire.takeTransmitted());
    }

    @Override
    public boolean pullsLink() {
        return true;
    }

    @Override
    public void setLink(boolean up) {
        wire.setLink(up);
    }

    @Override
    public Duration arrival(Duration onSimulatedWire) {
        return onSimulatedWire;
    }

    @Override
    public Duration quiet(Duration onSimulatedWire) {
        return onSimulatedWire;
    }
}

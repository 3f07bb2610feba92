package io.nicup.ndis.conformance;

import io.nicup.ndis.MacAddress;
import io.nicup.ndis.oid.MediaConnectState;
import io.nicup.ndis.oid.NdisLinkState;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * HLK's LinkCheck (docs/ndis-contract.md §6): the link pulled briefly; pulled for longer than
 * NdisTimedDataHang's 22 s with sends queued; and pulled before MiniportInitializeEx, plugged in after the
 * restart. Each time NDIS_STATUS_LINK_STATE must say disconnected, then connected, in that order; every send
 * queued meanwhile completes (the verifier times it); traffic resumes byte for byte. Needs a link to pull
 * (docs/ndis-contract.md §18): a simulated NIC's wire, or on real hardware a link command (a switch port shut,
 * QEMU's set_link in the QEMU suite). Traffic resuming is seen on the simulated wire, in what a reflector brings
 * back, or without either only in the sends completing with SUCCESS.
 */
final class LinkCheck implements ConformanceCheck {

    static final Duration BRIEF = Duration.ofMillis(200);
    static final Duration LONG = Duration.ofSeconds(25);
    static final Duration LINK_BACK = Duration.ofSeconds(5);
    /** Autonegotiation on a real link takes seconds (1000BASE-T: about 3). */
    static final Duration LINK_BACK_REAL = Duration.ofSeconds(15);

    @Override
    public String name() {
        return "link";
    }

    @Override
    public String mirrors() {
        return "HLK LinkCheck";
    }

    @Override
    public CheckResult run(CheckContext c) {
        LinkPartner wire = c.partner();
        if (!wire.pullsLink()) {
            return CheckResult.skipped(LinkPartner.NEEDS_LINK);
        }
        Optional<CheckResult> down = c.running(CheckContext.DEFAULT_FILTER);
        if (down.isPresent()) {
            return down.get();
        }
        wire.transmitted();
        Optional<String> wrong;
        try {
            wrong = pulled(c, wire, BRIEF, 0);
            if (wrong.isEmpty()) {
                wrong = pulled(c, wire, LONG, 8);
            }
            if (wrong.isEmpty()) {
                wrong = pulledAcrossInitialize(c, wire);
            }
        } catch (LinkControl.LinkControlException e) {
            wrong = Optional.of(e.getMessage());
        }
        String resumed = wire.transmitted().isPresent() || wire.reflects() ? "traffic resumed"
                : "sends completed again (nothing here sees the wire)";
        return wrong.map(w -> CheckResult.fail(w)).orElseGet(() -> CheckResult.pass("link down " + BRIEF.toMillis()
                + " ms, down " + LONG.toSeconds() + " s with 8 sends queued, and down across halt and initialize: each"
                + " time disconnected then connected indicated, queued sends completed, " + resumed));
    }

    private static Duration linkBack(CheckContext c) {
        return c.target().simulated() ? LINK_BACK : LINK_BACK_REAL;
    }

    /** Link down for {@code d} with {@code queued} sends issued meanwhile, then up: what went wrong, if anything. */
    private static Optional<String> pulled(CheckContext c, LinkPartner wire, Duration d, int queued) {
        String phase = "link down " + (d.toMillis() < 1000 ? d.toMillis() + " ms" : d.toSeconds() + " s");
        int mark = c.edge().linkStates().size();
        wire.setLink(false);
        c.pump(Duration.ofMillis(50));
        long before = c.sendsCompleted();
        int sent = queued == 0 ? 0 : c.send(Frames.frames(CheckContext.PEER, c.mac(), queued, 128, 70_000));
        c.pump(d);
        if (c.sendsCompleted() - before != sent) {
            return Optional.of(phase + ": " + (c.sendsCompleted() - before) + " of " + sent + " sends queued while down"
                    + " completed");
        }
        wire.setLink(true);
        Optional<String> order = indicated(c, mark, phase);
        return order.isPresent() ? order : trafficResumes(c, wire, phase);
    }

    /** Halt, link down, initialize and restart, link up. */
    private static Optional<String> pulledAcrossInitialize(CheckContext c, LinkPartner wire) {
        String phase = "link down across halt and initialize";
        c.halt();
        wire.setLink(false);
        int mark = c.edge().linkStates().size();
        Optional<CheckResult> up = c.initialized().or(() -> c.restartedWithoutLink(CheckContext.DEFAULT_FILTER));
        if (up.isPresent()) {
            return Optional.of(phase + ": " + up.get().detail());
        }
        c.pump(Duration.ofMillis(50));
        if (c.adapter().linkState().mediaConnectState() == MediaConnectState.MediaConnectStateConnected) {
            return Optional.of(phase + ": the adapter says connected with the link down: " + c.adapter().linkState());
        }
        wire.setLink(true);
        Optional<String> order = connectedAfter(c, mark, phase);
        return order.isPresent() ? order : trafficResumes(c, wire, phase);
    }

    /** Since {@code mark}: a disconnected indication, then connected within {@link #LINK_BACK}. */
    private static Optional<String> indicated(CheckContext c, int mark, String phase) {
        c.await(() -> lastConnected(c, mark), linkBack(c));
        List<MediaConnectState> seen = states(c, mark);
        int disconnected = seen.indexOf(MediaConnectState.MediaConnectStateDisconnected);
        if (disconnected < 0 || !seen.subList(disconnected, seen.size()).contains(MediaConnectState.MediaConnectStateConnected)
                || !lastConnected(c, mark)) {
            return Optional.of(phase + ": link-state indications " + seen + " (wanted disconnected, then connected)");
        }
        return Optional.empty();
    }

    /** Since {@code mark}: no connected indication before the link came up, connected within {@link #LINK_BACK}. */
    private static Optional<String> connectedAfter(CheckContext c, int mark, String phase) {
        c.await(() -> lastConnected(c, mark), linkBack(c));
        if (!lastConnected(c, mark)) {
            return Optional.of(phase + ": link-state indications " + states(c, mark) + " (wanted connected at the end)");
        }
        return Optional.empty();
    }

    private static boolean lastConnected(CheckContext c, int mark) {
        List<MediaConnectState> seen = states(c, mark);
        return !seen.isEmpty() && seen.getLast() == MediaConnectState.MediaConnectStateConnected;
    }

    private static List<MediaConnectState> states(CheckContext c, int mark) {
        List<NdisLinkState> all = c.edge().linkStates();
        List<MediaConnectState> out = new ArrayList<>();
        for (NdisLinkState s : all.subList(Math.min(mark, all.size()), all.size())) {
            out.add(s.mediaConnectState());
        }
        return out;
    }

    /**
     * 8 sends complete with SUCCESS and reach the wire byte for byte (a simulated wire), come back byte for
     * byte (a reflector: sent to the NIC's own address), or only complete (nothing sees the wire).
     */
    private static Optional<String> trafficResumes(CheckContext c, LinkPartner wire, String phase) {
        wire.transmitted();
        c.edge().clearReceived();
        MacAddress to = wire.reflects() ? c.mac() : CheckContext.PEER;
        MacAddress from = wire.reflects() ? CheckContext.PEER : c.mac();
        List<byte[]> frames = Frames.frames(to, from, 8, 300, 80_000);
        long okBefore = c.edge().completedOk();
        int n = c.send(frames);
        c.await(() -> c.edge().completedOk() >= okBefore + n
                && (!wire.reflects() || c.edge().received().size() >= n), wire.arrival(Duration.ofSeconds(2)));
        long ok = c.edge().completedOk() - okBefore;
        Optional<List<byte[]>> seen = wire.transmitted();
        if (seen.isEmpty() && !wire.reflects()) {
            return ok == frames.size() ? Optional.empty() : Optional.of(phase + ": after the link came back " + ok
                    + " of " + frames.size() + " sends completed with SUCCESS");
        }
        List<byte[]> onWire = seen.orElseGet(() -> c.edge().received());
        if (ok != frames.size() || onWire.size() < frames.size() || seen.isPresent() && onWire.size() != frames.size()) {
            return Optional.of(phase + ": after the link came back " + ok + " of " + frames.size()
                    + " sends completed with SUCCESS and " + onWire.size()
                    + (seen.isPresent() ? " reached the wire" : " came back from the reflector"));
        }
        for (int i = 0; i < frames.size(); i++) {
            byte[] f = frames.get(i);
            if (seen.isPresent() ? !Frames.same(f, onWire.get(i)) : onWire.stream().noneMatch(r -> Frames.same(f, r))) {
                return Optional.of(phase + ": frame " + i + (seen.isPresent() ? " reached the wire changed"
                        : " did not come back from the reflector byte for byte"));
            }
        }
        return Optional.empty();
    }
}

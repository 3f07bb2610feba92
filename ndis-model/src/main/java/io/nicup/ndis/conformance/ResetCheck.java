package io.nicup.ndis.conformance;

import io.nicup.ndis.MacAddress;
import io.nicup.ndis.NdisStatus;
import io.nicup.ndis.adapter.ResetResult;
import io.nicup.ndis.datapath.NetBufferListPool;
import io.nicup.ndis.oid.MediaConnectState;
import io.nicup.ndis.oid.NdisLinkState;
import io.nicup.ndis.oid.OidResult;
import io.nicup.ndis.protocol.FrameEdge;
import io.nicup.ndis.trace.TimedRules;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * MiniportResetEx under traffic (docs/ndis-contract.md §17): cycles in which NDIS resets the adapter, as it
 * does when MiniportCheckForHangEx reports a hang, while a chain larger than any ring is in flight and, on a
 * simulated NIC, frames arrive. Each reset must complete (at once or through NdisMResetComplete) within
 * {@link #RESET_BOUND}; every send must complete exactly once, with SUCCESS or the status of a send the reset
 * cancelled; the link must be indicated connected again; on a simulated wire the packet filter, multicast
 * list and address must be in force afterwards and every frame completed with SUCCESS must have reached the
 * wire once, byte for byte; traffic must resume. The verifier meanwhile checks double completions.
 */
final class ResetCheck implements ConformanceCheck {

    static final int CYCLES = 5;
    /** More than any ring holds, in one chain: some in the ring at the reset, the rest waiting in the driver. */
    static final int SENDS = 1024;
    static final int INJECTED = 16;
    static final int AFTER = 8;
    /** nicup's bound for a reset: no Driver Verifier rule times MiniportResetEx (docs/ndis-contract.md §17). */
    static final Duration RESET_BOUND = TimedRules.PAUSE_COMPLETE;
    /** Five CheckForHang periods (2 s each) for the connected indication to follow the link register. */
    static final Duration LINK_INDICATION_BOUND = Duration.ofSeconds(10);
    static final MacAddress LISTED = MacAddress.parse("01:00:5e:00:00:01");
    static final MacAddress UNLISTED = MacAddress.parse("01:00:5e:7f:00:02");
    static final MacAddress ELSEWHERE = MacAddress.parse("02:00:00:00:00:c1");
    /** A send the reset cancelled: docs/ndis-contract.md §17 (SEND_ABORTED is REQUEST_ABORTED's value). */
    private static final List<Integer> CANCELLED = List.of(NdisStatus.RESET_IN_PROGRESS, NdisStatus.SEND_ABORTED);

    @Override
    public String name() {
        return "reset";
    }

    @Override
    public String mirrors() {
        return "NDIS reset (MiniportResetEx, NdisMResetComplete; WDD hardware-reset), Driver Verifier send rules";
    }

    @Override
    public CheckResult run(CheckContext c) {
        Optional<CheckResult> down = c.running(CheckContext.DEFAULT_FILTER);
        if (down.isPresent()) {
            return down.get();
        }
        OidResult list = FrameEdge.setMulticastList(c.host(), c.adapter(), List.of(LISTED));
        if (!list.succeeded()) {
            return CheckResult.fail("the multicast list [" + LISTED + "] was refused: " + list);
        }
        c.wire().ifPresent(SimulatedWire::takeTransmitted);
        NetBufferListPool pool = c.host().allocateSendPool(c.adapter(), SENDS, 256);
        Tally tally = new Tally();
        for (int cycle = 1; cycle <= CYCLES; cycle++) {
            Optional<String> wrong = cycle(c, pool, cycle, tally);
            if (wrong.isPresent()) {
                return CheckResult.fail("cycle " + cycle + ": " + wrong.get());
            }
        }
        return CheckResult.pass(tally.summary(c.wire().isPresent()));
    }

    /** One reset with {@link #SENDS} sends in flight: what went wrong, if anything. */
    private static Optional<String> cycle(CheckContext c, NetBufferListPool pool, int cycle, Tally tally) {
        int firstSeq = cycle * 100_000;
        if (c.wire().isPresent()) {
            c.pump(Duration.ofMillis(1));
            for (int i = 0; i < INJECTED; i++) {
                c.wire().get().inject(Frames.frame(c.mac(), CheckContext.PEER, 120, firstSeq + 50_000 + i));
            }
            c.pump(Duration.ofNanos(200_000));         // receives under way when the reset comes
        }
        Completions before = Completions.of(c.edge());
        long completedBefore = c.sendsCompleted();
        List<byte[]> frames = Frames.frames(CheckContext.PEER, c.mac(), SENDS, 128, firstSeq);
        int sent = FrameEdge.send(c.host(), c.adapter(), pool, frames);
        c.pump(Duration.ofNanos(20_000));
        int linkMark = c.edge().linkStates().size();

        Optional<String> reset = reset(c, tally);
        if (reset.isPresent()) {
            return reset;
        }
        // reported, not failed: docs/ndis-contract.md §17
        tally.held += sent - (c.sendsCompleted() - completedBefore);
        if (!c.target().driver().awaitLink(c.host(), c.adapter(), Duration.ofSeconds(10))) {
            return Optional.of("the link did not come back within 10 s after the reset: " + c.adapter().linkState());
        }
        c.await(() -> c.sendsCompleted() - completedBefore >= sent, TimedRules.SEND_COMPLETE);
        Completions after = Completions.of(c.edge());
        Optional<String> counted = counted(before, after, sent, tally);
        if (counted.isPresent()) {
            return counted;
        }
        Optional<String> link = linkIndicated(c, linkMark);
        if (link.isPresent()) {
            return link;
        }
        if (c.wire().isPresent()) {
            Optional<String> wire = onWireOnce(c.wire().get().takeTransmitted(), frames, after.ok() - before.ok());
            if (wire.isPresent()) {
                return wire;
            }
            Optional<String> addressing = addressingInForce(c, firstSeq + 60_000);
            if (addressing.isPresent()) {
                return addressing;
            }
        }
        return trafficResumes(c, firstSeq + 70_000);
    }

    /** NdisHost.reset, and NdisMResetComplete within the bound when it pends. */
    private static Optional<String> reset(CheckContext c, Tally tally) {
        long start = c.now();
        int status = c.host().reset(c.adapter());
        if (status == NdisStatus.PENDING) {
            tally.pended++;
            if (!c.await(() -> !c.adapter().resetPending(), RESET_BOUND)) {
                return Optional.of("MiniportResetEx returned PENDING and NdisMResetComplete did not come within "
                        + RESET_BOUND.toSeconds() + " s");
            }
        }
        long took = c.now() - start;
        ResetResult done = c.adapter().lastReset();
        if (done == null || done.status() != NdisStatus.SUCCESS) {
            return Optional.of("the reset completed with " + (done == null ? "nothing" : NdisStatus.name(done.status()))
                    + ", not NDIS_STATUS_SUCCESS");
        }
        if (took > RESET_BOUND.toNanos()) {
            return Optional.of(String.format("the reset took %.3f ms (bound %d s)", took / 1e6, RESET_BOUND.toSeconds()));
        }
        tally.longestNanos = Math.max(tally.longestNanos, took);
        tally.addressing += done.addressingReset() ? 1 : 0;
        return Optional.empty();
    }

    /** Every send of the cycle completed once, each with SUCCESS or a cancelled send's status. */
    private static Optional<String> counted(Completions before, Completions after, int sent, Tally tally) {
        long ok = after.ok() - before.ok();
        long cancelled = after.cancelled() - before.cancelled();
        long other = after.failed() - before.failed() - cancelled;
        long completed = ok + cancelled + other;
        String counts = ok + " SUCCESS, " + cancelled + " cancelled, " + other + " other";
        if (completed != sent) {
            return Optional.of("of " + sent + " sends in flight at the reset " + completed + " completed within "
                    + TimedRules.SEND_COMPLETE.toSeconds() + " s (" + counts + ")");
        }
        if (other != 0) {
            return Optional.of(other + " sends completed with another status than SUCCESS,"
                    + " NDIS_STATUS_RESET_IN_PROGRESS or NDIS_STATUS_REQUEST_ABORTED (last: "
                    + NdisStatus.name(after.lastFailure()) + "); " + counts);
        }
        tally.sent += sent;
        tally.ok += ok;
        tally.cancelled += cancelled;
        return Optional.empty();
    }

    /** The sends completed so far, by what their status says. */
    private record Completions(long ok, long cancelled, long failed, int lastFailure) {

        static Completions of(FrameEdge edge) {
            long cancelled = 0;
            for (int status : CANCELLED) {
                cancelled += edge.completedFailedWith(status);
            }
            return new Completions(edge.completedOk(), cancelled, edge.completedFailed(), edge.lastFailureStatus());
        }
    }

    /**
     * Within {@link #LINK_INDICATION_BOUND} of the link being back, the last link indication says connected.
     * The indication trails the register: it comes from the link-change interrupt's DPC or, when that
     * interrupt is lost across the reset, from the watchdog that re-reads the link every CheckForHang period.
     */
    private static Optional<String> linkIndicated(CheckContext c, int mark) {
        c.await(() -> lastIndicated(c) == MediaConnectState.MediaConnectStateConnected, LINK_INDICATION_BOUND);
        List<NdisLinkState> all = c.edge().linkStates();
        List<MediaConnectState> since = all.subList(Math.min(mark, all.size()), all.size()).stream()
                .map(NdisLinkState::mediaConnectState).toList();
        MediaConnectState last = lastIndicated(c);
        if (last != MediaConnectState.MediaConnectStateConnected) {
            return Optional.of("with the link back " + LINK_INDICATION_BOUND.toSeconds() + " s the last link-state"
                    + " indication says " + last + " (indicated since the reset: " + since + ")");
        }
        return Optional.empty();
    }

    private static MediaConnectState lastIndicated(CheckContext c) {
        List<NdisLinkState> all = c.edge().linkStates();
        return all.isEmpty() ? c.adapter().linkState().mediaConnectState() : all.getLast().mediaConnectState();
    }

    /** Every SUCCESS of the cycle's chain on the wire exactly once, byte for byte; nothing else of it. */
    private static Optional<String> onWireOnce(List<byte[]> onWire, List<byte[]> sent, long ok) {
        int first = Frames.seq(sent.getFirst());
        int[] seen = new int[sent.size()];
        long ours = 0;
        for (byte[] f : onWire) {
            int i = Frames.seq(f) - first;
            if (i < 0 || i >= sent.size()) {
                continue;
            }
            ours++;
            if (++seen[i] > 1) {
                return Optional.of("frame " + i + " of the chain reached the wire twice");
            }
            if (!Frames.same(sent.get(i), f)) {
                return Optional.of("frame " + i + " of the chain reached the wire changed");
            }
        }
        if (ours != ok) {
            return Optional.of(ok + " sends completed with SUCCESS but " + ours + " of them reached the wire");
        }
        return Optional.empty();
    }

    /**
     * After the reset: a frame directed to the adapter, one to the listed group and a broadcast arrive; one to
     * an unlisted group and one directed elsewhere do not (the filter, the list and the address in force).
     */
    private static Optional<String> addressingInForce(CheckContext c, int seq) {
        c.edge().clearReceived();
        record Probe(String what, MacAddress dst, boolean arrives) {
        }
        List<Probe> probes = List.of(new Probe("directed to the adapter", c.mac(), true),
                new Probe("to the listed group " + LISTED, LISTED, true),
                new Probe("broadcast", Frames.BROADCAST, true),
                new Probe("to the unlisted group " + UNLISTED, UNLISTED, false),
                new Probe("directed to " + ELSEWHERE, ELSEWHERE, false));
        for (int i = 0; i < probes.size(); i++) {
            c.wire().get().inject(Frames.frame(probes.get(i).dst(), CheckContext.PEER, 100, seq + i));
        }
        c.pump(Duration.ofMillis(2));
        List<byte[]> received = c.edge().received();
        for (int i = 0; i < probes.size(); i++) {
            byte[] sent = Frames.frame(probes.get(i).dst(), CheckContext.PEER, 100, seq + i);
            boolean arrived = received.stream().anyMatch(f -> Frames.same(sent, f));
            if (arrived != probes.get(i).arrives()) {
                return Optional.of("after the reset a frame " + probes.get(i).what() + (arrived ? " arrived" : " did"
                        + " not arrive") + " (filter directed|multicast|broadcast, list [" + LISTED + "]; arrived: "
                        + received.size() + " of the 3 that should)");
            }
        }
        return Optional.empty();
    }

    /** {@link #AFTER} sends complete with SUCCESS and, on a simulated wire, cross it byte for byte. */
    private static Optional<String> trafficResumes(CheckContext c, int seq) {
        List<byte[]> frames = Frames.frames(CheckContext.PEER, c.mac(), AFTER, 300, seq);
        long okBefore = c.edge().completedOk();
        int n = c.send(frames);
        c.await(() -> c.edge().completedOk() >= okBefore + n, Duration.ofSeconds(2));
        long ok = c.edge().completedOk() - okBefore;
        if (ok != AFTER) {
            return Optional.of("after the reset " + ok + " of " + AFTER + " sends completed with SUCCESS");
        }
        if (c.wire().isPresent()) {
            List<byte[]> onWire = c.wire().get().takeTransmitted();
            if (onWire.size() != AFTER) {
                return Optional.of("after the reset " + onWire.size() + " of " + AFTER + " sends reached the wire");
            }
            for (int i = 0; i < AFTER; i++) {
                if (!Frames.same(frames.get(i), onWire.get(i))) {
                    return Optional.of("after the reset frame " + i + " reached the wire changed");
                }
            }
        }
        return Optional.empty();
    }

    /** What the cycles saw, for the PASS line. */
    private static final class Tally {
        long sent;
        long ok;
        long cancelled;
        /** Sends still with the miniport when its reset completed (none for NDIS 6.30: docs/ndis-contract.md §17). */
        long held;
        int pended;
        int addressing;
        long longestNanos;

        String summary(boolean wire) {
            return String.format("%d resets with %d sends in flight each: all %d completed once (%d SUCCESS, %d"
                    + " cancelled; %d held across a reset and completed after it); %d completed through"
                    + " NdisMResetComplete, %d with AddressingReset, longest %.3f ms; link connected again, %d sends"
                    + " after each %s", CYCLES, SENDS, sent, ok, cancelled, held, pended, addressing,
                    longestNanos / 1e6, AFTER, wire ? "crossed the wire byte for byte; every SUCCESS"
                    + " reached the wire once; filter, multicast list and address in force"
                    : "completed with SUCCESS (no wire: filter and address not checked)");
        }
    }
}

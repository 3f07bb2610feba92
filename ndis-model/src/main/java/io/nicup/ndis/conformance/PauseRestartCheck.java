package io.nicup.ndis.conformance;

import io.nicup.ndis.adapter.AdapterState;
import io.nicup.ndis.trace.TimedRules;
import java.time.Duration;
import java.util.Optional;

/**
 * Pause and restart under traffic (docs/ndis-contract.md §3): cycles of sends (and, on a simulated NIC,
 * frames injected) left in flight when MiniportPause is called. Each pause must reach Paused within the
 * bound with every send completed once; afterwards the adapter sends again, and every frame completed with
 * SUCCESS reached the wire (simulated NIC). The verifier meanwhile checks double completions and receives
 * not returned.
 */
final class PauseRestartCheck implements ConformanceCheck {

    static final int CYCLES = 5;
    static final int SENDS = 32;
    static final int INJECTED = 16;

    @Override
    public String name() {
        return "pause-restart";
    }

    @Override
    public String mirrors() {
        return "NDIS pause/restart contract (WDD pausing-an-adapter), Driver Verifier pause rules";
    }

    @Override
    public CheckResult run(CheckContext c) {
        Optional<CheckResult> down = c.running(CheckContext.DEFAULT_FILTER);
        if (down.isPresent()) {
            return down.get();
        }
        c.wire().ifPresent(SimulatedWire::takeTransmitted);
        long sent = 0;
        int injected = 0;
        for (int cycle = 0; cycle < CYCLES; cycle++) {
            if (c.wire().isPresent()) {
                // a millisecond of Running first: the simulated 82576 drops frames that arrive in the very
                // instant MiniportRestart returns (a receiver coming up may), and that is no pause defect
                c.pump(Duration.ofMillis(1));
                for (int i = 0; i < INJECTED; i++) {
                    c.wire().get().inject(Frames.frame(c.mac(), CheckContext.PEER, 120, 10_000 + injected++));
                }
                c.pump(Duration.ofNanos(200_000));         // receives under way when the pause comes
            }
            sent += c.send(Frames.frames(CheckContext.PEER, c.mac(), SENDS, 200, cycle * SENDS));
            if (!c.pause(TimedRules.PAUSE_COMPLETE.plusSeconds(1)) || c.adapter().state() != AdapterState.PAUSED) {
                return CheckResult.fail("cycle " + (cycle + 1) + ": pause did not reach Paused: state="
                        + c.adapter().state());
            }
            if (c.sendsCompleted() != sent) {
                return CheckResult.fail("cycle " + (cycle + 1) + ": at Paused " + c.sendsCompleted() + " of " + sent
                        + " sends completed (every send must be completed before the pause completes)");
            }
            Optional<CheckResult> restart = c.restarted(CheckContext.DEFAULT_FILTER, Duration.ofSeconds(10));
            if (restart.isPresent()) {
                return CheckResult.fail("cycle " + (cycle + 1) + ": " + restart.get().detail());
            }
        }
        long okBefore = c.edge().completedOk();
        int after = c.send(Frames.frames(CheckContext.PEER, c.mac(), 8, 200, 50_000));
        c.await(() -> c.edge().completedOk() >= okBefore + after, Duration.ofSeconds(2));
        if (c.edge().completedOk() - okBefore != after) {
            return CheckResult.fail("after " + CYCLES + " cycles only " + (c.edge().completedOk() - okBefore) + " of "
                    + after + " sends completed with SUCCESS");
        }
        String wire = "";
        if (c.wire().isPresent()) {
            int onWire = c.wire().get().takeTransmitted().size();
            if (onWire != c.edge().completedOk()) {
                return CheckResult.fail(c.edge().completedOk() + " sends completed with SUCCESS but " + onWire
                        + " frames reached the wire");
            }
            if (c.edge().receivedCount() != injected) {
                return CheckResult.fail("of " + injected + " frames injected while Running, " + c.edge().receivedCount()
                        + " were received");
            }
            wire = "; " + onWire + " frames on the wire, " + injected + " injected, " + c.edge().receivedCount()
                    + " received";
        }
        return CheckResult.pass(CYCLES + " pause/restart cycles with " + SENDS + " sends in flight each: all " + sent
                + " completed once before Paused (" + (c.edge().completedFailed()) + " not SUCCESS)" + wire);
    }
}

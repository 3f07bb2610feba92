package io.nicup.ndis.conformance;

import io.nicup.ndis.adapter.AdapterState;
import io.nicup.ndis.oid.Oid;
import io.nicup.ndis.oid.OidResult;
import io.nicup.ndis.trace.TimedRules;
import java.util.Optional;

/**
 * Driver Verifier's timed rules under load (docs/ndis-contract.md §14): every query OID the adapter lists
 * completes within 12 s, a burst of sends completes within 30 s (and so progresses within 22 s), and a pause
 * with the burst in flight completes within 10 s. The verifier's own timed rules run meanwhile.
 */
final class TimedRulesCheck implements ConformanceCheck {

    static final int BURST = 64;

    @Override
    public String name() {
        return "timed-rules";
    }

    @Override
    public String mirrors() {
        return "Driver Verifier NdisTimedOidComplete, NdisTimedDataSend, NdisTimedDataHang, pause bound";
    }

    @Override
    public CheckResult run(CheckContext c) {
        Optional<CheckResult> down = c.running(CheckContext.DEFAULT_FILTER);
        if (down.isPresent()) {
            return down.get();
        }
        long slowestOid = -1;
        String slowestName = "none";
        for (int oid : QueryOids.listed(c.adapter())) {
            long start = c.now();
            Optional<OidResult> r = c.await(c.host().query(c.adapter(), oid, QueryOids.BUFFER), TimedRules.OID_COMPLETE
                    .plusSeconds(1));
            long took = c.now() - start;
            if (r.isEmpty()) {
                return CheckResult.fail(Oid.name(oid) + " not completed after " + ms(took) + " (bound 12 s)");
            }
            if (took > TimedRules.OID_COMPLETE.toNanos()) {
                return CheckResult.fail(Oid.name(oid) + " completed after " + ms(took) + " (bound 12 s)");
            }
            if (took > slowestOid) {                  // the first one, or a slower one
                slowestOid = took;
                slowestName = Oid.name(oid);
            }
        }
        long sendStart = c.now();
        int sent = c.send(Frames.frames(CheckContext.PEER, c.mac(), BURST, 256, 0));
        boolean allDone = c.await(() -> c.sendsCompleted() >= sent, TimedRules.SEND_COMPLETE.plusSeconds(1));
        long sendTook = c.now() - sendStart;
        if (!allDone || sendTook > TimedRules.SEND_COMPLETE.toNanos()) {
            return CheckResult.fail((sent - c.sendsCompleted()) + " of " + sent + " sends not completed after "
                    + ms(sendTook) + " (bound 30 s, progress every 22 s)");
        }
        c.send(Frames.frames(CheckContext.PEER, c.mac(), BURST, 256, BURST));
        long pauseStart = c.now();
        boolean paused = c.pause(TimedRules.PAUSE_COMPLETE.plusSeconds(1));
        long pauseTook = c.now() - pauseStart;
        if (!paused) {
            return CheckResult.fail("pause with " + BURST + " sends in flight not complete after " + ms(pauseTook)
                    + " (bound 10 s): state=" + c.adapter().state());
        }
        if (pauseTook > TimedRules.PAUSE_COMPLETE.toNanos()) {
            return CheckResult.fail("pause with " + BURST + " sends in flight took " + ms(pauseTook) + " (bound 10 s)");
        }
        if (c.adapter().state() != AdapterState.PAUSED) {
            return CheckResult.fail("pause ended in state " + c.adapter().state());
        }
        return CheckResult.pass("slowest OID " + slowestName + " " + ms(Math.max(0, slowestOid)) + " (bound 12 s); " + sent
                + " sends completed in " + ms(sendTook) + " (bound 30 s); pause with sends in flight " + ms(pauseTook)
                + " (bound 10 s)");
    }

    static String ms(long nanos) {
        return String.format(java.util.Locale.ROOT, "%.3f ms", nanos / 1e6);
    }
}

package io.nicup.ndis.conformance;

import io.nicup.ndis.trace.Violation;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The battery: every check in the order it runs, a selection by name, and the run. Each check gets its own
 * adapter, halted afterwards; what the verifier found while the check ran fails it, whatever the check saw.
 */
public final class ConformanceBattery {

    private ConformanceBattery() {
    }

    /** Every check, in run order. */
    public static List<ConformanceCheck> all() {
        return List.of(
                new TimedRulesCheck(),
                new OidBufferCheck(),
                new OidRobustnessCheck(),
                new PacketFilterCheck(),
                new SendShapesCheck(),
                new PauseRestartCheck(),
                new LinkCheck(),
                new PriorityCheck(),
                new ChecksumOffloadCheck(),
                new LargeSendOffloadCheck(),
                new RssCheck(),
                new FlowControlCheck(),
                new ResetCheck(),
                // last: the device is gone afterwards
                new SurpriseRemovalCheck());
    }

    public static List<String> names() {
        return all().stream().map(ConformanceCheck::name).toList();
    }

    /** An --only name that is no check's. */
    public static final class UnknownCheckException extends IllegalArgumentException {
        private final List<String> unknown;

        UnknownCheckException(List<String> unknown) {
            super("unknown conformance check: names=" + String.join(",", unknown) + " known=" + String.join(",", names()));
            this.unknown = List.copyOf(unknown);
        }

        public List<String> unknown() {
            return unknown;
        }
    }

    /** The checks named, in battery order; all of them for an empty list. */
    public static List<ConformanceCheck> select(List<String> names) {
        if (names.isEmpty()) {
            return all();
        }
        Set<String> wanted = new LinkedHashSet<>(names);
        List<String> unknown = wanted.stream().filter(n -> !names().contains(n)).toList();
        if (!unknown.isEmpty()) {
            throw new UnknownCheckException(unknown);
        }
        return all().stream().filter(c -> wanted.contains(c.name())).toList();
    }

    /** Why the checks after the kernel asked for the device back did not run. */
    public static final String TAKEN_BACK = "the kernel took the device back (a hot-unplug or an unbind)";

    /**
     * Runs {@code checks} on {@code target} one after the other; the driver stays loaded throughout. Once the
     * kernel has asked for the device back the remaining checks are skipped with {@link #TAKEN_BACK}.
     */
    public static List<CheckReport> run(ConformanceTarget target, List<ConformanceCheck> checks) {
        List<CheckReport> reports = new ArrayList<>();
        for (ConformanceCheck check : checks) {
            if (target.device().removalRequest().requested()) {
                // the kernel took the device back (docs/ndis-contract.md §22): nothing more can run on it
                reports.add(new CheckReport(check.name(), check.mirrors(), CheckResult.skipped(TAKEN_BACK), 0,
                        target.simulated(), List.of()));
                continue;
            }
            reports.add(runOne(target, check));
        }
        return reports;
    }

    static CheckReport runOne(ConformanceTarget target, ConformanceCheck check) {
        CheckContext context = new CheckContext(target);
        int before = target.host().verifier().violations().size();
        long start = context.now();
        CheckResult result;
        try {
            result = check.run(context);
        } catch (RuntimeException e) {
            result = CheckResult.fail("threw " + e.getClass().getSimpleName() + ": " + e.getMessage());
        }
        try {
            context.tearDown();
        } catch (RuntimeException e) {
            if (!result.failed()) {
                result = CheckResult.fail("teardown threw " + e.getClass().getSimpleName() + ": " + e.getMessage());
            }
        }
        long duration = context.now() - start;
        List<Violation> all = target.host().verifier().violations();
        List<Violation> found = all.subList(Math.min(before, all.size()), all.size());
        if (!found.isEmpty() && result.outcome() != CheckResult.Outcome.FAIL) {
            result = CheckResult.fail("verifier: " + found.size() + " violation(s), first: " + found.getFirst().describe());
        }
        return new CheckReport(check.name(), check.mirrors(), result, duration, target.simulated(), found);
    }
}

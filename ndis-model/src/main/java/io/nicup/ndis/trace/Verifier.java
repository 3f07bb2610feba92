package io.nicup.ndis.trace;

import io.nicup.ndis.NdisInternal;
import io.nicup.ndis.adapter.MiniportAdapter;
import io.nicup.ndis.driver.LoadedDriver;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Checks the miniport against the {@link Rule}s as the model runs. Every violation is recorded here
 * and in the trace; in {@link VerifierMode#STRICT} it is also thrown as {@link NdisVerifierException}
 * from the call that broke the rule. Violations found on the interrupt or timer thread are thrown from
 * the next host call.
 */
public final class Verifier {

    /** The outcome of a run: passed when nothing was violated. */
    public record Verdict(VerifierMode mode, List<Violation> violations) {

        public Verdict {
            violations = List.copyOf(violations);
        }

        public boolean passed() {
            return violations.isEmpty();
        }

        /** Rules broken, in the order first seen, each once. */
        public List<Rule> rules() {
            return violations.stream().map(Violation::rule).distinct().toList();
        }
    }

    private final VerifierMode mode;
    private final NdisTrace trace;
    private final List<Violation> violations = new ArrayList<>();
    /** Written under this object's lock; volatile so each host call can look without taking it. */
    private volatile RuntimeException pendingAsync;
    private final TimedRules timedRules;

    @NdisInternal
    public Verifier(VerifierMode mode, NdisTrace trace) {
        this.mode = mode;
        this.trace = trace;
        this.timedRules = new TimedRules(this, trace);
    }

    /** The timed rules (docs/ndis-contract.md §14), stamped by the host's parts as calls come and go. */
    @NdisInternal
    public TimedRules timedRules() {
        return timedRules;
    }

    public VerifierMode mode() {
        return mode;
    }

    public synchronized List<Violation> violations() {
        return List.copyOf(violations);
    }

    public synchronized Verdict verdict() {
        return new Verdict(mode, violations);
    }

    /** True if {@code rule} has been violated in this run. */
    public synchronized boolean violated(Rule rule) {
        return violations.stream().anyMatch(v -> v.rule() == rule);
    }

    @NdisInternal
    public Violation report(Rule rule, MiniportAdapter adapter, String detail) {
        return report(rule, adapter.driver().name(), adapter.name(), detail, null);
    }

    @NdisInternal
    public Violation report(Rule rule, LoadedDriver driver, String detail) {
        return report(rule, driver == null ? "" : driver.name(), "", detail, null);
    }

    /**
     * Records a violation and, in STRICT mode, throws it.
     *
     * @return the violation (RECORD mode)
     */
    @NdisInternal
    public Violation report(Rule rule, String driver, String adapter, String detail, Throwable cause) {
        Violation v = record(rule, driver, adapter, detail);
        if (mode == VerifierMode.STRICT) {
            throw new NdisVerifierException(v, cause);
        }
        return v;
    }

    /** Records without throwing (for findings collected before one combined throw). */
    @NdisInternal
    public Violation record(Rule rule, String driver, String adapter, String detail) {
        return add(rule, driver, adapter, detail, false, null);
    }

    /**
     * Records a violation found on the interrupt or a timer thread and defers it to the next host call
     * ({@link #deferred}), both under one lock: whoever sees it in {@link #violations()} sees it deferred too.
     */
    @NdisInternal
    public Violation recordDeferred(Rule rule, String driver, String adapter, String detail, Throwable cause) {
        return add(rule, driver, adapter, detail, true, cause);
    }

    /** Records a violation (and defers it, when {@code defer}) in one hold of the lock, then traces it. */
    private Violation add(Rule rule, String driver, String adapter, String detail, boolean defer, Throwable cause) {
        Violation v = new Violation(rule, driver, adapter, detail, trace.now());
        synchronized (this) {
            violations.add(v);
            if (defer) {
                deferred(new NdisVerifierException(v, cause));
            }
        }
        trace.instant(NdisTrace.Kind.VIOLATION, NdisTrace.Direction.NONE, rule.id() + " " + rule.name(), driver,
                adapter, NdisTrace.NO_STATUS, Map.of("detail", detail, "rule", rule.text()));
        return v;
    }

    /** In STRICT mode, throws the first of {@code found} with the others suppressed. */
    @NdisInternal
    public void raise(List<Violation> found) {
        if (mode == VerifierMode.STRICT && !found.isEmpty()) {
            NdisVerifierException first = new NdisVerifierException(found.get(0), null);
            for (int i = 1; i < found.size(); i++) {
                first.addSuppressed(new NdisVerifierException(found.get(i), null));
            }
            throw first;
        }
    }

    /** A failure on the interrupt or timer thread, to be thrown from the next host call. */
    @NdisInternal
    public synchronized void deferred(RuntimeException e) {
        if (pendingAsync == null) {
            pendingAsync = e;
        } else if (pendingAsync != e) {
            pendingAsync.addSuppressed(e);
        }
    }

    /**
     * Throws the deferred failure, if any: a rule violation only in STRICT mode (RECORD keeps it in the
     * verdict), any other failure (a protocol edge that threw) in both modes.
     */
    @NdisInternal
    public void rethrowDeferred() {
        if (pendingAsync == null) {
            return;                                          // every data-path call: one load, no lock
        }
        RuntimeException e;
        synchronized (this) {
            e = pendingAsync;
            pendingAsync = null;
        }
        if (e != null && (mode == VerifierMode.STRICT || !(e instanceof NdisVerifierException))) {
            throw e;
        }
    }
}

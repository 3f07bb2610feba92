package io.nicup.ndis.conformance;

/** One check of the battery: a name, what it mirrors, and the run on a context that brings up its adapter. */
public interface ConformanceCheck {

    /** The name --only takes ("packet-filters"). */
    String name();

    /** The HLK NDISTest test or Driver Verifier rule this check plays. */
    String mirrors();

    /**
     * Runs the check. The verifier's findings meanwhile are added by the battery; a check returns what it
     * saw itself. Throwing is a failure of the check with the exception as evidence.
     */
    CheckResult run(CheckContext context);
}

package io.nicup.ndis.trace;

import io.nicup.ndis.NdisException;
import io.nicup.ndis.NdisInternal;

/**
 * A contract rule was broken while the verifier runs in {@link VerifierMode#STRICT}. Names the rule, its
 * id and source, the driver and adapter, and what happened.
 */
public final class NdisVerifierException extends NdisException {

    private final Violation violation;

    @NdisInternal
    public NdisVerifierException(Violation violation, Throwable cause) {
        super(violation.describe(), cause);
        this.violation = violation;
    }

    public Violation violation() {
        return violation;
    }

    public Rule rule() {
        return violation.rule();
    }
}

package io.nicup.ndis.trace;

/** How the verifier treats a broken rule. Behaviour towards the miniport is the same in both modes. */
public enum VerifierMode {
    /**
     * Record the violation (trace and verdict) and reject the call as documented; the run continues.
     * What the CLI uses for a bring-up report.
     */
    RECORD,
    /**
     * Record it, then throw {@link NdisVerifierException} naming the rule from the call that broke it
     * (from the host call, for violations found on the interrupt thread). The default in tests.
     */
    STRICT
}

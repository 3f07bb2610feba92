package io.nicup.ndis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.nicup.ndis.trace.NdisVerifierException;
import io.nicup.ndis.trace.Rule;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;

/** Assertions about broken rules. */
final class Violations {

    private Violations() {
    }

    /** {@code call} throws NdisVerifierException naming {@code rule} (STRICT mode). */
    static NdisVerifierException expectThrown(Rule rule, ThrowingCallable call) {
        Throwable[] caught = new Throwable[1];
        assertThatThrownBy(call).isInstanceOf(NdisVerifierException.class)
                .satisfies(t -> caught[0] = t)
                .satisfies(t -> assertThat(((NdisVerifierException) t).rule()).as(t.getMessage()).isEqualTo(rule))
                .hasMessageContaining(rule.id());
        return (NdisVerifierException) caught[0];
    }

    /** The run recorded exactly these rules, in this order of first occurrence. */
    static void assertRecorded(Rig rig, Rule... rules) {
        assertThat(rig.verifier().verdict().rules()).containsExactly(rules);
    }

    static void assertClean(Rig rig) {
        assertThat(rig.verifier().violations()).isEmpty();
    }
}

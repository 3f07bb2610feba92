package io.nicup.ndis;

import static org.assertj.core.api.Assertions.assertThat;

import io.nicup.ndis.trace.Rule;
import io.nicup.ndis.trace.Verifier;
import io.nicup.ndis.trace.VerifierMode;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class VerifierTest {

    @Test
    void everyRuleHasAUniqueIdATextAndASource() {
        assertThat(Arrays.stream(Rule.values()).map(Rule::id).distinct().count()).isEqualTo(Rule.values().length);
        for (Rule r : Rule.values()) {
            assertThat(r.id()).matches("[A-Z]+-\\d{2}");
            assertThat(r.text()).isNotBlank();
            assertThat(r.source()).isNotBlank();
        }
    }

    @Test
    void recordModeCollectsEveryViolationForTheVerdict() {
        try (Rig rig = new Rig().record()) {
            rig.sw.haltReleasesInAcquisitionOrder = true;
            rig.sw.leakOnHalt = java.util.EnumSet.of(Switches.Res.TIMER);
            rig.running();
            rig.halt();
            Verifier.Verdict verdict = rig.verifier().verdict();
            assertThat(verdict.passed()).isFalse();
            assertThat(verdict.mode()).isEqualTo(VerifierMode.RECORD);
            assertThat(verdict.rules()).containsExactly(Rule.RES_RELEASE_ORDER, Rule.HALT_RELEASES);
            assertThat(verdict.violations()).allSatisfy(v -> {
                assertThat(v.adapter()).isEqualTo("0000:01:00.0");
                assertThat(v.driver()).isEqualTo("testnic");
                assertThat(v.describe()).contains(v.rule().id()).contains(v.rule().source());
            });
        }
    }

    @Test
    void aWellBehavedBringUpPasses() {
        try (Rig rig = new Rig()) {
            rig.running();
            rig.receive("x");
            rig.send("y");
            rig.transmitDone();
            rig.halt();
            rig.host().unloadDriver(rig.driver);
            assertThat(rig.verifier().verdict().passed()).isTrue();
            assertThat(rig.deviceIsClean()).isTrue();
        }
    }
}

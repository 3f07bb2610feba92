package io.nicup.ndis;

import static org.assertj.core.api.Assertions.assertThat;

import io.nicup.ndis.config.Keyword;
import io.nicup.ndis.config.ParameterFileException;
import io.nicup.ndis.config.ParameterStore;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.AlphaChars;
import net.jqwik.api.constraints.NumericChars;
import net.jqwik.api.constraints.StringLength;

class ParameterStoreProperties {

    /** Whatever the file says, the value a miniport gets is inside the keyword's definition. */
    @Property(tries = 300)
    void theValueReadIsAlwaysWithinTheDefinition(@ForAll @StringLength(max = 8) @NumericChars @AlphaChars String raw) {
        try (Rig rig = new Rig()) {
            rig.record();
            rig.parameters = "[*]\n*ReceiveBuffers = " + raw + "\n*JumboPacket = " + raw + "\n";
            try {
                ParameterStore.parse("p", rig.parameters);
            } catch (ParameterFileException e) {
                return;
            }
            rig.add();
            TestAdapter ta = rig.ta();
            assertThat(ta.rxBuffers).isBetween(8, 256);
            assertThat(ta.jumboPacket).isIn(1514, 4088, 9014);
            if (TestAdapter.RECEIVE_BUFFERS.problemWith(raw) != null) {
                assertThat(ta.rxBuffers).isEqualTo(16);
                assertThat(rig.host().parameterProblems()).extracting(v -> v.keyword().name()).contains("*ReceiveBuffers");
            } else {
                assertThat(ta.rxBuffers).isEqualTo(Keyword.parseNumber(raw).intValue());
            }
        }
    }
}

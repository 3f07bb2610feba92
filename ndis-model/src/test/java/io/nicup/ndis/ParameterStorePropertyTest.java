package io.nicup.ndis;

import static org.assertj.core.api.Assertions.assertThat;

import io.nicup.ndis.config.Keyword;
import io.nicup.ndis.config.ParameterFileException;
import io.nicup.ndis.config.ParameterStore;
import io.nicup.vfio.testing.Gen;
import io.nicup.vfio.testing.SeededTest;

class ParameterStorePropertyTest {

    /** Whatever the file says, the value a miniport gets is inside the keyword's definition. */
    @SeededTest(cases = 300)
    void theValueReadIsAlwaysWithinTheDefinition(Gen gen) {
        String raw = gen.string("0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ", 0, 8);
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

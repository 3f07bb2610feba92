package io.nicup.ndis.miniport.intel;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.function.IntUnaryOperator;
import org.junit.jupiter.api.Test;

/** The firmware versions Linux e1000e and igb print for ethtool -i (docs/hardware-reference.md B.12). */
class NvmVersionsTest {

    private static IntUnaryOperator nvm(Map<Integer, Integer> words) {
        return w -> words.getOrDefault(w, NvmVersions.UNREADABLE);
    }

    @Test
    void e1000ePrintsMajorMinorDashBuildOfWord5() {
        assertThat(NvmVersions.e1000e(nvm(Map.of(5, 0x2010)))).isEqualTo("2.1-0");
        assertThat(NvmVersions.e1000e(nvm(Map.of(5, 0x1234)))).isEqualTo("1.35-4");
    }

    @Test
    void igbWithoutAnEtrackIdPrintsMajorMinorBuild() {
        assertThat(NvmVersions.igb(nvm(Map.of(5, 0x2010)))).isEqualTo("2.1.0");                 // word 0x43 beyond the image
        assertThat(NvmVersions.igb(nvm(Map.of(5, 0x1234, 0x43, 0x0000)))).isEqualTo("1.35.4");   // present, not valid
    }

    @Test
    void igbWithAnEtrackIdPrintsTheMinorAsDecimalDigitsAndTheId() {
        // new-style minor (bits 11:8 set): bits 11:4 = 0x15 read as "15"
        assertThat(NvmVersions.igb(nvm(Map.of(5, 0x1150, 0x42, 0x0ABC, 0x43, 0x8000))))
                .isEqualTo("1.15, 0x80000abc");
        // old-style minor (bits 11:8 clear): bits 7:0 = 0x21 read as "21"
        assertThat(NvmVersions.igb(nvm(Map.of(5, 0x3021, 0x42, 0x1234, 0x43, 0x8001))))
                .isEqualTo("3.21, 0x80011234");
    }
}

package io.nicup.ndis;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.nicup.ndis.config.ParameterFileException;
import io.nicup.ndis.config.ParameterStore;
import io.nicup.vfio.PciAddress;
import java.nio.charset.StandardCharsets;

/**
 * A parameter file ({@code --params FILE}) with any content: it parses into sections that are
 * {@code [*]} or a canonical PCI address, whose keywords are found again case-insensitively, or it is
 * refused with a ParameterFileException naming the file and the line; nothing else escapes.
 */
class ParameterStoreFuzzTest {

    @FuzzTest
    void anyFileParsesOrIsASyntaxErrorWithItsLine(byte[] input) {
        String text = new String(input, StandardCharsets.UTF_8);
        ParameterStore store;
        try {
            store = ParameterStore.parse("fuzz.ini", text);
        } catch (ParameterFileException e) {
            assertThat(e.getMessage()).startsWith("parameter file syntax error: file=fuzz.ini line=");
            return;
        }
        for (String section : store.sections()) {
            if (!section.equals(ParameterStore.ALL_ADAPTERS)) {
                assertThat(PciAddress.parse(section).toString()).isEqualTo(section);
            }
        }
        for (String line : text.split("\r?\n", -1)) {
            String l = line.strip();
            int eq = l.indexOf('=');
            if (eq > 0 && !l.startsWith("#") && !l.startsWith(";") && !l.startsWith("[")) {
                String key = upperCaseEachChar(l.substring(0, eq).strip());
                assertThat(store.sections().stream().anyMatch(s -> store.find(s, key).isPresent()))
                        .as("keyword %s", key).isTrue();
            }
        }
    }

    /** The keyword as a user might spell it in other case: char by char, so its length stays (no ß to SS). */
    private static String upperCaseEachChar(String s) {
        char[] c = s.toCharArray();
        for (int i = 0; i < c.length; i++) {
            c[i] = Character.toUpperCase(c[i]);
        }
        return new String(c);
    }
}

package io.nicup.ndis.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.nicup.vfio.PciAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ParameterStoreTest {

    private static final PciAddress A = PciAddress.parse("0000:01:00.0");
    private static final PciAddress B = PciAddress.parse("0000:02:00.0");

    private static final String FILE = """
            # defaults for every adapter
            *ReceiveBuffers = 512
            [*]
            *InterruptModeration=0
            ; adapter 01:00.0 only
            [01:00.0]
            *JumboPacket = 9014
            *receivebuffers = 1024
            """;

    @Test
    void adapterSectionOverridesTheDriverSectionAndNamesAreCaseInsensitive() {
        ParameterStore store = ParameterStore.parse("params", FILE);
        assertThat(store.sections()).containsExactly("*", "0000:01:00.0");
        assertThat(store.lookup(A, "*ReceiveBuffers")).contains("1024");
        assertThat(store.lookup(B, "*RECEIVEBUFFERS")).contains("512");
        assertThat(store.lookup(B, "*JumboPacket")).isEmpty();
        assertThat(store.lookup(null, "*InterruptModeration")).contains("0");
    }

    @Test
    void aNameOutsideAsciiIsFoundInEveryCaseAsEqualsIgnoreCaseWouldMatchIt() {
        // GREEK THETA SYMBOL upper-cases to CAPITAL THETA, which lower-cases to SMALL THETA: all three are one name
        ParameterStore store = ParameterStore.parse("params", "[*]\nX\u03D1=1\n");
        assertThat(store.lookup(null, "x\u0398")).contains("1");
        assertThat(store.lookup(null, "X\u03B8")).contains("1");
        assertThat(store.lookup(null, "x\u03D1")).contains("1");
        assertThatThrownBy(() -> ParameterStore.parse("p", "[*]\n\u03D1=1\n\u0398=2\n"))
                .isInstanceOf(ParameterFileException.class).hasMessageContaining("line=3");
    }

    @Test
    void aKeywordGivenTwiceInOneSectionIsASyntaxErrorNamingTheLine() {
        assertThatThrownBy(() -> ParameterStore.parse("p.conf", "[*]\na=1\nA=2\n"))
                .isInstanceOf(ParameterFileException.class)
                .hasMessageContaining("file=p.conf").hasMessageContaining("line=3");
    }

    @Test
    void aLineThatIsNotKeyEqualsValueIsASyntaxError() {
        assertThatThrownBy(() -> ParameterStore.parse("p.conf", "[*]\njust words\n"))
                .isInstanceOf(ParameterFileException.class).hasMessageContaining("line=2")
                .hasMessageContaining("expected key = value");
    }

    @Test
    void aSectionThatIsNeitherStarNorAPciAddressIsASyntaxError() {
        assertThatThrownBy(() -> ParameterStore.parse("p.conf", "[eth0]\n"))
                .isInstanceOf(ParameterFileException.class).hasMessageContaining("line=1");
    }

    @Test
    void aParameterFileIsReadFromDisk(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("testnic.conf");
        Files.writeString(file, FILE);
        RegistryPath path = RegistryPath.load(file);
        assertThat(path.path()).isEqualTo(file.toString());
        assertThat(path.store().lookup(A, "*JumboPacket")).contains("9014");
        assertThatThrownBy(() -> RegistryPath.load(dir.resolve("missing.conf")))
                .isInstanceOf(ParameterFileException.class).hasMessageContaining("missing.conf");
    }

    @Test
    void standardKeywordsCarryTheirDocumentedValues() {
        assertThat(StandardKeywords.JUMBO_PACKET.allowed()).containsExactly(1514, 4088, 9014);
        assertThat(StandardKeywords.SPEED_DUPLEX.allowed()).containsExactly(0, 1, 2, 3, 4, 6);
        assertThat(StandardKeywords.FLOW_CONTROL.allowed()).containsExactly(0, 1, 2, 3, 4);
        assertThat(StandardKeywords.INTERRUPT_MODERATION.allowed()).containsExactly(0, 1);
        assertThat(StandardKeywords.RECEIVE_BUFFERS.min()).isEqualTo(1);
        assertThat(StandardKeywords.TRANSMIT_BUFFERS.min()).isZero();
        assertThat(StandardKeywords.all()).hasSize(7);
    }

    @Test
    void keywordValuesOutsideTheirDefinitionAreProblems() {
        assertThat(StandardKeywords.JUMBO_PACKET.problemWith("9000")).contains("not one of");
        assertThat(StandardKeywords.JUMBO_PACKET.problemWith("9014")).isNull();
        assertThat(StandardKeywords.SPEED_DUPLEX.problemWith("5")).isNotNull();
        assertThat(StandardKeywords.RECEIVE_BUFFERS.problemWith("0x100")).isNull();
        assertThat(StandardKeywords.RECEIVE_BUFFERS.problemWith("0")).contains("out of range");
        assertThat(StandardKeywords.RECEIVE_BUFFERS.problemWith("lots")).isEqualTo("not a number");
        assertThat(StandardKeywords.NETWORK_ADDRESS.problemWith("02-00-5E-00-00-01")).isNull();
        assertThat(StandardKeywords.NETWORK_ADDRESS.problemWith("02005E000001")).isNull();
        assertThat(StandardKeywords.NETWORK_ADDRESS.problemWith("01-00-5E-00-00-01")).contains("multicast");
        assertThat(StandardKeywords.NETWORK_ADDRESS.problemWith("000000000000")).contains("all-zero");
        assertThat(StandardKeywords.NETWORK_ADDRESS.problemWith("02-00-5E")).contains("12 hex digits");
    }

    @Test
    void aMiniportDeclaresItsOwnRange() {
        Keyword mine = StandardKeywords.RECEIVE_BUFFERS.withRange(80, 2048).withDefault(256);
        assertThat(mine.problemWith("64")).contains("min=80");
        assertThat(mine.problemWith("2048")).isNull();
        assertThat(mine.defaultValue()).isEqualTo("256");
        Keyword jumbo = StandardKeywords.JUMBO_PACKET.withAllowed(1514, 9014);
        assertThat(jumbo.problemWith("4088")).isNotNull();
    }
}

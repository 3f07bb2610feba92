package io.nicup.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.transform.stream.StreamSource;
import javax.xml.validation.SchemaFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/** `nicup conformance` on the simulated NICs: the table, the counts, the exit codes and the JUnit file. */
class ConformanceCommandTest {

    private final Environment env = new Environment(() -> {
        throw new AssertionError("a mock device needs no Linux host");
    }, PciIds.none());

    @TempDir
    Path dir;

    @ParameterizedTest
    @ValueSource(strings = {"mock:82574L", "mock:82576"})
    void everyCheckPassesOnTheIntelNicsFlowControlWithItsVirtualPause(String spec) {
        CliRun r = CliRun.run(env, "conformance", spec);

        assertThat(r.exitCode()).as(r.err() + r.out()).isZero();
        assertThat(r.out()).containsPattern("CHECK +RESULT +DURATION +MIRRORS +DETAIL");
        assertThat(r.out()).containsPattern("timed-rules +PASS +\\d+\\.\\d{3} ms virtual +Driver Verifier NdisTimedOidComplete");
        assertThat(r.out()).containsPattern("packet-filters +PASS .*HLK PacketFilters +32 filter combinations");
        assertThat(r.out()).containsPattern("flow-control +PASS +\\d+\\.\\d{3} ms virtual +HLK TxFlowControl +PAUSE 0xFFFF"
                + " at 1000 Mb/s held 64 sends for 33\\.554 ms virtual");
        assertThat(r.out()).containsPattern("reset +PASS .*5 resets with 1024 sends in flight each");
        assertThat(r.out()).containsPattern("checksum-offload +PASS .*HLK OffloadChecksum; Linux selftest csum +transmit"
                + " \\[TCP/IPv4, UDP/IPv4, TCP/IPv6, UDP/IPv6\\]: 16 frames left with every checksum right");
        assertThat(r.out()).doesNotContainPattern("\\bFAIL\\b");
        assertThat(r.out()).contains("verifier (RECORD): passed, no violations");
        assertThat(r.out()).containsPattern("large-send +PASS .*HLK OffloadLSO; Linux selftest tso +TCP/IPv4: 3 large sends");
        assertThat(r.out()).containsPattern("rss +PASS .*HLK 1c_Mini6RSSOids, 2c_Mini6RSSSendRecv; Linux selftest"
                + " toeplitz +132 frames of 8 TCP and 8 UDP flows");
        assertThat(r.out().strip().lines().reduce((a, b) -> b).orElseThrow())
                .isEqualTo("conformance: 14 passed, 0 failed, 0 skipped");
    }

    @Test
    void everyCheckPassesOnVirtioNetAndFlowControlAndChecksumOffloadAreSkippedNotPassed() {
        CliRun r = CliRun.run(env, "conformance", "mock:virtio-net");

        assertThat(r.exitCode()).as(r.err() + r.out()).isZero();
        assertThat(r.out()).containsPattern("packet-filters +PASS .*HLK PacketFilters +32 filter combinations");
        assertThat(r.out()).containsPattern("flow-control +SKIPPED .*virtio-net has no IEEE 802.3x flow control");
        assertThat(r.out()).doesNotContainPattern("\\bFAIL\\b");
        assertThat(r.out()).contains("verifier (RECORD): passed, no violations");
        assertThat(r.out()).containsPattern("checksum-offload +SKIPPED .*the adapter has no TCP or UDP checksum offload in"
                + " force");
        assertThat(r.out().strip().lines().reduce((a, b) -> b).orElseThrow()).isEqualTo("conformance: 10 passed, 0 failed,"
                + " 4 skipped (checksum-offload: the adapter has no TCP or UDP checksum offload in force"
                + " (OID_TCP_OFFLOAD_CURRENT_CONFIG); large-send: the adapter has no LSOv2 in force"
                + " (OID_TCP_OFFLOAD_CURRENT_CONFIG); rss: the adapter announces no receive-side scaling; flow-control:"
                + " virtio-net has no IEEE 802.3x flow control)");
    }

    @Test
    void aFailedCheckExitsNineAndTheJUnitFileCarriesTheEvidence() throws Exception {
        Path xml = dir.resolve("conformance.xml");
        CliRun r = CliRun.run(env, "conformance", "mock:virtio-net?fault=link-down", "--only", "timed-rules,flow-control",
                "--junit", xml.toString());

        assertThat(r.exitCode()).isEqualTo(ExitCode.SELFTEST_FAILED.code());
        assertThat(r.out()).containsPattern("timed-rules +FAIL .*link did not come up within 10 s");
        assertThat(r.out()).contains("conformance: 0 passed, 1 failed, 1 skipped");
        assertThat(r.err().strip().lines()).hasSize(1);
        assertThat(r.err()).startsWith("nicup: conformance check failed: checks=timed-rules timed-rules: link did not");
        Document doc = validated(xml);
        Element suite = doc.getDocumentElement();
        assertThat(suite.getAttribute("tests")).isEqualTo("2");
        assertThat(suite.getAttribute("failures")).isEqualTo("1");
        assertThat(suite.getAttribute("skipped")).isEqualTo("1");
        Element failure = (Element) doc.getElementsByTagName("failure").item(0);
        assertThat(((Element) failure.getParentNode()).getAttribute("name")).isEqualTo("timed-rules");
        assertThat(failure.getAttribute("message")).startsWith("link did not come up within 10 s");
        Element skipped = (Element) doc.getElementsByTagName("skipped").item(0);
        assertThat(skipped.getAttribute("message")).isEqualTo("virtio-net has no IEEE 802.3x flow control");
    }

    @Test
    void aPassingRunWritesOneTestcasePerCheckThatValidates() throws Exception {
        Path xml = dir.resolve("ok.xml");
        CliRun r = CliRun.run(env, "conformance", "mock:virtio-net", "--junit", xml.toString());

        assertThat(r.exitCode()).as(r.err()).isZero();
        Document doc = validated(xml);
        NodeList cases = doc.getElementsByTagName("testcase");
        assertThat(cases.getLength()).isEqualTo(14);
        assertThat(doc.getDocumentElement().getAttribute("failures")).isEqualTo("0");
        assertThat(((Element) cases.item(0)).getAttribute("name")).isEqualTo("timed-rules");
        assertThat(((Element) cases.item(0)).getAttribute("time")).matches("\\d+\\.\\d{3}");
    }

    @Test
    void anUnknownCheckIsAUsageErrorListingTheKnownOnesAndTouchesNothing() throws IOException {
        Path xml = Files.writeString(dir.resolve("keep.xml"), "previous");
        CliRun r = CliRun.run(env, "conformance", "mock:82574L", "--only", "timed-rules,bogus", "--junit", xml.toString());

        assertThat(r.exitCode()).isEqualTo(ExitCode.USAGE.code());
        assertThat(r.err()).contains("unknown conformance check: bogus").contains("pick from timed-rules, oid-buffers,"
                + " oid-robustness, packet-filters, send-shapes, pause-restart, link, priority, checksum-offload, large-send, rss,"
                + " flow-control, reset, surprise-removal");
        assertThat(Files.readString(xml)).isEqualTo("previous");
    }

    @Test
    void jsonCountsSkipsApartFromPasses() {
        CliRun r = CliRun.run(env, "--json", "conformance", "mock:virtio-net", "--only", "oid-buffers,flow-control");

        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out()).contains("\"name\":\"oid-buffers\",\"result\":\"PASS\"")
                .contains("\"virtual_time\":true").contains("\"passed\":1,\"failed\":0,\"skipped\":1");
    }

    /** Parses {@code xml} after validating it against the schema docs/junit-xml.md describes. */
    private static Document validated(Path xml) throws Exception {
        var schema = SchemaFactory.newInstance(XMLConstants.W3C_XML_SCHEMA_NS_URI)
                .newSchema(ConformanceCommandTest.class.getResource("junit-report.xsd"));
        schema.newValidator().validate(new StreamSource(xml.toFile()));
        return DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(xml.toFile());
    }
}

package io.nicup.ndis.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The checksum-offload check on the simulated NICs: it passes where the offload works, on the wire and through
 * a reflector, skips where none is in force, and fails under each mock fault that breaks one direction.
 */
class ChecksumOffloadCheckMockTest {

    private static final String VIRTIO = "mock:virtio-net?offload=on";

    private static CheckResult run(String spec) {
        try (MockTarget t = new MockTarget(spec)) {
            CheckReport r = t.runOne("checksum-offload");
            assertThat(r.violations()).isEmpty();
            return r.result();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"mock:82574L", "mock:82576"})
    void passesOnTheIntelNicsWithEveryDeclaredKindBothWays(String spec) {
        CheckResult r = run(spec);
        assertThat(r.outcome()).as(r.detail()).isEqualTo(CheckResult.Outcome.PASS);
        assertThat(r.detail()).isEqualTo("transmit [TCP/IPv4, UDP/IPv4, TCP/IPv6, UDP/IPv6]: 16 frames left with every"
                + " checksum right and 4 without a request untouched; receive [TCP/IPv4, UDP/IPv4, TCP/IPv6, UDP/IPv6]:"
                + " 10 verdicts right");
    }

    @Test
    void passesOnVirtioNetWithTheFeaturesNegotiated() {
        CheckResult r = run(VIRTIO);
        assertThat(r.outcome()).as(r.detail()).isEqualTo(CheckResult.Outcome.PASS);
        assertThat(r.detail()).startsWith("transmit [TCP/IPv4, UDP/IPv4, TCP/IPv6, UDP/IPv6]: 16 frames left");
    }

    @Test
    void passesThroughAReflectorWhatLeftComingBack() {
        try (MockTarget t = new MockTarget("mock:82574L", loaded -> { }, d -> MockTarget.reflector(d, Optional.empty()))) {
            CheckResult r = t.runOne("checksum-offload").result();
            assertThat(r.outcome()).as(r.detail()).isEqualTo(CheckResult.Outcome.PASS);
            assertThat(r.detail()).contains("(seen as they came back from the reflector)");
        }
    }

    @Test
    void skipsWhereNoChecksumOffloadIsInForce() {
        CheckResult r = run("mock:virtio-net");
        assertThat(r.outcome()).isEqualTo(CheckResult.Outcome.SKIPPED);
        assertThat(r.detail()).isEqualTo("the adapter has no TCP or UDP checksum offload in force"
                + " (OID_TCP_OFFLOAD_CURRENT_CONFIG)");
    }

    @Test
    void failsWhenTheIntelDeviceSkipsTheInsertion() {
        CheckResult r = run("mock:82574L?fault=tx-csum-skip");
        assertThat(r.outcome()).isEqualTo(CheckResult.Outcome.FAIL);
        assertThat(r.detail()).startsWith("16 wrong: TCP/IPv4 frame of 55 bytes handed over for checksum offload did not"
                + " leave with every checksum right (it left with the IPv4 header checksum 0x0000 where 0x");
    }

    @Test
    void failsWhenTheIntelDeviceTurnsItsVerdictsOver() {
        CheckResult r = run("mock:82576?fault=rx-csum-lie");
        assertThat(r.outcome()).isEqualTo(CheckResult.Outcome.FAIL);
        assertThat(r.detail()).startsWith("10 wrong: TCP/IPv4 frame with good checksums was indicated with"
                + " TcpChecksumFailed|IpChecksumFailed");
    }

    @Test
    void failsWhenVirtioNetsDeviceInsertsAWrongChecksum() {
        CheckResult r = run(VIRTIO + "&fault=tx-csum-wrong");
        assertThat(r.outcome()).isEqualTo(CheckResult.Outcome.FAIL);
        assertThat(r.detail()).contains("handed over for checksum offload did not leave with every checksum right");
    }

    @Test
    void failsWhenVirtioNetsDeviceSaysEveryChecksumIsValid() {
        CheckResult r = run(VIRTIO + "&fault=rx-csum-always-valid");
        assertThat(r.outcome()).isEqualTo(CheckResult.Outcome.FAIL);
        assertThat(r.detail()).contains("frame with a bad transport checksum was indicated with TcpChecksumSucceeded");
    }
}

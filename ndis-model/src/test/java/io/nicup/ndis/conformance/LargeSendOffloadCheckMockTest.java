package io.nicup.ndis.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The large-send check on the simulated NICs: it passes where LSOv2 works, on the wire and through a
 * reflector, skips where none is in force, and fails when the device numbers its segments wrong.
 */
class LargeSendOffloadCheckMockTest {

    private static CheckResult run(String spec) {
        try (MockTarget t = new MockTarget(spec)) {
            CheckReport r = t.runOne("large-send");
            assertThat(r.violations()).isEmpty();
            return r.result();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"mock:82574L", "mock:82576", "mock:virtio-net?offload=on"})
    void passesWhereLsoV2WorksWithEverySegmentOnceByteForByte(String spec) {
        CheckResult r = run(spec);
        assertThat(r.outcome()).as(r.detail()).isEqualTo(CheckResult.Outcome.PASS);
        assertThat(r.detail()).isEqualTo("TCP/IPv4: 3 large sends of 60000, 1461 and 4380 payload bytes, MSS 1460, as"
                + " 47 segments; TCP/IPv6: 3 large sends of 60000, 1441 and 4320 payload bytes, MSS 1440, as 47"
                + " segments: each segment left once, byte for byte, and each send completed with its payload bytes"
                + " written back");
    }

    @Test
    void passesThroughAReflector() {
        try (MockTarget t = new MockTarget("mock:82576", loaded -> { }, d -> MockTarget.reflector(d, Optional.empty()))) {
            CheckResult r = t.runOne("large-send").result();
            assertThat(r.outcome()).as(r.detail()).isEqualTo(CheckResult.Outcome.PASS);
            assertThat(r.detail()).contains("(seen as it came back from the reflector)");
        }
    }

    @Test
    void skipsWhereNoLsoIsInForce() {
        CheckResult r = run("mock:virtio-net");
        assertThat(r.outcome()).isEqualTo(CheckResult.Outcome.SKIPPED);
        assertThat(r.detail()).isEqualTo("the adapter has no LSOv2 in force (OID_TCP_OFFLOAD_CURRENT_CONFIG)");
    }

    @Test
    void failsWhenTheIntelDeviceNumbersItsSegmentsWrong() {
        CheckResult r = run("mock:82574L?fault=tso-bad-seq");
        assertThat(r.outcome()).isEqualTo(CheckResult.Outcome.FAIL);
        assertThat(r.detail()).contains("did not leave as computed (the one with its sequence number differs first at"
                + " byte");
    }

    @Test
    void failsWhenVirtioNetsDeviceNumbersItsSegmentsWrong() {
        CheckResult r = run("mock:virtio-net?offload=on&fault=gso-bad-seq");
        assertThat(r.outcome()).isEqualTo(CheckResult.Outcome.FAIL);
        assertThat(r.detail()).contains("did not leave as computed");
    }
}

package io.nicup.ndis.conformance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.nicup.ndis.trace.Rule;
import io.nicup.ndis.trace.Violation;
import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;
import io.nicup.ndis.driver.LoadedDriver;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The battery on the three simulated NICs: every check passes (flow control is skipped with its reason on
 * virtio-net, never passed there), and each check fails on a miniport that breaks what it checks.
 */
class ConformanceBatteryMockTest {

    @ParameterizedTest
    @ValueSource(strings = {"mock:82574L", "mock:82576", "mock:virtio-net?offload=on"})
    void everyCheckPassesOnAHealthyNic(String spec) {
        try (MockTarget t = new MockTarget(spec)) {
            List<CheckReport> reports = t.run();
            assertThat(reports).extracting(CheckReport::name).containsExactlyElementsOf(ConformanceBattery.names());
            for (CheckReport r : reports) {
                if (r.name().equals("flow-control") && spec.startsWith("mock:virtio-net")) {
                    assertThat(r.result()).isEqualTo(CheckResult.skipped("virtio-net has no IEEE 802.3x flow control"));
                } else if (r.name().equals("rss") && spec.startsWith("mock:virtio-net")) {
                    assertThat(r.result()).isEqualTo(CheckResult.skipped("the adapter announces no receive-side scaling"));
                } else {
                    assertThat(r.result().outcome()).as(r.name() + ": " + r.result().detail())
                            .isEqualTo(CheckResult.Outcome.PASS);
                }
                assertThat(r.violations()).as(r.name()).isEmpty();
                assertThat(r.virtualTime()).isTrue();
            }
            assertThat(t.host.verifier().verdict().passed()).isTrue();
        }
    }

    @Test
    void timedRulesFailWhenSendsNeverComplete() {
        CheckReport r = faulty("mock:82574L", Misbehaving.holdsSends(), "timed-rules");
        assertThat(r.result().detail()).contains("sends not completed after").contains("bound 30 s");
        assertThat(rules(r)).contains(Rule.TIMED_DATA_HANG, Rule.TIMED_DATA_SEND);
    }

    @Test
    void timedRulesFailWhenAnOidNeverCompletes() {
        CheckReport r = faulty("mock:82576", Misbehaving.pendsStatistics(), "timed-rules");
        assertThat(r.result().detail()).contains("OID_GEN_STATISTICS not completed").contains("bound 12 s");
        assertThat(rules(r)).contains(Rule.TIMED_OID_COMPLETE);
    }

    @Test
    void timedRulesFailWhenAPauseTakesLongerThanTenSeconds() {
        try (MockTarget t = new MockTarget("mock:virtio-net", Misbehaving.pausesFor(Duration.ofSeconds(11)))) {
            CheckReport r = t.runOne("timed-rules");
            assertThat(r.result().outcome()).isEqualTo(CheckResult.Outcome.FAIL);
            assertThat(r.result().detail()).startsWith("pause with 64 sends in flight took 11000.").contains("(bound 10 s)");
            assertThat(rules(r)).contains(Rule.TIMED_PAUSE_COMPLETE);
        }
    }

    @Test
    void timedRulesFailWhenAnOidCompletesLate() {
        try (MockTarget t = new MockTarget("mock:82574L", Misbehaving.answersStatisticsAfter(Duration.ofSeconds(12)
                .plusMillis(1)))) {
            CheckReport r = t.runOne("timed-rules");
            assertThat(r.result().outcome()).isEqualTo(CheckResult.Outcome.FAIL);
            assertThat(r.result().detail()).isEqualTo("OID_GEN_STATISTICS completed after 12001.000 ms (bound 12 s)");
            assertThat(rules(r)).contains(Rule.TIMED_OID_COMPLETE);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"mock:82574L", "mock:82576", "mock:virtio-net"})
    void oidBuffersFailWhenBytesNeededIsMissing(String spec) {
        CheckReport r = faulty(spec, Misbehaving.forgetsBytesNeeded(), "oid-buffers");
        assertThat(r.result().detail()).contains("with 0 bytes").contains("BytesNeeded > 0");
    }

    @ParameterizedTest
    @ValueSource(strings = {"mock:82574L", "mock:82576", "mock:virtio-net"})
    void oidRobustnessFailsWhenARefusedSetChangesTheFilter(String spec) {
        CheckReport r = faulty(spec, Misbehaving.clobbersFilterOnShortSet(), "oid-robustness");
        assertThat(r.result().detail()).contains("a refused set changed the setting: packet filter 0b000000 -> 01000000");
    }

    @ParameterizedTest
    @ValueSource(strings = {"mock:82574L", "mock:82576", "mock:virtio-net"})
    void oidRobustnessFailsWhenASetOfTheCurrentAddressSucceeds(String spec) {
        CheckReport r = faulty(spec, Misbehaving.answersSetsOfQueryOnlyOids(), "oid-robustness");
        assertThat(r.result().detail())
                .isEqualTo("1 malformed set(s) succeeded: a set of query-only OID_802_3_CURRENT_ADDRESS -> SUCCESS");
    }

    @ParameterizedTest
    @ValueSource(strings = {"mock:82574L", "mock:82576", "mock:virtio-net"})
    void packetFiltersFailWhenTheNicIgnoresTheFilter(String spec) {
        CheckReport r = faulty(spec, Misbehaving.alwaysPromiscuous(), "packet-filters");
        assertThat(r.result().detail()).contains("filter 0x01: OTHER_UNICAST frame arrived");
    }

    @ParameterizedTest
    @ValueSource(strings = {"mock:82574L", "mock:82576", "mock:virtio-net"})
    void sendShapesFailWhenTheMiniportIgnoresTheDataOffset(String spec) {
        CheckReport r = faulty(spec, Misbehaving.ignoresDataOffset(), "send-shapes");
        assertThat(r.result().detail()).contains("frame 1 of").contains("(data offset 1) reached the wire changed");
    }

    @ParameterizedTest
    @ValueSource(strings = {"mock:82574L", "mock:82576", "mock:virtio-net"})
    void sendShapesSendsSeveralNetBuffersPerNblAndSplitDataIntact(String spec) {
        try (MockTarget t = new MockTarget(spec)) {
            CheckReport r = t.runOne("send-shapes");
            assertThat(r.result().outcome()).as(r.result().detail()).isEqualTo(CheckResult.Outcome.PASS);
            assertThat(r.result().detail()).startsWith("a chain of 200 NBLs with 355 frames of 42 to 1514 bytes")
                    .contains("40 NBLs of 2 to 8 NET_BUFFERs, 118 NET_BUFFERs split over 2 to 5 MDLs")
                    .contains("each frame on the wire byte for byte and in order");
            assertThat(r.violations()).isEmpty();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"mock:82574L", "mock:82576", "mock:virtio-net"})
    void sendShapesFailWhenTheDeviceSendsOnlyTheFirstBufferOfAFrame(String spec) {
        CheckReport r = faulty(spec + "?fault=tx-first-buffer-only", loaded -> { }, "send-shapes");
        assertThat(r.result().detail()).matches("frame \\d+ of \\d+ bytes \\(data offset \\d+, split over [2-5] MDLs\\)"
                + " reached the wire changed \\(\\d+ bytes\\)");
    }

    @Test
    void pauseRestartFailsWhenAPauseLosesSends() {
        CheckReport r = faulty("mock:virtio-net", Misbehaving.losesSendsAtPause(), "pause-restart");
        assertThat(r.result().detail()).contains("cycle 1: at Paused 0 of 32 sends completed");
        assertThat(rules(r)).contains(Rule.PAUSE_SENDS_OUTSTANDING);
    }

    @Test
    void linkFailsWhenTheLinkNeverComesUp() {
        CheckReport r = faulty("mock:82576?fault=link-down", loaded -> { }, "link");
        assertThat(r.result().detail()).contains("link did not come up within 10 s");
    }

    @Test
    void linkFailsWhenSendsAreNotCompleted() {
        CheckReport r = faulty("mock:82574L", Misbehaving.holdsSends(), "link");
        assertThat(r.result().detail()).isEqualTo("link down 200 ms: after the link came back 0 of 8 sends completed"
                + " with SUCCESS and 0 reached the wire");
    }

    @ParameterizedTest
    @ValueSource(strings = {"mock:82574L", "mock:82576", "mock:virtio-net"})
    void surpriseRemovalFailsWhenSendsAreLostInTheRemoval(String spec) {
        CheckReport r = faulty(spec, Misbehaving.losesSendsAtPause(), "surprise-removal");
        assertThat(r.result().detail()).isEqualTo("of 1024 sends in flight at the removal 0 completed (0 SUCCESS,"
                + " 0 FAILURE, 0 SEND_ABORTED)");
    }

    @Test
    void surpriseRemovalCompletesEachSendOnceWithTheStatusThatSaysWhereItWas() {
        try (MockTarget t = new MockTarget("mock:82574L")) {
            CheckReport r = t.runOne("surprise-removal");
            assertThat(r.result()).isEqualTo(CheckResult.pass("1024 sends in flight at the removal each completed once:"
                    + " 765 SUCCESS, 0 FAILURE, 259 SEND_ABORTED; adapter halted with NdisHaltDeviceSurpriseRemoved"));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"mock:82574L", "mock:82576", "mock:virtio-net"})
    void priorityFailsWhenTheMiniportStripsTheTag(String spec) {
        CheckReport r = faulty(spec, Misbehaving.stripsVlanTags(), "priority");
        assertThat(r.result().detail()).startsWith("24 of 48 tagged frames lost their tag or did not cross: sent PCP 0 to"
                + " 02:00:00:00:00:c0 did not reach the wire with its tag");
    }

    @Test
    void anUnknownNameIsRefusedWithTheKnownOnes() {
        assertThatThrownBy(() -> ConformanceBattery.select(List.of("timed-rules", "bogus")))
                .isInstanceOf(ConformanceBattery.UnknownCheckException.class)
                .hasMessageContaining("names=bogus").hasMessageContaining("known=timed-rules,oid-buffers");
    }

    @Test
    void aSelectionRunsInBatteryOrder() {
        assertThat(ConformanceBattery.select(List.of("pause-restart", "timed-rules"))).extracting(ConformanceCheck::name)
                .containsExactly("timed-rules", "pause-restart");
    }

    private static CheckReport faulty(String spec, Consumer<LoadedDriver> misbehave, String check) {
        try (MockTarget t = new MockTarget(spec, misbehave)) {
            CheckReport r = t.runOne(check);
            assertThat(r.result().outcome()).as(r.result().detail()).isEqualTo(CheckResult.Outcome.FAIL);
            return r;
        }
    }

    private static List<Rule> rules(CheckReport r) {
        return r.violations().stream().map(Violation::rule).toList();
    }
}

package io.nicup.ndis.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import io.nicup.mock.MockPciDevice;
import io.nicup.ndis.driver.LoadedDriver;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The checks that need a link partner, with the partners real hardware has (docs/ndis-contract.md §18): a
 * reflector at the far end of the simulated cable (the NIC sends the frames from outside itself and the
 * reflection brings them back) and a link control standing for --link-command. They pass on each simulated
 * NIC, fail on a miniport that breaks what they check, and skip, naming the option, without the partner.
 */
class LinkPartnerMockTest {

    private static final Function<MockPciDevice, LinkPartner> REFLECTOR =
            d -> MockTarget.reflector(d, Optional.of(d.wire()::setLink));

    @ParameterizedTest
    @ValueSource(strings = {"mock:82574L", "mock:82576", "mock:virtio-net?offload=on"})
    void everyCheckPassesBehindAReflectorWithALinkCommand(String spec) {
        try (MockTarget t = new MockTarget(spec, loaded -> { }, REFLECTOR)) {
            List<CheckReport> reports = t.run();
            for (CheckReport r : reports) {
                if (r.name().equals("rss") && spec.startsWith("mock:virtio-net")) {
                    assertThat(r.result().outcome()).as("no RSS announced").isEqualTo(CheckResult.Outcome.SKIPPED);
                } else if (!r.name().equals("flow-control")) {
                    assertThat(r.result().outcome()).as(r.name() + ": " + r.result().detail())
                            .isEqualTo(CheckResult.Outcome.PASS);
                }
                assertThat(r.violations()).as(r.name()).isEmpty();
            }
            assertThat(detail(reports, "packet-filters")).isEqualTo("32 filter combinations x 5 kinds of frames: each"
                    + " admitted frame arrived intact, no other did");
            assertThat(detail(reports, "priority")).startsWith("48 tagged frames sent and 40 came back from the"
                    + " reflector");
            assertThat(detail(reports, "link")).endsWith("queued sends completed, traffic resumed");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"mock:82574L", "mock:82576", "mock:virtio-net"})
    void packetFiltersFailBehindAReflectorWhenTheNicIgnoresTheFilter(String spec) {
        CheckReport r = faulty(spec, Misbehaving.alwaysPromiscuous(), REFLECTOR, "packet-filters");
        assertThat(r.result().detail()).contains("filter 0x01: OTHER_UNICAST frame arrived");
    }

    @ParameterizedTest
    @ValueSource(strings = {"mock:82574L", "mock:82576", "mock:virtio-net"})
    void priorityFailsBehindAReflectorWhenTheMiniportStripsTheTag(String spec) {
        CheckReport r = faulty(spec, Misbehaving.stripsVlanTags(), REFLECTOR, "priority");
        assertThat(r.result().detail()).startsWith("40 of 40 tagged frames lost their tag or did not cross: sent PCP 0"
                + " to 01:00:5e:00:00:07 did not come back from the reflector with its tag");
    }

    @ParameterizedTest
    @ValueSource(strings = {"mock:82574L", "mock:82576", "mock:virtio-net"})
    void linkFailsBehindAReflectorWhenSendsAreNotCompleted(String spec) {
        CheckReport r = faulty(spec, Misbehaving.holdsSends(), REFLECTOR, "link");
        assertThat(r.result().detail()).isEqualTo("link down 200 ms: after the link came back 0 of 8 sends completed"
                + " with SUCCESS and 0 came back from the reflector");
    }

    /**
     * A virtio-net device without VIRTIO_NET_F_CTRL_RX takes every frame (QEMU starts promiscuous): the
     * miniport's own receive filter must honour the NDIS packet filter, reflections included.
     */
    @Test
    void packetFiltersPassBehindAReflectorOnAVirtioDeviceThatCannotFilter() {
        try (MockTarget t = new MockTarget("mock:virtio-net?fault=no-optional-features", loaded -> { }, REFLECTOR)) {
            CheckReport r = t.runOne("packet-filters");
            assertThat(r.result().outcome()).as(r.result().detail()).isEqualTo(CheckResult.Outcome.PASS);
        }
        CheckReport r = faulty("mock:virtio-net?fault=no-optional-features", Misbehaving.alwaysPromiscuous(),
                REFLECTOR, "packet-filters");
        assertThat(r.result().detail()).contains("filter 0x01: OTHER_UNICAST frame arrived");
    }

    @Test
    void linkFailsWithWhatTheLinkCommandSaidWhenItFails() {
        List<Boolean> asked = new ArrayList<>();
        Function<MockPciDevice, LinkPartner> failingUp = d -> LinkPartner.reflector(Optional.of(up -> {
            asked.add(up);
            if (up) {
                throw new LinkControl.LinkControlException("link command failed: command=./port arg=up exit=1"
                        + " stderr=switch refused");
            }
            d.wire().setLink(false);
        }));
        CheckReport r = faulty("mock:82576", loaded -> { }, failingUp, "link");
        assertThat(r.result().detail()).isEqualTo("link command failed: command=./port arg=up exit=1 stderr=switch"
                + " refused");
        assertThat(asked).containsExactly(false, true);
    }

    @Test
    void linkFailsWhenTheLinkCommandPullsNothing() {
        CheckReport r = faulty("mock:82574L", loaded -> { }, d -> MockTarget.reflector(d, Optional.of(up -> { })), "link");
        assertThat(r.result().detail()).startsWith("link down 200 ms: link-state indications [] (wanted disconnected,"
                + " then connected)");
    }

    @ParameterizedTest
    @ValueSource(strings = {"mock:82574L", "mock:82576", "mock:virtio-net"})
    void linkWithOnlyALinkCommandPassesOnTheSendsCompletingAndSaysSo(String spec) {
        try (MockTarget t = new MockTarget(spec, loaded -> { },
                d -> LinkPartner.none(Optional.of(d.wire()::setLink)))) {
            CheckReport r = t.runOne("link");
            assertThat(r.result().outcome()).as(r.result().detail()).isEqualTo(CheckResult.Outcome.PASS);
            assertThat(r.result().detail()).endsWith("sends completed again (nothing here sees the wire)");
        }
    }

    @Test
    void withoutAPartnerTheChecksSkipNamingTheOptionThatProvidesIt() {
        try (MockTarget t = new MockTarget("mock:82574L", loaded -> { }, d -> LinkPartner.none(Optional.empty()))) {
            List<CheckReport> reports = t.run("packet-filters", "link", "priority");
            assertThat(reports).extracting(CheckReport::result).containsExactly(
                    CheckResult.skipped(LinkPartner.NEEDS_FRAMES), CheckResult.skipped(LinkPartner.NEEDS_LINK),
                    CheckResult.skipped(LinkPartner.NEEDS_FRAMES));
            assertThat(LinkPartner.NEEDS_FRAMES).contains("--peer reflect");
            assertThat(LinkPartner.NEEDS_LINK).contains("--link-command");
        }
    }

    private static String detail(List<CheckReport> reports, String name) {
        return reports.stream().filter(r -> r.name().equals(name)).findFirst().orElseThrow().result().detail();
    }

    private static CheckReport faulty(String spec, Consumer<LoadedDriver> misbehave,
            Function<MockPciDevice, LinkPartner> partner, String check) {
        try (MockTarget t = new MockTarget(spec, misbehave, partner)) {
            CheckReport r = t.runOne(check);
            assertThat(r.result().outcome()).as(r.result().detail()).isEqualTo(CheckResult.Outcome.FAIL);
            return r;
        }
    }
}

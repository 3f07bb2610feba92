package io.nicup.ndis.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import io.nicup.ndis.driver.LoadedDriver;
import java.util.Optional;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/**
 * The rss check: it passes on the 82576 and the 82574L, which hash with the parameters NDIS sets, on the wire
 * and through a reflector; it skips on a NIC that announces no RSS; it fails on a miniport that says SUCCESS to
 * invalid sets, on one that stops applying the sets after the first, and on a device whose hash is wrong.
 */
class RssCheckMockTest {

    private static CheckResult run(String spec, Consumer<LoadedDriver> misbehave) {
        CheckReport r = report(spec, misbehave);
        assertThat(r.violations()).isEmpty();
        return r.result();
    }

    private static CheckReport report(String spec, Consumer<LoadedDriver> misbehave) {
        try (MockTarget t = new MockTarget(spec, misbehave)) {
            return t.runOne("rss");
        }
    }

    @Test
    void passesOnThe82576WithEveryHashAsTheSoftwareToeplitzGivesIt() {
        CheckResult r = run("mock:82576", loaded -> { });
        assertThat(r.outcome()).as(r.detail()).isEqualTo(CheckResult.Outcome.PASS);
        assertThat(r.detail()).isEqualTo("132 frames of 8 TCP and 8 UDP flows over IPv4 and IPv6 and a non-IP frame each"
                + " carried the hash the software Toeplitz gives, or none where no type applies (Microsoft's key with"
                + " every announced type, again after 6 invalid sets were refused, a second key with the TCP types only,"
                + " RSS disabled); 4 receive queues announced: each hashed frame arrived on the queue its table entry names,"
                + " every queue reached");
    }

    @Test
    void passesThroughAReflector() {
        try (MockTarget t = new MockTarget("mock:82576", loaded -> { }, d -> MockTarget.reflector(d, Optional.empty()))) {
            CheckResult r = t.runOne("rss").result();
            assertThat(r.outcome()).as(r.detail()).isEqualTo(CheckResult.Outcome.PASS);
        }
    }

    @Test
    void passesOnThe82574LWhoseUdpFramesTakeTheAddressHash() {
        CheckResult r = run("mock:82574L", loaded -> { });
        assertThat(r.outcome()).as(r.detail()).isEqualTo(CheckResult.Outcome.PASS);
        assertThat(r.detail()).startsWith("132 frames of 8 TCP and 8 UDP flows over IPv4 and IPv6").endsWith("; 2 receive"
                + " queues announced: each hashed frame arrived on the queue its table entry names, every queue reached");
        try (MockTarget t = new MockTarget("mock:82574L", loaded -> { }, d -> MockTarget.reflector(d, Optional.empty()))) {
            CheckResult reflected = t.runOne("rss").result();
            assertThat(reflected.outcome()).as(reflected.detail()).isEqualTo(CheckResult.Outcome.PASS);
        }
    }

    @Test
    void failsOnThe82574LWhenTheDeviceWritesAWrongHash() {
        CheckResult r = run("mock:82574L?fault=rss-bad-hash", loaded -> { });
        assertThat(r.outcome()).isEqualTo(CheckResult.Outcome.FAIL);
        assertThat(r.detail()).as("32 IP frames twice under the first key, 16 TCP ones under the second; none with RSS disabled")
                .startsWith("80 wrong: Microsoft's key: TCP/IPv4 flow");
    }

    @Test
    void skipsWhereNoRssIsAnnounced() {
        CheckResult r = run("mock:virtio-net", loaded -> { });
        assertThat(r.outcome()).isEqualTo(CheckResult.Outcome.SKIPPED);
        assertThat(r.detail()).isEqualTo("the adapter announces no receive-side scaling");
    }

    @Test
    void failsWhenInvalidSetsAreAccepted() {
        CheckReport report = report("mock:82576", Misbehaving.acceptsInvalidRssSets());
        assertThat(report.violations()).as("the verifier's rule RSS-02 sees the same").hasSize(6)
                .allMatch(v -> v.toString().contains("rule=RSS-02"));
        CheckResult r = report.result();
        assertThat(r.outcome()).isEqualTo(CheckResult.Outcome.FAIL);
        assertThat(r.detail()).startsWith("6 wrong: an invalid set (a 39-byte key) was accepted; an invalid set (hash"
                + " function 2) was accepted");
    }

    @Test
    void failsWhenTheNicDeliversAFrameToAQueueOtherThanTheTableNames() {
        CheckResult r = run("mock:82576?fault=rss-wrong-queue", loaded -> { });
        assertThat(r.outcome()).isEqualTo(CheckResult.Outcome.FAIL);
        assertThat(r.detail()).as("32 hashed frames twice under Microsoft's key, 16 TCP ones under the second key")
                .startsWith("80 wrong: Microsoft's key: TCP/IPv4 flow").contains(" arrived on queue ", " where entry ");
    }

    @Test
    void failsWhenThe82574LDeliversAFrameToTheOtherQueueThanTheTableNames() {
        CheckResult r = run("mock:82574L?fault=rss-wrong-queue", loaded -> { });
        assertThat(r.outcome()).isEqualTo(CheckResult.Outcome.FAIL);
        assertThat(r.detail()).as("every hashed frame: 32 twice under Microsoft's key, 16 TCP ones under the second")
                .startsWith("80 wrong: Microsoft's key: TCP/IPv4 flow").contains(" arrived on queue ", " where entry ");
    }

    @Test
    void failsWhenTheSecondKeyIsNotApplied() {
        CheckResult r = run("mock:82576", Misbehaving.ignoresRssSetsAfterTheFirst());
        assertThat(r.outcome()).isEqualTo(CheckResult.Outcome.FAIL);
        assertThat(r.detail()).as("16 TCP and 16 UDP frames under the second key, 32 IP frames with RSS disabled")
                .startsWith("64 wrong: a second key, TCP only: TCP/IPv4 flow");
    }
}

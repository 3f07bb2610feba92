package io.nicup.ndis.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * The rss check on the simulated virtio-net (docs/hardware-reference.md C.10): it passes where the device
 * offers RSS and hash report, and where it offers the hash report alone; it skips, with the reason, where the
 * device offers neither; it fails when the device reports hashes that are not the Toeplitz of the frame. With
 * several queue pairs (docs/ndis-contract.md §21) it also checks the spread, and fails when the device steers
 * frames to a queue other than the table names.
 */
class VirtioRssCheckMockTest {

    private static CheckReport report(String spec) {
        try (MockTarget t = new MockTarget(spec, loaded -> { })) {
            return t.runOne("rss");
        }
    }

    @Test
    void passesWithRssAndHashReport() {
        CheckReport report = report("mock:virtio-net?rss=on");
        CheckResult r = report.result();
        assertThat(r.outcome()).as(r.detail()).isEqualTo(CheckResult.Outcome.PASS);
        assertThat(r.detail()).startsWith("132 frames of 8 TCP and 8 UDP flows over IPv4 and IPv6 and a non-IP frame"
                + " each carried the hash the software Toeplitz gives");
        assertThat(report.violations()).isEmpty();
    }

    @Test
    void passesWithTheHashReportAlone() {
        CheckResult r = report("mock:virtio-net?rss=hash").result();
        assertThat(r.outcome()).as(r.detail()).isEqualTo(CheckResult.Outcome.PASS);
    }

    @Test
    void skipsWithTheReasonWhereTheDeviceOffersNeither() {
        CheckResult r = report("mock:virtio-net").result();
        assertThat(r.outcome()).isEqualTo(CheckResult.Outcome.SKIPPED);
        assertThat(r.detail()).isEqualTo("the adapter announces no receive-side scaling");
    }

    @Test
    void failsWhenTheDeviceReportsWrongHashes() {
        CheckResult r = report("mock:virtio-net?rss=on&fault=hash-report-wrong").result();
        assertThat(r.outcome()).isEqualTo(CheckResult.Outcome.FAIL);
        assertThat(r.detail()).as("every hashed frame of the three configurations with a hash")
                .startsWith("80 wrong: Microsoft's key: TCP/IPv4 flow 59384 -> 9 was indicated with hash 0x3a27fc7b"
                        + " (TCP/IPv4) where hash 0x3a27fc7a (TCP/IPv4) belongs");
    }

    @Test
    void withFourPairsEveryHashedFrameArrivesOnTheQueueItsTableEntryNames() {
        CheckReport report = report("mock:virtio-net?rss=on&queues=4");
        CheckResult r = report.result();
        assertThat(r.outcome()).as(r.detail()).isEqualTo(CheckResult.Outcome.PASS);
        assertThat(r.detail()).endsWith("; 4 receive queues announced: each hashed frame arrived on the queue its"
                + " table entry names, every queue reached");
        assertThat(report.violations()).isEmpty();
    }

    @Test
    void failsWhenTheDeviceSteersFramesToAQueueOtherThanTheTableNames() {
        CheckResult r = report("mock:virtio-net?rss=on&queues=4&fault=rss-wrong-queue").result();
        assertThat(r.outcome()).isEqualTo(CheckResult.Outcome.FAIL);
        assertThat(r.detail()).startsWith("80 wrong: Microsoft's key: TCP/IPv4 flow")
                .contains(" arrived on queue ", " where entry ");
    }
}

package io.nicup.ndis.miniport.virtio;

import static io.nicup.ndis.miniport.virtio.VirtioReceiveQueuesMockTest.assertEachOnItsQueue;
import static io.nicup.ndis.miniport.virtio.VirtioReceiveQueuesMockTest.flows;
import static io.nicup.ndis.miniport.virtio.VirtioReceiveQueuesMockTest.set;
import static io.nicup.ndis.miniport.virtio.VirtioReceiveQueuesMockTest.spec;
import static org.assertj.core.api.Assertions.assertThat;

import io.nicup.mock.virtio.VirtioNetModel;
import io.nicup.ndis.NdisStatus;
import io.nicup.ndis.rss.RssParameterSet;
import io.nicup.ndis.trace.NdisTrace;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A refused RSS set whose rollback the device refuses too (docs/hardware-reference.md C.10): the device's
 * steering is unknown, so the driver asks NDIS for a reset at once (NdisMResetMiniport, docs/ndis-contract.md §17)
 * and the reset (virtio 1.2 2.1.2, 3.1.1) sends the configuration in force again, with no MiniportCheckForHangEx
 * in between; a device that refuses it after the reset as well is a hardware error.
 */
class VirtioRssRollbackMockTest {

    /** MiniportCheckForHangEx runs every 2 s: the reset must come well before the next one. */
    private static final Duration SOON = Duration.ofMillis(5);
    private static final Duration CHECK_FOR_HANG_PERIOD = Duration.ofSeconds(2);

    @Test
    void aRefusedRollbackResetsTheDeviceAndThePreviousTableSteersAgain() {
        try (VirtioBench b = new VirtioBench(spec(4) + "&fault=mq-refused@1")) {
            b.running();
            int[] table = RssParameterSet.roundRobin(128, 4);
            assertThat(set(b, table)).isEqualTo(NdisStatus.SUCCESS);
            long resets = b.model().counter(VirtioNetModel.Counter.RESETS);
            assertThat(set(b, RssParameterSet.roundRobin(128, 2))).as("the set, then its rollback, refused")
                    .isEqualTo(NdisStatus.FAILURE);
            assertThat(b.model().rssHashTypes()).as("the refusals left the device without RSS").isZero();
            assertThat(b.model().counter(VirtioNetModel.Counter.RESETS)).as("not inside the OID request")
                    .isEqualTo(resets);
            long refused = b.host.clock().nanoTime();
            long seen = lastSeq(b);
            b.host.idle(SOON);
            assertThat(b.model().counter(VirtioNetModel.Counter.RESETS)).as("device_status 0 written")
                    .isGreaterThan(resets);
            assertThat(b.host.clock().nanoTime() - refused).isLessThan(CHECK_FOR_HANG_PERIOD.toNanos());
            assertResetAskedForWithoutCheckForHang(b, seen);
            assertThat(b.adapter.lastReset().status()).isEqualTo(NdisStatus.SUCCESS);
            assertThat(b.model().rssIndirectionTable()).as("the previous table, sent after the reset").isEqualTo(table);
            assertThat(b.model().queuePairsInUse()).isEqualTo(4);
            b.injectAndIndicate(flows(64));
            assertThat(assertEachOnItsQueue(b, table)).containsExactly(0, 1, 2, 3);
            assertThat(b.adapter.errorLog()).isEmpty();
            assertThat(b.host.verifier().violations()).isEmpty();
        }
    }

    @Test
    void aDeviceThatRefusesTheConfigurationAfterTheResetTooIsAHardwareError() {
        try (VirtioBench b = new VirtioBench(spec(4) + "&fault=mq-refused-always@1")) {
            b.running();
            int[] table = RssParameterSet.roundRobin(128, 4);
            assertThat(set(b, table)).isEqualTo(NdisStatus.SUCCESS);
            long resets = b.model().counter(VirtioNetModel.Counter.RESETS);
            assertThat(set(b, RssParameterSet.roundRobin(128, 2))).isEqualTo(NdisStatus.FAILURE);
            long seen = lastSeq(b);
            b.host.idle(SOON);
            assertThat(b.model().counter(VirtioNetModel.Counter.RESETS)).isGreaterThan(resets);
            assertResetAskedForWithoutCheckForHang(b, seen);
            assertThat(b.adapter.lastReset().status()).isEqualTo(NdisStatus.HARD_ERRORS);
            assertThat(b.adapter.errorLog()).isNotEmpty().first().asString()
                    .contains("refused the RSS configuration in force after a reset");
            b.host.idle(CHECK_FOR_HANG_PERIOD.plusMillis(500));
            int checks = events(b, seen, "MiniportCheckForHangEx").size();
            assertThat(checks).isPositive();
            assertThat(events(b, seen, "MiniportResetEx")).as("no reset storm: each further one waits for CheckForHang")
                    .hasSize(1 + checks);
            assertThat(b.host.verifier().violations()).isEmpty();
        }
    }

    private static long lastSeq(VirtioBench b) {
        List<NdisTrace.Event> events = b.host.trace().events();
        return events.getLast().seq();
    }

    private static List<NdisTrace.Event> events(VirtioBench b, long after, String name) {
        return b.host.trace().events().stream().filter(e -> e.seq() > after && e.name().equals(name)).toList();
    }

    /** One reset since {@code after}, the one the miniport asked for, and no CheckForHang before it. */
    private static void assertResetAskedForWithoutCheckForHang(VirtioBench b, long after) {
        assertThat(b.host.trace().events()).as("asked for inside the OID request")
                .anyMatch(e -> e.seq() <= after && e.name().equals("NdisMResetMiniport") && e.depth() > 0);
        assertThat(events(b, after, "ResetAdapter")).singleElement()
                .satisfies(e -> assertThat(e.detail()).containsEntry("requested_by", "NdisMResetMiniport"));
        assertThat(events(b, after, "MiniportCheckForHangEx")).isEmpty();
    }
}

package io.nicup.ndis.miniport.virtio;

import static io.nicup.ndis.miniport.virtio.VirtioReceiveQueuesMockTest.assertEachOnItsQueue;
import static io.nicup.ndis.miniport.virtio.VirtioReceiveQueuesMockTest.flows;
import static io.nicup.ndis.miniport.virtio.VirtioReceiveQueuesMockTest.set;
import static io.nicup.ndis.miniport.virtio.VirtioReceiveQueuesMockTest.spec;
import static org.assertj.core.api.Assertions.assertThat;

import io.nicup.mock.virtio.VirtioNetModel;
import io.nicup.ndis.NdisStatus;
import io.nicup.ndis.rss.RssParameterSet;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * A refused RSS set whose rollback the device refuses too (docs/hardware-reference.md C.10): the device's
 * steering is unknown, so the driver resets it (virtio 1.2 2.1.2, 3.1.1) and sends the configuration in force
 * again; a device that refuses it after the reset as well is a hardware error.
 */
class VirtioRssRollbackMockTest {

    /** MiniportCheckForHangEx runs every 2 s: one has run after this. */
    private static final Duration PAST_CHECK_FOR_HANG = Duration.ofSeconds(3);

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
            b.host.idle(PAST_CHECK_FOR_HANG);
            assertThat(b.model().counter(VirtioNetModel.Counter.RESETS)).as("device_status 0 written")
                    .isGreaterThan(resets);
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
            b.host.idle(PAST_CHECK_FOR_HANG);
            assertThat(b.model().counter(VirtioNetModel.Counter.RESETS)).isGreaterThan(resets);
            assertThat(b.adapter.lastReset().status()).isEqualTo(NdisStatus.HARD_ERRORS);
            assertThat(b.adapter.errorLog()).isNotEmpty().first().asString()
                    .contains("refused the RSS configuration in force after a reset");
        }
    }
}

package io.nicup.ndis.miniport.virtio;

import static org.assertj.core.api.Assertions.assertThat;

import io.nicup.mock.virtio.VirtioNetModel;
import io.nicup.ndis.miniport.core.SelfTestResult.Outcome;
import io.nicup.ndis.miniport.core.SelfTestResult;
import io.nicup.ndis.protocol.FrameEdge;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The virtio-net miniport over {@code mock:virtio-net}: self-tests and the register dump. */
class VirtioSelfTestMockTest {

    @Test
    void selfTestsPassAndTheAdapterCarriesTrafficAfterwards() {
        try (VirtioBench b = new VirtioBench()) {
            b.add();
            List<SelfTestResult> results = b.diagnostics().runOffline();
            assertThat(results).extracting(SelfTestResult::name).containsExactly("capabilities", "features", "queues",
                    "interrupt", "link", "loopback");
            assertThat(results.subList(0, 5)).as(results.toString()).allMatch(r -> r.outcome() == Outcome.PASS);
            assertThat(results.get(5).outcome()).isEqualTo(Outcome.SKIPPED);
            assertThat(results.get(0).reason()).contains("COMMON_CFG bar=4 offset=0x0", "NOTIFY_CFG bar=4 offset=0x3000",
                    "notify_off_multiplier=4");
            assertThat(results.get(3).reason()).contains("MSI-X vector 3 fired");
            assertThat(b.model().interrupts().armed().events(VirtioQueues.VECTOR_CTRL)).isPositive();
            FrameEdge.setPacketFilter(b.host, b.adapter, VirtioBench.DEFAULT_FILTER);
            b.host.restart(b.adapter);
            b.send(VirtioBench.frames(VirtioBench.PEER, VirtioBench.MAC, 3, 64, 0));
            assertThat(b.wire.captured()).hasSize(3);
            assertThat(b.host.verifier().verdict().passed()).isTrue();
        }
    }

    @Test
    void offlineSelfTestsRefuseARunningAdapter() {
        try (VirtioBench b = new VirtioBench()) {
            b.running();
            assertThat(b.diagnostics().queueTest().outcome()).isEqualTo(Outcome.FAIL);
            assertThat(b.diagnostics().queueTest().reason()).contains("Paused");
        }
    }

    @Test
    void theQueueTestSeesARingTheDeviceNoLongerHolds() {
        try (VirtioBench b = new VirtioBench()) {
            b.add();
            b.device.bar(4).write16(VirtioNetModel.COMMON_OFFSET + CommonCfg.QUEUE_SELECT, (short) 1);
            b.device.bar(4).write32(VirtioNetModel.COMMON_OFFSET + CommonCfg.QUEUE_DESC, 0x1234_0000);
            SelfTestResult r = b.diagnostics().queueTest();
            assertThat(r.outcome()).isEqualTo(Outcome.FAIL);
            assertThat(r.reason()).contains("transmitq1", "queue_desc=0x112340000");
        }
    }

    @Test
    void withTheLinkDownTheLinkSelfTestFailsAndNothingIsSent() {
        try (VirtioBench b = new VirtioBench("mock:virtio-net?fault=link-down")) {
            b.add();
            assertThat(b.driver.awaitLink(b.host, b.adapter, Duration.ofMillis(200))).isFalse();
            SelfTestResult link = b.diagnostics().linkTest();
            assertThat(link.outcome()).isEqualTo(Outcome.FAIL);
            assertThat(link.reason()).contains("LINK_UP not set", "status=0x0000");
        }
    }

    @Test
    void theRegisterDumpNamesTheSpecFieldsAndLeavesIsrAloneUnlessAsked() {
        try (VirtioBench b = new VirtioBench()) {
            b.running();
            String dump = String.join("\n", b.diagnostics().registerDump().stream().map(Object::toString).toList());
            assertThat(dump).contains("device_feature[1]", "VERSION_1 ACCESS_PLATFORM", "driver_feature[0]",
                    "MAC STATUS CTRL_VQ CTRL_RX", "config_msix_vector", "vector 0", "num_queues", "device_status",
                    "ACKNOWLEDGE DRIVER FEATURES_OK DRIVER_OK", "config_generation", "q1.queue_size", "transmitq1",
                    "q2.queue_msix_vector", "vector 3", "q1.queue_notify_off", "doorbell at BAR4+0x3004", "q0.queue_desc",
                    "mac ", "52:54:00:12:34:57", "status ", "LINK_UP");
            assertThat(dump).doesNotContain("isr_status");
            assertThat(b.diagnostics().registerDump(true)).extracting(r -> r.name()).contains("isr_status");
            assertThat(b.diagnostics().counters()).containsKeys("rxq0_frames", "txq0_frames", "ctrlq_commands",
                    "config_interrupts");
            assertThat(b.diagnostics().loopback()).isEmpty();
        }
    }
}

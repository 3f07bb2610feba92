package io.nicup.ndis.miniport.virtio;

import static org.assertj.core.api.Assertions.assertThat;

import io.nicup.mock.virtio.VirtioNetModel;
import io.nicup.ndis.NdisStatus;
import io.nicup.ndis.miniport.SurpriseRemovalCheck;
import io.nicup.ndis.oid.MediaConnectState;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The virtio-net miniport over {@code mock:virtio-net}: each device fault is survived or reported. */
class VirtioFaultRecoveryMockTest {

    private static final long STORM_MIN = 20;

    @Test
    void checkForHangSeesAStuckTransmitQueueAndResetRecoversWithoutSendingAFrameTwice() {
        try (VirtioBench b = new VirtioBench("mock:virtio-net?fault=tx-hang&after=10")) {
            b.running();
            List<byte[]> out = VirtioBench.frames(VirtioBench.PEER, VirtioBench.MAC, 25, 80, 0);
            b.send(out);
            assertThat(b.wire.captured()).hasSize(10);
            assertThat(b.edge.completedOk()).isEqualTo(10);
            b.host.idle(Duration.ofSeconds(12));
            assertThat(b.nic().recovery.resets).isEqualTo(2);
            assertThat(VirtioBench.seqs(b.wire.captured())).containsExactlyElementsOf(VirtioBench.seqs(out));
            assertThat(b.edge.completedOk()).isEqualTo(25);
            assertThat(b.model().unicastTable()).as("the filter was programmed again").isEqualTo(VirtioBench.MAC.bytes());
            assertThat(b.host.verifier().verdict().passed()).isTrue();
        }
    }

    @Test
    void aUsedLengthBeyondTheBufferIsDroppedAndCountedAndTheNextFrameArrives() {
        try (VirtioBench b = new VirtioBench("mock:virtio-net?fault=rx-length@2")) {
            b.running();
            List<byte[]> in = VirtioBench.frames(VirtioBench.MAC, VirtioBench.PEER, 5, 100, 0);
            in.forEach(b::inject);
            b.pump();
            assertThat(VirtioBench.seqs(b.edge.received())).containsExactly(0, 1, 3, 4);
            assertThat(b.diagnostics().counters()).containsEntry("rxq0_length_errors", 1L);
            assertThat(b.statistics().ifInErrors()).isEqualTo(1);
        }
    }

    @Test
    void deviceNeedsResetIsSeenByCheckForHangAndTheResetBringsTrafficBack() {
        try (VirtioBench b = new VirtioBench("mock:virtio-net?fault=device-needs-reset@5")) {
            b.running();
            b.send(VirtioBench.frames(VirtioBench.PEER, VirtioBench.MAC, 5, 64, 0));
            assertThat(b.model().deviceStatus() & DeviceStatus.DEVICE_NEEDS_RESET).isNotZero();
            b.pump();
            assertThat(b.nic().health.needsReset()).isTrue();
            b.host.idle(Duration.ofSeconds(3));
            assertThat(b.nic().recovery.resets).isEqualTo(1);
            assertThat(b.model().deviceStatus()).isEqualTo(0x0F);
            List<byte[]> after = VirtioBench.frames(VirtioBench.PEER, VirtioBench.MAC, 3, 64, 100);
            b.send(after);
            assertThat(b.wire.captured()).hasSize(8);
            byte[] in = VirtioBench.frame(VirtioBench.MAC, VirtioBench.PEER, 64, 7);
            b.inject(in);
            b.pump();
            assertThat(b.edge.received()).containsExactly(in);
        }
    }

    @Test
    void aDmaFaultIsAnIommuFaultThenDeviceNeedsResetAndTheAdapterRecovers() {
        try (VirtioBench b = new VirtioBench("mock:virtio-net?fault=dma-fault@1")) {
            b.running();
            List<byte[]> in = VirtioBench.frames(VirtioBench.MAC, VirtioBench.PEER, 3, 100, 0);
            in.forEach(b::inject);
            b.pump();
            assertThat(b.device.dmaFaults()).isNotEmpty();
            assertThat(b.device.dmaFaults().getFirst().iova()).isEqualTo(VirtioNetModel.DMA_FAULT_IOVA);
            assertThat(VirtioBench.seqs(b.edge.received())).containsExactly(0);
            b.host.idle(Duration.ofSeconds(3));
            assertThat(b.nic().recovery.resets).isEqualTo(1);
            b.pump();
            assertThat(VirtioBench.seqs(b.edge.received())).as("the held frames arrive after the reset")
                    .containsExactly(0, 1, 2);
        }
    }

    @Test
    void anInterruptStormDoesNotStopTheDataPath() {
        try (VirtioBench b = new VirtioBench("mock:virtio-net?fault=irq-storm@1")) {
            b.running();
            b.send(VirtioBench.frames(VirtioBench.PEER, VirtioBench.MAC, 1, 64, 0));
            b.host.idle(Duration.ofMillis(50));
            List<byte[]> out = VirtioBench.frames(VirtioBench.PEER, VirtioBench.MAC, 10, 64, 1);
            b.send(out);
            assertThat(b.wire.captured()).hasSize(11);
            byte[] in = VirtioBench.frame(VirtioBench.MAC, VirtioBench.PEER, 64, 9);
            b.inject(in);
            b.pump();
            assertThat(b.edge.received()).containsExactly(in);
            assertThat(b.nic().link.configInterrupts).as("the storm reached the driver").isGreaterThan(STORM_MIN);
            assertThat(b.adapter.linkState().mediaConnectState()).isEqualTo(MediaConnectState.MediaConnectStateConnected);
        }
    }

    @Test
    void aDeviceThatReadsAllOnesIsReportedHungAndTheResetFailsWithHardErrors() {
        try (VirtioBench b = new VirtioBench("mock:virtio-net?fault=all-ones@3")) {
            b.running();
            b.send(VirtioBench.frames(VirtioBench.PEER, VirtioBench.MAC, 5, 64, 0));
            assertThat(b.wire.captured()).hasSize(3);
            assertThat(b.nic().checkForHang()).isTrue();
            assertThat(b.nic().health.reason()).contains("0xFF");
            assertThat(b.nic().reset().status()).isEqualTo(NdisStatus.HARD_ERRORS);
            assertThat(b.initFailure()).contains("device_status");
        }
    }

    /** Every send accounted for after a surprise removal: see {@link SurpriseRemovalCheck}. */
    @Test
    void aSurpriseRemovalFailsWhatTheRingHeldAndAbortsWhatNeverReachedItAndPausesAtOnce() {
        try (VirtioBench b = new VirtioBench("mock:virtio-net?fault=all-ones@5", "*TransmitBuffers = 64")) {
            b.running();
            SurpriseRemovalCheck.removeMidSendAndAssertEverySendAccountedFor(b, VirtioBench.MAC, 32,
                    "a header and a data descriptor a frame");
        }
    }
}

package io.nicup.ndis.miniport.i82574;

import static io.nicup.ndis.miniport.i82574.MockBench.seqs;
import static io.nicup.ndis.miniport.i82574.MockBench.statistics;
import static org.assertj.core.api.Assertions.assertThat;

import io.nicup.ndis.NdisStatus;
import io.nicup.ndis.adapter.AdapterState;
import io.nicup.ndis.miniport.SurpriseRemovalCheck;
import io.nicup.ndis.miniport.intel.IntelAdapter;
import io.nicup.ndis.oid.MediaConnectState;
import io.nicup.ndis.protocol.FrameEdge;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The 82574L miniport on a failing {@code mock:82574L}: init faults, TX hang, IRQ storm, surprise removal. */
class Failure82574MockTest {

    @ParameterizedTest
    @ValueSource(strings = {"reset-stuck", "nvm-checksum", "eerd-stuck", "mdic-error", "nvm-autoread-stuck"})
    void anInjectedHardwareFaultFailsInitializationAndReleasesEverything(String fault) {
        try (MockBench b = new MockBench("mock:82574L?fault=" + fault, "")) {
            b.add();
            assertThat(b.adapter.initStatus()).isEqualTo(NdisStatus.FAILURE);
            assertThat(b.adapter.state()).isEqualTo(AdapterState.HALTED);
            assertThat(b.adapter.heldResources()).isEmpty();
            assertThat(b.device.dmaAllocator().liveRegions()).isZero();
            assertThat(b.device.configSpace().busMaster()).isFalse();
            assertThat(b.initFailure()).isNotBlank();
            assertThat(b.host.verifier().verdict().passed()).isTrue();
            assertThat(b.host.unloadDriver(b.loaded)).isEqualTo(NdisStatus.SUCCESS);
        }
    }

    @Test
    void aFailedNvmChecksumIsNamedInTheFailure() {
        try (MockBench b = new MockBench("mock:82574L?fault=nvm-checksum", "")) {
            b.add();
            assertThat(b.initFailure()).contains("NVM checksum invalid", "0xBABB");
        }
    }

    @Test
    void checkForHangDetectsAStuckTransmitterAndResetRecoversWithoutSendingAFrameTwice() {
        try (MockBench b = new MockBench("mock:82574L?fault=tx-hang&after=10", "")) {
            b.running();
            List<byte[]> out = MockBench.frames(MockBench.PEER, MockBench.MAC, 25, 80, 0);
            b.send(out);
            assertThat(b.wire.captured()).hasSize(10);
            assertThat(b.edge.completedOk()).isEqualTo(10);
            // The fault stops TDH after every 10 frames since a reset: 25 frames need two hang-reset rounds
            // (CheckForHang every 2 s sees TDH still twice, NDIS calls MiniportResetEx, the link returns).
            b.host.idle(Duration.ofSeconds(12));
            assertThat(b.nic().resets()).isEqualTo(2);
            assertThat(seqs(b.wire.captured())).containsExactlyElementsOf(seqs(out));
            assertThat(b.edge.completedOk()).isEqualTo(25);
            assertThat(statistics(b).ifHCOutUcastPkts()).isEqualTo(25);
            assertThat(b.host.verifier().verdict().passed()).isTrue();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"1", "2", "3"})
    void anInterruptStormIsMaskedOnceWhileTrafficKeepsFlowingBothWays(String mode) {
        try (MockBench b = new MockBench("mock:82574L?fault=irq-storm", "InterruptMode = " + mode)) {
            b.running();
            List<byte[]> out = MockBench.frames(MockBench.PEER, MockBench.MAC, 20, 64, 0);
            b.send(out);
            b.inject(MockBench.frame(MockBench.MAC, MockBench.PEER, 64, 100));
            b.pump();
            assertThat(b.wire.captured()).as("sent during the storm").containsExactlyElementsOf(out);
            assertThat(b.edge.received()).as("received during the storm").hasSize(1);

            b.host.idle(Duration.ofSeconds(5));                     // two CheckForHang periods
            assertThat(b.nic().linkCauseMasked()).isTrue();
            assertThat(b.adapter.errorLog()).singleElement().asString().contains("interrupt storm", "ICR.LSC");
            assertThat(b.readRegister(Regs82574.IMS) & Icr.LSC).as("LSC masked").isZero();

            List<byte[]> more = MockBench.frames(MockBench.PEER, MockBench.MAC, 20, 64, 20);
            b.send(more);
            assertThat(seqs(b.wire.captured())).hasSize(40).doesNotHaveDuplicates();
            assertThat(b.edge.completedOk()).isEqualTo(40);
            assertThat(b.adapter.linkState().mediaConnectState()).isEqualTo(MediaConnectState.MediaConnectStateConnected);
            b.host.idle(Duration.ofSeconds(5));
            assertThat(b.adapter.errorLog()).as("logged once").hasSize(1);
            assertThat(b.host.verifier().verdict().passed()).isTrue();
        }
    }

    @Test
    void aLinkChangeWhoseInterruptWasLostIsSeenByCheckForHangWithinTwoSeconds() {
        try (MockBench b = new MockBench()) {
            b.running();
            b.device.bar(0).write32(Regs82574.IMC, 0xFFFF_FFFF);      // no interrupt will tell the driver
            b.wire.setLink(false);
            b.host.idle(Duration.ofMillis(2100));
            assertThat(b.adapter.linkState().mediaConnectState()).isEqualTo(MediaConnectState.MediaConnectStateDisconnected);
        }
    }

    @Test
    void aSurpriseRemovalMidTrafficFailsTheSendsInFlightAndHaltsAsSurpriseRemoved() {
        try (MockBench b = new MockBench("mock:82574L?fault=all-ones@5", "")) {
            b.running();
            List<byte[]> out = MockBench.frames(MockBench.PEER, MockBench.MAC, 20, 64, 0);
            FrameEdge.send(b.host, b.adapter, b.sendPool(), out);
            b.pump();
            assertThat(b.wire.captured()).as("the device died after 5 frames").hasSize(5);
            assertThat(b.device.configSpace().read16(0)).isEqualTo(0xFFFF);

            IntelAdapter<Chip82574> nic = b.nic();
            b.host.surpriseRemove(b.adapter);                      // what the PnP manager does

            assertThat(b.adapter.state()).isEqualTo(AdapterState.HALTED);
            assertThat(b.edge.completedOk() + b.edge.completedFailed()).as("every send came back").isEqualTo(20);
            assertThat(b.device.dmaAllocator().liveRegions()).isZero();
            assertThat(nic.surpriseRemoved()).isTrue();
            assertThat(b.host.trace().toHumanString()).contains("SurpriseRemoveAdapter", "MiniportDevicePnPEventNotify",
                    "MiniportPause", "MiniportHaltEx");
            assertThat(b.host.verifier().verdict().passed()).as(b.host.verifier().violations().toString()).isTrue();
        }
    }

    /** Every send accounted for after a surprise removal: see {@link SurpriseRemovalCheck}. */
    @Test
    void aSurpriseRemovalFailsWhatTheRingHeldAndAbortsWhatNeverReachedItAndPausesAtOnce() {
        try (MockBench b = new MockBench("mock:82574L?fault=all-ones@5", "*TransmitBuffers = 64")) {
            b.running();
            SurpriseRemovalCheck.removeMidSendAndAssertEverySendAccountedFor(b, MockBench.MAC, 63,
                    "one slot stays empty");
        }
    }
}

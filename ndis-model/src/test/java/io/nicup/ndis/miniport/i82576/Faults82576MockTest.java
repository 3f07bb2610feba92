package io.nicup.ndis.miniport.i82576;

import static org.assertj.core.api.Assertions.assertThat;

import io.nicup.mock.e82576.E82576Model;
import io.nicup.ndis.NdisStatus;
import io.nicup.ndis.adapter.AdapterState;
import io.nicup.ndis.adapter.HaltAction;
import io.nicup.ndis.miniport.SurpriseRemovalCheck;
import io.nicup.ndis.miniport.intel.IntelAdapter;
import io.nicup.ndis.oid.MediaConnectState;
import io.nicup.ndis.oid.NdisLinkState;
import io.nicup.ndis.protocol.FrameEdge;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The 82576 miniport over {@code mock:82576}: every fault of the model is named, survived or recovered. */
class Faults82576MockTest {


    @ParameterizedTest(name = "{0}")
    @CsvSource({
        "reset-stuck, CTRL.RST",
        "nvm-autoread-stuck, EECD.AUTO_RD",
        "nvm-checksum, 0xBABB",
        "eerd-stuck, EERD.DONE",
        "mdic-error, MDIC",
        "mdic-stuck, MDIC.READY",
        "all-ones, identity=ffff:ffff"})
    void aFaultDuringInitializationFailsItNamesTheCauseAndReleasesEverything(String fault, String named) {
        try (MockBench b = new MockBench("mock:82576?fault=" + fault, "")) {
            b.add();
            assertThat(b.adapter.initStatus()).isEqualTo(NdisStatus.FAILURE);
            assertThat(b.adapter.state()).isEqualTo(AdapterState.HALTED);
            assertThat(b.adapter.heldResources()).isEmpty();
            assertThat(b.device.dmaAllocator().liveRegions()).isZero();
            assertThat(b.device.configSpace().busMaster()).isFalse();
            assertThat(b.initFailure()).contains(named);
            assertThat(b.host.verifier().verdict().passed()).as(b.host.verifier().violations().toString()).isTrue();
            assertThat(b.host.unloadDriver(b.loaded)).isEqualTo(NdisStatus.SUCCESS);
        }
    }

    @Test
    void linkDownInitializesDisconnectedAndQueuedSendsCompleteWithPausedOnPause() {
        try (MockBench b = new MockBench("mock:82576?fault=link-down", "")) {
            b.add();
            FrameEdge.setPacketFilter(b.host, b.adapter, MockBench.DEFAULT_FILTER);
            assertThat(b.host.restart(b.adapter)).isEqualTo(NdisStatus.SUCCESS);
            assertThat(Miniport82576.awaitLinkUp(b.host, b.adapter, Duration.ofSeconds(2))).isFalse();
            assertThat(b.adapter.linkState().mediaConnectState()).isEqualTo(MediaConnectState.MediaConnectStateDisconnected);
            FrameEdge.send(b.host, b.adapter, b.sendPool(), List.of(MockBench.frame(MockBench.PEER, MockBench.MAC, 64, 1)));
            b.pump();
            assertThat(b.edge.completedOk() + b.edge.completedFailed()).as("waits for the link").isZero();
            b.host.pause(b.adapter);
            assertThat(b.host.awaitState(b.adapter, AdapterState.PAUSED, Duration.ofSeconds(1))).isTrue();
            assertThat(b.edge.lastFailureStatus()).isEqualTo(NdisStatus.PAUSED);
            assertThat(b.wire.captured()).isEmpty();
            assertThat(b.host.verifier().verdict().passed()).isTrue();
        }
    }

    @Test
    void linkFlapDropsTheLinkEveryFewFramesButEveryFrameArrivesOnceInOrder() {
        try (MockBench b = new MockBench("mock:82576?fault=link-flap@5", "")) {
            b.running();
            List<byte[]> out = MockBench.frames(MockBench.PEER, MockBench.MAC, 20, 80, 0);
            for (byte[] f : out) {
                b.send(List.of(f));
                b.host.idle(Duration.ofMillis(600));
            }
            assertThat(b.wire.captured()).containsExactlyElementsOf(out);
            assertThat(b.edge.completedOk()).isEqualTo(20);
            assertThat(b.edge.linkStates()).extracting(NdisLinkState::mediaConnectState)
                    .contains(MediaConnectState.MediaConnectStateDisconnected);
            assertThat(b.device.model(E82576Model.class).counter(E82576Model.Counter.LINK_FLAPS)).isGreaterThanOrEqualTo(3);
            assertThat(b.host.verifier().verdict().passed()).isTrue();
        }
    }

    @Test
    void checkForHangDetectsAStuckTransmitterAndResetRecoversWithoutSendingAFrameTwice() {
        try (MockBench b = new MockBench("mock:82576?fault=tx-hang&after=10", "")) {
            b.running();
            List<byte[]> out = MockBench.frames(MockBench.PEER, MockBench.MAC, 25, 80, 0);
            b.send(out);
            assertThat(b.wire.captured()).hasSize(10);
            assertThat(b.edge.completedOk()).isEqualTo(10);
            b.host.idle(Duration.ofSeconds(12));
            assertThat(b.nic().resets()).isEqualTo(2);
            assertThat(b.wire.captured()).containsExactlyElementsOf(out);
            assertThat(b.edge.completedOk()).isEqualTo(25);
            assertThat(b.statistics().ifHCOutUcastPkts()).isEqualTo(25);
            assertThat(b.host.verifier().verdict().passed()).isTrue();
        }
    }

    @Test
    void aReceivedLengthLargerThanTheBufferIsDroppedNotIndicated() {
        try (MockBench b = new MockBench("mock:82576?fault=rx-length@2", "")) {
            b.running();
            List<byte[]> in = MockBench.frames(MockBench.MAC, MockBench.PEER, 5, 100, 0);
            in.forEach(b::inject);
            b.pump();
            assertThat(b.edge.received()).containsExactly(in.get(0), in.get(1), in.get(3), in.get(4));
            assertThat(b.nic().dataPath().rxDropped()).isEqualTo(1);
            assertThat(b.host.verifier().verdict().passed()).isTrue();
        }
    }

    @Test
    void aDeviceThatDisappearsIsHaltedAsSurpriseRemovedWithoutTouchingIt() {
        try (MockBench b = new MockBench("mock:82576?fault=all-ones@3", "")) {
            b.running();
            b.send(MockBench.frames(MockBench.PEER, MockBench.MAC, 3, 64, 0));
            E82576Model model = b.device.model(E82576Model.class);
            assertThat(model.removed()).isTrue();
            assertThat(b.readRegister(Regs82576.STATUS)).isEqualTo(-1);
            b.host.pause(b.adapter);
            b.host.halt(b.adapter, HaltAction.NdisHaltDeviceSurpriseRemoved);
            assertThat(b.adapter.state()).isEqualTo(AdapterState.HALTED);
            assertThat(b.adapter.heldResources()).isEmpty();
            assertThat(b.device.dmaAllocator().liveRegions()).isZero();
        }
    }

    @Test
    void anInterruptStormDoesNotStopTrafficAndTheLinkStaysConnected() {
        try (MockBench b = new MockBench("mock:82576?fault=irq-storm@2", "")) {
            b.running();
            List<byte[]> out = MockBench.frames(MockBench.PEER, MockBench.MAC, 10, 64, 0);
            b.send(out);
            b.host.idle(Duration.ofMillis(50));
            assertThat(b.wire.captured()).containsExactlyElementsOf(out);
            E82576Model model = b.device.model(E82576Model.class);
            assertThat(model.counter(E82576Model.Counter.IRQ_STORM_TICKS)).isGreaterThan(100);
            assertThat(model.interrupts().armed().events(IntelAdapter.VECTOR_OTHER)).isGreaterThan(100);
            assertThat(b.adapter.linkState().mediaConnectState()).isEqualTo(MediaConnectState.MediaConnectStateConnected);
            assertThat(b.host.verifier().verdict().passed()).isTrue();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"1", "2", "3"})
    void aStormingLinkCauseIsMaskedOnceAndLoggedOnceWhileTrafficKeepsFlowing(String mode) {
        try (MockBench b = new MockBench("mock:82576?fault=irq-storm@2", "InterruptMode = " + mode)) {
            b.running();
            List<byte[]> out = MockBench.frames(MockBench.PEER, MockBench.MAC, 20, 64, 0);
            b.send(out);
            b.pump();
            assertThat(b.wire.captured()).as("sent during the storm").containsExactlyElementsOf(out);

            b.host.idle(Duration.ofSeconds(5));                     // two CheckForHang periods
            assertThat(b.nic().linkCauseMasked()).isTrue();
            assertThat(b.adapter.errorLog()).singleElement().asString().contains("interrupt storm", "ICR.LSC", "masked");
            assertThat(b.readRegister(Regs82576.IMS) & Icr.LSC).as("LSC masked").isZero();

            List<byte[]> more = MockBench.frames(MockBench.PEER, MockBench.MAC, 20, 64, 20);
            b.send(more);
            b.pump();
            assertThat(b.wire.captured()).hasSize(40).doesNotHaveDuplicates();
            assertThat(b.edge.completedOk()).isEqualTo(40);
            byte[] in = MockBench.frame(MockBench.MAC, MockBench.PEER, 64, 7);
            b.inject(in);
            b.pump();
            assertThat(b.edge.received()).containsExactly(in);
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
            b.device.bar(0).write32(Regs82576.IMC, 0xFFFF_FFFF);      // no interrupt will tell the driver
            b.device.bar(0).write32(Regs82576.EIMC, 0xFFFF_FFFF);
            b.wire.setLink(false);
            b.host.idle(Duration.ofMillis(2100));
            assertThat(b.adapter.linkState().mediaConnectState()).isEqualTo(MediaConnectState.MediaConnectStateDisconnected);
        }
    }

    @Test
    void aReceiveDmaFaultIsAnIommuFaultAndTheFramesAfterItArriveIntact() {
        try (MockBench b = new MockBench("mock:82576?fault=dma-fault@1", "")) {
            b.running();
            List<byte[]> in = MockBench.frames(MockBench.MAC, MockBench.PEER, 4, 100, 0);
            in.forEach(b::inject);
            b.pump();
            assertThat(b.device.dmaFaults()).hasSize(1);
            assertThat(b.device.dmaFaults().get(0).context()).isEqualTo("rx-buffer");
            List<byte[]> got = b.edge.received();
            assertThat(got).contains(in.get(0), in.get(2), in.get(3));
            assertThat(b.host.verifier().verdict().passed()).isTrue();
        }
    }

    /** Every send accounted for after a surprise removal: see {@link SurpriseRemovalCheck}. */
    @Test
    void aSurpriseRemovalFailsWhatTheRingHeldAndAbortsWhatNeverReachedItAndPausesAtOnce() {
        try (MockBench b = new MockBench("mock:82576?fault=all-ones@5", "*TransmitBuffers = 64")) {
            b.running();
            SurpriseRemovalCheck.removeMidSendAndAssertEverySendAccountedFor(b, MockBench.MAC, 63,
                    "one slot stays empty");
        }
    }
}

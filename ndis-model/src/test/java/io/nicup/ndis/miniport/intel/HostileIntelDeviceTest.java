package io.nicup.ndis.miniport.intel;

import static org.assertj.core.api.Assertions.assertThat;

import io.nicup.mock.MockDmaAllocator;
import io.nicup.mock.intel.HostileDevice;
import io.nicup.mock.intel.IntelModel;
import io.nicup.ndis.MacAddress;
import io.nicup.ndis.NdisStatus;
import io.nicup.ndis.adapter.AdapterState;
import io.nicup.ndis.adapter.HaltAction;
import io.nicup.ndis.miniport.MockMiniportBench;
import io.nicup.ndis.miniport.i82574.Miniport82574;
import io.nicup.ndis.miniport.i82576.Miniport82576;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The Intel miniport against a device that breaks the rules (mock-device/README.md, the hostile faults;
 * docs/ndis-contract.md §13): every bad write-back is dropped and counted, a head outside its ring or a
 * DD on a descriptor never handed over gets the adapter reset through CheckForHang, registers that stop
 * telling the truth fail the initialization (or the reset) with a reason, and no frame is lost from the
 * accounting or sent twice.
 */
class HostileIntelDeviceTest {

    static final MacAddress MAC = MacAddress.parse("52:54:00:12:34:56");

    /** One Intel family's miniport on its mock. */
    static final class Bench extends MockMiniportBench<IntelMiniport<?>> {

        Bench(String model, String faults) {
            super("mock:" + model + (faults.isEmpty() ? "" : "?" + faults), "", model.equals("82574L") ? new Miniport82574() : new Miniport82576(),
                    16384);
        }

        IntelAdapter<?> nic() {
            return driver.adapter(adapter);
        }

        IntelModel<?> model() {
            return device.model(IntelModel.class);
        }
    }

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource({"82574L, rx-length", "82574L, rx-length-zero", "82574L, rx-length-over-limit",
        "82576, rx-length", "82576, rx-length-zero", "82576, rx-length-over-limit"})
    void aWrittenBackLengthNoFrameCanHaveIsDroppedAndCountedAndTheOthersArrive(String model, String fault) {
        try (Bench b = new Bench(model, "fault=" + fault + "@2")) {
            b.running();
            List<byte[]> in = MockMiniportBench.frames(MAC, MockMiniportBench.PEER, 5, 100, 0);
            in.forEach(b::inject);
            b.pump();
            assertThat(b.edge.received()).containsExactly(in.get(0), in.get(1), in.get(3), in.get(4));
            assertThat(b.nic().dataPath().rxDropped()).isEqualTo(1);
            assertThat(b.nic().resets()).as("a bad length is the frame's fault, not the ring's").isZero();
            assertThat(b.host.verifier().verdict().passed()).isTrue();
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"82574L", "82576"})
    void aFrameLongerThanTheReceiverAcceptsIsRefusedEvenWithinTheBuffer(String model) {
        try (Bench b = new Bench(model, "")) {
            b.running();
            assertThat(b.nic().rx().frameLimit()).isEqualTo(1518).isLessThan(b.nic().rx().pool().bufferSize());
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"82574L", "82576"})
    void aReceiveWriteBackIntoTheDescriptorNeverHandedOverIsCountedDroppedAndResetsTheAdapter(String model) {
        try (Bench b = new Bench(model, "fault=rx-dd-unsubmitted@2")) {
            b.running();
            List<byte[]> in = MockMiniportBench.frames(MAC, MockMiniportBench.PEER, 5, 100, 0);
            in.forEach(b::inject);
            b.pump();
            assertThat(b.edge.received()).containsExactly(in.get(0), in.get(1), in.get(3), in.get(4));
            assertThat(b.nic().rx().unsubmittedWriteBacks()).isEqualTo(1);
            assertThat(b.nic().dataPath().rxDropped()).as("received by the device, dropped by the driver").isEqualTo(1);
            b.host.idle(Duration.ofSeconds(3));
            assertThat(b.nic().ringResets()).isEqualTo(1);
            assertThat(b.nic().resets()).isEqualTo(1);
            assertThat(b.adapter.errorLog()).singleElement().asString().contains("ring protocol broken",
                    "the device wrote DD into a receive descriptor at RDT, which it was never given", "reset");
            b.host.idle(Duration.ofSeconds(1));                  // autonegotiation after the reset
            byte[] after = MockMiniportBench.frame(MAC, MockMiniportBench.PEER, 100, 9);
            b.inject(after);
            b.pump();
            assertThat(b.edge.received()).last().isEqualTo(after);
            assertThat(b.host.verifier().verdict().passed()).isTrue();
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"82574L", "82576"})
    void aTransmitWriteBackIntoTheDescriptorNeverSubmittedResetsTheAdapterAndNoFrameGoesTwice(String model) {
        try (Bench b = new Bench(model, "fault=tx-dd-unsubmitted@3")) {
            b.running();
            List<byte[]> out = MockMiniportBench.frames(MockMiniportBench.PEER, MAC, 10, 64, 0);
            b.send(out);
            b.host.idle(Duration.ofSeconds(3));
            assertThat(b.nic().tx().unsubmittedWriteBacks()).isEqualTo(1);
            assertThat(b.nic().ringResets()).isEqualTo(1);
            assertThat(b.adapter.errorLog()).singleElement().asString()
                    .contains("the device wrote DD into a transmit descriptor at TDT, which it was never given");
            assertThat(b.wire.captured()).containsExactlyElementsOf(out);
            assertThat(b.edge.completedOk()).isEqualTo(10);
            assertThat(b.host.verifier().verdict().passed()).isTrue();
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"82574L", "82576"})
    void aTransmitHeadOutsideItsRingIsResetAndEveryFrameGoesOutOnce(String model) {
        try (Bench b = new Bench(model, "fault=tx-head-out-of-range@3")) {
            b.running();
            List<byte[]> out = MockMiniportBench.frames(MockMiniportBench.PEER, MAC, 10, 64, 0);
            b.send(out);
            assertThat(b.wire.captured()).hasSize(3);
            b.host.idle(Duration.ofSeconds(6));
            assertThat(b.nic().ringResets()).isEqualTo(1);
            assertThat(b.adapter.errorLog()).singleElement().asString().contains("TDH=0x00000" ,
                    "is outside the 256-descriptor ring");
            assertThat(b.wire.captured()).containsExactlyElementsOf(out);
            assertThat(b.edge.completedOk()).isEqualTo(10);
            assertThat(b.host.verifier().verdict().passed()).isTrue();
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"82574L", "82576"})
    void aReceiveHeadOutsideItsRingIsResetAndTheFramesItMissedAreCounted(String model) {
        try (Bench b = new Bench(model, "fault=rx-head-out-of-range@2")) {
            b.running();
            List<byte[]> in = MockMiniportBench.frames(MAC, MockMiniportBench.PEER, 5, 100, 0);
            in.forEach(b::inject);
            b.pump();
            assertThat(b.edge.received()).containsExactly(in.get(0), in.get(1));
            b.host.idle(Duration.ofSeconds(3));
            assertThat(b.nic().ringResets()).isEqualTo(1);
            assertThat(b.adapter.errorLog()).singleElement().asString().contains("RDH=0x", "outside");
            assertThat(b.nic().statistics().ifInDiscards()).as("missed by the device (MPC)").isEqualTo(3);
            b.host.idle(Duration.ofSeconds(1));
            byte[] after = MockMiniportBench.frame(MAC, MockMiniportBench.PEER, 100, 9);
            b.inject(after);
            b.pump();
            assertThat(b.edge.received()).hasSize(3).last().isEqualTo(after);
            assertThat(b.host.verifier().verdict().passed()).isTrue();
        }
    }

    /** Clears DD in every receive write-back: the head moves, memory never shows the frames. */
    private static final class LostReceiveWriteBacks implements HostileDevice {
        @Override
        public void wroteBack(boolean receive, long descriptor, MockDmaAllocator dma) {
            if (receive) {
                dma.write(descriptor + 8, new byte[8], 0, 8, "lost");
            }
        }

        @Override
        public int registerRead(int offset, int value) {
            return value;
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"82574L", "82576"})
    void aReceiveHeadThatMovesWithoutWriteBacksIsResetAfterTwoChecksAndFramesFlowAgain(String model) {
        try (Bench b = new Bench(model, "")) {
            b.running();
            b.model().setHostile(new LostReceiveWriteBacks());
            MockMiniportBench.frames(MAC, MockMiniportBench.PEER, 3, 100, 0).forEach(b::inject);
            // the first check that sees RDH ahead without DD waits (a write-back may be on its way); the next resets
            b.host.idle(Duration.ofMillis(4100));
            assertThat(b.nic().ringResets()).isEqualTo(1);
            assertThat(b.adapter.errorLog()).singleElement().asString().contains("RDH=3 has been past receive"
                    + " descriptor 0 for two checks and it has no DD: the device's write-backs do not reach the ring");
            b.model().setHostile(null);
            b.host.idle(Duration.ofSeconds(1));
            byte[] after = MockMiniportBench.frame(MAC, MockMiniportBench.PEER, 100, 9);
            b.inject(after);
            b.pump();
            assertThat(b.edge.received()).containsExactly(after);
            assertThat(b.host.verifier().verdict().passed()).isTrue();
        }
    }

    /**
     * Registers that turn to all-ones or to noise at any read of MiniportInitializeEx: the initialization
     * succeeds (the lie came too late to matter) or fails with a reason, never with another exception,
     * and either way nothing stays allocated after the halt or the failure.
     */
    @ParameterizedTest(name = "{0} {1}")
    @CsvSource({"82574L, registers-all-ones", "82574L, registers-random", "82576, registers-all-ones",
        "82576, registers-random"})
    void registersThatLieAtAnyReadOfTheInitializationFailItWithAReasonOrNotAtAll(String model, String fault) {
        long reads;
        try (Bench b = new Bench(model, "")) {
            b.add();
            reads = b.model().registerReads();
            b.halt();
        }
        assertThat(reads).isGreaterThan(50);
        int failed = 0;
        for (long n = 0; n <= reads; n++) {
            try (Bench b = new Bench(model, "fault=" + fault + "@" + n)) {
                b.add();
                if (b.adapter.initStatus() == NdisStatus.SUCCESS) {
                    b.halt();
                } else {
                    failed++;
                    assertThat(b.initFailure()).as("read %d", n).isNotBlank().doesNotContain("\n");
                }
                assertThat(b.device.dmaAllocator().liveRegions()).as("read %d", n).isZero();
                assertThat(b.host.verifier().verdict().passed()).as("read %d", n).isTrue();
            }
        }
        assertThat(failed).as("most reads matter").isGreaterThan((int) reads / 2);
    }

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource({"82574L, registers-all-ones", "82574L, registers-random", "82576, registers-all-ones",
        "82576, registers-random"})
    void registersThatLieWhileRunningGetAResetAndAFailedResetStopsTheDriverTouchingTheDevice(String model,
            String fault) {
        long reads;
        try (Bench b = new Bench(model, "")) {
            b.running();
            reads = b.model().registerReads();
            b.halt();
        }
        try (Bench b = new Bench(model, "fault=" + fault + "@" + (reads + 10))) {
            b.running();
            List<byte[]> out = MockMiniportBench.frames(MockMiniportBench.PEER, MAC, 10, 64, 0);
            b.send(out);
            b.host.idle(Duration.ofSeconds(8));
            assertThat(b.nic().resets() + (b.nic().surpriseRemoved() ? 1 : 0)).as("reset, or failed to").isPositive();
            if (b.nic().surpriseRemoved()) {
                assertThat(b.initFailure()).isNotBlank();
            }
            b.host.pause(b.adapter);
            b.host.halt(b.adapter, b.nic().surpriseRemoved() ? HaltAction.NdisHaltDeviceSurpriseRemoved
                    : HaltAction.NdisHaltDeviceDisabled);
            assertThat(b.adapter.state()).isEqualTo(AdapterState.HALTED);
            assertThat(b.edge.completedOk() + b.edge.completedFailed()).as("every send completed").isEqualTo(10);
            assertThat(b.device.dmaAllocator().liveRegions()).isZero();
        }
    }
}

package io.nicup.ndis.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code surprise-removal} with a remover (docs/ndis-contract.md §22): the kernel asks for the present device
 * back, NDIS pauses and halts it with NdisHaltDeviceDisabled, nicup closes it and it leaves the bus. On the
 * simulated NICs the remover raises the mock's request, as vfio-pci's REQ interrupt does on real hardware.
 */
class RequestedRemovalMockTest {

    /** As pciehp does after the attention button: 5 s, then the remove, which asks vfio-pci's user for the device. */
    static DeviceRemover hotUnplug(MockTarget t) {
        return () -> {
            t.host.idle(Duration.ofSeconds(5));
            t.device.removalRequest().raise();
        };
    }

    static CheckReport removal(MockTarget t, DeviceRemover remover) {
        return ConformanceBattery.run(t.target.withRemover(remover), ConformanceBattery.select(List.of("surprise-removal")))
                .getFirst();
    }

    @ParameterizedTest
    @ValueSource(strings = {"mock:82574L", "mock:82576", "mock:virtio-net"})
    void everySendCompletesOnceAndTheDeviceIsReleasedWhenTheKernelAsksForIt(String spec) {
        try (MockTarget t = new MockTarget(spec)) {
            CheckReport r = removal(t, hotUnplug(t));
            assertThat(r.result().outcome()).as(r.result().detail()).isEqualTo(CheckResult.Outcome.PASS);
            assertThat(r.result().detail()).startsWith("1024 sends in flight at the removal request each completed once: ")
                    .endsWith("; adapter halted with NdisHaltDeviceDisabled, device released and gone from the bus");
            assertThat(r.violations()).isEmpty();
            assertThat(t.device.isClosed()).isTrue();
            assertThat(t.device.removalRequest().onBus()).isFalse();
            String trace = t.host.trace().toHumanString();
            assertThat(trace).contains("RemoveAdapter", "MiniportPause", "NdisHaltDeviceDisabled")
                    .doesNotContain("MiniportDevicePnPEventNotify").doesNotContain("NdisHaltDeviceSurpriseRemoved");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"mock:82574L", "mock:82576", "mock:virtio-net"})
    void itFailsWhenTheMiniportLosesSendsInTheRemoval(String spec) {
        try (MockTarget t = new MockTarget(spec, Misbehaving.losesSendsAtPause())) {
            CheckReport r = removal(t, hotUnplug(t));
            assertThat(r.result().outcome()).isEqualTo(CheckResult.Outcome.FAIL);
            assertThat(r.result().detail()).isEqualTo("of 1024 sends in flight at the removal request 0 completed"
                    + " (0 SUCCESS, 0 PAUSED, 0 SEND_ABORTED)");
        }
    }

    /**
     * The request straight after the chain, before the device has sent much of it: the pause that NDIS's removal
     * begins with pends with more sends waiting than the ring holds, and must still drain them through the
     * transmit interrupt (the Intel miniports once masked it at pause, and the pause never completed).
     */
    @ParameterizedTest
    @ValueSource(strings = {"mock:82574L", "mock:82576", "mock:virtio-net"})
    void aRequestWhileMoreSendsWaitThanTheRingHoldsStillCompletesEverySend(String spec) {
        try (MockTarget t = new MockTarget(spec)) {
            CheckReport r = removal(t, () -> t.device.removalRequest().raise());
            assertThat(r.result().outcome()).as(r.result().detail()).isEqualTo(CheckResult.Outcome.PASS);
            assertThat(r.result().detail()).startsWith("1024 sends in flight at the removal request each completed once: ");
            assertThat(r.violations()).isEmpty();
        }
    }

    @Test
    void itFailsWhenTheKernelNeverAsks() {
        try (MockTarget t = new MockTarget("mock:82576")) {
            CheckReport r = removal(t, () -> { });
            assertThat(r.result().outcome()).isEqualTo(CheckResult.Outcome.FAIL);
            assertThat(r.result().detail()).isEqualTo("the kernel did not ask for the device back within 60 s of the"
                    + " remove command");
            assertThat(t.device.removalRequest().onBus()).isTrue();
        }
    }

    @Test
    void itFailsWithTheRemoversMessageWhenItCouldNotRemove() {
        try (MockTarget t = new MockTarget("mock:82574L")) {
            CheckReport r = removal(t, () -> {
                throw new DeviceRemover.DeviceRemoverException("remove command failed: exit=1 stderr=no such slot");
            });
            assertThat(r.result()).isEqualTo(CheckResult.fail("remove command failed: exit=1 stderr=no such slot"));
        }
    }

    @Test
    void theChecksAfterTheKernelAskedForTheDeviceAreSkippedWithTheReason() {
        try (MockTarget t = new MockTarget("mock:82574L")) {
            t.device.removalRequest().raise();
            List<CheckReport> reports = t.run("timed-rules", "send-shapes");
            assertThat(reports).extracting(CheckReport::result)
                    .containsOnly(CheckResult.skipped(ConformanceBattery.TAKEN_BACK));
        }
    }

    @Test
    void withoutARemoverTheSimulatedNicStillVanishesAsBefore() {
        try (MockTarget t = new MockTarget("mock:82574L")) {
            assertThat(t.runOne("surprise-removal").result().detail()).endsWith("adapter halted with"
                    + " NdisHaltDeviceSurpriseRemoved");
        }
    }
}

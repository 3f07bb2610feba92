package io.nicup.ndis.miniport.virtio;

import static org.assertj.core.api.Assertions.assertThat;

import io.nicup.ndis.NdisStatus;
import io.nicup.ndis.adapter.AdapterState;
import io.nicup.ndis.adapter.HaltAction;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The miniport against a virtio-net device whose BAR4 stops telling the truth part-way through
 * MiniportInitializeEx or while it runs ({@code mock:virtio-net?fault=registers-*|config-generation-unstable|
 * queue-size-bad|num-queues-zero|status-garbage}; docs/ndis-contract.md §13): the initialization succeeds
 * (the lie came too late to matter) or fails with a one-line reason, never another exception, nothing
 * stays allocated, and a running adapter is reset or, when the reset cannot bring it back, stops touching
 * the device with every send completed.
 */
class VirtioHostileRegistersTest {

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "registers-all-ones         | register poll timed out: register=device_status",
        "registers-random           | device does not offer VIRTIO_F_VERSION_1",
        "config-generation-unstable | config_generation never settled while reading the MAC: tries=16",
        "queue-size-bad             | queue 1 size beyond what a split virtqueue can have: queue_size=40000",
        "num-queues-zero            | device has too few queues: num_queues=0 needed=1",
        "status-garbage             | device_status does not hold after DRIVER_OK"})
    void aLieAtAnyReadOfTheInitializationFailsItWithAOneLineReasonOrNotAtAll(String fault, String oneOfTheReasons) {
        long reads = readsOfABringup(false);
        assertThat(reads).isGreaterThan(20);
        Set<String> reasons = new LinkedHashSet<>();
        int failed = 0;
        for (long n = 0; n <= reads; n++) {
            try (VirtioBench b = new VirtioBench("mock:virtio-net?fault=" + fault + "@" + n)) {
                b.add();
                if (b.adapter.initStatus() == NdisStatus.SUCCESS) {
                    b.halt();
                } else {
                    failed++;
                    String why = b.initFailure();
                    assertThat(why).as("read %d", n).isNotBlank().doesNotContain("\n");
                    reasons.add(why);
                }
                assertThat(b.device.dmaAllocator().liveRegions()).as("read %d", n).isZero();
                assertThat(b.host.verifier().verdict().passed()).as("read %d: %s", n, b.host.verifier().violations())
                        .isTrue();
            }
        }
        assertThat(reasons).anySatisfy(r -> assertThat(r).contains(oneOfTheReasons));
        if (fault.startsWith("registers-")) {
            assertThat(failed).as("most reads matter").isGreaterThan((int) reads / 2);
        }
    }

    /**
     * Lies that start while the adapter runs: CheckForHang's read of device_status (or the link read of a
     * configuration change) sees them, the adapter is reset, and when the reset cannot bring the device
     * back the driver records why and stops touching it; sends are completed either way.
     */
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "registers-all-ones         | register poll timed out: register=device_status offset=0x00014 mask=0x000000ff"
            + " expected=0x00000000 last=0x000000ff timeout_ms=1000",
        "status-garbage             | register poll timed out: register=device_status offset=0x00014 mask=0x000000ff"
            + " expected=0x00000000 last=0x00000060 timeout_ms=1000",
        "config-generation-unstable | config_generation never settled while reading the link status: tries=16"})
    void aLieWhileRunningResetsTheAdapterAndAResetThatCannotHelpStopsTheDriver(String fault, String failure) {
        long reads = readsOfABringup(true);
        try (VirtioBench b = new VirtioBench("mock:virtio-net?fault=" + fault + "@" + (reads + 2))) {
            b.running();
            List<byte[]> out = VirtioBench.frames(VirtioBench.PEER, VirtioBench.MAC, 10, 64, 0);
            b.send(out);
            b.wire.setLink(false);                               // a configuration change: the link is read
            b.host.idle(Duration.ofMillis(2500));
            assertThat(b.nic().health.reason()).isEqualTo("reset failed: " + failure);
            assertThat(b.initFailure()).isEqualTo(failure);
            b.host.pause(b.adapter);
            b.host.halt(b.adapter, HaltAction.NdisHaltDeviceDisabled);
            assertThat(b.adapter.state()).isEqualTo(AdapterState.HALTED);
            assertThat(b.wire.captured()).as("sent before the lie, once each").containsExactlyElementsOf(out);
            assertThat(b.edge.completedOk() + b.edge.completedFailed()).as("every send completed").isEqualTo(10);
            assertThat(b.device.dmaAllocator().liveRegions()).isZero();
            assertThat(b.host.verifier().verdict().passed()).as(b.host.verifier().violations().toString()).isTrue();
        }
    }

    /** queue_size and num_queues are read during MiniportInitializeEx only: a lie after it changes nothing. */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"queue-size-bad", "num-queues-zero"})
    void aQueueLieAfterTheInitializationIsNeverReadAndFramesFlow(String fault) {
        long reads = readsOfABringup(true);
        try (VirtioBench b = new VirtioBench("mock:virtio-net?fault=" + fault + "@" + (reads + 2))) {
            b.running();
            List<byte[]> out = VirtioBench.frames(VirtioBench.PEER, VirtioBench.MAC, 10, 64, 0);
            b.send(out);
            b.host.idle(Duration.ofSeconds(5));
            assertThat(b.nic().health.needsReset()).isFalse();
            assertThat(b.wire.captured()).containsExactlyElementsOf(out);
            assertThat(b.edge.completedOk()).isEqualTo(10);
            b.halt();
            assertThat(b.device.dmaAllocator().liveRegions()).isZero();
        }
    }

    /**
     * An ISR that shows its reserved bits and a configuration change on every read, while the driver
     * polls (the device mapped no MSI-X vector): the reserved bits are ignored, each claimed change costs
     * a device_status and link read that find nothing wrong, and frames flow both ways with no reset.
     */
    @Test
    void anIsrThatShowsReservedBitsAndAChangeOnEveryReadCostsReadsAndNothingElse() {
        long reads;
        try (VirtioBench b = new VirtioBench("mock:virtio-net?fault=msix-no-vector")) {
            b.running();
            reads = b.model().registerReads();
            b.halt();
        }
        try (VirtioBench b = new VirtioBench("mock:virtio-net?fault=msix-no-vector,isr-garbage@" + reads)) {
            b.running();
            List<byte[]> out = VirtioBench.frames(VirtioBench.PEER, VirtioBench.MAC, 10, 64, 0);
            b.send(out);
            List<byte[]> in = VirtioBench.frames(VirtioBench.MAC, VirtioBench.PEER, 5, 100, 0);
            in.forEach(b::inject);
            b.host.idle(Duration.ofSeconds(5));
            b.pump();
            assertThat(b.nic().link.configInterrupts).as("a claimed change on every poll").isGreaterThan(10);
            assertThat(b.nic().health.needsReset()).isFalse();
            assertThat(b.nic().recovery.resets).isZero();
            assertThat(b.nic().linkUp()).isTrue();
            assertThat(b.wire.captured()).containsExactlyElementsOf(out);
            assertThat(b.edge.completedOk()).isEqualTo(10);
            assertThat(VirtioBench.seqs(b.edge.received())).containsExactly(0, 1, 2, 3, 4);
            b.halt();
            assertThat(b.device.dmaAllocator().liveRegions()).isZero();
            assertThat(b.host.verifier().verdict().passed()).as(b.host.verifier().violations().toString()).isTrue();
        }
    }

    /** BAR4 reads of a bring-up that goes as far as MiniportInitializeEx, or on to Running. */
    private static long readsOfABringup(boolean running) {
        try (VirtioBench b = new VirtioBench()) {
            if (running) {
                b.running();
            } else {
                b.add();
            }
            long reads = b.model().registerReads();
            b.halt();
            return reads;
        }
    }
}

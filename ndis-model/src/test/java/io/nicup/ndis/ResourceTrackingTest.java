package io.nicup.ndis;

import static io.nicup.ndis.Violations.assertClean;
import static io.nicup.ndis.Violations.assertRecorded;
import static io.nicup.ndis.Violations.expectThrown;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.nicup.ndis.adapter.AdapterState;
import io.nicup.ndis.adapter.NdisIoSpace;
import io.nicup.ndis.adapter.SharedMemory;
import io.nicup.ndis.oid.NdisLinkState;
import io.nicup.ndis.oid.NdisStatusIndication;
import io.nicup.ndis.trace.NdisTrace;
import io.nicup.ndis.trace.NdisVerifierException;
import io.nicup.ndis.trace.Rule;
import java.util.EnumSet;
import java.util.List;
import org.junit.jupiter.api.Test;

/** MiniportHaltEx: everything released through the reciprocal calls, in reverse order, interrupt first. */
class ResourceTrackingTest {

    @Test
    void haltReleasesEverythingInReverseOrderOfAcquisition() {
        try (Rig rig = new Rig()) {
            rig.running();
            rig.halt();
            List<String> acquired = names(rig, NdisTrace.Kind.ACQUIRE);
            List<String> released = names(rig, NdisTrace.Kind.RELEASE);
            List<String> expected = new java.util.ArrayList<>(acquired);
            expected.remove(acquired.stream().filter(n -> n.startsWith("Configuration")).findFirst().orElseThrow());
            java.util.Collections.reverse(expected);
            assertThat(released.subList(1, released.size())).as("after the configuration closed in initialize")
                    .isEqualTo(expected);
            assertThat(rig.adapter.state()).isEqualTo(AdapterState.HALTED);
            assertThat(rig.adapter.heldResources()).isEmpty();
            assertThat(rig.deviceIsClean()).isTrue();
            assertThat(rig.device.interrupts.armedCount.get()).isEqualTo(1);
            assertClean(rig);
        }
    }

    private static List<String> names(Rig rig, NdisTrace.Kind kind) {
        return rig.host().trace().events().stream().filter(e -> e.kind() == kind).map(NdisTrace.Event::name).toList();
    }

    @Test
    void whatHaltLeavesIsNamedAndReleased() {
        try (Rig rig = new Rig()) {
            rig.sw.leakOnHalt = EnumSet.of(Switches.Res.TX_MEMORY, Switches.Res.IO_SPACE);
            rig.running();
            NdisVerifierException e = expectThrown(Rule.HALT_RELEASES, rig::halt);
            assertThat(e.getMessage()).contains("leaked=IoSpace(BAR0, 131072 bytes)");
            assertThat(e.getSuppressed()).singleElement().satisfies(
                    s -> assertThat(s.getMessage()).contains("leaked=SharedMemory(tx-ring, 256 bytes)"));
            assertThat(rig.adapter.state()).isEqualTo(AdapterState.HALTED);
            assertThat(rig.deviceIsClean()).isTrue();
        }
    }

    @Test
    void releasingHardwareOutOfOrderIsReported() {
        try (Rig rig = new Rig().record()) {
            rig.sw.haltReleasesInAcquisitionOrder = true;
            rig.running();
            rig.halt();
            assertRecorded(rig, Rule.RES_RELEASE_ORDER);
            assertThat(rig.verifier().violations().get(0).detail())
                    .contains("released=IoSpace(BAR0, 131072 bytes)").contains("before_later=ScatterGatherDma");
            assertThat(rig.deviceIsClean()).isTrue();
        }
    }

    @Test
    void freeingMemoryWhileTheInterruptIsRegisteredIsReported() {
        try (Rig rig = new Rig()) {
            rig.sw.haltFreesMemoryBeforeInterrupt = true;
            rig.running();
            NdisVerifierException e = expectThrown(Rule.RES_INTERRUPT_FIRST, rig::halt);
            assertThat(e.getMessage()).contains("while_registered=Interrupt(MSIX x5)");
            assertThat(rig.deviceIsClean()).isTrue();
        }
    }

    @Test
    void releasingSomethingNotHeldIsReported() {
        try (Rig rig = new Rig()) {
            rig.sw.haltUnmapsTwice = true;
            rig.running();
            expectThrown(Rule.RES_RELEASE_UNKNOWN, rig::halt);
        }
    }

    @Test
    void callsNamingAHaltedAdapterAreReported() {
        try (Rig rig = new Rig()) {
            rig.running();
            rig.halt();
            TestAdapter ta = rig.ta();
            expectThrown(Rule.CALL_AFTER_HALT, () -> rig.ndis().NdisMIndicateStatusEx(ta.handle,
                    NdisStatusIndication.linkState(NdisLinkState.disconnected())));
        }
        try (Rig rig = new Rig().record()) {
            rig.running();
            rig.halt();
            TestAdapter ta = rig.ta();
            assertThatThrownBy(() -> rig.ndis().NdisMAllocateSharedMemory(ta.handle, 4096, true, "late"))
                    .isInstanceOf(NdisStatusException.class);
            assertRecorded(rig, Rule.CALL_AFTER_HALT);
        }
    }

    @Test
    void aDoorbellThroughTheMappedIoSpaceReachesTheDeviceAsADoorbell() {
        try (Rig rig = new Rig()) {
            rig.running();
            NdisIoSpace regs = rig.ta().regs;
            int before = rig.device.registers().doorbells;
            regs.writeDoorbell32(0x3818, 17);               // a tail register (TDT of queue 0)

            assertThat(rig.device.registers().doorbells).as("forwarded as a release store, not a volatile write")
                    .isEqualTo(before + 1);
            assertThat(rig.device.registers().read32(0x3818)).isEqualTo(17);
            rig.halt();
            assertThatThrownBy(() -> regs.writeDoorbell32(0x3818, 18)).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("after NdisMUnmapIoSpace");
        }
    }

    @Test
    void registersAreUnreachableAfterUnmapping() {
        try (Rig rig = new Rig()) {
            rig.running();
            NdisIoSpace regs = rig.ta().regs;
            assertThat(regs.read32(TestAdapter.REG_STATUS)).isEqualTo(TestAdapter.STATUS_LU);
            rig.halt();
            assertThatThrownBy(() -> regs.read32(TestAdapter.REG_STATUS)).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("after NdisMUnmapIoSpace");
        }
    }

    @Test
    void sharedMemoryIsZeroedDeviceReachableAndGoneAfterFreeing() {
        try (Rig rig = new Rig()) {
            rig.add();
            SharedMemory rx = rig.ta().rxMemory;
            assertThat(rx.physicalAddress()).isPositive();
            assertThat(rx.physicalAddress(2048)).isEqualTo(rx.physicalAddress() + 2048);
            assertThat(rx.length()).isEqualTo(16 * 2048);
            assertThat(rx.segment().get(java.lang.foreign.ValueLayout.JAVA_LONG, 0)).isZero();
            assertThat(rig.device.dma.livePurposes()).contains("rx-buffers", "tx-ring");
            rig.halt();
            assertThatThrownBy(() -> rx.segment().get(java.lang.foreign.ValueLayout.JAVA_BYTE, 0))
                    .isInstanceOf(IllegalStateException.class);
        }
    }

    @Test
    void aTimerIsCancelledBeforeItIsFreed() {
        try (Rig rig = new Rig()) {
            rig.sw.freeTimerWhileSet = true;
            rig.running();
            rig.host().pause(rig.adapter);
            rig.ndis().NdisSetTimerObject(rig.ta().watchdog, 1_000_000_000L, 0);
            expectThrown(Rule.TIMER_FREE_WHILE_SET, rig::halt);
        }
    }

    @Test
    void theRegistrationOrderRulesApplyOnlyWhileInitializingOrHalting() {
        try (Rig rig = new Rig()) {
            rig.running();
            TestAdapter ta = rig.ta();
            // at run time a miniport may grow and shrink its shared memory with the interrupt registered
            SharedMemory extra = rig.ndis().NdisMAllocateSharedMemory(ta.handle, 8192, true, "extra");
            rig.ndis().NdisMFreeSharedMemory(ta.handle, extra);
            assertClean(rig);
        }
    }
}

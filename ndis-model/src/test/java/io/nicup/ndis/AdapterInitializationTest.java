package io.nicup.ndis;

import static io.nicup.ndis.Violations.assertClean;
import static io.nicup.ndis.Violations.assertRecorded;
import static io.nicup.ndis.Violations.expectThrown;
import static org.assertj.core.api.Assertions.assertThat;

import io.nicup.ndis.adapter.AdapterState;
import io.nicup.ndis.adapter.AllocatedResources;
import io.nicup.ndis.adapter.HaltAction;
import io.nicup.ndis.adapter.InitParameters;
import io.nicup.ndis.adapter.MiniportAdapter;
import io.nicup.ndis.trace.NdisTrace;
import io.nicup.ndis.trace.Rule;
import io.nicup.ndis.trace.Violation;
import io.nicup.vfio.InterruptMode;
import java.util.EnumSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** MiniportInitializeEx: resources handed in, attribute order, failure unwinding. */
class AdapterInitializationTest {

    /** The status the last call of {@code name} returned, from the trace. */
    static int lastStatus(Rig rig, String name) {
        return rig.host().trace().events().stream().filter(e -> e.name().equals(name)).reduce((x, y) -> y)
                .orElseThrow().status();
    }

    @Test
    void anAdapterInitializesToPausedWithTheDevicesBarsAndVectors() {
        try (Rig rig = new Rig()) {
            MiniportAdapter a = rig.add();
            assertThat(a.state()).isEqualTo(AdapterState.PAUSED);
            assertThat(a.initStatus()).isEqualTo(NdisStatus.SUCCESS);
            InitParameters p = rig.ta().params;
            assertThat(p.allocatedResources().memory()).extracting(AllocatedResources.MemoryResource::barIndex)
                    .as("memory BARs only; the I/O BAR is not a memory resource").containsExactly(0, 3);
            assertThat(p.allocatedResources().bar(0).length()).isEqualTo(FakePciDevice.BAR0_SIZE);
            assertThat(p.allocatedResources().interrupts()).containsExactly(
                    new AllocatedResources.InterruptResource(InterruptMode.MSIX, 5),
                    new AllocatedResources.InterruptResource(InterruptMode.MSI, 1),
                    new AllocatedResources.InterruptResource(InterruptMode.INTX, 1));
            assertThat(p.pciAddress()).isEqualTo(rig.device.address());
            assertThat(p.deviceIdentity().deviceId()).isEqualTo(0x10D3);
            assertThat(p.ifIndex()).isEqualTo(1);
            assertThat(p.netLuid() >>> 48).isEqualTo(6);
            assertThat(rig.ta().interrupt.mode()).isEqualTo(InterruptMode.MSIX);
            assertThat(rig.ta().interrupt.messageCount()).isEqualTo(5);
            assertThat(rig.device.busMaster).isTrue();
            assertThat(rig.ta().permanent).isEqualTo(TestMiniport.PERMANENT);
            assertThat(a.generalAttributes().currentMacAddress()).isEqualTo(TestMiniport.PERMANENT);
            assertThat(a.heldResources()).containsExactly("IoSpace(BAR0, 131072 bytes)", "ScatterGatherDma",
                    "SharedMemory(rx-buffers, 32768 bytes)", "SharedMemory(tx-ring, 256 bytes)",
                    "NetBufferListPool(rx, 16)", a.heldResources().get(5), "Interrupt(MSIX x5)");
            byte[] ids = new byte[4];
            assertThat(rig.ndis().NdisMGetBusData(rig.ta().handle, 0, ids)).isEqualTo(4);
            assertThat(ids).containsExactly(0x86, 0x80, 0xD3, 0x10);
            assertClean(rig);
        }
    }

    @Test
    void theParameterFileReachesTheMiniportAndBadValuesFallBackToTheDefault() {
        try (Rig rig = new Rig().record()) {
            rig.parameters = """
                    [*]
                    *ReceiveBuffers = 64
                    *JumboPacket = 9000
                    [0000:01:00.0]
                    *TransmitBuffers = 32
                    NetworkAddress = 02-AA-BB-CC-DD-EE
                    """;
            MiniportAdapter a = rig.add();
            TestAdapter ta = rig.ta();
            assertThat(ta.rxBuffers).isEqualTo(64);
            assertThat(ta.txBuffers).isEqualTo(32);
            assertThat(ta.jumboPacket).as("9000 is not allowed; the default is used").isEqualTo(1514);
            assertThat(ta.current).isEqualTo(MacAddress.parse("02AABBCCDDEE"));
            assertThat(a.generalAttributes().currentMacAddress()).isEqualTo(MacAddress.parse("02AABBCCDDEE"));
            assertThat(rig.host().parameterProblems()).singleElement().satisfies(v -> {
                assertThat(v.keyword().name()).isEqualTo("*JumboPacket");
                assertThat(v.status()).isEqualTo(NdisStatus.INVALID_DATA);
                assertThat(v.raw()).isEqualTo("9000");
            });
            assertThat(rig.host().trace().events()).filteredOn(e -> e.kind() == NdisTrace.Kind.CONFIG)
                    .extracting(NdisTrace.Event::name).containsExactly("*ReceiveBuffers", "*TransmitBuffers",
                            "*JumboPacket", "*SpeedDuplex", "NetworkAddress");
            assertThat(a.state()).isEqualTo(AdapterState.PAUSED);
            assertClean(rig);
        }
    }

    @Test
    void generalAttributesBeforeTheRegistrationAttributesAreRejected() {
        try (Rig rig = new Rig().record()) {
            rig.sw.generalBeforeRegistration = true;
            MiniportAdapter a = rig.add();
            assertThat(a.initStatus()).isEqualTo(NdisStatus.FAILURE);
            assertThat(a.state()).isEqualTo(AdapterState.HALTED);
            assertRecorded(rig, Rule.ATTR_REGISTRATION_FIRST);
        }
    }

    @Test
    void claimingHardwareBeforeTheRegistrationAttributesIsRejected() {
        try (Rig rig = new Rig()) {
            rig.sw.mapBeforeRegistration = true;
            expectThrown(Rule.ATTR_REGISTRATION_FIRST, rig::add);
            assertThat(rig.host().drivers().get(0).adapters().get(0).state()).isEqualTo(AdapterState.HALTED);
        }
    }

    @Test
    void succeedingWithoutGeneralAttributesFailsInitializationAndHalts() {
        try (Rig rig = new Rig().record()) {
            rig.sw.skipGeneralAttributes = true;
            MiniportAdapter a = rig.add();
            assertThat(a.initStatus()).isEqualTo(NdisStatus.FAILURE);
            assertThat(a.state()).isEqualTo(AdapterState.HALTED);
            assertThat(rig.ta().lastHaltAction).isEqualTo(HaltAction.NdisHaltDeviceInitializationFailed);
            assertRecorded(rig, Rule.ATTR_GENERAL_MANDATORY);
            assertThat(rig.deviceIsClean()).isTrue();
        }
    }

    @Test
    void incompleteGeneralAttributesAreInvalidParameter() {
        try (Rig rig = new Rig().record()) {
            rig.sw.generalWithoutMac = true;
            MiniportAdapter a = rig.add();
            assertThat(lastStatus(rig, "NdisMSetMiniportAttributes")).isEqualTo(NdisStatus.INVALID_PARAMETER);
            assertThat(a.initStatus()).isEqualTo(NdisStatus.FAILURE);
            assertRecorded(rig, Rule.ATTR_GENERAL_COMPLETE);
            assertThat(rig.verifier().violations().get(0).detail()).contains("PermanentMacAddress");
            assertThat(rig.deviceIsClean()).isTrue();
        }
    }

    @Test
    void anUnsupportedAttributesRevisionIsBadVersion() {
        try (Rig rig = new Rig().record()) {
            rig.sw.generalRevision = 3;
            assertThat(rig.add().initStatus()).isEqualTo(NdisStatus.FAILURE);
            assertThat(lastStatus(rig, "NdisMSetMiniportAttributes")).isEqualTo(NdisStatus.BAD_VERSION);
            assertRecorded(rig, Rule.ATTR_HEADER);
        }
        try (Rig rig = new Rig().record()) {
            rig.sw.registrationRevision = 0;
            assertThat(rig.add().initStatus()).isEqualTo(NdisStatus.FAILURE);
            assertThat(lastStatus(rig, "NdisMSetMiniportAttributes")).isEqualTo(NdisStatus.BAD_VERSION);
            assertRecorded(rig, Rule.ATTR_HEADER);
        }
    }

    @Test
    void anNdis620DriverNeedsGeneralAttributesRevision2ForPowerManagement() {
        try (Rig rig = new Rig().record()) {
            rig.sw.generalRevision = 1;
            assertThat(rig.add().initStatus()).isEqualTo(NdisStatus.FAILURE);
            assertThat(lastStatus(rig, "NdisMSetMiniportAttributes")).isEqualTo(NdisStatus.INVALID_PARAMETER);
            assertRecorded(rig, Rule.ATTR_GENERAL_COMPLETE);
        }
        try (Rig rig = new Rig()) {
            rig.sw.ndisVersion = NdisVersion.NDIS_6_0;
            rig.sw.generalRevision = 1;
            assertThat(rig.add().initStatus()).isEqualTo(NdisStatus.SUCCESS);
        }
    }

    @Test
    void settingTheRegistrationAttributesTwiceIsRejected() {
        try (Rig rig = new Rig()) {
            rig.sw.registrationAttributesTwice = true;
            expectThrown(Rule.ATTR_SET_ONCE, rig::add);
        }
    }

    @Test
    void settingAttributesOutsideInitializeIsRejected() {
        try (Rig rig = new Rig()) {
            rig.sw.setAttributesInRestart = true;
            rig.add();
            expectThrown(Rule.ATTR_ONLY_DURING_INITIALIZE, () -> rig.host().restart(rig.adapter));
            assertThat(rig.adapter.state()).isEqualTo(AdapterState.PAUSED);
        }
    }

    @Test
    void anUndocumentedInitializeStatusIsReported() {
        try (Rig rig = new Rig().record()) {
            rig.sw.failInitAfterStep = 3;
            rig.sw.initFailureStatus = NdisStatus.ADAPTER_NOT_FOUND;
            MiniportAdapter a = rig.add();
            assertThat(a.initStatus()).isEqualTo(NdisStatus.ADAPTER_NOT_FOUND);
            assertRecorded(rig, Rule.INIT_STATUS);
            assertThat(rig.deviceIsClean()).isTrue();
        }
        try (Rig rig = new Rig().record()) {
            rig.sw.initReturnOverride = NdisStatus.PENDING;
            assertThat(rig.add().initStatus()).isEqualTo(NdisStatus.FAILURE);
            assertThat(rig.verifier().verdict().rules()).startsWith(Rule.INIT_STATUS)
                    .contains(Rule.INIT_FAILURE_RELEASES);
        }
    }

    /** Failing after any step, a miniport that unwinds properly leaves nothing behind and breaks nothing. */
    @ParameterizedTest
    @ValueSource(ints = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10})
    void failingAfterAnyStepReleasesEverything(int step) {
        try (Rig rig = new Rig()) {
            rig.sw.failInitAfterStep = step;
            MiniportAdapter a = rig.add();
            assertThat(a.initStatus()).isEqualTo(NdisStatus.RESOURCES);
            assertThat(a.state()).isEqualTo(AdapterState.HALTED);
            assertThat(a.heldResources()).isEmpty();
            assertThat(rig.deviceIsClean()).isTrue();
            assertClean(rig);
        }
    }

    @Test
    void whatAFailedInitializationLeavesIsNamedAndReleased() {
        try (Rig rig = new Rig().record()) {
            rig.sw.failInitAfterStep = 10;
            rig.sw.leakOnInitFailure = EnumSet.of(Switches.Res.RX_MEMORY, Switches.Res.TIMER);
            MiniportAdapter a = rig.add();
            assertThat(a.initStatus()).isEqualTo(NdisStatus.RESOURCES);
            assertRecorded(rig, Rule.INIT_FAILURE_RELEASES);
            assertThat(rig.verifier().violations()).extracting(Violation::detail)
                    .containsExactly("leaked=SharedMemory(rx-buffers, 32768 bytes)", "leaked=" + timerName(rig));
            assertThat(rig.deviceIsClean()).as("NDIS released the leaks").isTrue();
        }
    }

    private static String timerName(Rig rig) {
        return rig.host().trace().events().stream().filter(e -> e.kind() == NdisTrace.Kind.ACQUIRE)
                .map(NdisTrace.Event::name).filter(n -> n.startsWith("Timer#")).findFirst().orElseThrow();
    }

    @Test
    void scatterGatherDmaNeedsTheBusMasterAttribute() {
        try (Rig rig = new Rig().record()) {
            rig.sw.noBusMaster = true;
            assertThat(rig.add().initStatus()).isEqualTo(NdisStatus.FAILURE);
            assertThat(lastStatus(rig, "NdisMRegisterScatterGatherDma")).isEqualTo(NdisStatus.NOT_SUPPORTED);
            assertRecorded(rig, Rule.DMA_BUS_MASTER);
            assertThat(rig.deviceIsClean()).isTrue();
        }
    }

    @Test
    void sharedMemoryNeedsAScatterGatherDmaRegistration() {
        try (Rig rig = new Rig()) {
            rig.sw.sharedMemoryBeforeDma = true;
            expectThrown(Rule.DMA_BEFORE_SHARED_MEMORY, rig::add);
            assertThat(rig.deviceIsClean()).isTrue();
        }
    }

    @Test
    void anInterruptRegistrationNeedsEveryHandler() {
        try (Rig rig = new Rig().record()) {
            rig.sw.interruptWithoutDpc = true;
            assertThat(rig.add().initStatus()).isEqualTo(NdisStatus.FAILURE);
            assertThat(lastStatus(rig, "NdisMRegisterInterruptEx")).isEqualTo(NdisStatus.INVALID_PARAMETER);
            assertRecorded(rig, Rule.INTERRUPT_HANDLERS);
            assertThat(rig.verifier().violations().get(0).detail()).contains("InterruptDpcHandler");
            assertThat(rig.deviceIsClean()).isTrue();
        }
    }

    @Test
    void injectedResourceFailuresRunTheMiniportsUnwinding() {
        for (NdisCall call : new NdisCall[] {NdisCall.NdisOpenConfigurationEx, NdisCall.NdisMMapIoSpace,
            NdisCall.NdisMRegisterScatterGatherDma, NdisCall.NdisMAllocateSharedMemory,
            NdisCall.NdisAllocateNetBufferListPool, NdisCall.NdisAllocateTimerObject, NdisCall.NdisMRegisterInterruptEx}) {
            try (Rig rig = new Rig()) {
                rig.ndis().faults().failNext(call, NdisStatus.RESOURCES);
                MiniportAdapter a = rig.add();
                assertThat(a.initStatus()).as(call.name()).isEqualTo(NdisStatus.RESOURCES);
                assertThat(rig.deviceIsClean()).as(call.name()).isTrue();
                assertClean(rig);
            }
        }
    }

    @Test
    void aDeviceThatCannotAllocateDmaMemoryFailsInitializationWithResources() {
        try (Rig rig = new Rig()) {
            rig.device.dma.failNext = true;
            MiniportAdapter a = rig.add();
            assertThat(a.initStatus()).isEqualTo(NdisStatus.RESOURCES);
            assertThat(rig.host().trace().events()).anySatisfy(e -> {
                assertThat(e.name()).isEqualTo("NdisMAllocateSharedMemory");
                assertThat(e.status()).isEqualTo(NdisStatus.RESOURCES);
            });
            assertThat(rig.deviceIsClean()).isTrue();
        }
    }

    @Test
    void theSameDeviceCannotBeAddedTwiceWhileLive() {
        try (Rig rig = new Rig()) {
            rig.add();
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> rig.host().addAdapter(rig.driver, rig.device, rig.edge))
                    .isInstanceOf(NdisException.class).hasMessageContaining("already has a live adapter");
        }
    }
}

package io.nicup.ndis;

import static io.nicup.ndis.Violations.assertClean;
import static io.nicup.ndis.Violations.assertRecorded;
import static io.nicup.ndis.Violations.expectThrown;
import static org.assertj.core.api.Assertions.assertThat;

import io.nicup.ndis.adapter.AdapterState;
import io.nicup.ndis.driver.LoadedDriver;
import io.nicup.ndis.driver.MiniportDriverCharacteristics;
import io.nicup.ndis.trace.NdisTrace;
import io.nicup.ndis.trace.NdisVerifierException;
import io.nicup.ndis.trace.Rule;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** NdisMRegisterMiniportDriver: validation with the documented statuses, SetOptions inside, the copy. */
class DriverRegistrationTest {

    @Test
    void registrationCallsSetOptionsBeforeItReturns() {
        try (Rig rig = new Rig()) {
            LoadedDriver d = rig.load();
            assertThat(d.phase()).isEqualTo(LoadedDriver.Phase.LOADED);
            assertThat(d.registered()).isTrue();
            assertThat(rig.miniport.setOptionsCalls).isEqualTo(1);
            assertThat(rig.miniport.setOptionsRanInsideRegistration).isTrue();
            List<NdisTrace.Event> calls = rig.host().trace().events().stream()
                    .filter(e -> e.kind() == NdisTrace.Kind.CALL).toList();
            assertThat(calls).extracting(NdisTrace.Event::name).containsSubsequence("LoadDriver", "DriverEntry",
                    "NdisMRegisterMiniportDriver", "MiniportSetOptions");
            NdisTrace.Event register = calls.stream().filter(e -> e.name().equals("NdisMRegisterMiniportDriver"))
                    .findFirst().orElseThrow();
            NdisTrace.Event setOptions = calls.stream().filter(e -> e.name().equals("MiniportSetOptions"))
                    .findFirst().orElseThrow();
            assertThat(setOptions.depth()).isEqualTo(register.depth() + 1);
            assertThat(setOptions.seq()).isGreaterThan(register.seq());
            assertClean(rig);
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 20, 30, 40, 50, 51, 60, 70, 80, 81, 82, 83})
    void everyDocumentedVersionRegistersWithItsNewestRevision(int minor) {
        try (Rig rig = new Rig()) {
            rig.sw.ndisVersion = new NdisVersion(6, minor);
            assertThat(rig.load().registered()).isTrue();
            assertClean(rig);
        }
    }

    @Test
    void anUndocumentedVersionIsBadVersion() {
        try (Rig rig = new Rig().record()) {
            rig.sw.ndisVersion = new NdisVersion(6, 10);
            LoadedDriver d = rig.load();
            assertThat(d.driverEntryStatus()).isEqualTo(NdisStatus.BAD_VERSION);
            assertThat(d.registered()).isFalse();
            assertThat(rig.miniport.setOptionsCalls).isZero();
            assertRecorded(rig, Rule.DRV_VERSION);
        }
    }

    @Test
    void aStrictVerifierThrowsNamingTheRule() {
        try (Rig rig = new Rig()) {
            rig.sw.ndisVersion = new NdisVersion(5, 1);
            NdisVerifierException e = expectThrown(Rule.DRV_VERSION, rig::load);
            assertThat(e.getMessage()).contains("DRV-01").contains("ndis_version=5.1").contains("docs/ndis-contract.md §1");
            assertThat(rig.driver).isNull();
            assertThat(rig.host().drivers().get(0).phase()).isEqualTo(LoadedDriver.Phase.FAILED);
        }
    }

    @Test
    void aHeaderSizeThatIsNotTheRevisionsSizeIsBadCharacteristics() {
        try (Rig rig = new Rig().record()) {
            rig.sw.header = new NdisObjectHeader(0x8A, 2, MiniportDriverCharacteristics.SIZEOF_REVISION_1);
            assertThat(rig.load().driverEntryStatus()).isEqualTo(NdisStatus.BAD_CHARACTERISTICS);
            assertRecorded(rig, Rule.DRV_HEADER);
        }
    }

    @Test
    void aRevisionNewerThanTheNdisVersionIsBadCharacteristics() {
        try (Rig rig = new Rig().record()) {
            rig.sw.ndisVersion = NdisVersion.NDIS_6_20;
            rig.sw.header = MiniportDriverCharacteristics.headerFor(3);
            assertThat(rig.load().driverEntryStatus()).isEqualTo(NdisStatus.BAD_CHARACTERISTICS);
            assertRecorded(rig, Rule.DRV_HEADER);
        }
    }

    @Test
    void aZeroedHeaderIsBadCharacteristics() {
        try (Rig rig = new Rig()) {
            rig.sw.header = NdisObjectHeader.ZERO;
            expectThrown(Rule.DRV_HEADER, rig::load);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"InitializeHandlerEx", "HaltHandlerEx", "UnloadHandler", "PauseHandler", "RestartHandler",
        "OidRequestHandler", "SendNetBufferListsHandler", "ReturnNetBufferListsHandler", "CancelSendHandler",
        "DevicePnPEventNotifyHandler", "ShutdownHandlerEx", "CancelOidRequestHandler"})
    void aMissingRequiredHandlerIsBadCharacteristics(String handler) {
        try (Rig rig = new Rig().record()) {
            rig.sw.omitHandlers = Set.of(handler);
            assertThat(rig.load().driverEntryStatus()).isEqualTo(NdisStatus.BAD_CHARACTERISTICS);
            assertRecorded(rig, Rule.DRV_REQUIRED_HANDLER);
            assertThat(rig.verifier().violations().get(0).detail()).contains(handler);
        }
    }

    @Test
    void setOptionsIsOptional() {
        try (Rig rig = new Rig()) {
            rig.sw.omitHandlers = Set.of("SetOptionsHandler");
            assertThat(rig.load().registered()).isTrue();
            assertThat(rig.miniport.setOptionsCalls).isZero();
        }
    }

    @Test
    void theDirectOidHandlersComeInPairs() {
        try (Rig rig = new Rig().record()) {
            rig.sw.directOidOnlyRequest = true;
            assertThat(rig.load().driverEntryStatus()).isEqualTo(NdisStatus.BAD_CHARACTERISTICS);
            assertRecorded(rig, Rule.DRV_DIRECT_OID_PAIR);
        }
        try (Rig rig = new Rig()) {
            rig.sw.directOidPair = true;
            assertThat(rig.load().registered()).isTrue();
        }
    }

    @Test
    void handlersTheDeclaredRevisionDoesNotContainAreBadCharacteristics() {
        try (Rig rig = new Rig().record()) {
            rig.sw.ndisVersion = NdisVersion.NDIS_6_0;
            rig.sw.directOidPair = true;
            assertThat(rig.load().driverEntryStatus()).isEqualTo(NdisStatus.BAD_CHARACTERISTICS);
            assertRecorded(rig, Rule.DRV_HANDLER_BEYOND_REVISION);
        }
        try (Rig rig = new Rig()) {
            rig.sw.synchronousOid = true;
            expectThrown(Rule.DRV_HANDLER_BEYOND_REVISION, rig::load);
        }
        try (Rig rig = new Rig()) {
            rig.sw.ndisVersion = NdisVersion.NDIS_6_80;
            rig.sw.synchronousOid = true;
            assertThat(rig.load().registered()).isTrue();
        }
    }

    @Test
    void checkForHangWithoutResetIsBadCharacteristics() {
        try (Rig rig = new Rig().record()) {
            rig.sw.checkForHangWithoutReset = true;
            assertThat(rig.load().driverEntryStatus()).isEqualTo(NdisStatus.BAD_CHARACTERISTICS);
            assertRecorded(rig, Rule.DRV_RESET_WITH_CHECK_FOR_HANG);
        }
    }

    @Test
    void unknownFlagsOrAnIntermediateDriverWithCheckForHangAreBadCharacteristics() {
        try (Rig rig = new Rig().record()) {
            rig.sw.characteristicsFlags = 0x10;
            assertThat(rig.load().driverEntryStatus()).isEqualTo(NdisStatus.BAD_CHARACTERISTICS);
            assertRecorded(rig, Rule.DRV_FLAGS);
        }
        try (Rig rig = new Rig()) {
            rig.sw.characteristicsFlags = MiniportDriverCharacteristics.NDIS_INTERMEDIATE_DRIVER;
            expectThrown(Rule.DRV_FLAGS, rig::load);
        }
        try (Rig rig = new Rig()) {
            rig.sw.characteristicsFlags = MiniportDriverCharacteristics.NDIS_WDM_DRIVER;
            assertThat(rig.load().registered()).isTrue();
        }
    }

    @Test
    void aFailingSetOptionsFailsTheRegistrationWithItsStatus() {
        try (Rig rig = new Rig()) {
            rig.sw.setOptionsStatus = NdisStatus.RESOURCES;
            LoadedDriver d = rig.load();
            assertThat(d.driverEntryStatus()).isEqualTo(NdisStatus.RESOURCES);
            assertThat(d.registered()).isFalse();
            assertThat(d.phase()).isEqualTo(LoadedDriver.Phase.FAILED);
            assertThat(rig.miniport.setOptionsCalls).isEqualTo(1);
            // not registered, so nothing to deregister: no violation
            assertClean(rig);
        }
    }

    @Test
    void registeringTwiceFails() {
        try (Rig rig = new Rig().record()) {
            rig.sw.registerTwice = true;
            rig.sw.deregisterOnEntryFailure = true;
            LoadedDriver d = rig.load();
            assertThat(d.driverEntryStatus()).isEqualTo(NdisStatus.FAILURE);
            assertRecorded(rig, Rule.DRV_REGISTER_ONCE, Rule.DRV_ENTRY_FAILURE_DEREGISTERS);
        }
    }

    @Test
    void anInjectedAllocationFailureReturnsResources() {
        try (Rig rig = new Rig()) {
            rig.ndis().faults().failNext(NdisCall.NdisMRegisterMiniportDriver, NdisStatus.RESOURCES);
            LoadedDriver d = rig.load();
            assertThat(d.driverEntryStatus()).isEqualTo(NdisStatus.RESOURCES);
            assertThat(d.registered()).isFalse();
            assertClean(rig);
        }
    }

    @Test
    void theCharacteristicsAreCopiedAtRegistration() {
        try (Rig rig = new Rig()) {
            rig.sw.mutateCharacteristicsAfterRegistration = true;
            rig.running();
            // the caller's structure now has a pause handler that throws; NDIS must still use its copy
            assertThat(rig.host().pause(rig.adapter)).isEqualTo(NdisStatus.SUCCESS);
            assertThat(rig.adapter.state()).isEqualTo(AdapterState.PAUSED);
            assertClean(rig);
        }
    }
}

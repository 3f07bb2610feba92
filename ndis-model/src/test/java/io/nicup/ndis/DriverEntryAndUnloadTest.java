package io.nicup.ndis;

import static io.nicup.ndis.Violations.assertClean;
import static io.nicup.ndis.Violations.assertRecorded;
import static io.nicup.ndis.Violations.expectThrown;
import static org.assertj.core.api.Assertions.assertThat;

import io.nicup.ndis.adapter.ShutdownAction;
import io.nicup.ndis.driver.LoadedDriver;
import io.nicup.ndis.trace.NdisTrace;
import io.nicup.ndis.trace.Rule;
import java.util.List;
import org.junit.jupiter.api.Test;

/** DriverEntry's outcome and NdisMDeregisterMiniportDriver: exactly once, from the right place. */
class DriverEntryAndUnloadTest {

    /**
     * The failure path of docs/ndis-contract.md §1.1 end to end: DriverEntry registers, its own initialization then fails,
     * it deregisters from within DriverEntry and returns the failure. Nothing is left registered and
     * nothing is violated.
     */
    @Test
    void driverEntryThatFailsAfterRegisteringDeregistersFromDriverEntry() {
        try (Rig rig = new Rig()) {
            rig.sw.failAfterRegistration = true;
            LoadedDriver d = rig.load();
            assertThat(d.driverEntryStatus()).isEqualTo(NdisStatus.RESOURCES);
            assertThat(d.phase()).isEqualTo(LoadedDriver.Phase.FAILED);
            assertThat(d.deregistered()).isTrue();
            assertThat(d.registered()).isFalse();
            assertClean(rig);
            List<NdisTrace.Event> calls = rig.host().trace().events().stream()
                    .filter(e -> e.kind() == NdisTrace.Kind.CALL).toList();
            assertThat(calls).extracting(NdisTrace.Event::name).containsExactly("LoadDriver", "DriverEntry",
                    "NdisMRegisterMiniportDriver", "MiniportSetOptions", "NdisMDeregisterMiniportDriver");
            NdisTrace.Event entry = calls.get(1);
            NdisTrace.Event deregister = calls.get(4);
            assertThat(deregister.depth()).as("called from within DriverEntry").isEqualTo(entry.depth() + 1);
            assertThat(deregister.status()).isEqualTo(NdisStatus.SUCCESS);
            assertThat(entry.status()).isEqualTo(NdisStatus.RESOURCES);
            assertThat(calls.get(0).detail()).containsEntry("phase", "FAILED");
        }
    }

    @Test
    void driverEntryThatFailsAfterRegisteringWithoutDeregisteringIsReported() {
        try (Rig rig = new Rig()) {
            rig.sw.failAfterRegistration = true;
            rig.sw.deregisterOnEntryFailure = false;
            expectThrown(Rule.DRV_ENTRY_FAILURE_DEREGISTERS, rig::load);
            LoadedDriver d = rig.host().drivers().get(0);
            assertThat(d.phase()).isEqualTo(LoadedDriver.Phase.FAILED);
            assertThat(d.registered()).as("NDIS released the registration itself").isFalse();
        }
    }

    @Test
    void driverEntryThatSucceedsWithoutRegisteringIsReported() {
        try (Rig rig = new Rig().record()) {
            rig.sw.skipRegistration = true;
            assertThat(rig.load().phase()).isEqualTo(LoadedDriver.Phase.FAILED);
            assertRecorded(rig, Rule.DRV_ENTRY_SUCCESS_REGISTERED);
        }
    }

    @Test
    void driverEntryThatDeregistersAndStillSucceedsIsReported() {
        try (Rig rig = new Rig()) {
            rig.sw.deregisterAndSucceed = true;
            expectThrown(Rule.DRV_ENTRY_SUCCESS_REGISTERED, rig::load);
        }
    }

    @Test
    void unloadDeregistersAndReleasesTheRegistration() {
        try (Rig rig = new Rig()) {
            rig.running();
            rig.halt();
            assertThat(rig.host().unloadDriver(rig.driver)).isEqualTo(NdisStatus.SUCCESS);
            assertThat(rig.driver.phase()).isEqualTo(LoadedDriver.Phase.UNLOADED);
            assertThat(rig.driver.deregistered()).isTrue();
            assertThat(rig.miniport.unloadCalls).isEqualTo(1);
            assertThat(rig.deviceIsClean()).isTrue();
            assertClean(rig);
        }
    }

    @Test
    void unloadWithoutDeregisteringIsReported() {
        try (Rig rig = new Rig()) {
            rig.sw.unloadWithoutDeregister = true;
            rig.load();
            expectThrown(Rule.DRV_UNLOAD_DEREGISTERS, () -> rig.host().unloadDriver(rig.driver));
            assertThat(rig.driver.deregistered()).isTrue();
        }
    }

    @Test
    void deregisteringTwiceIsReported() {
        try (Rig rig = new Rig()) {
            rig.sw.unloadDeregistersTwice = true;
            rig.load();
            expectThrown(Rule.DRV_DEREGISTER_ONCE, () -> rig.host().unloadDriver(rig.driver));
        }
    }

    @Test
    void deregisteringOutsideDriverEntryAndUnloadIsReportedAndRefused() {
        try (Rig rig = new Rig().record()) {
            rig.sw.deregisterFromInitialize = true;
            rig.add();
            assertRecorded(rig, Rule.DRV_DEREGISTER_CONTEXT);
            assertThat(rig.driver.registered()).as("refused").isTrue();
        }
    }

    @Test
    void deregisteringFromInsideSetOptionsIsReported() {
        try (Rig rig = new Rig()) {
            rig.sw.setOptionsDeregisters = true;
            expectThrown(Rule.DRV_DEREGISTER_CONTEXT, rig::load);
        }
    }

    @Test
    void unloadingWithAnAdapterNotHaltedIsReportedAndRefused() {
        try (Rig rig = new Rig().record()) {
            rig.running();
            assertThat(rig.host().unloadDriver(rig.driver)).isEqualTo(NdisStatus.FAILURE);
            assertRecorded(rig, Rule.DRV_UNLOAD_AFTER_HALT);
            assertThat(rig.miniport.unloadCalls).isZero();
            assertThat(rig.driver.phase()).isEqualTo(LoadedDriver.Phase.LOADED);
            rig.halt();
            assertThat(rig.host().unloadDriver(rig.driver)).isEqualTo(NdisStatus.SUCCESS);
            assertThat(rig.miniport.unloadCalls).isEqualTo(1);
        }
    }

    @Test
    void aShutDownAdapterDoesNotBlockUnload() {
        try (Rig rig = new Rig()) {
            rig.running();
            rig.host().shutdown(rig.adapter, ShutdownAction.NdisShutdownPowerOff);
            assertThat(rig.host().unloadDriver(rig.driver)).isEqualTo(NdisStatus.SUCCESS);
            assertThat(rig.deviceIsClean()).as("NDIS released what the shut-down adapter held").isTrue();
            assertClean(rig);
        }
    }
}

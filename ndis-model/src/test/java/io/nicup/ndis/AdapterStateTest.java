package io.nicup.ndis;

import static io.nicup.ndis.Violations.assertClean;
import static io.nicup.ndis.Violations.assertRecorded;
import static io.nicup.ndis.Violations.expectThrown;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.nicup.ndis.adapter.AdapterState;
import io.nicup.ndis.adapter.DevicePnPEvent;
import io.nicup.ndis.adapter.HaltAction;
import io.nicup.ndis.adapter.MiniportAdapter;
import io.nicup.ndis.adapter.ShutdownAction;
import io.nicup.ndis.oid.Oid;
import io.nicup.ndis.trace.NdisTrace;
import io.nicup.ndis.trace.NdisVerifierException;
import io.nicup.ndis.trace.Rule;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The state table of docs/ndis-contract.md §3 and the pause/restart protocol. */
class AdapterStateTest {

    private static List<String> states(Rig rig) {
        return rig.host().trace().events().stream().filter(e -> e.kind() == NdisTrace.Kind.STATE)
                .map(NdisTrace.Event::name).toList();
    }

    @Test
    void anAdapterGoesThroughTheDocumentedStates() {
        try (Rig rig = new Rig()) {
            rig.running();
            assertThat(rig.host().pause(rig.adapter)).isEqualTo(NdisStatus.SUCCESS);
            assertThat(rig.host().restart(rig.adapter)).isEqualTo(NdisStatus.SUCCESS);
            rig.halt();
            assertThat(states(rig)).containsExactly("Halted->Initializing", "Initializing->Paused",
                    "Paused->Restarting", "Restarting->Running", "Running->Pausing", "Pausing->Paused",
                    "Paused->Restarting", "Restarting->Running", "Running->Pausing", "Pausing->Paused",
                    "Paused->Halted");
            assertClean(rig);
        }
    }

    @Test
    void aPendingRestartEndsWithNdisMRestartComplete() {
        try (Rig rig = new Rig()) {
            rig.sw.restartPending = true;
            rig.add();
            assertThat(rig.host().restart(rig.adapter)).isEqualTo(NdisStatus.PENDING);
            assertThat(rig.adapter.state()).isEqualTo(AdapterState.RESTARTING);
            assertThat(rig.host().query(rig.adapter, Oid.GEN_MAXIMUM_FRAME_SIZE, 4).join().succeeded())
                    .as("OID requests are allowed while Restarting").isTrue();
            rig.ta().completeRestart(NdisStatus.SUCCESS);
            assertThat(rig.adapter.state()).isEqualTo(AdapterState.RUNNING);
            assertClean(rig);
        }
    }

    @Test
    void aFailedRestartLeavesTheAdapterPaused() {
        try (Rig rig = new Rig()) {
            rig.sw.restartStatus = NdisStatus.RESOURCES;
            rig.add();
            assertThat(rig.host().restart(rig.adapter)).isEqualTo(NdisStatus.RESOURCES);
            assertThat(rig.adapter.state()).isEqualTo(AdapterState.PAUSED);
            assertThat(states(rig)).endsWith("Paused->Restarting", "Restarting->Paused");
            assertClean(rig);
        }
    }

    @Test
    void restartCompleteWithoutAPendingRestartIsReported() {
        try (Rig rig = new Rig()) {
            rig.running();
            expectThrown(Rule.STATE_RESTART_COMPLETE, () -> rig.ta().completeRestart(NdisStatus.SUCCESS));
            assertThat(rig.adapter.state()).isEqualTo(AdapterState.RUNNING);
        }
        try (Rig rig = new Rig()) {
            rig.sw.restartCompleteAndReturn = true;
            rig.add();
            expectThrown(Rule.STATE_RESTART_COMPLETE, () -> rig.host().restart(rig.adapter));
            assertThat(rig.adapter.state()).isEqualTo(AdapterState.RUNNING);
        }
    }

    @Test
    void aRestartReturningAnInformationalStatusIsReportedAsFailure() {
        try (Rig rig = new Rig().record()) {
            rig.sw.restartStatus = NdisStatus.NOT_ACCEPTED;
            rig.add();
            assertThat(rig.host().restart(rig.adapter)).isEqualTo(NdisStatus.FAILURE);
            assertThat(rig.adapter.state()).isEqualTo(AdapterState.PAUSED);
            assertRecorded(rig, Rule.STATE_RESTART_STATUS);
        }
    }

    @Test
    void aPauseStaysPendingUntilIndicatedReceivesComeBack() {
        try (Rig rig = new Rig()) {
            rig.edge.receiveMode = RecordingEdge.ReceiveMode.HOLD;
            rig.running();
            rig.receive("one", "two");
            assertThat(rig.host().pause(rig.adapter)).isEqualTo(NdisStatus.PENDING);
            assertThat(rig.adapter.state()).isEqualTo(AdapterState.PAUSING);
            rig.send("late");
            assertThat(rig.edge.completedStatuses).as("new sends while Pausing are rejected with PAUSED")
                    .containsExactly(NdisStatus.PAUSED);
            rig.edge.returnHeld(rig.adapter);
            assertThat(rig.adapter.state()).isEqualTo(AdapterState.PAUSED);
            assertClean(rig);
        }
    }

    @Test
    void aPauseStaysPendingUntilOutstandingSendsComplete() {
        try (Rig rig = new Rig()) {
            rig.running();
            rig.send("a", "b", "c");
            assertThat(rig.host().pause(rig.adapter)).isEqualTo(NdisStatus.PENDING);
            rig.transmitDone();
            assertThat(rig.adapter.state()).isEqualTo(AdapterState.PAUSED);
            assertThat(rig.edge.completedStatuses).containsOnly(NdisStatus.SUCCESS).hasSize(3);
            assertClean(rig);
        }
    }

    @Test
    void pauseCannotFail() {
        try (Rig rig = new Rig().record()) {
            rig.sw.pauseStatus = NdisStatus.FAILURE;
            rig.running();
            assertThat(rig.host().pause(rig.adapter)).isEqualTo(NdisStatus.SUCCESS);
            assertThat(rig.adapter.state()).as("NDIS treats it as paused").isEqualTo(AdapterState.PAUSED);
            assertRecorded(rig, Rule.STATE_PAUSE_CANNOT_FAIL);
        }
    }

    @Test
    void pauseCompleteWithoutAPendingPauseIsReported() {
        try (Rig rig = new Rig()) {
            rig.add();
            expectThrown(Rule.STATE_PAUSE_COMPLETE, () -> rig.ndis().NdisMPauseComplete(rig.ta().handle));
            assertThat(rig.adapter.state()).isEqualTo(AdapterState.PAUSED);
        }
        try (Rig rig = new Rig()) {
            rig.running();
            rig.ta().pausePending = true;
            expectThrown(Rule.STATE_PAUSE_COMPLETE, () -> rig.ta().completePauseIfDrained(true));
            assertThat(rig.adapter.state()).isEqualTo(AdapterState.RUNNING);
        }
        try (Rig rig = new Rig()) {
            rig.sw.pauseCompleteAndReturnSuccess = true;
            rig.running();
            expectThrown(Rule.STATE_PAUSE_COMPLETE, () -> rig.host().pause(rig.adapter));
            assertThat(rig.adapter.state()).isEqualTo(AdapterState.PAUSED);
        }
    }

    @Test
    void aPauseThatCompletesWithSendsOutstandingIsReported() {
        try (Rig rig = new Rig()) {
            rig.sw.pauseCompletesImmediately = true;
            rig.running();
            rig.send("queued");
            expectThrown(Rule.PAUSE_SENDS_OUTSTANDING, () -> rig.host().pause(rig.adapter));
            assertThat(rig.adapter.state()).isEqualTo(AdapterState.PAUSED);
        }
    }

    @Test
    void aPauseThatCompletesWithReceivesOutstandingIsReported() {
        try (Rig rig = new Rig()) {
            rig.sw.pauseCompletesImmediately = true;
            rig.edge.receiveMode = RecordingEdge.ReceiveMode.HOLD;
            rig.running();
            rig.receive("held");
            NdisVerifierException e = expectThrown(Rule.PAUSE_RECEIVES_OUTSTANDING, () -> rig.host().pause(rig.adapter));
            assertThat(e.getMessage()).contains("receives_outstanding=1");
        }
    }

    @Test
    void haltFromRunningPausesFirst() {
        try (Rig rig = new Rig()) {
            rig.running();
            rig.host().halt(rig.adapter, HaltAction.NdisHaltDeviceStopped);
            assertThat(rig.adapter.state()).isEqualTo(AdapterState.HALTED);
            assertThat(rig.ta().lastHaltAction).isEqualTo(HaltAction.NdisHaltDeviceStopped);
            assertThat(states(rig)).containsSubsequence("Running->Pausing", "Pausing->Paused", "Paused->Halted");
            assertClean(rig);
        }
    }

    @Test
    void aPauseThatNeverCompletesStopsTheHaltAfterTheWaitTimeout() {
        try (Rig rig = new Rig()) {
            rig.sw.pauseAlwaysPending = true;
            rig.running();
            long before = rig.clock.nanoTime();
            assertThatThrownBy(rig::halt).isInstanceOf(NdisException.class).hasMessageContaining("PAUSED")
                    .hasMessageContaining("state=PAUSING");
            assertThat(rig.clock.nanoTime() - before).isGreaterThanOrEqualTo(Duration.ofSeconds(5).toNanos());
            rig.ta().completePauseIfDrained(true);
            rig.halt();
            assertClean(rig);
        }
    }

    @Test
    void shutdownIsTerminal() {
        try (Rig rig = new Rig()) {
            rig.running();
            rig.host().shutdown(rig.adapter, ShutdownAction.NdisShutdownBugCheck);
            assertThat(rig.adapter.state()).isEqualTo(AdapterState.SHUTDOWN);
            assertThat(rig.ta().shutdownAction).isEqualTo(ShutdownAction.NdisShutdownBugCheck);
            assertThatThrownBy(() -> rig.host().restart(rig.adapter)).isInstanceOf(NdisException.class);
            assertThatThrownBy(() -> rig.host().halt(rig.adapter, HaltAction.NdisHaltDeviceDisabled))
                    .isInstanceOf(NdisException.class);
            assertThatThrownBy(() -> rig.host().query(rig.adapter, Oid.GEN_STATISTICS, 152))
                    .isInstanceOf(NdisException.class);
            assertThat(states(rig)).endsWith("Running->Shutdown");
            assertClean(rig);
        }
    }

    @Test
    void surpriseRemovalNotifiesThenHalts() {
        try (Rig rig = new Rig()) {
            rig.running();
            rig.host().surpriseRemove(rig.adapter);
            assertThat(rig.ta().lastPnpEvent).isEqualTo(DevicePnPEvent.NdisDevicePnPEventSurpriseRemoved);
            assertThat(rig.ta().lastHaltAction).isEqualTo(HaltAction.NdisHaltDeviceSurpriseRemoved);
            assertThat(rig.deviceIsClean()).isTrue();
            assertClean(rig);
        }
    }

    @Test
    void aHandlerThatThrowsIsReportedAndTreatedAsFailure() {
        try (Rig rig = new Rig()) {
            rig.sw.throwIn = NdisCall.MiniportRestart;
            rig.add();
            NdisVerifierException e = expectThrown(Rule.HANDLER_THREW, () -> rig.host().restart(rig.adapter));
            assertThat(e.getCause()).isInstanceOf(IllegalStateException.class);
            assertThat(rig.adapter.state()).isEqualTo(AdapterState.PAUSED);
        }
        try (Rig rig = new Rig().record()) {
            rig.sw.throwIn = NdisCall.MiniportInitializeEx;
            MiniportAdapter a = rig.add();
            assertThat(a.initStatus()).isEqualTo(NdisStatus.FAILURE);
            assertThat(a.state()).isEqualTo(AdapterState.HALTED);
            assertRecorded(rig, Rule.HANDLER_THREW);
        }
    }

    @Test
    void theHostRefusesOperationsTheStateDoesNotAllow() {
        try (Rig rig = new Rig()) {
            rig.add();
            assertThatThrownBy(() -> rig.host().pause(rig.adapter)).isInstanceOf(NdisException.class)
                    .hasMessageContaining("state=PAUSED").hasMessageContaining("required=RUNNING");
            rig.host().restart(rig.adapter);
            assertThatThrownBy(() -> rig.host().restart(rig.adapter)).isInstanceOf(NdisException.class);
            assertThat(rig.adapter.state()).isEqualTo(AdapterState.RUNNING);
            assertClean(rig);
        }
    }
}

package io.nicup.ndis;

import static org.assertj.core.api.Assertions.assertThat;

import io.nicup.ndis.adapter.AdapterState;
import io.nicup.ndis.adapter.HaltAction;
import io.nicup.ndis.adapter.MiniportAdapter;
import io.nicup.ndis.adapter.ShutdownAction;
import io.nicup.ndis.oid.Oid;
import io.nicup.ndis.trace.NdisTrace;
import io.nicup.ndis.trace.NdisVerifierException;
import io.nicup.vfio.testing.Gen;
import io.nicup.vfio.testing.SeededTest;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * Random sequences of NDIS events against the adapter state machine: the model never reaches a state or
 * makes a transition the table does not document, a refused request changes nothing, and when everything
 * is torn down nothing of the device is still held.
 */
class AdapterStateMachinePropertyTest {

    enum Step {
        ADD, RESTART, PAUSE, HALT, SHUTDOWN, SURPRISE_REMOVE, SEND, TRANSMIT_DONE, RECEIVE, HOLD_RECEIVES,
        RETURN_AT_ONCE, RETURN_HELD, OID, LINK_DOWN, LINK_UP, IDLE, RESET
    }

    /** A well-behaved miniport: no violation ever, no leak. */
    @SeededTest(cases = 150)
    void aWellBehavedMiniportFollowsTheTableAndLeaksNothing(Gen gen) {
        List<Step> steps = steps(gen);
        Rig rig = new Rig();
        run(rig, steps);
        assertThat(rig.verifier().violations()).isEmpty();
        assertThat(rig.deviceIsClean()).isTrue();
    }

    /** Misbehaving miniports (RECORD mode): violations are reported, yet the model stays in the table and cleans up. */
    @SeededTest(cases = 150)
    void aMisbehavingMiniportNeverDrivesTheModelOffTheTable(Gen gen) {
        Switches sw = faults(gen);
        List<Step> steps = steps(gen);
        Rig rig = new Rig().record();
        copy(sw, rig.sw);
        run(rig, steps);
        assertThat(rig.deviceIsClean()).as("NDIS released whatever the miniport left").isTrue();
        assertThat(rig.verifier().violations()).allSatisfy(v -> assertThat(v.rule()).isNotNull());
    }

    private static void run(Rig rig, List<Step> steps) {
        try (rig) {
            rig.load();
            for (Step step : steps) {
                AdapterState before = rig.adapter == null ? null : rig.adapter.state();
                boolean refused = apply(rig, step);
                if (refused) {
                    assertThat(rig.adapter == null ? null : rig.adapter.state()).as("refused " + step + " changed nothing")
                            .isEqualTo(before);
                }
                assertDocumentedTransitions(rig);
            }
            drain(rig);
        }
        assertDocumentedTransitions(rig);
    }

    /** Applies a step; true when the host refused it (NdisException) as the state does not allow it. */
    private static boolean apply(Rig rig, Step step) {
        MiniportAdapter a = rig.adapter;
        boolean live = a != null && a.state().isLive();
        boolean armed = a != null && a.resources.interrupt != null;
        try {
            switch (step) {
                case ADD -> {
                    if (a == null || a.state() == AdapterState.HALTED) {
                        rig.add();
                    }
                }
                case RESTART -> rig.host().restart(need(a));
                case PAUSE -> rig.host().pause(need(a));
                case HALT -> {
                    drain(rig);
                    rig.host().halt(need(a), HaltAction.NdisHaltDeviceDisabled);
                }
                case SHUTDOWN -> rig.host().shutdown(need(a), ShutdownAction.NdisShutdownPowerOff);
                case SURPRISE_REMOVE -> {
                    drain(rig);
                    rig.host().surpriseRemove(need(a));
                }
                case SEND -> {
                    if (live && rig.sendPool().available() > 0) {
                        rig.send("frame");
                    }
                }
                case TRANSMIT_DONE -> {
                    if (armed) {
                        rig.transmitDone();
                    }
                }
                case RECEIVE -> {
                    if (armed) {
                        rig.receive("frame");
                    }
                }
                case HOLD_RECEIVES -> rig.edge.receiveMode = RecordingEdge.ReceiveMode.HOLD;
                case RETURN_AT_ONCE -> rig.edge.receiveMode = RecordingEdge.ReceiveMode.RETURN_AT_ONCE;
                case RETURN_HELD -> {
                    if (a != null) {
                        rig.edge.returnHeld(a);
                    }
                }
                case OID -> rig.host().query(need(a), Oid.OID_802_3_CURRENT_ADDRESS, 6);
                case LINK_DOWN, LINK_UP -> {
                    if (armed) {
                        rig.device.registers().write32(TestAdapter.REG_STATUS,
                                step == Step.LINK_UP ? TestAdapter.STATUS_LU : 0);
                        rig.fire(TestAdapter.VECTOR_LINK);
                    }
                }
                case IDLE -> rig.idle(Duration.ofMillis(2_500));
                case RESET -> rig.host().reset(need(a));
            }
            return false;
        } catch (NdisException e) {
            if (e instanceof NdisVerifierException) {
                throw e;
            }
            return true;
        }
    }

    private static MiniportAdapter need(MiniportAdapter a) {
        if (a == null) {
            throw new NdisException("no adapter yet");
        }
        return a;
    }

    /** The NIC finishes what it was given and the protocol gives back what it held. */
    private static void drain(Rig rig) {
        MiniportAdapter a = rig.adapter;
        if (a == null) {
            return;
        }
        rig.edge.receiveMode = RecordingEdge.ReceiveMode.RETURN_AT_ONCE;
        if (a.state() != AdapterState.HALTED) {
            rig.edge.returnHeld(a);
        }
        if (a.resources.interrupt != null) {
            rig.transmitDone();
        }
    }

    private static void assertDocumentedTransitions(Rig rig) {
        for (NdisTrace.Event e : rig.host().trace().events()) {
            if (e.kind() != NdisTrace.Kind.STATE) {
                continue;
            }
            String[] fromTo = e.name().split("->");
            AdapterState from = AdapterState.valueOf(fromTo[0].toUpperCase(java.util.Locale.ROOT));
            AdapterState to = AdapterState.valueOf(fromTo[1].toUpperCase(java.util.Locale.ROOT));
            AdapterState.Event event = AdapterState.Event.valueOf(e.detail().get("event"));
            assertThat(AdapterState.TRANSITIONS).as(e.name() + " on " + event)
                    .contains(new AdapterState.Transition(from, event, to));
        }
    }

    /** Up to 40 NDIS events. */
    private static List<Step> steps(Gen gen) {
        return gen.listOf(0, 40, () -> gen.oneOf(Step.values()));
    }

    private static Switches faults(Gen gen) {
        Switches s = new Switches();
        s.failInitAfterStep = gen.between(0, 10);
        s.leakOnInitFailure = subset(gen);
        s.leakOnHalt = subset(gen);
        s.txCompletionStatus = gen.oneOf(NdisStatus.SUCCESS, NdisStatus.RESOURCES, NdisStatus.INVALID_DATA);
        s.restartStatus = gen.oneOf(NdisStatus.SUCCESS, NdisStatus.SUCCESS, NdisStatus.FAILURE, NdisStatus.NOT_ACCEPTED);
        s.pauseStatus = gen.oneOf(NdisStatus.SUCCESS, NdisStatus.SUCCESS, NdisStatus.FAILURE);
        s.pauseCompletesImmediately = gen.percent(25);
        s.completeSendsWithSuccessWhilePausing = gen.percent(25);
        s.indicateWithResources = gen.percent(25);
        s.haltReleasesInAcquisitionOrder = gen.percent(25);
        s.haltFreesMemoryBeforeInterrupt = gen.percent(25);
        s.reportHang = gen.percent(25);
        s.completeSendsTwice = gen.percent(25);
        s.restartPending = gen.percent(25);
        s.skipGeneralAttributes = gen.percent(25);
        return s;
    }

    private static Set<Switches.Res> subset(Gen gen) {
        Set<Switches.Res> set = EnumSet.noneOf(Switches.Res.class);
        for (Switches.Res r : Switches.Res.values()) {
            if (gen.bool()) {
                set.add(r);
            }
        }
        return set;
    }

    private static void copy(Switches from, Switches to) {
        to.failInitAfterStep = from.failInitAfterStep;
        to.leakOnInitFailure = from.leakOnInitFailure;
        to.leakOnHalt = from.leakOnHalt;
        to.txCompletionStatus = from.txCompletionStatus;
        to.restartStatus = from.restartStatus;
        to.pauseStatus = from.pauseStatus;
        to.pauseCompletesImmediately = from.pauseCompletesImmediately;
        to.completeSendsWithSuccessWhilePausing = from.completeSendsWithSuccessWhilePausing;
        to.indicateWithResources = from.indicateWithResources;
        to.haltReleasesInAcquisitionOrder = from.haltReleasesInAcquisitionOrder;
        to.haltFreesMemoryBeforeInterrupt = from.haltFreesMemoryBeforeInterrupt;
        to.reportHang = from.reportHang;
        to.completeSendsTwice = from.completeSendsTwice;
        to.restartPending = from.restartPending;
        to.skipGeneralAttributes = from.skipGeneralAttributes;
    }
}

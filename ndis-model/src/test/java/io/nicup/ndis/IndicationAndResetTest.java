package io.nicup.ndis;

import static io.nicup.ndis.Violations.assertClean;
import static io.nicup.ndis.Violations.assertRecorded;
import static io.nicup.ndis.Violations.expectThrown;
import static org.assertj.core.api.Assertions.assertThat;

import io.nicup.ndis.adapter.MiniportAdapter;
import io.nicup.ndis.oid.MediaConnectState;
import io.nicup.ndis.oid.NdisLinkState;
import io.nicup.ndis.oid.NdisOidRequest;
import io.nicup.ndis.oid.NdisPacketFilter;
import io.nicup.ndis.oid.NdisStatusIndication;
import io.nicup.ndis.oid.Oid;
import io.nicup.ndis.oid.OidResult;
import io.nicup.ndis.trace.NdisTrace;
import io.nicup.ndis.trace.Rule;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** NDIS_STATUS_LINK_STATE, CheckForHang and reset on the device clock, miniport timers. */
class IndicationAndResetTest {

    @Test
    void aLinkStateIndicationReachesTheProtocolAndTheLinkStateOid() {
        try (Rig rig = new Rig()) {
            List<NdisStatusIndication> seenByListener = new ArrayList<>();
            rig.host().addStatusListener((a, i) -> seenByListener.add(i));
            MiniportAdapter a = rig.running();
            rig.device.registers().write32(TestAdapter.REG_STATUS, 0);
            rig.fire(TestAdapter.VECTOR_LINK);
            assertThat(rig.edge.indications).singleElement().satisfies(i -> {
                assertThat(i.statusCode()).isEqualTo(NdisStatus.LINK_STATE);
                assertThat(((NdisLinkState) i.statusBuffer()).mediaConnectState())
                        .isEqualTo(MediaConnectState.MediaConnectStateDisconnected);
            });
            assertThat(seenByListener).hasSize(1);
            assertThat(a.linkState().mediaConnectState()).isEqualTo(MediaConnectState.MediaConnectStateDisconnected);
            OidResult r = rig.host().query(a, Oid.GEN_LINK_STATE, 40).join();
            assertThat(NdisLinkState.read(r.request().informationBuffer(), 0).mediaConnectState())
                    .isEqualTo(MediaConnectState.MediaConnectStateDisconnected);
            assertClean(rig);
        }
    }

    @Test
    void aLinkStateIndicationWithoutAnNdisLinkStateIsReported() {
        try (Rig rig = new Rig()) {
            rig.sw.malformedLinkState = true;
            rig.running();
            expectThrown(Rule.STATUS_LINK_STATE_BUFFER, () -> rig.fire(TestAdapter.VECTOR_LINK));
            assertThat(rig.edge.indications).isEmpty();
        }
    }

    @Test
    void aStatusIndicationBeforeInitializationCompletesIsReported() {
        try (Rig rig = new Rig().record()) {
            rig.sw.indicateStatusInInitialize = true;
            MiniportAdapter a = rig.add();
            assertRecorded(rig, Rule.STATUS_INDICATION_STATE);
            assertThat(a.initStatus()).as("a violation during initialization fails it").isEqualTo(NdisStatus.FAILURE);
            assertThat(rig.deviceIsClean()).isTrue();
        }
    }

    @Test
    void checkForHangRunsEveryIntervalOfDeviceClockTime() {
        try (Rig rig = new Rig()) {
            rig.running();
            rig.idle(Duration.ofMillis(10_500));
            assertThat(rig.ta().hangChecks).as("every 2 s (CheckForHangTimeInSeconds 0)").isEqualTo(5);
        }
        try (Rig rig = new Rig()) {
            rig.sw.checkForHangSeconds = 4;
            rig.running();
            rig.idle(Duration.ofMillis(10_500));
            assertThat(rig.ta().hangChecks).isEqualTo(2);
        }
    }

    @Test
    void checkForHangStopsWithTheHalt() {
        try (Rig rig = new Rig()) {
            rig.running();
            rig.halt();
            rig.idle(Duration.ofSeconds(10));
            assertThat(rig.ta().hangChecks).isZero();
            assertClean(rig);
        }
    }

    @Test
    void aReportedHangIsFollowedByAReset() {
        try (Rig rig = new Rig()) {
            rig.sw.reportHang = true;
            rig.running();
            rig.idle(Duration.ofMillis(2_100));
            assertThat(rig.ta().resets).isEqualTo(1);
            assertThat(rig.host().trace().events()).extracting(NdisTrace.Event::name)
                    .containsSubsequence("MiniportCheckForHangEx", "ResetAdapter", "MiniportResetEx", "ResetComplete");
            rig.idle(Duration.ofSeconds(2));
            assertThat(rig.ta().resets).as("no hang any more").isEqualTo(1);
            assertClean(rig);
        }
    }

    @Test
    void aPendingResetCompletesAndRestoresTheAddressing() {
        try (Rig rig = new Rig()) {
            rig.sw.resetStatus = NdisStatus.PENDING;
            rig.sw.resetAddressing = true;
            MiniportAdapter a = rig.running();
            rig.host().oidRequest(a, NdisOidRequest.setUlong(Oid.GEN_CURRENT_PACKET_FILTER, NdisPacketFilter.DIRECTED));
            rig.ta().packetFilter = 0; // the reset wiped the NIC's filter
            assertThat(rig.host().reset(a)).isEqualTo(NdisStatus.PENDING);
            assertThat(rig.host().reset(a)).isEqualTo(NdisStatus.RESET_IN_PROGRESS);
            rig.ta().completeReset(NdisStatus.SUCCESS);
            assertThat(rig.ta().packetFilter).as("NDIS set the packet filter again").isEqualTo(NdisPacketFilter.DIRECTED);
            assertClean(rig);
        }
    }

    @Test
    void resetCompleteWithoutAPendingResetIsReported() {
        try (Rig rig = new Rig()) {
            rig.running();
            expectThrown(Rule.RESET_COMPLETE, () -> rig.ta().completeReset(NdisStatus.SUCCESS));
        }
        try (Rig rig = new Rig()) {
            rig.sw.resetCompleteAndReturn = true;
            MiniportAdapter a = rig.running();
            expectThrown(Rule.RESET_COMPLETE, () -> rig.host().reset(a));
        }
    }

    @Test
    void aResetAskedForWithNdisMResetMiniportRunsSoonAfterOutsideTheCallWithoutCheckForHang() {
        try (Rig rig = new Rig()) {
            MiniportAdapter a = rig.running();
            int checks = rig.ta().hangChecks;
            long asked = rig.host().clock().nanoTime();
            rig.host().ndis().NdisMResetMiniport(rig.ta().handle);
            rig.host().ndis().NdisMResetMiniport(rig.ta().handle);
            assertThat(rig.ta().resets).as("NDIS queues a work item: never inside the call").isZero();
            rig.idle(Duration.ofMillis(1));
            assertThat(rig.ta().resets).as("two requests before it ran: one reset").isEqualTo(1);
            assertThat(rig.ta().hangChecks).as("no CheckForHang needed").isEqualTo(checks);
            assertThat(rig.host().clock().nanoTime() - asked).isLessThan(Duration.ofSeconds(2).toNanos());
            assertThat(a.lastReset().status()).isEqualTo(NdisStatus.SUCCESS);
            List<NdisTrace.Event> events = rig.host().trace().events();
            assertThat(events).extracting(NdisTrace.Event::name).containsSubsequence("NdisMResetMiniport",
                    "NdisMResetMiniport", "ResetAdapter", "MiniportResetEx", "ResetComplete");
            assertThat(events).filteredOn(e -> e.name().equals("ResetAdapter")).singleElement()
                    .satisfies(e -> assertThat(e.detail()).containsEntry("requested_by", "NdisMResetMiniport"));
            rig.idle(Duration.ofSeconds(3));
            assertThat(rig.ta().resets).as("asked for once").isEqualTo(1);
            assertClean(rig);
        }
    }

    @Test
    void ndisMResetMiniportDuringAResetAddsNoReset() {
        try (Rig rig = new Rig()) {
            rig.sw.resetStatus = NdisStatus.PENDING;
            MiniportAdapter a = rig.running();
            assertThat(rig.host().reset(a)).isEqualTo(NdisStatus.PENDING);
            rig.host().ndis().NdisMResetMiniport(rig.ta().handle);
            rig.idle(Duration.ofMillis(1));
            assertThat(rig.ta().resets).as("the reset under way is the one asked for").isEqualTo(1);
            rig.ta().completeReset(NdisStatus.SUCCESS);
            rig.idle(Duration.ofMillis(1));
            assertThat(rig.ta().resets).isEqualTo(1);
            assertClean(rig);
        }
    }

    @Test
    void aResetAskedForIsDroppedByTheHaltAndNdisMResetMiniportAfterHaltIsReported() {
        try (Rig rig = new Rig()) {
            rig.running();
            rig.host().ndis().NdisMResetMiniport(rig.ta().handle);
            TestAdapter halted = rig.ta();
            rig.halt();
            rig.idle(Duration.ofSeconds(1));
            assertThat(halted.resets).as("no MiniportResetEx after MiniportHaltEx").isZero();
            expectThrown(Rule.CALL_AFTER_HALT, () -> rig.host().ndis().NdisMResetMiniport(halted.handle));
        }
    }

    @Test
    void miniportTimersRunOnTheDeviceClockAndStopWhenCancelled() {
        try (Rig rig = new Rig()) {
            rig.running();
            rig.idle(Duration.ofMillis(3_500));
            assertThat(rig.ta().watchdogFires).isEqualTo(3);
            rig.host().pause(rig.adapter);
            rig.idle(Duration.ofSeconds(3));
            assertThat(rig.ta().watchdogFires).isEqualTo(3);
            assertClean(rig);
        }
    }
}

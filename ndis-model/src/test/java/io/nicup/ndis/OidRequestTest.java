package io.nicup.ndis;

import static io.nicup.ndis.Violations.assertClean;
import static io.nicup.ndis.Violations.assertRecorded;
import static io.nicup.ndis.Violations.expectThrown;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.nicup.ndis.adapter.AdapterState;
import io.nicup.ndis.adapter.MiniportAdapter;
import io.nicup.ndis.oid.MediaConnectState;
import io.nicup.ndis.oid.NdisLinkState;
import io.nicup.ndis.oid.NdisOidRequest;
import io.nicup.ndis.oid.NdisPacketFilter;
import io.nicup.ndis.oid.NdisStatisticsInfo;
import io.nicup.ndis.oid.Oid;
import io.nicup.ndis.oid.OidResult;
import io.nicup.ndis.trace.NdisTrace;
import io.nicup.ndis.trace.Rule;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** OID requests (docs/ndis-contract.md §6). */
class OidRequestTest {

    private static OidResult now(CompletableFuture<OidResult> f) {
        assertThat(f).isDone();
        return f.join();
    }

    @Test
    void theMiniportAnswersAddressesFilterMulticastAndStatistics() {
        try (Rig rig = new Rig()) {
            MiniportAdapter a = rig.running();
            NdisHost host = rig.host();
            OidResult permanent = now(host.query(a, Oid.OID_802_3_PERMANENT_ADDRESS, 6));
            assertThat(permanent.succeeded()).isTrue();
            assertThat(permanent.bytesWritten()).isEqualTo(6);
            assertThat(MacAddress.read(permanent.request().informationBuffer(), 0)).isEqualTo(TestMiniport.PERMANENT);
            assertThat(now(host.query(a, Oid.OID_802_3_CURRENT_ADDRESS, 6)).succeeded()).isTrue();
            int filter = NdisPacketFilter.DIRECTED | NdisPacketFilter.BROADCAST;
            assertThat(now(host.oidRequest(a, NdisOidRequest.setUlong(Oid.GEN_CURRENT_PACKET_FILTER, filter)))
                    .status()).isEqualTo(NdisStatus.SUCCESS);
            assertThat(now(host.query(a, Oid.GEN_CURRENT_PACKET_FILTER, 4)).ulong()).isEqualTo(filter);
            byte[] twoGroups = new byte[12];
            twoGroups[0] = 0x01;
            twoGroups[6] = 0x01;
            assertThat(now(host.set(a, Oid.OID_802_3_MULTICAST_LIST, twoGroups)).succeeded()).isTrue();
            assertThat(now(host.query(a, Oid.OID_802_3_MULTICAST_LIST, 64)).bytesWritten()).isEqualTo(12);
            assertThat(now(host.query(a, Oid.OID_802_3_MAXIMUM_LIST_SIZE, 4)).ulong()).isEqualTo(32);
            rig.receive("frame");
            OidResult stats = now(host.query(a, Oid.GEN_STATISTICS, NdisStatisticsInfo.SIZEOF_REVISION_1));
            NdisStatisticsInfo info = NdisStatisticsInfo.read(stats.request().informationBuffer(), 0);
            assertThat(info.ifHCInUcastPkts()).isEqualTo(1);
            assertThat(info.ifHCInOctets()).isEqualTo(5);
            assertClean(rig);
        }
    }

    @Test
    void ndisAnswersLinkStateFrameSizeAndSupportedListFromTheAttributes() {
        try (Rig rig = new Rig()) {
            MiniportAdapter a = rig.add();
            OidResult link = now(rig.host().query(a, Oid.GEN_LINK_STATE, NdisLinkState.SIZEOF_REVISION_1));
            assertThat(link.answeredByNdis()).isTrue();
            assertThat(NdisLinkState.read(link.request().informationBuffer(), 0).mediaConnectState())
                    .isEqualTo(MediaConnectState.MediaConnectStateConnected);
            OidResult frame = now(rig.host().query(a, Oid.GEN_MAXIMUM_FRAME_SIZE, 4));
            assertThat(frame.ulong()).isEqualTo(1500);
            OidResult list = now(rig.host().query(a, Oid.GEN_SUPPORTED_LIST, 4 * TestAdapter.SUPPORTED_OIDS.length));
            assertThat(list.bytesWritten()).isEqualTo(4 * TestAdapter.SUPPORTED_OIDS.length);
            assertThat(rig.host().trace().events()).noneMatch(e -> e.name().equals("MiniportOidRequest"));
            assertClean(rig);
        }
    }

    @Test
    void aShortBufferIsBufferTooShortWithTheBytesNeeded() {
        try (Rig rig = new Rig()) {
            MiniportAdapter a = rig.add();
            OidResult r = now(rig.host().query(a, Oid.OID_802_3_PERMANENT_ADDRESS, 4));
            assertThat(r.status()).isEqualTo(NdisStatus.BUFFER_TOO_SHORT);
            assertThat(r.bytesNeeded()).isEqualTo(6);
            assertThat(r.bytesWritten()).isZero();
            OidResult link = now(rig.host().query(a, Oid.GEN_LINK_STATE, 8));
            assertThat(link.status()).isEqualTo(NdisStatus.BUFFER_TOO_SHORT);
            assertThat(link.bytesNeeded()).isEqualTo(40);
            assertClean(rig);
        }
    }

    @Test
    void aPendingRequestCompletesLaterAndTheNextWaitsForIt() {
        try (Rig rig = new Rig()) {
            rig.sw.pendingOids = Set.of(Oid.OID_802_3_PERMANENT_ADDRESS);
            MiniportAdapter a = rig.add();
            CompletableFuture<OidResult> first = rig.host().query(a, Oid.OID_802_3_PERMANENT_ADDRESS, 6);
            CompletableFuture<OidResult> second = rig.host().query(a, Oid.OID_802_3_CURRENT_ADDRESS, 6);
            assertThat(first).isNotDone();
            assertThat(second).as("NDIS sends no new request until the pending one completes").isNotDone();
            rig.ta().completePendingOid();
            assertThat(now(first).succeeded()).isTrue();
            assertThat(now(second).succeeded()).isTrue();
            assertClean(rig);
        }
    }

    @Test
    void completingARequestThatIsNotPendingIsReported() {
        try (Rig rig = new Rig()) {
            rig.add();
            NdisOidRequest stranger = NdisOidRequest.query(Oid.GEN_STATISTICS, 152);
            expectThrown(Rule.OID_COMPLETE_UNKNOWN,
                    () -> rig.ndis().NdisMOidRequestComplete(rig.ta().handle, stranger, NdisStatus.SUCCESS));
        }
        try (Rig rig = new Rig()) {
            rig.sw.pendingOids = Set.of(Oid.OID_802_3_PERMANENT_ADDRESS);
            rig.sw.oidCompleteAndReturn = true;
            rig.add();
            expectThrown(Rule.OID_COMPLETE_UNKNOWN, () -> rig.host().query(rig.adapter, Oid.OID_802_3_PERMANENT_ADDRESS, 6));
        }
    }

    @Test
    void anUndocumentedOidStatusIsReported() {
        try (Rig rig = new Rig()) {
            rig.sw.oidStatusOverride = NdisStatus.ADAPTER_NOT_FOUND;
            rig.add();
            expectThrown(Rule.OID_STATUS, () -> rig.host().query(rig.adapter, Oid.GEN_STATISTICS, 152));
        }
    }

    @Test
    void bufferTooShortWithoutBytesNeededIsReported() {
        try (Rig rig = new Rig()) {
            rig.sw.oidNoBytesNeeded = true;
            rig.add();
            expectThrown(Rule.OID_BYTES_NEEDED, () -> rig.host().query(rig.adapter, Oid.OID_802_3_PERMANENT_ADDRESS, 6));
        }
    }

    @Test
    void aQueryWritingMoreThanTheBufferIsReported() {
        try (Rig rig = new Rig()) {
            rig.sw.oidOverwrite = true;
            rig.add();
            expectThrown(Rule.OID_BYTES_WRITTEN, () -> rig.host().query(rig.adapter, Oid.OID_802_3_CURRENT_ADDRESS, 6));
        }
    }

    @Test
    void anOidInTheSupportedListMustBeSupported() {
        try (Rig rig = new Rig().record()) {
            rig.sw.unsupportedListedOids = Set.of(Oid.GEN_STATISTICS);
            rig.add();
            assertThat(now(rig.host().query(rig.adapter, Oid.GEN_STATISTICS, 152)).status())
                    .isEqualTo(NdisStatus.NOT_SUPPORTED);
            assertThat(now(rig.host().query(rig.adapter, 0x00FF_FF01, 4)).status())
                    .as("unlisted OIDs may be unsupported").isEqualTo(NdisStatus.NOT_SUPPORTED);
            assertRecorded(rig, Rule.OID_LISTED_SUPPORTED);
        }
    }

    @Test
    void multicastListsAreCheckedForLengthAndSize() {
        try (Rig rig = new Rig()) {
            MiniportAdapter a = rig.add();
            OidResult odd = now(rig.host().set(a, Oid.OID_802_3_MULTICAST_LIST, new byte[7]));
            assertThat(odd.status()).isEqualTo(NdisStatus.INVALID_LENGTH);
            assertThat(odd.bytesNeeded()).isEqualTo(12);
            assertThat(now(rig.host().set(a, Oid.OID_802_3_MULTICAST_LIST, new byte[33 * 6])).status())
                    .isEqualTo(NdisStatus.MULTICAST_FULL);
            assertThat(now(rig.host().set(a, Oid.OID_802_3_MULTICAST_LIST, new byte[0])).succeeded())
                    .as("length 0 clears the list").isTrue();
            assertClean(rig);
        }
        try (Rig rig = new Rig().record()) {
            rig.sw.multicastNoChecks = true;
            MiniportAdapter a = rig.add();
            rig.host().set(a, Oid.OID_802_3_MULTICAST_LIST, new byte[7]);
            rig.host().set(a, Oid.OID_802_3_MULTICAST_LIST, new byte[33 * 6]);
            assertRecorded(rig, Rule.OID_MULTICAST_LIST);
            assertThat(rig.verifier().violations()).hasSize(2);
        }
    }

    @Test
    void aPacketFilterWithUnsupportedBitsMustNotSucceed() {
        try (Rig rig = new Rig()) {
            MiniportAdapter a = rig.add();
            OidResult r = now(rig.host().oidRequest(a,
                    NdisOidRequest.setUlong(Oid.GEN_CURRENT_PACKET_FILTER, NdisPacketFilter.PROMISCUOUS)));
            assertThat(r.status()).isEqualTo(NdisStatus.NOT_SUPPORTED);
            assertClean(rig);
        }
        try (Rig rig = new Rig()) {
            rig.sw.packetFilterAcceptsAnything = true;
            MiniportAdapter a = rig.add();
            expectThrown(Rule.OID_PACKET_FILTER, () -> rig.host().oidRequest(a,
                    NdisOidRequest.setUlong(Oid.GEN_CURRENT_PACKET_FILTER, NdisPacketFilter.PROMISCUOUS)));
        }
    }

    @Test
    void oidRequestsNeedAnInitializedAdapter() {
        try (Rig rig = new Rig()) {
            rig.add();
            rig.halt();
            assertThatThrownBy(() -> rig.host().query(rig.adapter, Oid.GEN_STATISTICS, 152))
                    .isInstanceOf(NdisException.class).hasMessageContaining("state=HALTED");
        }
    }

    @Test
    void aPendingRequestIsCancelledBeforeTheHalt() {
        try (Rig rig = new Rig()) {
            rig.sw.pendingOids = Set.of(Oid.GEN_STATISTICS);
            MiniportAdapter a = rig.add();
            CompletableFuture<OidResult> pending = rig.host().query(a, Oid.GEN_STATISTICS, 152);
            CompletableFuture<OidResult> queued = rig.host().query(a, Oid.OID_802_3_CURRENT_ADDRESS, 6);
            rig.halt();
            assertThat(now(pending).status()).isEqualTo(NdisStatus.REQUEST_ABORTED);
            assertThat(now(queued).status()).isEqualTo(NdisStatus.REQUEST_ABORTED);
            assertThat(rig.host().trace().events()).extracting(NdisTrace.Event::name)
                    .containsSubsequence("MiniportCancelOidRequest", "NdisMOidRequestComplete", "MiniportHaltEx");
            assertClean(rig);
        }
    }

    @Test
    void aCancelledRequestThatNeverCompletesIsReportedAtHalt() {
        try (Rig rig = new Rig()) {
            rig.sw.pendingOids = Set.of(Oid.GEN_STATISTICS);
            rig.sw.ignoreOidCancel = true;
            MiniportAdapter a = rig.add();
            CompletableFuture<OidResult> pending = rig.host().query(a, Oid.GEN_STATISTICS, 152);
            expectThrown(Rule.OID_OUTSTANDING_AT_HALT, rig::halt);
            assertThat(now(pending).status()).isEqualTo(NdisStatus.REQUEST_ABORTED);
            assertThat(a.state()).isEqualTo(AdapterState.HALTED);
        }
    }

    @Test
    void directOidRequestsGoThroughTheDirectHandler() {
        try (Rig rig = new Rig()) {
            rig.sw.directOidPair = true;
            MiniportAdapter a = rig.add();
            OidResult r = now(rig.host().directOidRequest(a, NdisOidRequest.query(Oid.OID_802_3_CURRENT_ADDRESS, 6)));
            assertThat(r.succeeded()).isTrue();
            assertThat(rig.host().trace().events()).extracting(NdisTrace.Event::name).contains("MiniportDirectOidRequest");
            assertClean(rig);
        }
    }
}

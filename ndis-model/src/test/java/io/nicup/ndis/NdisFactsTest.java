package io.nicup.ndis;

import static org.assertj.core.api.Assertions.assertThat;

import io.nicup.ndis.adapter.AdapterState;
import io.nicup.ndis.adapter.HaltAction;
import io.nicup.ndis.adapter.MiniportAdapterAttributes;
import io.nicup.ndis.datapath.NdisReceiveFlags;
import io.nicup.ndis.driver.MiniportDriverCharacteristics;
import io.nicup.ndis.oid.MediaDuplexState;
import io.nicup.ndis.oid.NdisLinkState;
import io.nicup.ndis.oid.NdisOidRequest;
import io.nicup.ndis.oid.NdisPacketFilter;
import io.nicup.ndis.oid.NdisStatisticsInfo;
import io.nicup.ndis.oid.Oid;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The numeric facts of docs/ndis-contract.md, exactly. */
class NdisFactsTest {

    @Test
    void statusValuesAreThoseOfTheReferenceTable() {
        Map<Integer, Long> expected = Map.ofEntries(
                Map.entry(NdisStatus.SUCCESS, 0x00000000L), Map.entry(NdisStatus.PENDING, 0x00000103L),
                Map.entry(NdisStatus.NOT_ACCEPTED, 0x00010003L), Map.entry(NdisStatus.MEDIA_CONNECT, 0x4001000BL),
                Map.entry(NdisStatus.MEDIA_DISCONNECT, 0x4001000CL), Map.entry(NdisStatus.LINK_STATE, 0x40010017L),
                Map.entry(NdisStatus.HARD_ERRORS, 0x80010004L), Map.entry(NdisStatus.FAILURE, 0xC0000001L),
                Map.entry(NdisStatus.INVALID_PARAMETER, 0xC000000DL), Map.entry(NdisStatus.RESOURCES, 0xC000009AL),
                Map.entry(NdisStatus.NOT_SUPPORTED, 0xC00000BBL), Map.entry(NdisStatus.BAD_VERSION, 0xC0010004L),
                Map.entry(NdisStatus.BAD_CHARACTERISTICS, 0xC0010005L),
                Map.entry(NdisStatus.ADAPTER_NOT_FOUND, 0xC0010006L), Map.entry(NdisStatus.MULTICAST_FULL, 0xC0010009L),
                Map.entry(NdisStatus.REQUEST_ABORTED, 0xC001000CL),
                Map.entry(NdisStatus.RESET_IN_PROGRESS, 0xC001000DL), Map.entry(NdisStatus.INVALID_LENGTH, 0xC0010014L),
                Map.entry(NdisStatus.INVALID_DATA, 0xC0010015L), Map.entry(NdisStatus.BUFFER_TOO_SHORT, 0xC0010016L),
                Map.entry(NdisStatus.INVALID_OID, 0xC0010017L), Map.entry(NdisStatus.PAUSED, 0xC023002AL));
        expected.forEach((value, hex) -> assertThat(value & 0xFFFF_FFFFL).isEqualTo(hex));
        assertThat(expected).hasSize(22);
    }

    @Test
    void statusNamesRoundTripAndSendAbortedIsRequestAborted() {
        assertThat(NdisStatus.name(NdisStatus.RESOURCES)).isEqualTo("NDIS_STATUS_RESOURCES");
        assertThat(NdisStatus.valueOf("PAUSED")).isEqualTo(0xC023002AL);
        assertThat(NdisStatus.valueOf("NDIS_STATUS_BAD_VERSION")).isEqualTo(0xC0010004L);
        assertThat(NdisStatus.SEND_ABORTED).isEqualTo(NdisStatus.REQUEST_ABORTED);
        assertThat(NdisStatus.name(0x12345678)).isEqualTo("0x12345678");
        assertThat(NdisStatus.describe(NdisStatus.FAILURE)).isEqualTo("0xC0000001 (NDIS_STATUS_FAILURE)");
        assertThat(NdisStatus.isError(NdisStatus.HARD_ERRORS)).isTrue();
        assertThat(NdisStatus.isSuccess(NdisStatus.PENDING)).isTrue();
    }

    @Test
    void oidValuesAreThoseOfTheReference() {
        assertThat(Oid.GEN_CURRENT_PACKET_FILTER).isEqualTo(0x0001010E);
        assertThat(Oid.OID_802_3_PERMANENT_ADDRESS).isEqualTo(0x01010101);
        assertThat(Oid.OID_802_3_CURRENT_ADDRESS).isEqualTo(0x01010102);
        assertThat(Oid.OID_802_3_MULTICAST_LIST).isEqualTo(0x01010103);
        assertThat(Oid.GEN_STATISTICS).isEqualTo(0x00020106);
        assertThat(Oid.GEN_LINK_STATE).isEqualTo(0x00010207);
        assertThat(Oid.GEN_MAXIMUM_FRAME_SIZE).isEqualTo(0x00010106);
        assertThat(Oid.name(Oid.GEN_LINK_STATE)).isEqualTo("OID_GEN_LINK_STATE");
        assertThat(Oid.valueOf("GEN_STATISTICS")).isEqualTo(0x00020106L);
        assertThat(NdisPacketFilter.DIRECTED | NdisPacketFilter.MULTICAST | NdisPacketFilter.ALL_MULTICAST
                | NdisPacketFilter.BROADCAST | NdisPacketFilter.PROMISCUOUS).isEqualTo(0x2F);
    }

    @Test
    void characteristicsSizesFollowTheStructureLayout() {
        long pointer = ValueLayout.ADDRESS.byteSize();
        // Header(4) + 4 UCHARs + Flags(4), padded to a pointer boundary, then 15/17/18 handlers
        long base = (12 + pointer - 1) / pointer * pointer;
        assertThat(MiniportDriverCharacteristics.SIZEOF_REVISION_1).isEqualTo(base + 15 * pointer);
        assertThat(MiniportDriverCharacteristics.SIZEOF_REVISION_2).isEqualTo(base + 17 * pointer);
        assertThat(MiniportDriverCharacteristics.SIZEOF_REVISION_3).isEqualTo(base + 18 * pointer);
        if (pointer == 8) {
            assertThat(MiniportDriverCharacteristics.SIZEOF_REVISION_1).isEqualTo(136);
            assertThat(MiniportDriverCharacteristics.SIZEOF_REVISION_3).isEqualTo(160);
        }
        assertThat(MiniportDriverCharacteristics.headerFor(2).type()).isEqualTo(0x8A);
    }

    @Test
    void objectTypesAndHaltActionsHaveTheirHeaderValues() {
        assertThat(NdisObjectHeader.NDIS_OBJECT_TYPE_MINIPORT_DRIVER_CHARACTERISTICS).isEqualTo(0x8A);
        assertThat(NdisObjectHeader.NDIS_OBJECT_TYPE_MINIPORT_ADAPTER_REGISTRATION_ATTRIBUTES).isEqualTo(0x9E);
        assertThat(NdisObjectHeader.NDIS_OBJECT_TYPE_MINIPORT_ADAPTER_GENERAL_ATTRIBUTES).isEqualTo(0x9F);
        assertThat(HaltAction.NdisHaltDeviceDisabled.value()).isZero();
        assertThat(HaltAction.NdisHaltDeviceStopped.value()).isEqualTo(6);
        assertThat(MiniportAdapterAttributes.Registration.BUS_MASTER).isEqualTo(0x40);
        assertThat(NdisReceiveFlags.RESOURCES).isEqualTo(2);
    }

    @Test
    void linkStateAndStatisticsLayoutsMatchTheirStructures() {
        assertThat(NdisLinkState.SIZEOF_REVISION_1).isEqualTo(40);
        assertThat(NdisStatisticsInfo.SIZEOF_REVISION_1).isEqualTo(152);
        NdisLinkState state = NdisLinkState.connected(1_000_000_000L, MediaDuplexState.MediaDuplexStateFull);
        MemorySegment buffer = MemorySegment.ofArray(new byte[40]);
        state.write(buffer, 0);
        assertThat(buffer.get(ValueLayout.JAVA_BYTE, 0)).isEqualTo((byte) 0x80);
        assertThat(buffer.get(NdisOidRequest.ULONG, 4)).isEqualTo(1);
        assertThat(buffer.get(NdisOidRequest.ULONG64, 16)).isEqualTo(1_000_000_000L);
        assertThat(NdisLinkState.read(buffer, 0)).isEqualTo(state);
    }

    @Test
    void adapterStateTableIsTheDocumentedOneAndNothingElse() {
        assertThat(AdapterState.TRANSITIONS).hasSize(13);
        assertThat(AdapterState.HALTED.next(AdapterState.Event.INITIALIZE_CALLED)).contains(AdapterState.INITIALIZING);
        assertThat(AdapterState.RUNNING.next(AdapterState.Event.HALT_CALLED)).isEmpty();
        assertThat(AdapterState.PAUSED.next(AdapterState.Event.HALT_CALLED)).contains(AdapterState.HALTED);
        assertThat(AdapterState.HALTED.next(AdapterState.Event.SHUTDOWN_CALLED)).isEmpty();
        for (AdapterState.Event e : AdapterState.Event.values()) {
            assertThat(AdapterState.SHUTDOWN.next(e)).as("Shutdown is terminal").isEmpty();
        }
        assertThat(AdapterState.PAUSING.allowsDataPath()).isTrue();
        assertThat(AdapterState.PAUSED.allowsDataPath()).isFalse();
        assertThat(AdapterState.RESTARTING.allowsOidRequests()).isTrue();
        assertThat(AdapterState.INITIALIZING.allowsOidRequests()).isFalse();
    }

    @Test
    void documentedNdisVersionsAndTheirCharacteristicsRevisions() {
        assertThat(new NdisVersion(6, 30).isDocumented()).isTrue();
        assertThat(new NdisVersion(6, 1).isDocumented()).isTrue();
        assertThat(new NdisVersion(6, 10).isDocumented()).isFalse();
        assertThat(new NdisVersion(5, 1).isDocumented()).isFalse();
        assertThat(new NdisVersion(6, 84).isDocumented()).isFalse();
        assertThat(NdisVersion.NDIS_6_0.maxCharacteristicsRevision()).isEqualTo(1);
        assertThat(new NdisVersion(6, 70).maxCharacteristicsRevision()).isEqualTo(2);
        assertThat(new NdisVersion(6, 83).maxCharacteristicsRevision()).isEqualTo(3);
    }
}

package io.nicup.benchmarks;

import io.nicup.ndis.MacAddress;
import io.nicup.ndis.Ndis;
import io.nicup.ndis.NdisStatus;
import io.nicup.ndis.NdisVersion;
import io.nicup.ndis.adapter.InitParameters;
import io.nicup.ndis.adapter.MiniportAdapterAttributes;
import io.nicup.ndis.adapter.NdisAdapterHandle;
import io.nicup.ndis.config.RegistryPath;
import io.nicup.ndis.driver.DriverObject;
import io.nicup.ndis.driver.MiniportDriverCharacteristics;
import io.nicup.ndis.driver.NdisDriverHandle;
import io.nicup.ndis.oid.MediaConnectState;
import io.nicup.ndis.oid.MediaDuplexState;
import io.nicup.ndis.oid.NdisPacketFilter;
import io.nicup.ndis.oid.NdisPmCapabilities;
import io.nicup.ndis.oid.NdisStatisticsInfo;
import io.nicup.ndis.oid.Oid;

/** DriverEntry and the driver-wide part of a minimal NDIS 6.20 miniport on the 82574L rings. */
final class BenchMiniport {
    private final Fixture fixture;
    private Ndis ndis;
    private NdisDriverHandle driverHandle;
    BenchAdapter adapter;

    BenchMiniport(Fixture fixture) {
        this.fixture = fixture;
    }

    int driverEntry(DriverObject driverObject, RegistryPath registryPath) {
        ndis = driverObject.ndis();
        MiniportDriverCharacteristics<BenchMiniport, BenchAdapter> c = new MiniportDriverCharacteristics<>();
        c.header(MiniportDriverCharacteristics.headerFor(NdisVersion.NDIS_6_20.maxCharacteristicsRevision()))
                .ndisVersion(NdisVersion.NDIS_6_20)
                .majorDriverVersion(1).minorDriverVersion(0)
                .initializeHandlerEx((handle, context, params) -> context.initialize(handle, params))
                .haltHandlerEx((a, action) -> a.halt())
                .unloadHandler(d -> ndis.NdisMDeregisterMiniportDriver(driverHandle))
                .pauseHandler((a, p) -> NdisStatus.SUCCESS)
                .restartHandler((a, p) -> NdisStatus.SUCCESS)
                .oidRequestHandler((a, r) -> NdisStatus.NOT_SUPPORTED)
                .sendNetBufferListsHandler(BenchAdapter::send)
                .returnNetBufferListsHandler(BenchAdapter::returnNetBufferLists)
                .cancelSendHandler((a, id) -> { })
                .devicePnPEventNotifyHandler((a, e) -> { })
                .shutdownHandlerEx((a, action) -> { })
                .cancelOidRequestHandler((a, id) -> { });
        driverHandle = ndis.NdisMRegisterMiniportDriver(driverObject, registryPath, this, c);
        return NdisStatus.SUCCESS;
    }

    int initialize(NdisAdapterHandle handle, InitParameters params) {
        adapter = new BenchAdapter(ndis, handle, fixture);
        int st = ndis.NdisMSetMiniportAttributes(handle, MiniportAdapterAttributes.registration(adapter)
                .attributeFlags(MiniportAdapterAttributes.Registration.HARDWARE_DEVICE)
                .build());
        if (st != NdisStatus.SUCCESS) {
            return st;
        }
        MacAddress mac = MacAddress.parse("02-00-5E-10-00-01");
        st = ndis.NdisMSetMiniportAttributes(handle, MiniportAdapterAttributes.general()
                .mtuSize(1500)
                .linkSpeeds(1_000_000_000L, 1_000_000_000L)
                .mediaConnectState(MediaConnectState.MediaConnectStateConnected)
                .mediaDuplexState(MediaDuplexState.MediaDuplexStateFull)
                .lookaheadSize(1500)
                .supportedPacketFilters(NdisPacketFilter.DIRECTED | NdisPacketFilter.BROADCAST)
                .maxMulticastListSize(32)
                .permanentMacAddress(mac)
                .currentMacAddress(mac)
                .supportedStatistics(NdisStatisticsInfo.VALID_DIRECTED_FRAMES_RCV)
                .supportedOidList(new int[] {Oid.GEN_SUPPORTED_LIST, Oid.GEN_CURRENT_PACKET_FILTER})
                .powerManagementCapabilitiesEx(NdisPmCapabilities.NONE)
                .build());
        if (st != NdisStatus.SUCCESS) {
            return st;
        }
        adapter.setUpRings();
        return NdisStatus.SUCCESS;
    }
}

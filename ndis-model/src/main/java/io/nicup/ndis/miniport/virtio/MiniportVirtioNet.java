package io.nicup.ndis.miniport.virtio;

import io.nicup.ndis.Ndis;
import io.nicup.ndis.NdisHost;
import io.nicup.ndis.NdisStatus;
import io.nicup.ndis.NdisStatusException;
import io.nicup.ndis.NdisVersion;
import io.nicup.ndis.adapter.InitParameters;
import io.nicup.ndis.adapter.MiniportAdapter;
import io.nicup.ndis.adapter.NdisAdapterHandle;
import io.nicup.ndis.config.RegistryPath;
import io.nicup.ndis.driver.DriverObject;
import io.nicup.ndis.driver.MiniportDriverCharacteristics;
import io.nicup.ndis.driver.NdisDriverHandle;
import io.nicup.ndis.miniport.MiniportCatalog;
import io.nicup.ndis.miniport.core.AdapterContexts;
import io.nicup.ndis.miniport.core.InitFailure;
import io.nicup.ndis.miniport.core.LinkWait;
import io.nicup.ndis.miniport.core.NicDriver;
import java.time.Duration;
import java.util.Optional;

/**
 * The virtio-net NDIS 6.30 miniport for the modern (virtio 1.x) PCI transport, 1AF4:1041
 * (0x1040 + virtio device ID 1; docs/hardware-reference.md C.1). Legacy and transitional devices (1AF4:1000) are not
 * driven: the 1.x interface is required (VIRTIO_F_VERSION_1). One {@link VirtioNetAdapter} per adapter.
 * {@link #CATALOG_ENTRY} is its line in {@link io.nicup.ndis.miniport.Miniports#CATALOG}; it is used as
 * every {@link NicDriver} is.
 */
public final class MiniportVirtioNet implements NicDriver {

    public static final String NAME = "virtionet";
    public static final int VENDOR_ID = 0x1AF4;
    /** 0x1040 + 1 (network card), virtio 1.2 4.1.2.1. */
    public static final int DEVICE_ID = 0x1041;
    public static final int MAJOR_DRIVER_VERSION = 1;
    public static final int MINOR_DRIVER_VERSION = 0;

    public static final MiniportCatalog.Entry CATALOG_ENTRY = new MiniportCatalog.Entry(VENDOR_ID, DEVICE_ID,
            "virtio-net", NAME, "virtio-net 1.x network device (modern virtio-pci)", MiniportVirtioNet::new);

    Ndis ndis;
    private NdisDriverHandle driverHandle;
    private final AdapterContexts<VirtioNetAdapter> adapters = new AdapterContexts<>("virtio-net");

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public int driverEntry(DriverObject driverObject, RegistryPath registryPath) {
        ndis = driverObject.ndis();
        MiniportDriverCharacteristics<MiniportVirtioNet, VirtioNetAdapter> c = new MiniportDriverCharacteristics<>();
        c.header(MiniportDriverCharacteristics.headerFor(MiniportDriverCharacteristics.REVISION_2))
                .ndisVersion(NdisVersion.NDIS_6_30)
                .majorDriverVersion(MAJOR_DRIVER_VERSION).minorDriverVersion(MINOR_DRIVER_VERSION)
                .initializeHandlerEx(this::initializeEx)
                .unloadHandler(d -> ndis.NdisMDeregisterMiniportDriver(driverHandle))
                .haltHandlerEx(VirtioNetAdapter::halt)
                .pauseHandler(VirtioNetAdapter::pause)
                .restartHandler(VirtioNetAdapter::restart)
                .oidRequestHandler(VirtioNetAdapter::oidRequest)
                .sendNetBufferListsHandler(VirtioNetAdapter::send)
                .returnNetBufferListsHandler(VirtioNetAdapter::returnNetBufferLists)
                .cancelSendHandler(VirtioNetAdapter::cancelSend)
                .cancelOidRequestHandler(VirtioNetAdapter::cancelOidRequest)
                .devicePnPEventNotifyHandler(VirtioNetAdapter::pnpEvent)
                .shutdownHandlerEx(VirtioNetAdapter::shutdown)
                .checkForHangHandlerEx(VirtioNetAdapter::checkForHang)
                .resetHandlerEx(VirtioNetAdapter::reset);
        try {
            driverHandle = ndis.NdisMRegisterMiniportDriver(driverObject, registryPath, this, c);
        } catch (NdisStatusException e) {
            return e.status();
        }
        return NdisStatus.SUCCESS;
    }

    int initializeEx(NdisAdapterHandle handle, MiniportVirtioNet context, InitParameters params) {
        if (params.deviceIdentity() != null && (params.deviceIdentity().vendorId() != VENDOR_ID
                || params.deviceIdentity().deviceId() != DEVICE_ID)) {
            adapters.failed(params.ifIndex(), new InitFailure("identity",
                    "not a modern virtio-net device (1af4:1041): identity=" + params.deviceIdentity()));
            return NdisStatus.NOT_ACCEPTED;
        }
        VirtioNetAdapter a = new VirtioNetAdapter(this, handle, params);
        return adapters.initialize(params.ifIndex(), a, a::initialize);
    }

    void failed(int ifIndex, InitFailure failure) {
        adapters.failed(ifIndex, failure);
    }

    void adapterHalted(VirtioNetAdapter a) {
        adapters.halted(a.params.ifIndex());
    }

    /** The virtio-net context of an initialized adapter of this driver. */
    public VirtioNetAdapter adapter(MiniportAdapter a) {
        return adapters.of(a);
    }

    @Override
    public Optional<InitFailure> initFailure(MiniportAdapter a) {
        return adapters.initFailure(a);
    }

    /** Waits until virtio_net_config.status shows LINK_UP (immediately without VIRTIO_NET_F_STATUS). */
    @Override
    public boolean awaitLink(NdisHost host, MiniportAdapter adapter, Duration timeout) {
        VirtioNetAdapter a = adapter(adapter);
        return LinkWait.await(host, timeout, a::linkUp);
    }

    @Override
    public VirtioNetDiagnostics diagnostics(NdisHost host, MiniportAdapter adapter) {
        return new VirtioNetDiagnostics(host, adapter, adapter(adapter));
    }
}

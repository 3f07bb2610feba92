package io.nicup.ndis.miniport.i82574;

import io.nicup.ndis.DriverObject;
import io.nicup.ndis.InitParameters;
import io.nicup.ndis.LoadedDriver;
import io.nicup.ndis.MiniportAdapter;
import io.nicup.ndis.MiniportDriverCharacteristics;
import io.nicup.ndis.MiniportDriverEntry;
import io.nicup.ndis.Ndis;
import io.nicup.ndis.NdisAdapterHandle;
import io.nicup.ndis.NdisDriverHandle;
import io.nicup.ndis.NdisHost;
import io.nicup.ndis.NdisStatus;
import io.nicup.ndis.NdisStatusException;
import io.nicup.ndis.NdisVersion;
import io.nicup.ndis.RegistryPath;
import io.nicup.ndis.miniport.MiniportCatalog;
import io.nicup.ndis.miniport.core.AdapterContexts;
import io.nicup.ndis.miniport.core.InitFailure;
import io.nicup.ndis.miniport.core.LinkWait;
import io.nicup.ndis.miniport.core.NicDriver;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * The Intel 82574L NDIS 6.30 miniport driver (8086:10D3): DriverEntry, MiniportSetOptions,
 * MiniportInitializeEx (one {@link E82574Adapter} per adapter) and MiniportDriverUnload.
 *
 * <h2>Bring-up on a PCI function (what the CLI does)</h2>
 * {@snippet :
 * try (NdisHost host = new NdisHost(NdisHost.Options.defaults());
 *      PciDevice pci = VfioPciDevice.open(PciAddress.parse("0000:01:00.0"))) {
 *     Miniport82574 driver = new Miniport82574();
 *     LoadedDriver drv = host.loadDriver(Miniport82574.NAME, driver::driverEntry, RegistryPath.load(paramFile));
 *     FrameEdge edge = new FrameEdge();                          // or any NdisProtocolEdge
 *     MiniportAdapter a = host.addAdapter(drv, pci, edge);       // a.initStatus(): SUCCESS or the failure
 *     E82574Adapter nic = driver.adapter(a);                     // the 82574L view: diagnostics, registers
 *     FrameEdge.setPacketFilter(host, a, NdisPacketFilter.DIRECTED | NdisPacketFilter.BROADCAST);
 *     host.restart(a);
 *     driver.awaitLink(host, a, Duration.ofSeconds(5));
 *     FrameEdge.send(host, a, host.allocateSendPool(a, 64, 2048), List.of(frame));
 *     host.pause(a); host.halt(a, HaltAction.NdisHaltDeviceDisabled); host.unloadDriver(drv);
 * }
 * }
 * {@link #CATALOG_ENTRY} is its line in {@link io.nicup.ndis.miniport.Miniports#CATALOG}.
 */
public final class Miniport82574 implements NicDriver {

    /** Driver name in traces. */
    public static final String NAME = "e82574";
    public static final int VENDOR_ID = 0x8086;
    /** {@code E1000_DEV_ID_82574L} (reference B.1). */
    public static final int DEVICE_ID = 0x10D3;
    public static final int MAJOR_DRIVER_VERSION = 1;
    public static final int MINOR_DRIVER_VERSION = 0;

    /** This driver's line in {@link io.nicup.ndis.miniport.Miniports#CATALOG}. */
    public static final MiniportCatalog.Entry CATALOG_ENTRY = new MiniportCatalog.Entry(VENDOR_ID, DEVICE_ID, "82574L",
            NAME, "Intel 82574L Gigabit Ethernet (e1000e)", Miniport82574::new);

    Ndis ndis;
    private NdisDriverHandle driverHandle;
    private final AdapterContexts<E82574Adapter> adapters = new AdapterContexts<>("82574L");
    int setOptionsCalls;

    @Override
    public String name() {
        return NAME;
    }

    /** DriverEntry (the {@link MiniportDriverEntry} of this driver). */
    @Override
    public int driverEntry(DriverObject driverObject, RegistryPath registryPath) {
        ndis = driverObject.ndis();
        MiniportDriverCharacteristics<Miniport82574, E82574Adapter> c = new MiniportDriverCharacteristics<>();
        c.header(MiniportDriverCharacteristics.headerFor(MiniportDriverCharacteristics.REVISION_2))
                .ndisVersion(NdisVersion.NDIS_6_30)
                .majorDriverVersion(MAJOR_DRIVER_VERSION).minorDriverVersion(MINOR_DRIVER_VERSION)
                .setOptionsHandler(this::setOptions)
                .initializeHandlerEx(this::initializeEx)
                .unloadHandler(this::unload)
                .haltHandlerEx(E82574Adapter::halt)
                .pauseHandler(E82574Adapter::pause)
                .restartHandler(E82574Adapter::restart)
                .oidRequestHandler(E82574Adapter::oidRequest)
                .sendNetBufferListsHandler(E82574Adapter::send)
                .returnNetBufferListsHandler(E82574Adapter::returnNetBufferLists)
                .cancelSendHandler(E82574Adapter::cancelSend)
                .cancelOidRequestHandler(E82574Adapter::cancelOidRequest)
                .devicePnPEventNotifyHandler(E82574Adapter::pnpEvent)
                .shutdownHandlerEx(E82574Adapter::shutdown)
                .checkForHangHandlerEx(E82574Adapter::checkForHang)
                .resetHandlerEx(E82574Adapter::reset);
        try {
            driverHandle = ndis.NdisMRegisterMiniportDriver(driverObject, registryPath, this, c);
        } catch (NdisStatusException e) {
            return e.status();
        }
        return NdisStatus.SUCCESS;
    }

    /** MiniportSetOptions: no optional services (no co-installer, no hardware offloads). */
    int setOptions(NdisDriverHandle handle, Miniport82574 context) {
        setOptionsCalls++;
        return NdisStatus.SUCCESS;
    }

    int initializeEx(NdisAdapterHandle handle, Miniport82574 context, InitParameters params) {
        if (params.deviceIdentity() != null && (params.deviceIdentity().vendorId() != VENDOR_ID
                || params.deviceIdentity().deviceId() != DEVICE_ID)) {
            adapters.failed(params.ifIndex(), new InitFailure("identity", "not an 82574L: identity="
                    + params.deviceIdentity()));
            return NdisStatus.NOT_ACCEPTED;
        }
        E82574Adapter a = new E82574Adapter(this, handle, params);
        return adapters.initialize(params.ifIndex(), a, a::initialize);
    }

    /** MiniportInitializeEx (or a later reset or halt) of {@code ifIndex} failed on the hardware. */
    void failed(int ifIndex, InitFailure failure) {
        adapters.failed(ifIndex, failure);
    }

    void adapterHalted(E82574Adapter a) {
        adapters.halted(a.params.ifIndex());
    }

    /** MiniportDriverUnload. */
    void unload(DriverObject driverObject) {
        ndis.NdisMDeregisterMiniportDriver(driverHandle);
    }

    // ---- public API for the CLI ------------------------------------------------------------------

    /** The 82574L context of an initialized adapter of this driver. */
    public E82574Adapter adapter(MiniportAdapter a) {
        return adapters.of(a);
    }

    /** Why the last MiniportInitializeEx of {@code a} failed on the hardware (timeouts, NVM, PHY). */
    @Override
    public Optional<InitFailure> initFailure(MiniportAdapter a) {
        return adapters.initFailure(a);
    }

    /** Loads this driver into {@code host}. */
    public static LoadedDriver load(NdisHost host, Miniport82574 driver, RegistryPath registryPath) {
        return host.loadDriver(NAME, driver::driverEntry, registryPath);
    }

    /**
     * Waits until STATUS.LU is set (device-clock time, running NDIS timers and polled interrupts
     * meanwhile): the link test of {@code ethtool -t} and what to do before sending after a restart.
     */
    @Override
    public boolean awaitLink(NdisHost host, MiniportAdapter adapter, Duration timeout) {
        return awaitLinkUp(host, adapter, timeout);
    }

    @Override
    public E82574Diagnostics diagnostics(NdisHost host, MiniportAdapter adapter) {
        return E82574Diagnostics.of(host, this, adapter);
    }

    /** {@link #awaitLink} for callers without a driver instance. */
    public static boolean awaitLinkUp(NdisHost host, MiniportAdapter a, Duration timeout) {
        return LinkWait.await(host, timeout, () -> (a.device().bar(0).read32(Regs82574.STATUS) & Status.LU) != 0);
    }

    /** @return the driver entry for {@code host.loadDriver}. */
    public MiniportDriverEntry entry() {
        return this::driverEntry;
    }
}

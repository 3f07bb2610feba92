package io.nicup.ndis.miniport.i82576;

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
 * The Intel 82576 NDIS 6.30 miniport driver (8086:10C9, {@code E1000_DEV_ID_82576}, the copper function
 * QEMU's {@code igb} presents; Linux igb's other 82576 IDs are fiber, SerDes and quad-port variants this
 * driver does not model): DriverEntry, MiniportSetOptions, MiniportInitializeEx (one {@link E82576Adapter}
 * per adapter) and MiniportDriverUnload. The NDIS side is the 82574L miniport's; the chip side is the
 * 82576's (advanced descriptors, queue enables, EICR/IVAR interrupts).
 *
 * <h2>Bring-up on a PCI function (what the CLI does)</h2>
 * {@snippet :
 * try (NdisHost host = new NdisHost(NdisHost.Options.defaults());
 *      PciDevice pci = VfioPciDevice.open(PciAddress.parse("0000:01:00.0"))) {
 *     Miniport82576 driver = new Miniport82576();
 *     LoadedDriver drv = host.loadDriver(Miniport82576.NAME, driver::driverEntry, RegistryPath.load(paramFile));
 *     FrameEdge edge = new FrameEdge();                          // or any NdisProtocolEdge
 *     MiniportAdapter a = host.addAdapter(drv, pci, edge);       // a.initStatus(): SUCCESS or the failure
 *     E82576Adapter nic = driver.adapter(a);                     // the 82576 view: diagnostics, registers
 *     FrameEdge.setPacketFilter(host, a, NdisPacketFilter.DIRECTED | NdisPacketFilter.BROADCAST);
 *     host.restart(a);
 *     driver.awaitLink(host, a, Duration.ofSeconds(5));
 *     FrameEdge.send(host, a, host.allocateSendPool(a, 64, 2048), List.of(frame));
 *     host.pause(a); host.halt(a, HaltAction.NdisHaltDeviceDisabled); host.unloadDriver(drv);
 * }
 * }
 * {@link #CATALOG_ENTRY} is its line in {@link io.nicup.ndis.miniport.Miniports#CATALOG}.
 */
public final class Miniport82576 implements NicDriver {

    /** Driver name in traces. */
    public static final String NAME = "e82576";
    public static final int VENDOR_ID = 0x8086;
    /** {@code E1000_DEV_ID_82576} (Linux igb e1000_hw.h; QEMU {@code E1000_DEV_ID_82576}). */
    public static final int DEVICE_ID = 0x10C9;
    public static final int MAJOR_DRIVER_VERSION = 1;
    public static final int MINOR_DRIVER_VERSION = 0;

    /** This driver's line in {@link io.nicup.ndis.miniport.Miniports#CATALOG}. */
    public static final MiniportCatalog.Entry CATALOG_ENTRY = new MiniportCatalog.Entry(VENDOR_ID, DEVICE_ID, "82576",
            NAME, "Intel 82576 Gigabit Ethernet (igb)", Miniport82576::new);

    Ndis ndis;
    private NdisDriverHandle driverHandle;
    private final AdapterContexts<E82576Adapter> adapters = new AdapterContexts<>("82576");
    int setOptionsCalls;

    @Override
    public String name() {
        return NAME;
    }

    /** DriverEntry (the {@link MiniportDriverEntry} of this driver). */
    @Override
    public int driverEntry(DriverObject driverObject, RegistryPath registryPath) {
        ndis = driverObject.ndis();
        MiniportDriverCharacteristics<Miniport82576, E82576Adapter> c = new MiniportDriverCharacteristics<>();
        c.header(MiniportDriverCharacteristics.headerFor(MiniportDriverCharacteristics.REVISION_2))
                .ndisVersion(NdisVersion.NDIS_6_30)
                .majorDriverVersion(MAJOR_DRIVER_VERSION).minorDriverVersion(MINOR_DRIVER_VERSION)
                .setOptionsHandler(this::setOptions)
                .initializeHandlerEx(this::initializeEx)
                .unloadHandler(this::unload)
                .haltHandlerEx(E82576Adapter::halt)
                .pauseHandler(E82576Adapter::pause)
                .restartHandler(E82576Adapter::restart)
                .oidRequestHandler(E82576Adapter::oidRequest)
                .sendNetBufferListsHandler(E82576Adapter::send)
                .returnNetBufferListsHandler(E82576Adapter::returnNetBufferLists)
                .cancelSendHandler(E82576Adapter::cancelSend)
                .cancelOidRequestHandler(E82576Adapter::cancelOidRequest)
                .devicePnPEventNotifyHandler(E82576Adapter::pnpEvent)
                .shutdownHandlerEx(E82576Adapter::shutdown)
                .checkForHangHandlerEx(E82576Adapter::checkForHang)
                .resetHandlerEx(E82576Adapter::reset);
        try {
            driverHandle = ndis.NdisMRegisterMiniportDriver(driverObject, registryPath, this, c);
        } catch (NdisStatusException e) {
            return e.status();
        }
        return NdisStatus.SUCCESS;
    }

    /** MiniportSetOptions: no optional services (no co-installer, no hardware offloads). */
    int setOptions(NdisDriverHandle handle, Miniport82576 context) {
        setOptionsCalls++;
        return NdisStatus.SUCCESS;
    }

    int initializeEx(NdisAdapterHandle handle, Miniport82576 context, InitParameters params) {
        if (params.deviceIdentity() != null && (params.deviceIdentity().vendorId() != VENDOR_ID
                || params.deviceIdentity().deviceId() != DEVICE_ID)) {
            adapters.failed(params.ifIndex(), new InitFailure("identity", "not an 82576: identity="
                    + params.deviceIdentity()));
            return NdisStatus.NOT_ACCEPTED;
        }
        E82576Adapter a = new E82576Adapter(this, handle, params);
        return adapters.initialize(params.ifIndex(), a, a::initialize);
    }

    /** MiniportInitializeEx (or a later reset or halt) of {@code ifIndex} failed on the hardware. */
    void failed(int ifIndex, InitFailure failure) {
        adapters.failed(ifIndex, failure);
    }

    void adapterHalted(E82576Adapter a) {
        adapters.halted(a.params.ifIndex());
    }

    /** MiniportDriverUnload. */
    void unload(DriverObject driverObject) {
        ndis.NdisMDeregisterMiniportDriver(driverHandle);
    }

    // ---- public API for the CLI ------------------------------------------------------------------

    /** The 82576 context of an initialized adapter of this driver. */
    public E82576Adapter adapter(MiniportAdapter a) {
        return adapters.of(a);
    }

    /** Why the last MiniportInitializeEx of {@code a} failed on the hardware (timeouts, NVM, PHY). */
    @Override
    public Optional<InitFailure> initFailure(MiniportAdapter a) {
        return adapters.initFailure(a);
    }

    /** Loads this driver into {@code host}. */
    public static LoadedDriver load(NdisHost host, Miniport82576 driver, RegistryPath registryPath) {
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
    public E82576Diagnostics diagnostics(NdisHost host, MiniportAdapter adapter) {
        return E82576Diagnostics.of(host, this, adapter);
    }

    /** {@link #awaitLink} for callers without a driver instance. */
    public static boolean awaitLinkUp(NdisHost host, MiniportAdapter a, Duration timeout) {
        return LinkWait.await(host, timeout, () -> (a.device().bar(0).read32(Regs82576.STATUS) & Status.LU) != 0);
    }

    /** @return the driver entry for {@code host.loadDriver}. */
    public MiniportDriverEntry entry() {
        return this::driverEntry;
    }
}

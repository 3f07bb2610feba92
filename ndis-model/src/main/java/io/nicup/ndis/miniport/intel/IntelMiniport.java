package io.nicup.ndis.miniport.intel;

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
import io.nicup.ndis.driver.LoadedDriver;
import io.nicup.ndis.driver.MiniportDriverCharacteristics;
import io.nicup.ndis.driver.MiniportDriverEntry;
import io.nicup.ndis.driver.NdisDriverHandle;
import io.nicup.ndis.miniport.core.AdapterContexts;
import io.nicup.ndis.miniport.core.InitFailure;
import io.nicup.ndis.miniport.core.LinkWait;
import io.nicup.ndis.miniport.core.NicDriver;
import io.nicup.ndis.miniport.core.NvmImage;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The NDIS 6.30 miniport driver of an Intel gigabit chip: DriverEntry with the characteristics,
 * MiniportSetOptions, MiniportInitializeEx (one {@link IntelAdapter} per adapter over the chip's
 * {@link IntelChip}) and MiniportDriverUnload. What differs between chips is the
 * {@link IntelChipProfile}; each chip package names its driver ({@code Miniport82574}) and its
 * diagnostics.
 *
 * @param <C> the chip profile of the adapters
 */
public abstract class IntelMiniport<C extends IntelChip> implements NicDriver {

    public static final int MAJOR_DRIVER_VERSION = 1;
    public static final int MINOR_DRIVER_VERSION = 0;

    private final IntelChipProfile<C> profile;
    private final AdapterContexts<IntelAdapter<C>> adapters;
    /** Per ifIndex: the NVM image its last MiniportInitializeEx refused (see {@link #nvmAtInitFailure}). */
    private final Map<Integer, NvmImage> refusedNvm = new ConcurrentHashMap<>();
    Ndis ndis;
    private NdisDriverHandle driverHandle;
    private int setOptionsCalls;

    protected IntelMiniport(IntelChipProfile<C> profile) {
        this.profile = profile;
        this.adapters = new AdapterContexts<>(profile.model());
    }

    public IntelChipProfile<C> profile() {
        return profile;
    }

    @Override
    public String name() {
        return profile.name();
    }

    /** DriverEntry (the {@link MiniportDriverEntry} of this driver). */
    @Override
    public int driverEntry(DriverObject driverObject, RegistryPath registryPath) {
        ndis = driverObject.ndis();
        MiniportDriverCharacteristics<IntelMiniport<C>, IntelAdapter<C>> c = new MiniportDriverCharacteristics<>();
        c.header(MiniportDriverCharacteristics.headerFor(MiniportDriverCharacteristics.REVISION_2))
                .ndisVersion(NdisVersion.NDIS_6_30)
                .majorDriverVersion(MAJOR_DRIVER_VERSION).minorDriverVersion(MINOR_DRIVER_VERSION)
                .setOptionsHandler(this::setOptions)
                .initializeHandlerEx(this::initializeEx)
                .unloadHandler(this::unload)
                .haltHandlerEx(IntelAdapter::halt)
                .pauseHandler(IntelAdapter::pause)
                .restartHandler(IntelAdapter::restart)
                .oidRequestHandler(IntelAdapter::oidRequest)
                .sendNetBufferListsHandler(IntelAdapter::send)
                .returnNetBufferListsHandler(IntelAdapter::returnNetBufferLists)
                .cancelSendHandler(IntelAdapter::cancelSend)
                .cancelOidRequestHandler(IntelAdapter::cancelOidRequest)
                .devicePnPEventNotifyHandler(IntelAdapter::pnpEvent)
                .shutdownHandlerEx(IntelAdapter::shutdown)
                .checkForHangHandlerEx(IntelAdapter::checkForHang)
                .resetHandlerEx(IntelAdapter::reset);
        try {
            driverHandle = ndis.NdisMRegisterMiniportDriver(driverObject, registryPath, this, c);
        } catch (NdisStatusException e) {
            return e.status();
        }
        return NdisStatus.SUCCESS;
    }

    /** MiniportSetOptions: no optional services (no co-installer, no hardware offloads). */
    int setOptions(NdisDriverHandle handle, IntelMiniport<C> context) {
        setOptionsCalls++;
        return NdisStatus.SUCCESS;
    }

    int initializeEx(NdisAdapterHandle handle, IntelMiniport<C> context, InitParameters params) {
        if (params.deviceIdentity() != null && (params.deviceIdentity().vendorId() != profile.vendorId()
                || params.deviceIdentity().deviceId() != profile.deviceId())) {
            adapters.failed(params.ifIndex(), new InitFailure("identity", "not an " + profile.model() + ": identity="
                    + params.deviceIdentity()));
            return NdisStatus.NOT_ACCEPTED;
        }
        refusedNvm.remove(params.ifIndex());
        IntelAdapter<C> a = new IntelAdapter<>(this, handle, params);
        return adapters.initialize(params.ifIndex(), a, a::initialize);
    }

    /** MiniportInitializeEx (or a later reset or halt) of {@code ifIndex} failed on the hardware. */
    void failed(int ifIndex, InitFailure failure) {
        adapters.failed(ifIndex, failure);
    }

    /** MiniportInitializeEx of {@code ifIndex} refused this NVM image (its checksum). */
    void refusedNvm(int ifIndex, NvmImage image) {
        refusedNvm.put(ifIndex, image);
    }

    void adapterHalted(IntelAdapter<C> a) {
        adapters.halted(a.params.ifIndex());
    }

    /** MiniportDriverUnload. */
    void unload(DriverObject driverObject) {
        ndis.NdisMDeregisterMiniportDriver(driverHandle);
    }

    // ---- public API for the CLI ------------------------------------------------------------------

    /** How often NDIS called MiniportSetOptions (once per registration). */
    public int setOptionsCalls() {
        return setOptionsCalls;
    }

    /** The context of an initialized adapter of this driver. */
    public IntelAdapter<C> adapter(MiniportAdapter a) {
        return adapters.of(a);
    }

    /** Why the last MiniportInitializeEx of {@code a} failed on the hardware (timeouts, NVM, PHY). */
    @Override
    public Optional<InitFailure> initFailure(MiniportAdapter a) {
        return adapters.initFailure(a);
    }

    /** The NVM image the last MiniportInitializeEx of {@code a} refused, if it refused one. */
    @Override
    public Optional<NvmImage> nvmAtInitFailure(MiniportAdapter a) {
        return initFailure(a).isPresent() ? Optional.ofNullable(refusedNvm.get(a.ifIndex())) : Optional.empty();
    }

    /** Loads {@code driver} into {@code host}. */
    public static LoadedDriver load(NdisHost host, IntelMiniport<?> driver, RegistryPath registryPath) {
        return host.loadDriver(driver.name(), driver::driverEntry, registryPath);
    }

    /**
     * Waits until STATUS.LU is set (device-clock time, running NDIS timers and polled interrupts
     * meanwhile): the link test of {@code ethtool -t} and what to do before sending after a restart.
     */
    @Override
    public boolean awaitLink(NdisHost host, MiniportAdapter adapter, Duration timeout) {
        return awaitLinkUp(profile, host, adapter, timeout);
    }

    /** {@link #awaitLink} for callers without a driver instance. */
    public static boolean awaitLinkUp(IntelChipProfile<?> profile, NdisHost host, MiniportAdapter a, Duration timeout) {
        return LinkWait.await(host, timeout,
                () -> (a.device().bar(0).read32(profile.statusRegister()) & profile.linkUpBit()) != 0);
    }

    /** @return the driver entry for {@code host.loadDriver}. */
    public MiniportDriverEntry entry() {
        return this::driverEntry;
    }
}

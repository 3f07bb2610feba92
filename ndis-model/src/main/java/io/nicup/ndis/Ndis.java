package io.nicup.ndis;

import io.nicup.vfio.DeviceAccessException;
import io.nicup.vfio.DeviceClock;
import io.nicup.vfio.DmaRegion;
import io.nicup.vfio.InterruptMode;
import io.nicup.vfio.InterruptSet;
import io.nicup.vfio.RegisterSpace;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import java.util.function.IntSupplier;
import java.util.function.Supplier;

/**
 * The NDIS library as a miniport sees it: every NdisM* and Ndis* function a NIC driver calls, under its DDI
 * name. A miniport reaches it through {@link DriverObject#ndis()} in DriverEntry. See the package
 * documentation for the sequence of calls a miniport makes.
 *
 * <p>Conventions:
 * <ul>
 * <li>A C function that returns only an NDIS_STATUS returns it as an {@code int}.</li>
 * <li>A C function that returns a status together with an out-parameter (a handle, an address) returns
 *     the out-value and throws {@link NdisStatusException} carrying the status when it fails.</li>
 * <li>A call that breaks a {@link Rule} is reported to the {@link Verifier} and rejected with the
 *     status the rule names (NDIS_STATUS_FAILURE where it names none); in {@link VerifierMode#STRICT}
 *     the report throws {@link NdisVerifierException} instead.</li>
 * <li>The data-path calls ({@link #NdisMSendNetBufferListsComplete},
 *     {@link #NdisMIndicateReceiveNetBufferLists}) allocate nothing, log nothing and throw nothing unless
 *     a rule is broken; they update counters that the trace reports.</li>
 * </ul>
 */
public final class Ndis {

    private static final long SHARED_MEMORY_ALIGNMENT = 4096;

    private final NdisHost host;

    Ndis(NdisHost host) {
        this.host = host;
    }

    /** Failures to inject into NDIS calls (Driver Verifier's low-resources simulation). */
    public FaultInjection faults() {
        return host.faults;
    }

    // ------------------------------------------------------------------------------------------------
    // Driver registration (ndis-miniport.md §1, §4)
    // ------------------------------------------------------------------------------------------------

    /**
     * NdisMRegisterMiniportDriver: validates the characteristics, copies them, calls
     * MiniportSetOptions (inside this call) and returns the driver handle.
     *
     * @throws NdisStatusException BAD_VERSION, BAD_CHARACTERISTICS, RESOURCES, FAILURE, or the failure
     *     status of MiniportSetOptions
     */
    public <D, A> NdisDriverHandle NdisMRegisterMiniportDriver(DriverObject driverObject, RegistryPath registryPath,
            D miniportDriverContext, MiniportDriverCharacteristics<D, A> characteristics) {
        LoadedDriver driver = host.driverOf(driverObject);
        Map<String, String> detail = Map.of("ndis_version", characteristics.ndisVersion().toString(),
                "header", characteristics.header().toString(), "driver_version",
                characteristics.majorDriverVersion() + "." + characteristics.minorDriverVersion());
        return handleCall(NdisCall.NdisMRegisterMiniportDriver, driver.name(), "", detail, () -> {
            int status = register(driver, miniportDriverContext, characteristics);
            if (status != NdisStatus.SUCCESS) {
                throw new NdisStatusException(NdisCall.NdisMRegisterMiniportDriver, status, "driver=" + driver.name());
            }
            return driver.handle;
        });
    }

    @SuppressWarnings("unchecked")
    private int register(LoadedDriver driver, Object context, MiniportDriverCharacteristics<?, ?> given) {
        if (driver.phase != LoadedDriver.Phase.LOADING || driver.registered || driver.registering) {
            return reject(driver, Rule.DRV_REGISTER_ONCE, NdisStatus.FAILURE,
                    "phase=" + driver.phase + " registered=" + driver.registered);
        }
        int fault = host.faults.check(NdisCall.NdisMRegisterMiniportDriver);
        if (fault != NdisStatus.SUCCESS) {
            return fault;
        }
        MiniportDriverCharacteristics<Object, Object> c = (MiniportDriverCharacteristics<Object, Object>) given.copy();
        NdisVersion version = c.ndisVersion();
        if (!version.isDocumented()) {
            return reject(driver, Rule.DRV_VERSION, NdisStatus.BAD_VERSION, "ndis_version=" + version);
        }
        NdisObjectHeader h = c.header();
        int maxRevision = version.maxCharacteristicsRevision();
        int expectedSize = MiniportDriverCharacteristics.sizeOfRevision(h.revision());
        if (h.type() != NdisObjectHeader.NDIS_OBJECT_TYPE_MINIPORT_DRIVER_CHARACTERISTICS || expectedSize < 0
                || h.revision() > maxRevision || h.size() != expectedSize) {
            return reject(driver, Rule.DRV_HEADER, NdisStatus.BAD_CHARACTERISTICS, "header=" + h + " ndis_version="
                    + version + " max_revision=" + maxRevision + " expected_size=" + expectedSize);
        }
        int knownFlags = MiniportDriverCharacteristics.NDIS_INTERMEDIATE_DRIVER
                | MiniportDriverCharacteristics.NDIS_WDM_DRIVER;
        boolean intermediate = (c.flags() & MiniportDriverCharacteristics.NDIS_INTERMEDIATE_DRIVER) != 0;
        if ((c.flags() & ~knownFlags) != 0 || (intermediate && c.checkForHangHandlerEx() != null)) {
            return reject(driver, Rule.DRV_FLAGS, NdisStatus.BAD_CHARACTERISTICS, String.format("flags=0x%X", c.flags())
                    + " check_for_hang=" + (c.checkForHangHandlerEx() != null));
        }
        List<String> beyond = new ArrayList<>();
        if (h.revision() < MiniportDriverCharacteristics.REVISION_2) {
            addIfSet(beyond, "DirectOidRequestHandler", c.directOidRequestHandler());
            addIfSet(beyond, "CancelDirectOidRequestHandler", c.cancelDirectOidRequestHandler());
        }
        if (h.revision() < MiniportDriverCharacteristics.REVISION_3) {
            addIfSet(beyond, "SynchronousOidRequestHandler", c.synchronousOidRequestHandler());
        }
        if (!beyond.isEmpty()) {
            return reject(driver, Rule.DRV_HANDLER_BEYOND_REVISION, NdisStatus.BAD_CHARACTERISTICS,
                    "revision=" + h.revision() + " handlers=" + beyond);
        }
        List<String> missing = new ArrayList<>();
        addIfMissing(missing, "InitializeHandlerEx", c.initializeHandlerEx());
        addIfMissing(missing, "HaltHandlerEx", c.haltHandlerEx());
        addIfMissing(missing, "UnloadHandler", c.unloadHandler());
        addIfMissing(missing, "PauseHandler", c.pauseHandler());
        addIfMissing(missing, "RestartHandler", c.restartHandler());
        addIfMissing(missing, "OidRequestHandler", c.oidRequestHandler());
        addIfMissing(missing, "SendNetBufferListsHandler", c.sendNetBufferListsHandler());
        addIfMissing(missing, "ReturnNetBufferListsHandler", c.returnNetBufferListsHandler());
        addIfMissing(missing, "CancelSendHandler", c.cancelSendHandler());
        addIfMissing(missing, "DevicePnPEventNotifyHandler", c.devicePnPEventNotifyHandler());
        addIfMissing(missing, "ShutdownHandlerEx", c.shutdownHandlerEx());
        addIfMissing(missing, "CancelOidRequestHandler", c.cancelOidRequestHandler());
        if (!missing.isEmpty()) {
            return reject(driver, Rule.DRV_REQUIRED_HANDLER, NdisStatus.BAD_CHARACTERISTICS, "missing=" + missing);
        }
        if ((c.directOidRequestHandler() == null) != (c.cancelDirectOidRequestHandler() == null)) {
            return reject(driver, Rule.DRV_DIRECT_OID_PAIR, NdisStatus.BAD_CHARACTERISTICS,
                    "direct=" + (c.directOidRequestHandler() != null) + " cancel_direct="
                            + (c.cancelDirectOidRequestHandler() != null));
        }
        if (c.checkForHangHandlerEx() != null && c.resetHandlerEx() == null) {
            return reject(driver, Rule.DRV_RESET_WITH_CHECK_FOR_HANG, NdisStatus.BAD_CHARACTERISTICS,
                    "check_for_hang=set reset=missing");
        }
        driver.characteristics = c;
        driver.driverContext = context;
        driver.handle = new NdisDriverHandle(driver);
        driver.registering = true;
        boolean ok = false;
        try {
            MiniportSetOptions<Object> setOptions = c.setOptionsHandler();
            if (setOptions != null) {
                int status = host.invokeStatus(NdisCall.MiniportSetOptions, driver, null, Map.of(),
                        () -> setOptions.setOptions(driver.handle, context));
                if (status != NdisStatus.SUCCESS) {
                    // nicup's choice (UNCONFIRMED in the DDI): a failing SetOptions fails the registration.
                    return NdisStatus.isError(status) ? status : NdisStatus.FAILURE;
                }
            }
            ok = true;
        } finally {
            driver.registering = false;
            if (!ok) {
                driver.characteristics = null;
                driver.driverContext = null;
                driver.handle = null;
            }
        }
        driver.registered = true;
        return NdisStatus.SUCCESS;
    }

    private static void addIfSet(List<String> names, String name, Object handler) {
        if (handler != null) {
            names.add(name);
        }
    }

    private static void addIfMissing(List<String> names, String name, Object handler) {
        if (handler == null) {
            names.add(name);
        }
    }

    /**
     * NdisMDeregisterMiniportDriver: releases what registration allocated. Exactly once; from DriverEntry
     * when DriverEntry fails after registering, otherwise from MiniportDriverUnload.
     */
    public void NdisMDeregisterMiniportDriver(NdisDriverHandle ndisMiniportDriverHandle) {
        if (ndisMiniportDriverHandle == null) {
            throw new NdisException("call=NdisMDeregisterMiniportDriver handle=null");
        }
        LoadedDriver driver = ndisMiniportDriverHandle.driver;
        statusCall(NdisCall.NdisMDeregisterMiniportDriver, driver.name(), "", Map.of(), () -> {
            if (driver.deregistered) {
                return reject(driver, Rule.DRV_DEREGISTER_ONCE, NdisStatus.FAILURE, "already=deregistered");
            }
            boolean fromEntry = driver.phase == LoadedDriver.Phase.LOADING && !driver.registering;
            if (!fromEntry && driver.phase != LoadedDriver.Phase.UNLOADING) {
                return reject(driver, Rule.DRV_DEREGISTER_CONTEXT, NdisStatus.FAILURE, "phase=" + driver.phase
                        + (driver.registering ? " inside=MiniportSetOptions" : ""));
            }
            for (MiniportAdapter a : driver.adapters) {
                if (a.state() != AdapterState.HALTED && a.state() != AdapterState.SHUTDOWN) {
                    return reject(driver, Rule.DRV_DEREGISTER_CONTEXT, NdisStatus.FAILURE,
                            "adapter=" + a.name() + " state=" + a.state());
                }
            }
            driver.deregistered = true;
            return NdisStatus.SUCCESS;
        });
    }

    // ------------------------------------------------------------------------------------------------
    // Configuration (the registry path)
    // ------------------------------------------------------------------------------------------------

    /** NdisOpenConfigurationEx for an adapter: its section of the registry path, then {@code [*]}. */
    public NdisConfiguration NdisOpenConfigurationEx(NdisAdapterHandle miniportAdapterHandle) {
        return adapterHandleCall(NdisCall.NdisOpenConfigurationEx, miniportAdapterHandle, Map.of(), a -> {
            injected(NdisCall.NdisOpenConfigurationEx);
            NdisConfiguration cfg = new NdisConfiguration(a.driver().registryPath.store(), a.device().address(), a,
                    a.driver());
            cfg.entry = acquire(a, ResourceLedger.Kind.CONFIGURATION, "Configuration(" + cfg.store.source() + ")",
                    () -> cfg.closed = true);
            return cfg;
        });
    }

    /**
     * NdisReadConfiguration: the keyword's value for this adapter, validated against the keyword's
     * definition. A value outside it is reported (trace, {@link NdisHost#parameterProblems()}) and the
     * default is used, as NDIS drivers do.
     */
    public ParameterValue NdisReadConfiguration(NdisConfiguration configurationHandle, Keyword keyword) {
        NdisConfiguration cfg = configurationHandle;
        if (cfg.closed) {
            throw new NdisException("call=NdisReadConfiguration configuration handle already closed: keyword="
                    + keyword.name());
        }
        Optional<String> raw = cfg.store.lookup(cfg.adapterAddress, keyword.name());
        ParameterValue value;
        if (raw.isEmpty()) {
            value = new ParameterValue(keyword, NdisStatus.FAILURE, ParameterValue.Source.ABSENT, null,
                    keyword.defaultValue(), null);
        } else {
            String problem = keyword.problemWith(raw.get());
            value = problem == null
                    ? new ParameterValue(keyword, NdisStatus.SUCCESS, ParameterValue.Source.CONFIGURED, raw.get(),
                            raw.get().trim(), null)
                    : new ParameterValue(keyword, NdisStatus.INVALID_DATA, ParameterValue.Source.BAD_VALUE, raw.get(),
                            keyword.defaultValue(), problem);
        }
        Map<String, String> detail = new LinkedHashMap<>();
        detail.put("source", value.source().name().toLowerCase(java.util.Locale.ROOT));
        detail.put("value", String.valueOf(value.value()));
        if (value.problem() != null) {
            detail.put("configured", value.raw());
            detail.put("problem", value.problem());
        }
        host.trace.instant(NdisTrace.Kind.CONFIG, NdisTrace.Direction.MINIPORT_TO_NDIS, keyword.name(),
                cfg.driver.name(), cfg.adapter.name(), value.status(), detail);
        if (value.source() == ParameterValue.Source.BAD_VALUE) {
            host.parameterProblem(value);
        }
        return value;
    }

    /** NdisReadNetworkAddress: the NetworkAddress keyword; status FAILURE when absent or invalid. */
    public ParameterValue NdisReadNetworkAddress(NdisConfiguration configurationHandle) {
        return NdisReadConfiguration(configurationHandle, StandardKeywords.NETWORK_ADDRESS);
    }

    public void NdisCloseConfiguration(NdisConfiguration configurationHandle) {
        NdisConfiguration cfg = configurationHandle;
        adapterStatusCall(NdisCall.NdisCloseConfiguration, cfg.adapter.handle, Map.of(), a -> {
            if (release(a, cfg.entry, NdisCall.NdisCloseConfiguration)) {
                cfg.closed = true;
                return NdisStatus.SUCCESS;
            }
            return NdisStatus.FAILURE;
        });
    }

    // ------------------------------------------------------------------------------------------------
    // Attributes (ndis-miniport.md §2)
    // ------------------------------------------------------------------------------------------------

    /**
     * NdisMSetMiniportAttributes: registration attributes first, then general attributes, only inside
     * MiniportInitializeEx.
     *
     * @return SUCCESS; BAD_VERSION for an unsupported header; INVALID_PARAMETER for incomplete general
     *     attributes; FAILURE for a call out of order
     */
    public int NdisMSetMiniportAttributes(NdisAdapterHandle miniportAdapterHandle, MiniportAdapterAttributes attributes) {
        Map<String, String> detail = Map.of("attributes", attributes instanceof MiniportAdapterAttributes.Registration
                ? "registration" : "general");
        return adapterStatusCall(NdisCall.NdisMSetMiniportAttributes, miniportAdapterHandle, detail,
                a -> setAttributes(a, attributes));
    }

    private int setAttributes(MiniportAdapter a, MiniportAdapterAttributes attributes) {
        if (!a.inInitialize) {
            return reject(a, Rule.ATTR_ONLY_DURING_INITIALIZE, NdisStatus.FAILURE, "state=" + a.state());
        }
        NdisObjectHeader h = attributes.header();
        switch (attributes) {
            case MiniportAdapterAttributes.Registration r -> {
                if (h.type() != NdisObjectHeader.NDIS_OBJECT_TYPE_MINIPORT_ADAPTER_REGISTRATION_ATTRIBUTES
                        || h.revision() < 1 || h.revision() > MiniportAdapterAttributes.Registration.REVISION_2) {
                    return reject(a, Rule.ATTR_HEADER, NdisStatus.BAD_VERSION, "registration header=" + h);
                }
                if (a.registration != null) {
                    return reject(a, Rule.ATTR_SET_ONCE, NdisStatus.FAILURE, "attributes=registration");
                }
                a.registration = r;
                a.context = r.miniportAdapterContext();
                return NdisStatus.SUCCESS;
            }
            case MiniportAdapterAttributes.General g -> {
                if (h.type() != NdisObjectHeader.NDIS_OBJECT_TYPE_MINIPORT_ADAPTER_GENERAL_ATTRIBUTES
                        || h.revision() < 1 || h.revision() > MiniportAdapterAttributes.General.REVISION_2) {
                    return reject(a, Rule.ATTR_HEADER, NdisStatus.BAD_VERSION, "general header=" + h);
                }
                if (a.registration == null) {
                    return reject(a, Rule.ATTR_REGISTRATION_FIRST, NdisStatus.FAILURE,
                            "call=NdisMSetMiniportAttributes(general) registration=missing");
                }
                if (a.general != null) {
                    return reject(a, Rule.ATTR_SET_ONCE, NdisStatus.FAILURE, "attributes=general");
                }
                List<String> problems = g.problems(a.driver().ndisVersion());
                if (!problems.isEmpty()) {
                    return reject(a, Rule.ATTR_GENERAL_COMPLETE, NdisStatus.INVALID_PARAMETER, "problems=" + problems);
                }
                a.general = g;
                a.linkState = new NdisLinkState(g.mediaConnectState(), g.mediaDuplexState(), g.xmitLinkSpeed(),
                        g.rcvLinkSpeed(), NdisSupportedPauseFunctions.NdisPauseFunctionsUnknown, 0);
                return NdisStatus.SUCCESS;
            }
        }
    }

    // ------------------------------------------------------------------------------------------------
    // Hardware resources (ndis-miniport.md §2, §4)
    // ------------------------------------------------------------------------------------------------

    /**
     * NdisMMapIoSpace: maps a memory BAR from the adapter's {@link InitParameters#allocatedResources()}.
     * Needs the registration attributes first.
     *
     * @throws NdisStatusException FAILURE (out of order), INVALID_PARAMETER (not this adapter's resource),
     *     RESOURCES (the BAR cannot be mapped)
     */
    public NdisIoSpace NdisMMapIoSpace(NdisAdapterHandle miniportAdapterHandle, AllocatedResources.MemoryResource resource) {
        Map<String, String> detail = Map.of("bar", resource == null ? "null" : Integer.toString(resource.barIndex()));
        return adapterHandleCall(NdisCall.NdisMMapIoSpace, miniportAdapterHandle, detail, a -> {
            requireRegistrationAttributes(a, NdisCall.NdisMMapIoSpace);
            injected(NdisCall.NdisMMapIoSpace);
            AllocatedResources.MemoryResource known = resource == null ? null
                    : AllocatedResources.of(a.device()).bar(resource.barIndex());
            if (known == null) {
                throw new NdisStatusException(NdisCall.NdisMMapIoSpace, NdisStatus.INVALID_PARAMETER,
                        "adapter=" + a.name() + " resource=" + resource + " not allocated to this adapter");
            }
            RegisterSpace regs;
            try {
                regs = a.device().bar(known.barIndex());
            } catch (DeviceAccessException e) {
                throw new NdisStatusException(NdisCall.NdisMMapIoSpace, NdisStatus.RESOURCES,
                        "adapter=" + a.name() + " bar=" + known.barIndex() + " error=" + e.getMessage());
            }
            NdisIoSpace io = new NdisIoSpace(a, known.barIndex(), regs);
            io.entry = acquire(a, ResourceLedger.Kind.IO_SPACE, "IoSpace(BAR" + known.barIndex() + ", " + regs.size()
                    + " bytes)", io::invalidate);
            return io;
        });
    }

    public void NdisMUnmapIoSpace(NdisAdapterHandle miniportAdapterHandle, NdisIoSpace virtualAddress) {
        adapterStatusCall(NdisCall.NdisMUnmapIoSpace, miniportAdapterHandle, Map.of(), a -> {
            if (release(a, virtualAddress.entry, NdisCall.NdisMUnmapIoSpace)) {
                virtualAddress.invalidate();
                return NdisStatus.SUCCESS;
            }
            return NdisStatus.FAILURE;
        });
    }

    /** NdisMGetBusData (PCI configuration space): reads up to {@code buffer.length} bytes; returns the count. */
    public int NdisMGetBusData(NdisAdapterHandle miniportAdapterHandle, int offset, byte[] buffer) {
        int[] n = new int[1];
        adapterStatusCall(NdisCall.NdisMGetBusData, miniportAdapterHandle, Map.of("offset", Integer.toString(offset),
                "length", Integer.toString(buffer.length)), a -> {
                    n[0] = Math.max(0, Math.min(buffer.length, a.device().config().size() - offset));
                    for (int i = 0; i < n[0]; i++) {
                        buffer[i] = (byte) a.device().config().read8(offset + i);
                    }
                    return NdisStatus.SUCCESS;
                });
        return n[0];
    }

    /** NdisMSetBusData: writes {@code buffer} at {@code offset}; returns the bytes written. */
    public int NdisMSetBusData(NdisAdapterHandle miniportAdapterHandle, int offset, byte[] buffer) {
        int[] n = new int[1];
        adapterStatusCall(NdisCall.NdisMSetBusData, miniportAdapterHandle, Map.of("offset", Integer.toString(offset),
                "length", Integer.toString(buffer.length)), a -> {
                    n[0] = Math.max(0, Math.min(buffer.length, a.device().config().size() - offset));
                    for (int i = 0; i < n[0]; i++) {
                        a.device().config().write8(offset + i, buffer[i] & 0xFF);
                    }
                    return NdisStatus.SUCCESS;
                });
        return n[0];
    }

    /**
     * NdisMRegisterScatterGatherDma: for bus-master NICs, after the registration attributes, before
     * NdisMAllocateSharedMemory. Turns PCI bus mastering on.
     *
     * @throws NdisStatusException NOT_SUPPORTED (BUS_MASTER not set), RESOURCES, FAILURE
     */
    public NdisDmaHandle NdisMRegisterScatterGatherDma(NdisAdapterHandle miniportAdapterHandle,
            ScatterGatherDmaDescription dmaDescription) {
        return adapterHandleCall(NdisCall.NdisMRegisterScatterGatherDma, miniportAdapterHandle, Map.of(), a -> {
            requireRegistrationAttributes(a, NdisCall.NdisMRegisterScatterGatherDma);
            if ((a.registration.attributeFlags() & MiniportAdapterAttributes.Registration.BUS_MASTER) == 0) {
                throw rejectHandle(a, Rule.DMA_BUS_MASTER, NdisCall.NdisMRegisterScatterGatherDma,
                        NdisStatus.NOT_SUPPORTED, String.format("attribute_flags=0x%X", a.registration.attributeFlags()));
            }
            if (a.dma != null) {
                throw rejectHandle(a, Rule.DMA_BEFORE_SHARED_MEMORY, NdisCall.NdisMRegisterScatterGatherDma,
                        NdisStatus.FAILURE, "already_registered=true");
            }
            injected(NdisCall.NdisMRegisterScatterGatherDma);
            a.device().setBusMaster(true);
            NdisDmaHandle dma = new NdisDmaHandle(a, dmaDescription);
            dma.entry = acquire(a, ResourceLedger.Kind.SCATTER_GATHER_DMA, "ScatterGatherDma", () -> {
                a.dma = null;
                a.device().setBusMaster(false);
            });
            a.dma = dma;
            return dma;
        });
    }

    public void NdisMDeregisterScatterGatherDma(NdisDmaHandle miniportDmaHandle) {
        adapterStatusCall(NdisCall.NdisMDeregisterScatterGatherDma, miniportDmaHandle.adapter.handle, Map.of(), a -> {
            if (release(a, miniportDmaHandle.entry, NdisCall.NdisMDeregisterScatterGatherDma)) {
                a.dma = null;
                a.device().setBusMaster(false);
                return NdisStatus.SUCCESS;
            }
            return NdisStatus.FAILURE;
        });
    }

    /**
     * NdisMAllocateSharedMemory: zeroed DMA memory, page aligned, after NdisMRegisterScatterGatherDma.
     * {@code purpose} (nicup extension) names it in traces and leak reports ("rx-ring", "tx-buffers").
     *
     * @throws NdisStatusException RESOURCES (C: VirtualAddress NULL), FAILURE (no DMA registration)
     */
    public SharedMemory NdisMAllocateSharedMemory(NdisAdapterHandle miniportAdapterHandle, long length, boolean cached,
            String purpose) {
        Map<String, String> detail = Map.of("length", Long.toString(length), "purpose", purpose);
        return adapterHandleCall(NdisCall.NdisMAllocateSharedMemory, miniportAdapterHandle, detail, a -> {
            if (a.dma == null) {
                throw rejectHandle(a, Rule.DMA_BEFORE_SHARED_MEMORY, NdisCall.NdisMAllocateSharedMemory,
                        NdisStatus.FAILURE, "purpose=" + purpose + " dma=not_registered");
            }
            injected(NdisCall.NdisMAllocateSharedMemory);
            DmaRegion region;
            try {
                long alignment = Math.min(SHARED_MEMORY_ALIGNMENT, a.device().dma().pageSize());
                region = a.device().dma().allocate(purpose, length, alignment);
            } catch (DeviceAccessException e) {
                throw new NdisStatusException(NdisCall.NdisMAllocateSharedMemory, NdisStatus.RESOURCES,
                        "adapter=" + a.name() + " purpose=" + purpose + " error=" + e.getMessage());
            }
            SharedMemory memory = new SharedMemory(a, region, cached);
            // The device address in the trace: a soak can show that the same IOVAs are mapped afresh each cycle.
            memory.entry = acquire(a, ResourceLedger.Kind.SHARED_MEMORY, "SharedMemory(" + purpose + ", " + length
                    + " bytes)", region::close, Map.of("iova", "0x" + Long.toHexString(region.iova()),
                            "bytes", Long.toString(region.size())));
            return memory;
        });
    }

    public void NdisMFreeSharedMemory(NdisAdapterHandle miniportAdapterHandle, SharedMemory memory) {
        adapterStatusCall(NdisCall.NdisMFreeSharedMemory, miniportAdapterHandle, Map.of("purpose", memory.purpose()), a -> {
            if (release(a, memory.entry, NdisCall.NdisMFreeSharedMemory)) {
                memory.region.close();
                return NdisStatus.SUCCESS;
            }
            return NdisStatus.FAILURE;
        });
    }

    /**
     * NdisMRegisterInterruptEx: arms the device's vectors (MSI-X, then MSI, then INTx, as the device
     * offers and {@code characteristics} allow) and dispatches them to the ISR and DPC.
     *
     * @throws NdisStatusException INVALID_PARAMETER (handlers missing), RESOURCES (no vectors), FAILURE
     */
    public <A> NdisInterruptHandle NdisMRegisterInterruptEx(NdisAdapterHandle miniportAdapterHandle,
            A miniportInterruptContext, InterruptCharacteristics<A> characteristics) {
        return adapterHandleCall(NdisCall.NdisMRegisterInterruptEx, miniportAdapterHandle, Map.of(), a -> {
            requireRegistrationAttributes(a, NdisCall.NdisMRegisterInterruptEx);
            List<String> missing = characteristics.missing();
            if (!missing.isEmpty()) {
                throw rejectHandle(a, Rule.INTERRUPT_HANDLERS, NdisCall.NdisMRegisterInterruptEx,
                        NdisStatus.INVALID_PARAMETER, "missing=" + missing);
            }
            if (a.interrupt != null) {
                throw rejectHandle(a, Rule.INTERRUPT_HANDLERS, NdisCall.NdisMRegisterInterruptEx, NdisStatus.FAILURE,
                        "already_registered=true");
            }
            InterruptMode wanted = characteristics.interruptMode();
            if (wanted != null && wanted != InterruptMode.INTX && !characteristics.msiSupported()) {
                throw rejectHandle(a, Rule.INTERRUPT_HANDLERS, NdisCall.NdisMRegisterInterruptEx,
                        NdisStatus.INVALID_PARAMETER, "mode=" + wanted + " msi_supported=false");
            }
            injected(NdisCall.NdisMRegisterInterruptEx);
            InterruptMode mode = wanted != null ? wanted : chooseMode(a, characteristics.msiSupported());
            int offered = mode == null ? 0 : a.device().interrupts().maxVectors(mode);
            if (offered == 0) {
                throw new NdisStatusException(NdisCall.NdisMRegisterInterruptEx, NdisStatus.RESOURCES,
                        "adapter=" + a.name() + " mode=" + mode + " vectors=0");
            }
            int count = mode == InterruptMode.INTX ? 1
                    : characteristics.messageCount() > 0 ? Math.min(offered, characteristics.messageCount()) : offered;
            InterruptSet vectors;
            try {
                vectors = a.device().interrupts().enable(mode, count);
            } catch (DeviceAccessException e) {
                throw new NdisStatusException(NdisCall.NdisMRegisterInterruptEx, NdisStatus.RESOURCES,
                        "adapter=" + a.name() + " mode=" + mode + " error=" + e.getMessage());
            }
            NdisInterruptHandle interrupt = new NdisInterruptHandle(a, vectors, characteristics, miniportInterruptContext);
            interrupt.entry = acquire(a, ResourceLedger.Kind.INTERRUPT, "Interrupt(" + mode + " x" + vectors.count() + ")",
                    () -> {
                        a.interrupt = null;
                        interrupt.stop();
                    });
            a.interrupt = interrupt;
            if (host.options.interruptDelivery() == NdisHost.InterruptDelivery.THREAD) {
                interrupt.startThread();
            }
            return interrupt;
        });
    }

    private static InterruptMode chooseMode(MiniportAdapter a, boolean msiSupported) {
        for (InterruptMode m : InterruptMode.values()) {
            if ((m == InterruptMode.INTX || msiSupported) && a.device().interrupts().maxVectors(m) > 0) {
                return m;
            }
        }
        return null;
    }

    /** NdisMDeregisterInterruptEx: stops dispatch (the ISR may run until this returns) and disarms. */
    public void NdisMDeregisterInterruptEx(NdisInterruptHandle ndisInterruptHandle) {
        adapterStatusCall(NdisCall.NdisMDeregisterInterruptEx, ndisInterruptHandle.adapter.handle,
                Map.of("isr_calls", Long.toString(ndisInterruptHandle.isrCount.get()), "dpc_calls",
                        Long.toString(ndisInterruptHandle.dpcCount.get())), a -> {
                    if (release(a, ndisInterruptHandle.entry, NdisCall.NdisMDeregisterInterruptEx)) {
                        a.interrupt = null;
                        ndisInterruptHandle.stop();
                        return NdisStatus.SUCCESS;
                    }
                    return NdisStatus.FAILURE;
                });
    }

    /** NdisMSynchronizeWithInterruptEx: runs {@code synchronizeFunction} with the ISR excluded. */
    public boolean NdisMSynchronizeWithInterruptEx(NdisInterruptHandle ndisInterruptHandle, int messageId,
            BooleanSupplier synchronizeFunction) {
        return ndisInterruptHandle.synchronize(synchronizeFunction);
    }

    // ------------------------------------------------------------------------------------------------
    // NBL pools and timers
    // ------------------------------------------------------------------------------------------------

    /**
     * NdisAllocateNetBufferListPool: preallocates every NBL (and, with a data size, their DMA buffers).
     *
     * @throws NdisStatusException RESOURCES
     */
    public NetBufferListPool NdisAllocateNetBufferListPool(NdisAdapterHandle ndisHandle,
            NetBufferListPoolParameters parameters) {
        Map<String, String> detail = Map.of("purpose", parameters.purpose(), "count", Integer.toString(parameters.count()),
                "data_size", Integer.toString(parameters.dataSize()));
        return adapterHandleCall(NdisCall.NdisAllocateNetBufferListPool, ndisHandle, detail, a -> {
            injected(NdisCall.NdisAllocateNetBufferListPool);
            NetBufferListPool pool = host.newPool(a, parameters, true);
            pool.entry = acquire(a, ResourceLedger.Kind.NBL_POOL, "NetBufferListPool(" + parameters.purpose() + ", "
                    + parameters.count() + ")", pool::close);
            return pool;
        });
    }

    /** NdisFreeNetBufferListPool: only when none of its NBLs is with the miniport or with NDIS. */
    public void NdisFreeNetBufferListPool(NetBufferListPool poolHandle) {
        NetBufferListPool pool = poolHandle;
        if (!pool.isMiniportOwned()) {
            throw new NdisException("NdisFreeNetBufferListPool of a pool the miniport did not allocate: pool="
                    + pool.purpose());
        }
        adapterStatusCall(NdisCall.NdisFreeNetBufferListPool, pool.adapter().handle, Map.of("purpose", pool.purpose()), a -> {
            int outstanding = pool.outstanding();
            if (outstanding > 0) {
                return reject(a, Rule.NBL_POOL_OUTSTANDING, NdisStatus.FAILURE,
                        "pool=" + pool.purpose() + " outstanding=" + outstanding);
            }
            if (release(a, pool.entry, NdisCall.NdisFreeNetBufferListPool)) {
                pool.close();
                return NdisStatus.SUCCESS;
            }
            return NdisStatus.FAILURE;
        });
    }

    /**
     * NdisAllocateTimerObject.
     *
     * @throws NdisStatusException RESOURCES
     */
    public <C> NdisTimer NdisAllocateTimerObject(NdisAdapterHandle ndisHandle, NdisTimerFunction<C> timerFunction,
            C functionContext) {
        return adapterHandleCall(NdisCall.NdisAllocateTimerObject, ndisHandle, Map.of(), a -> {
            injected(NdisCall.NdisAllocateTimerObject);
            NdisTimer[] holder = new NdisTimer[1];
            TimerQueue.Scheduled scheduled = new TimerQueue.Scheduled(() -> host.fireTimer(holder[0]));
            NdisTimer timer = new NdisTimer(a, timerFunction, functionContext, scheduled);
            holder[0] = timer;
            timer.entry = acquire(a, ResourceLedger.Kind.TIMER, "Timer#" + System.identityHashCode(timer),
                    () -> host.timers.cancel(scheduled));
            return timer;
        });
    }

    /**
     * NdisSetTimerObject: fire after {@code dueInNanos} of device-clock time, then every
     * {@code periodNanos} (0 for once).
     *
     * @return whether the timer was already queued
     */
    public boolean NdisSetTimerObject(NdisTimer timerObject, long dueInNanos, long periodNanos) {
        MiniportAdapter a = alive(timerObject.adapter.handle, NdisCall.NdisSetTimerObject);
        if (a == null || !a.ledger.holds(timerObject.entry)) {
            return false;
        }
        return host.timers.set(timerObject.scheduled, dueInNanos, periodNanos);
    }

    /** NdisCancelTimerObject: returns whether the timer was queued (and so will not fire). */
    public boolean NdisCancelTimerObject(NdisTimer timerObject) {
        return host.timers.cancel(timerObject.scheduled);
    }

    /** NdisFreeTimerObject: the timer must not be set. */
    public void NdisFreeTimerObject(NdisTimer timerObject) {
        adapterStatusCall(NdisCall.NdisFreeTimerObject, timerObject.adapter.handle, Map.of(), a -> {
            if (host.timers.isQueued(timerObject.scheduled)) {
                report(a, Rule.TIMER_FREE_WHILE_SET, "timer=" + timerObject.entry.name);
                host.timers.cancel(timerObject.scheduled);
            }
            return release(a, timerObject.entry, NdisCall.NdisFreeTimerObject) ? NdisStatus.SUCCESS : NdisStatus.FAILURE;
        });
    }

    // ------------------------------------------------------------------------------------------------
    // State completions (ndis-miniport.md §3)
    // ------------------------------------------------------------------------------------------------

    /** NdisMPauseComplete: finishes a pause that returned PENDING. */
    public void NdisMPauseComplete(NdisAdapterHandle miniportAdapterHandle) {
        adapterStatusCall(NdisCall.NdisMPauseComplete, miniportAdapterHandle, Map.of(), a -> {
            synchronized (a.lock) {
                if (a.state() != AdapterState.PAUSING || !(a.inPauseCall || a.pausePending) || a.pauseCompletedInCall) {
                    return reject(a, Rule.STATE_PAUSE_COMPLETE, NdisStatus.FAILURE, "state=" + a.state());
                }
                if (a.inPauseCall) {
                    a.pauseCompletedInCall = true;
                    return NdisStatus.SUCCESS;
                }
                a.pausePending = false;
            }
            host.completePause(a);
            return NdisStatus.SUCCESS;
        });
    }

    /** NdisMRestartComplete: finishes a restart that returned PENDING; failure leaves the adapter Paused. */
    public void NdisMRestartComplete(NdisAdapterHandle miniportAdapterHandle, int status) {
        adapterStatusCall(NdisCall.NdisMRestartComplete, miniportAdapterHandle, Map.of("restart_status",
                NdisStatus.name(status)), a -> {
                    synchronized (a.lock) {
                        if (a.state() != AdapterState.RESTARTING || !(a.inRestartCall || a.restartPending)
                                || a.restartCompletedInCall) {
                            return reject(a, Rule.STATE_RESTART_COMPLETE, NdisStatus.FAILURE, "state=" + a.state());
                        }
                        if (a.inRestartCall) {
                            a.restartCompletedInCall = true;
                            a.restartCompletionStatus = status;
                            return NdisStatus.SUCCESS;
                        }
                        a.restartPending = false;
                    }
                    host.finishRestart(a, status);
                    return NdisStatus.SUCCESS;
                });
    }

    /** NdisMResetComplete: finishes a reset that returned PENDING. */
    public void NdisMResetComplete(NdisAdapterHandle miniportAdapterHandle, int status, boolean addressingReset) {
        adapterStatusCall(NdisCall.NdisMResetComplete, miniportAdapterHandle, Map.of("reset_status",
                NdisStatus.name(status)), a -> {
                    synchronized (a.lock) {
                        if (!a.resetPending || a.resetCompletedInCall) {
                            return reject(a, Rule.RESET_COMPLETE, NdisStatus.FAILURE, "reset_pending=" + a.resetPending);
                        }
                        if (a.inResetCall) {
                            a.resetCompletedInCall = true;
                            a.resetCompletion = new ResetResult(status, addressingReset);
                            return NdisStatus.SUCCESS;
                        }
                    }
                    host.finishReset(a, new ResetResult(status, addressingReset));
                    return NdisStatus.SUCCESS;
                });
    }

    // ------------------------------------------------------------------------------------------------
    // OID requests and status indications (ndis-miniport.md §6)
    // ------------------------------------------------------------------------------------------------

    /** NdisMOidRequestComplete: completes the request the miniport returned PENDING for. */
    public void NdisMOidRequestComplete(NdisAdapterHandle miniportAdapterHandle, NdisOidRequest oidRequest, int status) {
        completeOid(NdisCall.NdisMOidRequestComplete, miniportAdapterHandle, oidRequest, status, false);
    }

    /** NdisMDirectOidRequestComplete: the same for the direct OID path. */
    public void NdisMDirectOidRequestComplete(NdisAdapterHandle miniportAdapterHandle, NdisOidRequest oidRequest,
            int status) {
        completeOid(NdisCall.NdisMDirectOidRequestComplete, miniportAdapterHandle, oidRequest, status, true);
    }

    private void completeOid(NdisCall call, NdisAdapterHandle handle, NdisOidRequest request, int status, boolean direct) {
        adapterStatusCall(call, handle, Map.of("oid", Oid.name(request.oid()), "oid_status", NdisStatus.name(status)), a -> {
            MiniportAdapter.PendingOid p;
            synchronized (a.oidLock) {
                p = a.currentOid;
                if (p == null || p.request != request || p.done || p.direct != direct || p.completedInCall) {
                    return reject(a, Rule.OID_COMPLETE_UNKNOWN, NdisStatus.FAILURE, "oid=" + Oid.name(request.oid())
                            + " pending=" + (p == null ? "none" : Oid.name(p.request.oid())));
                }
                if (p.inCall) {
                    p.completedInCall = true;
                    p.completionStatus = status;
                    return NdisStatus.SUCCESS;
                }
            }
            host.finishOid(a, p, status);
            return NdisStatus.SUCCESS;
        });
    }

    /**
     * NdisMIndicateStatusEx: NDIS_STATUS_LINK_STATE (with an {@link NdisLinkState}) updates the link
     * state NDIS reports for OID_GEN_LINK_STATE; every indication goes to the protocol edge.
     */
    public void NdisMIndicateStatusEx(NdisAdapterHandle miniportAdapterHandle, NdisStatusIndication statusIndication) {
        adapterStatusCall(NdisCall.NdisMIndicateStatusEx, miniportAdapterHandle,
                Map.of("indication", statusIndication.toString()), a -> {
                    if (!a.state().isLive()) {
                        return reject(a, Rule.STATUS_INDICATION_STATE, NdisStatus.FAILURE, "state=" + a.state()
                                + " status=" + NdisStatus.name(statusIndication.statusCode()));
                    }
                    if (statusIndication.statusCode() == NdisStatus.LINK_STATE) {
                        if (!(statusIndication.statusBuffer() instanceof NdisLinkState ls) || !ls.isWellFormed()) {
                            return reject(a, Rule.STATUS_LINK_STATE_BUFFER, NdisStatus.FAILURE,
                                    "buffer=" + statusIndication.statusBuffer());
                        }
                        a.linkState = ls;
                    }
                    host.deliverStatus(a, statusIndication);
                    return NdisStatus.SUCCESS;
                });
    }

    /** NDIS_ERROR_CODE_HARDWARE_FAILURE (ndis.h): the error code a miniport logs for misbehaving hardware. */
    public static final int NDIS_ERROR_CODE_HARDWARE_FAILURE = 0xC000_138A;

    /**
     * NdisWriteErrorLogEntry: an entry for the system event log (error code and the driver's values, here
     * with a short text in place of the event-log message). Not for the data path: a driver writes one
     * entry per incident, not per packet.
     */
    public void NdisWriteErrorLogEntry(NdisAdapterHandle miniportAdapterHandle, int errorCode, String text, long... values) {
        StringBuilder v = new StringBuilder();
        for (long value : values) {
            v.append(v.isEmpty() ? "" : ",").append("0x").append(Long.toHexString(value));
        }
        adapterStatusCall(NdisCall.NdisWriteErrorLogEntry, miniportAdapterHandle, Map.of("error_code",
                String.format("0x%08x", errorCode), "values", v.toString(), "text", text), a -> {
                    a.errorLog.add(String.format("error_code=0x%08x %s values=[%s]", errorCode, text, v));
                    return NdisStatus.SUCCESS;
                });
    }

    // ------------------------------------------------------------------------------------------------
    // Data path (ndis-miniport.md §5): no allocation, no tracing per packet
    // ------------------------------------------------------------------------------------------------

    /**
     * NdisMSendNetBufferListsComplete: hands each NBL back to the protocol with the status the miniport
     * set in it. NBLs that were not sent to this adapter, or are completed twice, are reported and left
     * out of the chain the protocol sees.
     */
    public void NdisMSendNetBufferListsComplete(NdisAdapterHandle miniportAdapterHandle, NetBufferList netBufferLists,
            int sendCompleteFlags) {
        MiniportAdapter a = alive(miniportAdapterHandle, NdisCall.NdisMSendNetBufferListsComplete);
        if (a == null) {
            return;
        }
        List<Violation> found = null;
        NetBufferList head = null;
        NetBufferList tail = null;
        int completed = 0;
        int failed = 0;
        NetBufferList nbl = netBufferLists;
        while (nbl != null) {
            NetBufferList next = nbl.next;
            int owner = nbl.owner();
            if (owner != NetBufferList.SENDING || nbl.adapter != a) {
                Rule rule = owner != NetBufferList.SENDING && nbl.lastCompletedOn == a
                        ? Rule.SEND_COMPLETE_TWICE : Rule.SEND_COMPLETE_UNKNOWN;
                found = add(found, record(a, rule, "nbl=" + nbl.pool.purpose() + "#" + nbl.index + " owner="
                        + NetBufferList.ownerName(owner)));
                nbl = next;
                continue;
            }
            int status = nbl.status();
            if (!isDocumentedSendStatus(status)) {
                found = add(found, record(a, Rule.SEND_COMPLETE_STATUS, "status=" + NdisStatus.describe(status)));
            }
            if (nbl.sentWhilePausing && status != NdisStatus.PAUSED) {
                found = add(found, record(a, Rule.SEND_WHILE_PAUSING, "status=" + NdisStatus.describe(status)));
            }
            if (status != NdisStatus.SUCCESS) {
                failed++;
            }
            nbl.lastCompletedOn = a;
            nbl.next = null;
            nbl.setOwner(NetBufferList.ALLOCATED);
            if (head == null) {
                head = nbl;
            } else {
                tail.next = nbl;
            }
            tail = nbl;
            completed++;
            nbl = next;
        }
        a.sendsOutstanding.addAndGet(-completed);
        a.sendsCompleted.addAndGet(completed);
        a.sendsFailed.addAndGet(failed);
        if (head != null) {
            try {
                a.edge.sendNetBufferListsComplete(a, head, sendCompleteFlags);
            } catch (RuntimeException e) {
                host.protocolEdgeFailed(a, NdisCall.ProtocolSendNetBufferListsComplete, e);
            }
        }
        if (found != null) {
            host.verifier().raise(found);
        }
    }

    private static boolean isDocumentedSendStatus(int status) {
        return status == NdisStatus.SUCCESS || status == NdisStatus.INVALID_LENGTH || status == NdisStatus.RESOURCES
                || status == NdisStatus.PAUSED || status == NdisStatus.SEND_ABORTED
                || status == NdisStatus.RESET_IN_PROGRESS || status == NdisStatus.FAILURE;
    }

    /**
     * NdisMIndicateReceiveNetBufferLists: hands a batch of received frames to the protocol. Without
     * {@link NdisReceiveFlags#RESOURCES} NDIS owns the NBLs until MiniportReturnNetBufferLists; with it,
     * the miniport owns them again when this call returns. As in Windows, MiniportReturnNetBufferLists may
     * run before this call returns (when the protocol returns them from its receive handler): a miniport
     * must not hold a lock across the indication that its return handler takes, and must count the NBLs
     * as outstanding before indicating. Only while Running or Pausing; an indication
     * in any other state, or of an NBL NDIS still holds, is reported and rejected (the NBLs stay with the
     * miniport, as with the RESOURCES flag).
     */
    public void NdisMIndicateReceiveNetBufferLists(NdisAdapterHandle miniportAdapterHandle,
            NetBufferList netBufferLists, int portNumber, int numberOfNetBufferLists, int receiveFlags) {
        MiniportAdapter a = alive(miniportAdapterHandle, NdisCall.NdisMIndicateReceiveNetBufferLists);
        if (a == null || netBufferLists == null) {
            return;
        }
        AdapterState state = host.stateForIndication(a);
        if (!state.allowsDataPath()) {
            report(a, Rule.RECEIVE_STATE, "state=" + state + " nbls=" + numberOfNetBufferLists);
            return;
        }
        int n = 0;
        long bytes = 0;
        for (NetBufferList nbl = netBufferLists; nbl != null; nbl = nbl.next) {
            if (nbl.owner() != NetBufferList.ALLOCATED) {
                report(a, Rule.RECEIVE_OWNERSHIP, "nbl=" + nbl.pool.purpose() + "#" + nbl.index + " owner="
                        + NetBufferList.ownerName(nbl.owner()));
                return;
            }
            n++;
            bytes += nbl.dataLength();
        }
        List<Violation> found = null;
        if (n != numberOfNetBufferLists) {
            found = add(null, record(a, Rule.RECEIVE_COUNT, "number_of_nbls=" + numberOfNetBufferLists + " chain=" + n));
        }
        boolean resources = (receiveFlags & NdisReceiveFlags.RESOURCES) != 0;
        for (NetBufferList nbl = netBufferLists; nbl != null; nbl = nbl.next) {
            nbl.adapter = a;
            nbl.indicatedWithResources = resources;
            nbl.setOwner(NetBufferList.INDICATED);
        }
        a.receiveIndications.incrementAndGet();
        a.receivedNbls.addAndGet(n);
        a.receivedBytes.addAndGet(bytes);
        if (resources) {
            a.receivedWithResources.addAndGet(n);
        } else {
            a.receivesOutstanding.addAndGet(n);
        }
        try {
            a.edge.receiveNetBufferLists(a, netBufferLists, portNumber, n, receiveFlags);
        } catch (RuntimeException e) {
            host.protocolEdgeFailed(a, NdisCall.ProtocolReceiveNetBufferLists, e);
        } finally {
            if (resources) {
                for (NetBufferList nbl = netBufferLists; nbl != null; nbl = nbl.next) {
                    nbl.casOwner(NetBufferList.INDICATED, NetBufferList.ALLOCATED);
                }
            }
        }
        if (found != null) {
            host.verifier().raise(found);
        }
    }

    // ------------------------------------------------------------------------------------------------
    // Time
    // ------------------------------------------------------------------------------------------------

    /** NdisMSleep: waits on the host's device clock (virtual time in tests). */
    public void NdisMSleep(long microseconds) {
        host.clock.sleepNanos(microseconds * 1000);
    }

    /** NdisStallExecution: the same here (there is no IRQL to respect). */
    public void NdisStallExecution(long microseconds) {
        host.clock.sleepNanos(microseconds * 1000);
    }

    /** nicup extension: the adapter's device clock, for {@link io.nicup.vfio.RegisterPoll}. */
    public DeviceClock deviceClock(NdisAdapterHandle miniportAdapterHandle) {
        return miniportAdapterHandle.adapter.device().clock();
    }

    // ------------------------------------------------------------------------------------------------
    // helpers
    // ------------------------------------------------------------------------------------------------

    /** The adapter behind a handle, or null (reported) when it was halted. */
    private MiniportAdapter alive(NdisAdapterHandle handle, NdisCall call) {
        if (handle == null) {
            throw new NdisException("call=" + call + " adapter handle is null");
        }
        MiniportAdapter a = handle.adapter;
        if (a.host != host) {
            throw new NdisException("call=" + call + " handle belongs to another NDIS instance: adapter=" + a.name());
        }
        if (a.state() == AdapterState.HALTED && !a.inInitialize && !a.inHalt) {
            report(a, Rule.CALL_AFTER_HALT, "call=" + call);
            return null;
        }
        return a;
    }

    private void requireRegistrationAttributes(MiniportAdapter a, NdisCall call) {
        if (a.registration == null) {
            throw rejectHandle(a, Rule.ATTR_REGISTRATION_FIRST, call, NdisStatus.FAILURE,
                    "call=" + call + " registration=missing");
        }
    }

    private void injected(NdisCall call) {
        int status = host.faults.check(call);
        if (status != NdisStatus.SUCCESS) {
            throw new NdisStatusException(call, status, "injected=true");
        }
    }

    private ResourceLedger.Entry acquire(MiniportAdapter a, ResourceLedger.Kind kind, String name, Runnable release) {
        return acquire(a, kind, name, release, Map.of());
    }

    private ResourceLedger.Entry acquire(MiniportAdapter a, ResourceLedger.Kind kind, String name, Runnable release,
            Map<String, String> detail) {
        ResourceLedger.Entry e = a.ledger.acquire(kind, name, release);
        Map<String, String> d = new java.util.LinkedHashMap<>();
        d.put("kind", kind.name().toLowerCase(java.util.Locale.ROOT));
        d.putAll(detail);
        host.trace.instant(NdisTrace.Kind.ACQUIRE, NdisTrace.Direction.NONE, name, a.driver().name(), a.name(),
                NdisTrace.NO_STATUS, d);
        return e;
    }

    /** Records a release; false (reported) when the resource was not held. */
    private boolean release(MiniportAdapter a, ResourceLedger.Entry e, NdisCall call) {
        if (!a.ledger.remove(e, a.inInitialize || a.inHalt)) {
            report(a, Rule.RES_RELEASE_UNKNOWN, "call=" + call + " resource=" + e + " not held");
            return false;
        }
        host.trace.instant(NdisTrace.Kind.RELEASE, NdisTrace.Direction.NONE, e.name, a.driver().name(), a.name(),
                NdisTrace.NO_STATUS, Map.of("call", call.name()));
        return true;
    }

    private Violation report(MiniportAdapter a, Rule rule, String detail) {
        if (a.inInitialize) {
            a.initViolations++;
        }
        return host.verifier().report(rule, a, detail);
    }

    private Violation record(MiniportAdapter a, Rule rule, String detail) {
        return host.verifier().record(rule, a.driver().name(), a.name(), detail);
    }

    private static List<Violation> add(List<Violation> list, Violation v) {
        List<Violation> l = list == null ? new ArrayList<>(2) : list;
        l.add(v);
        return l;
    }

    private int reject(MiniportAdapter a, Rule rule, int status, String detail) {
        report(a, rule, detail);
        return status;
    }

    private int reject(LoadedDriver d, Rule rule, int status, String detail) {
        host.verifier().report(rule, d, detail);
        return status;
    }

    private NdisStatusException rejectHandle(MiniportAdapter a, Rule rule, NdisCall call, int status, String detail) {
        report(a, rule, detail);
        return new NdisStatusException(call, status, "adapter=" + a.name() + " rule=" + rule.id() + " " + detail);
    }

    /** A traced call returning a status (void C calls report SUCCESS or the rejection status). */
    private int statusCall(NdisCall call, String driver, String adapter, Map<String, String> detail, IntSupplier body) {
        NdisTrace.Span span = host.trace.begin(call, driver, adapter, detail);
        int status = NdisStatus.FAILURE;
        try {
            status = body.getAsInt();
            return status;
        } finally {
            span.end(status);
        }
    }

    private int adapterStatusCall(NdisCall call, NdisAdapterHandle handle, Map<String, String> detail,
            java.util.function.ToIntFunction<MiniportAdapter> body) {
        String driver = handle == null ? "" : handle.adapter.driver().name();
        String adapter = handle == null ? "" : handle.adapter.name();
        return statusCall(call, driver, adapter, detail, () -> {
            MiniportAdapter a = alive(handle, call);
            return a == null ? NdisStatus.FAILURE : body.applyAsInt(a);
        });
    }

    /** A traced call returning an out-value or throwing NdisStatusException. */
    private <T> T handleCall(NdisCall call, String driver, String adapter, Map<String, String> detail, Supplier<T> body) {
        NdisTrace.Span span = host.trace.begin(call, driver, adapter, detail);
        int status = NdisStatus.FAILURE;
        try {
            T result = body.get();
            status = NdisStatus.SUCCESS;
            return result;
        } catch (NdisStatusException e) {
            status = e.status();
            throw e;
        } finally {
            span.end(status);
        }
    }

    private <T> T adapterHandleCall(NdisCall call, NdisAdapterHandle handle, Map<String, String> detail,
            java.util.function.Function<MiniportAdapter, T> body) {
        String driver = handle == null ? "" : handle.adapter.driver().name();
        String adapter = handle == null ? "" : handle.adapter.name();
        return handleCall(call, driver, adapter, detail, () -> {
            MiniportAdapter a = alive(handle, call);
            if (a == null) {
                throw new NdisStatusException(call, NdisStatus.FAILURE, "adapter=" + handle.adapter.name() + " halted");
            }
            return body.apply(a);
        });
    }
}

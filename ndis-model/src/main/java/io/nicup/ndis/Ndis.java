package io.nicup.ndis;

import io.nicup.ndis.adapter.AllocatedResources;
import io.nicup.ndis.adapter.AttributeCalls;
import io.nicup.ndis.adapter.CompletionCalls;
import io.nicup.ndis.adapter.InitParameters;
import io.nicup.ndis.adapter.InterruptCalls;
import io.nicup.ndis.adapter.InterruptCharacteristics;
import io.nicup.ndis.adapter.MiniportAdapterAttributes;
import io.nicup.ndis.adapter.NdisAdapterHandle;
import io.nicup.ndis.adapter.NdisDmaHandle;
import io.nicup.ndis.adapter.NdisInterruptHandle;
import io.nicup.ndis.adapter.NdisIoSpace;
import io.nicup.ndis.adapter.NdisTimer;
import io.nicup.ndis.adapter.NdisTimerFunction;
import io.nicup.ndis.adapter.PoolAndTimerCalls;
import io.nicup.ndis.adapter.ResetRequestCalls;
import io.nicup.ndis.adapter.ResourceCalls;
import io.nicup.ndis.adapter.ScatterGatherDmaDescription;
import io.nicup.ndis.adapter.SharedMemory;
import io.nicup.ndis.config.ConfigurationCalls;
import io.nicup.ndis.config.Keyword;
import io.nicup.ndis.config.NdisConfiguration;
import io.nicup.ndis.config.ParameterValue;
import io.nicup.ndis.config.RegistryPath;
import io.nicup.ndis.config.StandardKeywords;
import io.nicup.ndis.datapath.DataPathCalls;
import io.nicup.ndis.datapath.NdisReceiveFlags;
import io.nicup.ndis.datapath.NetBufferList;
import io.nicup.ndis.datapath.NetBufferListPool;
import io.nicup.ndis.datapath.NetBufferListPoolParameters;
import io.nicup.ndis.driver.DriverObject;
import io.nicup.ndis.driver.DriverRegistration;
import io.nicup.ndis.driver.MiniportDriverCharacteristics;
import io.nicup.ndis.driver.NdisDriverHandle;
import io.nicup.ndis.host.HostServices;
import io.nicup.ndis.oid.NdisLinkState;
import io.nicup.ndis.oid.NdisOidRequest;
import io.nicup.ndis.oid.NdisStatusIndication;
import io.nicup.ndis.oid.StatusIndicationCalls;
import io.nicup.ndis.protocol.ProtocolDelivery;
import io.nicup.ndis.trace.FaultInjection;
import io.nicup.ndis.trace.NdisVerifierException;
import io.nicup.ndis.trace.Rule;
import io.nicup.ndis.trace.Verifier;
import io.nicup.ndis.trace.VerifierMode;
import io.nicup.vfio.DeviceClock;
import java.util.function.BooleanSupplier;

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
 *
 * <p>This class is the DDI surface only, in the order of the WDK's reference pages; each group of calls
 * is carried out by one class ({@link DriverRegistration}, {@link ConfigurationCalls},
 * {@link AttributeCalls}, {@link ResourceCalls}, {@link InterruptCalls}, {@link PoolAndTimerCalls},
 * {@link CompletionCalls}, {@link StatusIndicationCalls}, {@link DataPathCalls}).
 */
public final class Ndis {

    private final FaultInjection faults;
    private final DeviceClock clock;
    private final DriverRegistration registration;
    private final ConfigurationCalls configuration;
    private final AttributeCalls attributes;
    private final ResourceCalls resources;
    private final InterruptCalls interrupts;
    private final PoolAndTimerCalls poolsAndTimers;
    private final CompletionCalls completions;
    private final ResetRequestCalls resetRequests;
    private final StatusIndicationCalls indications;
    private final DataPathCalls dataPath;

    Ndis(NdisHost host) {
        HostServices services = host.services;
        ProtocolDelivery delivery = host.delivery;
        this.faults = services.faults();
        this.clock = services.clock();
        this.registration = new DriverRegistration(services, delivery, host, host.loader);
        this.configuration = new ConfigurationCalls(services, delivery, host, host::parameterProblem);
        this.attributes = new AttributeCalls(services, delivery, host);
        this.resources = new ResourceCalls(services, delivery, host);
        this.interrupts = new InterruptCalls(services, delivery, host);
        this.poolsAndTimers = new PoolAndTimerCalls(services, delivery, host, host.dataPath, host.scheduler);
        this.completions = new CompletionCalls(services, delivery, host, host.lifecycle, host.watchdog,
                host.oidDispatcher);
        this.resetRequests = new ResetRequestCalls(services, delivery, host, host.watchdog);
        this.indications = new StatusIndicationCalls(services, delivery, host);
        this.dataPath = new DataPathCalls(services, delivery, host, host.lifecycle);
    }

    /** Failures to inject into NDIS calls (Driver Verifier's low-resources simulation). */
    public FaultInjection faults() {
        return faults;
    }

    // ------------------------------------------------------------------------------------------------
    // Driver registration (docs/ndis-contract.md §1, §4)
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
        return registration.NdisMRegisterMiniportDriver(driverObject, registryPath, miniportDriverContext, characteristics);
    }

    /**
     * NdisMDeregisterMiniportDriver: releases what registration allocated. Exactly once; from DriverEntry
     * when DriverEntry fails after registering, otherwise from MiniportDriverUnload.
     */
    public void NdisMDeregisterMiniportDriver(NdisDriverHandle ndisMiniportDriverHandle) {
        registration.NdisMDeregisterMiniportDriver(ndisMiniportDriverHandle);
    }

    // ------------------------------------------------------------------------------------------------
    // Configuration (the registry path)
    // ------------------------------------------------------------------------------------------------

    /** NdisOpenConfigurationEx for an adapter: its section of the registry path, then {@code [*]}. */
    public NdisConfiguration NdisOpenConfigurationEx(NdisAdapterHandle miniportAdapterHandle) {
        return configuration.NdisOpenConfigurationEx(miniportAdapterHandle);
    }

    /**
     * NdisReadConfiguration: the keyword's value for this adapter, validated against the keyword's
     * definition. A value outside it is reported (trace, {@link NdisHost#parameterProblems()}) and the
     * default is used, as NDIS drivers do.
     */
    public ParameterValue NdisReadConfiguration(NdisConfiguration configurationHandle, Keyword keyword) {
        return configuration.NdisReadConfiguration(configurationHandle, keyword);
    }

    /** NdisReadNetworkAddress: the NetworkAddress keyword; status FAILURE when absent or invalid. */
    public ParameterValue NdisReadNetworkAddress(NdisConfiguration configurationHandle) {
        return NdisReadConfiguration(configurationHandle, StandardKeywords.NETWORK_ADDRESS);
    }

    public void NdisCloseConfiguration(NdisConfiguration configurationHandle) {
        configuration.NdisCloseConfiguration(configurationHandle);
    }

    // ------------------------------------------------------------------------------------------------
    // Attributes (docs/ndis-contract.md §2)
    // ------------------------------------------------------------------------------------------------

    /**
     * NdisMSetMiniportAttributes: registration attributes first, then general attributes (with
     * RecvScaleCapabilities for an RSS NIC), then the offload and hardware-assist attributes
     * (docs/ndis-contract.md §9), only inside MiniportInitializeEx.
     *
     * @return SUCCESS; BAD_VERSION for an unsupported header; INVALID_PARAMETER for incomplete general
     *     attributes, malformed RSS capabilities or a default offload configuration outside the hardware
     *     capabilities; FAILURE for a call out of order
     */
    public int NdisMSetMiniportAttributes(NdisAdapterHandle miniportAdapterHandle, MiniportAdapterAttributes attributes) {
        return this.attributes.NdisMSetMiniportAttributes(miniportAdapterHandle, attributes);
    }

    // ------------------------------------------------------------------------------------------------
    // Hardware resources (docs/ndis-contract.md §2, §4)
    // ------------------------------------------------------------------------------------------------

    /**
     * NdisMMapIoSpace: maps a memory BAR from the adapter's {@link InitParameters#allocatedResources()}.
     * Needs the registration attributes first.
     *
     * @throws NdisStatusException FAILURE (out of order), INVALID_PARAMETER (not this adapter's resource),
     *     RESOURCES (the BAR cannot be mapped)
     */
    public NdisIoSpace NdisMMapIoSpace(NdisAdapterHandle miniportAdapterHandle, AllocatedResources.MemoryResource resource) {
        return resources.NdisMMapIoSpace(miniportAdapterHandle, resource);
    }

    public void NdisMUnmapIoSpace(NdisAdapterHandle miniportAdapterHandle, NdisIoSpace virtualAddress) {
        resources.NdisMUnmapIoSpace(miniportAdapterHandle, virtualAddress);
    }

    /** NdisMGetBusData (PCI configuration space): reads up to {@code buffer.length} bytes; returns the count. */
    public int NdisMGetBusData(NdisAdapterHandle miniportAdapterHandle, int offset, byte[] buffer) {
        return resources.NdisMGetBusData(miniportAdapterHandle, offset, buffer);
    }

    /** NdisMSetBusData: writes {@code buffer} at {@code offset}; returns the bytes written. */
    public int NdisMSetBusData(NdisAdapterHandle miniportAdapterHandle, int offset, byte[] buffer) {
        return resources.NdisMSetBusData(miniportAdapterHandle, offset, buffer);
    }

    /**
     * NdisMRegisterScatterGatherDma: for bus-master NICs, after the registration attributes, before
     * NdisMAllocateSharedMemory. Turns PCI bus mastering on.
     *
     * @throws NdisStatusException NOT_SUPPORTED (BUS_MASTER not set), RESOURCES, FAILURE
     */
    public NdisDmaHandle NdisMRegisterScatterGatherDma(NdisAdapterHandle miniportAdapterHandle,
            ScatterGatherDmaDescription dmaDescription) {
        return resources.NdisMRegisterScatterGatherDma(miniportAdapterHandle, dmaDescription);
    }

    public void NdisMDeregisterScatterGatherDma(NdisDmaHandle miniportDmaHandle) {
        resources.NdisMDeregisterScatterGatherDma(miniportDmaHandle);
    }

    /**
     * NdisMAllocateSharedMemory: zeroed DMA memory, page aligned, after NdisMRegisterScatterGatherDma.
     * {@code purpose} (nicup extension) names it in traces and leak reports ("rx-ring", "tx-buffers").
     *
     * @throws NdisStatusException RESOURCES (C: VirtualAddress NULL), FAILURE (no DMA registration)
     */
    public SharedMemory NdisMAllocateSharedMemory(NdisAdapterHandle miniportAdapterHandle, long length, boolean cached,
            String purpose) {
        return resources.NdisMAllocateSharedMemory(miniportAdapterHandle, length, cached, purpose);
    }

    public void NdisMFreeSharedMemory(NdisAdapterHandle miniportAdapterHandle, SharedMemory memory) {
        resources.NdisMFreeSharedMemory(miniportAdapterHandle, memory);
    }

    /**
     * NdisMRegisterInterruptEx: arms the device's vectors (MSI-X, then MSI, then INTx, as the device
     * offers and {@code characteristics} allow) and dispatches them to the ISR and DPC.
     *
     * @throws NdisStatusException INVALID_PARAMETER (handlers missing), RESOURCES (no vectors), FAILURE
     */
    public <A> NdisInterruptHandle NdisMRegisterInterruptEx(NdisAdapterHandle miniportAdapterHandle,
            A miniportInterruptContext, InterruptCharacteristics<A> characteristics) {
        return interrupts.NdisMRegisterInterruptEx(miniportAdapterHandle, miniportInterruptContext, characteristics);
    }

    /** NdisMDeregisterInterruptEx: stops dispatch (the ISR may run until this returns) and disarms. */
    public void NdisMDeregisterInterruptEx(NdisInterruptHandle ndisInterruptHandle) {
        interrupts.NdisMDeregisterInterruptEx(ndisInterruptHandle);
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
        return poolsAndTimers.NdisAllocateNetBufferListPool(ndisHandle, parameters);
    }

    /** NdisFreeNetBufferListPool: only when none of its NBLs is with the miniport or with NDIS. */
    public void NdisFreeNetBufferListPool(NetBufferListPool poolHandle) {
        poolsAndTimers.NdisFreeNetBufferListPool(poolHandle);
    }

    /**
     * NdisAllocateTimerObject.
     *
     * @throws NdisStatusException RESOURCES
     */
    public <C> NdisTimer NdisAllocateTimerObject(NdisAdapterHandle ndisHandle, NdisTimerFunction<C> timerFunction,
            C functionContext) {
        return poolsAndTimers.NdisAllocateTimerObject(ndisHandle, timerFunction, functionContext);
    }

    /**
     * NdisSetTimerObject: fire after {@code dueInNanos} of device-clock time, then every
     * {@code periodNanos} (0 for once).
     *
     * @return whether the timer was already queued
     */
    public boolean NdisSetTimerObject(NdisTimer timerObject, long dueInNanos, long periodNanos) {
        return poolsAndTimers.NdisSetTimerObject(timerObject, dueInNanos, periodNanos);
    }

    /** NdisCancelTimerObject: returns whether the timer was queued (and so will not fire). */
    public boolean NdisCancelTimerObject(NdisTimer timerObject) {
        return poolsAndTimers.NdisCancelTimerObject(timerObject);
    }

    /** NdisFreeTimerObject: the timer must not be set. */
    public void NdisFreeTimerObject(NdisTimer timerObject) {
        poolsAndTimers.NdisFreeTimerObject(timerObject);
    }

    // ------------------------------------------------------------------------------------------------
    // State completions (docs/ndis-contract.md §3)
    // ------------------------------------------------------------------------------------------------

    /** NdisMPauseComplete: finishes a pause that returned PENDING. */
    public void NdisMPauseComplete(NdisAdapterHandle miniportAdapterHandle) {
        completions.NdisMPauseComplete(miniportAdapterHandle);
    }

    /** NdisMRestartComplete: finishes a restart that returned PENDING; failure leaves the adapter Paused. */
    public void NdisMRestartComplete(NdisAdapterHandle miniportAdapterHandle, int status) {
        completions.NdisMRestartComplete(miniportAdapterHandle, status);
    }

    /** NdisMResetComplete: finishes a reset that returned PENDING. */
    public void NdisMResetComplete(NdisAdapterHandle miniportAdapterHandle, int status, boolean addressingReset) {
        completions.NdisMResetComplete(miniportAdapterHandle, status, addressingReset);
    }

    /**
     * NdisMResetMiniport (NDIS 6.30): the miniport found that the device needs a hardware reset. NDIS queues a
     * work item that calls MiniportResetEx soon after, on its own context (the host's timer thread, or when the
     * caller runs timers), never inside this call; MiniportCheckForHangEx need not report a hang first. A
     * request while a reset is under way, or before the queued one ran, adds no reset (DDI
     * {@code ndis/nf-ndis-ndismresetminiport}; docs/ndis-contract.md §17).
     */
    public void NdisMResetMiniport(NdisAdapterHandle miniportAdapterHandle) {
        resetRequests.NdisMResetMiniport(miniportAdapterHandle);
    }

    // ------------------------------------------------------------------------------------------------
    // OID requests and status indications (docs/ndis-contract.md §6)
    // ------------------------------------------------------------------------------------------------

    /** NdisMOidRequestComplete: completes the request the miniport returned PENDING for. */
    public void NdisMOidRequestComplete(NdisAdapterHandle miniportAdapterHandle, NdisOidRequest oidRequest, int status) {
        completions.NdisMOidRequestComplete(miniportAdapterHandle, oidRequest, status);
    }

    /** NdisMDirectOidRequestComplete: the same for the direct OID path. */
    public void NdisMDirectOidRequestComplete(NdisAdapterHandle miniportAdapterHandle, NdisOidRequest oidRequest,
            int status) {
        completions.NdisMDirectOidRequestComplete(miniportAdapterHandle, oidRequest, status);
    }

    /**
     * NdisMIndicateStatusEx: NDIS_STATUS_LINK_STATE (with an {@link NdisLinkState}) updates the link
     * state NDIS reports for OID_GEN_LINK_STATE; every indication goes to the protocol edge.
     */
    public void NdisMIndicateStatusEx(NdisAdapterHandle miniportAdapterHandle, NdisStatusIndication statusIndication) {
        indications.NdisMIndicateStatusEx(miniportAdapterHandle, statusIndication);
    }

    /** NDIS_ERROR_CODE_HARDWARE_FAILURE (ndis.h): the error code a miniport logs for misbehaving hardware. */
    public static final int NDIS_ERROR_CODE_HARDWARE_FAILURE = 0xC000_138A;

    /**
     * NdisWriteErrorLogEntry: an entry for the system event log (error code and the driver's values, here
     * with a short text in place of the event-log message). Not for the data path: a driver writes one
     * entry per incident, not per packet.
     */
    public void NdisWriteErrorLogEntry(NdisAdapterHandle miniportAdapterHandle, int errorCode, String text, long... values) {
        indications.NdisWriteErrorLogEntry(miniportAdapterHandle, errorCode, text, values);
    }

    // ------------------------------------------------------------------------------------------------
    // Data path (docs/ndis-contract.md §5): no allocation, no tracing per packet
    // ------------------------------------------------------------------------------------------------

    /**
     * NdisMSendNetBufferListsComplete: hands each NBL back to the protocol with the status the miniport
     * set in it. NBLs that were not sent to this adapter, or are completed twice, are reported and left
     * out of the chain the protocol sees.
     */
    public void NdisMSendNetBufferListsComplete(NdisAdapterHandle miniportAdapterHandle, NetBufferList netBufferLists,
            int sendCompleteFlags) {
        dataPath.NdisMSendNetBufferListsComplete(miniportAdapterHandle, netBufferLists, sendCompleteFlags);
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
        dataPath.NdisMIndicateReceiveNetBufferLists(miniportAdapterHandle, netBufferLists, portNumber, numberOfNetBufferLists, receiveFlags);
    }

    // ------------------------------------------------------------------------------------------------
    // Time
    // ------------------------------------------------------------------------------------------------

    /** NdisMSleep: waits on the host's device clock (virtual time in tests). */
    public void NdisMSleep(long microseconds) {
        clock.sleepNanos(microseconds * 1000);
    }

    /** NdisStallExecution: the same here (there is no IRQL to respect). */
    public void NdisStallExecution(long microseconds) {
        clock.sleepNanos(microseconds * 1000);
    }

    /** nicup extension: the adapter's device clock, for {@link io.nicup.vfio.RegisterPoll}. */
    public DeviceClock deviceClock(NdisAdapterHandle miniportAdapterHandle) {
        return miniportAdapterHandle.adapter.device().clock();
    }
}

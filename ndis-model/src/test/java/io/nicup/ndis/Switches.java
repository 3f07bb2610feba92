package io.nicup.ndis;

import io.nicup.ndis.adapter.MiniportAdapterAttributes;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.Set;

/** What the test miniport does wrong (or differently). All off: a well-behaved NDIS 6.30 miniport. */
final class Switches {

    // --- DriverEntry / registration
    NdisVersion ndisVersion = NdisVersion.NDIS_6_30;
    NdisObjectHeader header;
    int characteristicsFlags;
    Set<String> omitHandlers = new HashSet<>();
    boolean directOidPair;
    boolean directOidOnlyRequest;
    boolean synchronousOid;
    boolean checkForHangWithoutReset;
    boolean checkForHang = true;
    int setOptionsStatus = NdisStatus.SUCCESS;
    boolean setOptionsDeregisters;
    boolean registerTwice;
    /** DriverEntry fails after registering (the failure path of docs/ndis-contract.md §1.1)... */
    boolean failAfterRegistration;
    /** ...and deregisters before returning, as it must. */
    boolean deregisterOnEntryFailure = true;
    boolean deregisterAndSucceed;
    boolean skipRegistration;
    boolean unloadWithoutDeregister;
    boolean unloadDeregistersTwice;
    boolean deregisterFromInitialize;
    boolean mutateCharacteristicsAfterRegistration;

    // --- MiniportInitializeEx
    boolean skipRegistrationAttributes;
    boolean generalBeforeRegistration;
    boolean mapBeforeRegistration;
    boolean registrationAttributesTwice;
    boolean skipGeneralAttributes;
    boolean generalWithoutMac;
    int generalRevision = MiniportAdapterAttributes.General.REVISION_2;
    int registrationRevision = MiniportAdapterAttributes.Registration.REVISION_1;
    boolean noBusMaster;
    boolean sharedMemoryBeforeDma;
    boolean interruptWithoutDpc;
    /** Called with the message id as MiniportInterrupt runs (set before the adapter starts). */
    java.util.function.IntConsumer isrEnter = message -> { };
    /** Called with the message id as MiniportInterruptDpc begins and as it ends (set before the adapter starts). */
    java.util.function.IntConsumer dpcEnter = message -> { };
    java.util.function.IntConsumer dpcExit = message -> { };
    boolean setAttributesInRestart;
    /** Attributes set after the general ones, in order (offload, hardware assist); a failure fails init. */
    java.util.List<io.nicup.ndis.adapter.MiniportAdapterAttributes> laterAttributes = java.util.List.of();
    /** Attributes set before the general ones (out of order). */
    java.util.List<io.nicup.ndis.adapter.MiniportAdapterAttributes> earlyAttributes = java.util.List.of();
    /** RecvScaleCapabilities in the general attributes. */
    io.nicup.ndis.oid.NdisReceiveScaleCapabilities recvScaleCapabilities;
    /** The offload and RSS OIDs of the shared core, over these capabilities (null: not handled). */
    io.nicup.ndis.miniport.core.OffloadCapabilities offloadCapabilities;
    /** OID_GEN_RECEIVE_SCALE_PARAMETERS sets succeed whatever they carry. */
    boolean rssTakesAnything;
    int checkForHangSeconds;
    /** Fail initialization after this step (1-based; 0 = never) with {@link #initFailureStatus}. */
    int failInitAfterStep;
    int initFailureStatus = NdisStatus.RESOURCES;
    /** Return this from MiniportInitializeEx instead of SUCCESS (without unwinding). */
    Integer initReturnOverride;
    /** Kinds left held when unwinding a failed initialization. */
    Set<Res> leakOnInitFailure = EnumSet.noneOf(Res.class);
    /** Kinds left held by MiniportHaltEx. */
    Set<Res> leakOnHalt = EnumSet.noneOf(Res.class);
    boolean haltReleasesInAcquisitionOrder;
    boolean haltFreesMemoryBeforeInterrupt;
    boolean haltUnmapsTwice;
    boolean freeTimerWhileSet;
    boolean freeRxPoolWithOutstanding;

    // --- pause / restart
    boolean pauseAlwaysPending;
    boolean pauseCompletesImmediately;
    int pauseStatus = NdisStatus.SUCCESS;
    boolean pauseCompleteAndReturnSuccess;
    boolean restartPending;
    int restartStatus = NdisStatus.SUCCESS;
    boolean restartCompleteAndReturn;
    /** Runs inside MiniportRestart after the adapter's own view turned Running (null: nothing). */
    Runnable duringRestart;

    // --- data path
    boolean completeSendsTwice;
    int txCompletionStatus = NdisStatus.SUCCESS;
    boolean completeSendsWithSuccessWhilePausing;
    boolean indicateWithResources;
    int indicateCountDelta;
    boolean indicateWhileNotRunning;

    // --- OIDs
    Set<Integer> pendingOids = new HashSet<>();
    boolean oidCompleteAndReturn;
    int oidStatusOverride;
    boolean oidNoBytesNeeded;
    boolean oidOverwrite;
    Set<Integer> unsupportedListedOids = new HashSet<>();
    boolean multicastNoChecks;
    boolean packetFilterAcceptsAnything;
    boolean ignoreOidCancel;

    // --- CheckForHang / reset
    boolean reportHang;
    int resetStatus = NdisStatus.SUCCESS;
    boolean resetAddressing;
    boolean resetCompleteAndReturn;

    // --- status
    boolean malformedLinkState;
    boolean indicateStatusInInitialize;

    // --- data path bookkeeping
    boolean recordTxIovas = true;

    // --- exceptions
    NdisCall throwIn;

    /** Resources the test miniport acquires, in its acquisition order. */
    enum Res {
        CONFIGURATION, IO_SPACE, DMA, RX_MEMORY, TX_MEMORY, RX_POOL, TIMER, INTERRUPT
    }
}

package io.nicup.ndis;

import static io.nicup.ndis.adapter.MiniportAdapterAttributes.Registration.BUS_MASTER;
import static io.nicup.ndis.adapter.MiniportAdapterAttributes.Registration.HARDWARE_DEVICE;

import io.nicup.ndis.adapter.DevicePnPEvent;
import io.nicup.ndis.adapter.HaltAction;
import io.nicup.ndis.adapter.InitParameters;
import io.nicup.ndis.adapter.InterruptCharacteristics;
import io.nicup.ndis.adapter.IsrResult;
import io.nicup.ndis.adapter.MiniportAdapterAttributes;
import io.nicup.ndis.adapter.NdisAdapterHandle;
import io.nicup.ndis.adapter.NdisDmaHandle;
import io.nicup.ndis.adapter.NdisInterruptHandle;
import io.nicup.ndis.adapter.NdisIoSpace;
import io.nicup.ndis.adapter.NdisTimer;
import io.nicup.ndis.adapter.PauseParameters;
import io.nicup.ndis.adapter.ResetResult;
import io.nicup.ndis.adapter.RestartParameters;
import io.nicup.ndis.adapter.ScatterGatherDmaDescription;
import io.nicup.ndis.adapter.SharedMemory;
import io.nicup.ndis.adapter.ShutdownAction;
import io.nicup.ndis.config.Keyword;
import io.nicup.ndis.config.NdisConfiguration;
import io.nicup.ndis.config.ParameterValue;
import io.nicup.ndis.config.StandardKeywords;
import io.nicup.ndis.datapath.NdisReceiveFlags;
import io.nicup.ndis.datapath.NetBuffer;
import io.nicup.ndis.datapath.NetBufferList;
import io.nicup.ndis.datapath.NetBufferListPool;
import io.nicup.ndis.datapath.NetBufferListPoolParameters;
import io.nicup.ndis.oid.MediaConnectState;
import io.nicup.ndis.oid.MediaDuplexState;
import io.nicup.ndis.oid.NdisInterfaceType;
import io.nicup.ndis.oid.NdisLinkState;
import io.nicup.ndis.oid.NdisOidRequest;
import io.nicup.ndis.oid.NdisPacketFilter;
import io.nicup.ndis.oid.NdisPmCapabilities;
import io.nicup.ndis.oid.NdisStatisticsInfo;
import io.nicup.ndis.oid.NdisStatusIndication;
import io.nicup.ndis.oid.Oid;
import io.nicup.ndis.oid.OidRequestType;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;

/**
 * One adapter of the {@link TestMiniport}: the shape of a real NIC miniport over the fake device.
 * "Hardware" is simulated the way a DMA NIC behaves: {@link #deliverFrame} plays the NIC writing a
 * received frame into a receive buffer, vector 0 is "receive", vector 1 "transmit done", vector 2 "link
 * change" (STATUS bit 1 = link up). Sends wait in a transmit queue until the transmit interrupt's DPC
 * completes them.
 */
final class TestAdapter {

    static final int RX_BUFFER_SIZE = 2048;
    static final int VECTOR_RX = 0;
    static final int VECTOR_TX = 1;
    static final int VECTOR_LINK = 2;
    static final long REG_STATUS = 0x0008;
    static final int STATUS_LU = 0x2;
    static final long REG_RAL = 0x5400;
    static final long REG_RAH = 0x5404;
    static final int MAX_MULTICAST = 32;
    static final int SUPPORTED_FILTERS = NdisPacketFilter.DIRECTED | NdisPacketFilter.MULTICAST
            | NdisPacketFilter.ALL_MULTICAST | NdisPacketFilter.BROADCAST;
    static final int[] SUPPORTED_OIDS = {Oid.GEN_SUPPORTED_LIST, Oid.GEN_CURRENT_PACKET_FILTER, Oid.GEN_LINK_STATE,
        Oid.GEN_MAXIMUM_FRAME_SIZE, Oid.GEN_STATISTICS, Oid.OID_802_3_PERMANENT_ADDRESS, Oid.OID_802_3_CURRENT_ADDRESS,
        Oid.OID_802_3_MULTICAST_LIST, Oid.OID_802_3_MAXIMUM_LIST_SIZE};
    static final Keyword RECEIVE_BUFFERS = StandardKeywords.RECEIVE_BUFFERS.withRange(8, 256).withDefault(16);
    static final Keyword TRANSMIT_BUFFERS = StandardKeywords.TRANSMIT_BUFFERS.withRange(8, 256).withDefault(16);

    final TestMiniport driver;
    final Switches sw;
    final Ndis ndis;
    final NdisAdapterHandle handle;
    final InitParameters params;

    // configuration read in MiniportInitializeEx
    int rxBuffers;
    int txBuffers;
    int jumboPacket;
    int speedDuplex;
    MacAddress permanent;
    MacAddress current;

    // resources, in acquisition order in `held`
    final List<Switches.Res> held = new ArrayList<>();
    NdisConfiguration configuration;
    NdisIoSpace regs;
    NdisDmaHandle dma;
    SharedMemory rxMemory;
    SharedMemory txMemory;
    NetBufferListPool rxPool;
    NetBufferList[] rxNbls;
    NdisTimer watchdog;
    NdisInterruptHandle interrupt;

    // receive side
    final ArrayDeque<Integer> freeSlots = new ArrayDeque<>();
    final ArrayDeque<Integer> filledSlots = new ArrayDeque<>();
    int[] frameLengths;
    int rxOutstanding;
    int rxDropped;
    boolean inIndicate;
    int returnsDuringIndicate;
    /** Written last by the return handler: another thread that reads it sees the handler's effects. */
    volatile int returnCalls;

    // transmit side
    final ArrayDeque<NetBufferList> txQueue = new ArrayDeque<>();
    final List<Long> txDataIovas = new ArrayList<>();

    // state as the miniport sees it
    boolean running;
    boolean pausing;
    boolean pausePending;
    int packetFilter;
    byte[] multicast = new byte[0];
    NdisOidRequest pendingOid;
    int watchdogFires;
    int hangChecks;
    int resets;
    HaltAction lastHaltAction;
    ShutdownAction shutdownAction;
    DevicePnPEvent lastPnpEvent;
    long rxFrames;
    long rxBytes;
    long txFrames;

    private static final class InitFailure extends RuntimeException {
        InitFailure() {
            super(null, null, false, false);
        }
    }

    TestAdapter(TestMiniport driver, NdisAdapterHandle handle, InitParameters params) {
        this.driver = driver;
        this.sw = driver.sw;
        this.ndis = driver.ndis;
        this.handle = handle;
        this.params = params;
    }

    // ------------------------------------------------------------------------------------------------
    // MiniportInitializeEx, in the order docs/ndis-contract.md §2 requires
    // ------------------------------------------------------------------------------------------------

    int initialize() {
        maybeThrow(NdisCall.MiniportInitializeEx);
        int step = 0;
        try {
            if (sw.generalBeforeRegistration) {
                int st = setGeneralAttributes();
                if (st != NdisStatus.SUCCESS) {
                    return initializeStatus(st);
                }
            }
            if (sw.mapBeforeRegistration) {
                mapRegisters();
            }
            if (!sw.skipRegistrationAttributes) {
                int st = setRegistrationAttributes();
                if (st == NdisStatus.SUCCESS && sw.registrationAttributesTwice) {
                    st = setRegistrationAttributes();
                }
                if (st != NdisStatus.SUCCESS) {
                    unwind();
                    return initializeStatus(st);
                }
            }
            checkStep(++step); // 1
            readConfiguration();
            checkStep(++step); // 2
            mapRegisters();
            checkStep(++step); // 3
            for (MiniportAdapterAttributes early : sw.earlyAttributes) {
                if (ndis.NdisMSetMiniportAttributes(handle, early) != NdisStatus.SUCCESS) {
                    unwind();
                    return NdisStatus.FAILURE;
                }
            }
            if (!sw.skipGeneralAttributes) {
                int st = setGeneralAttributes();
                if (st != NdisStatus.SUCCESS) {
                    unwind();
                    return initializeStatus(st);
                }
            }
            for (MiniportAdapterAttributes later : sw.laterAttributes) {
                if (ndis.NdisMSetMiniportAttributes(handle, later) != NdisStatus.SUCCESS) {
                    unwind();
                    return NdisStatus.FAILURE;
                }
            }
            if (offloads != null && offloads.setOffloadAttributes() != NdisStatus.SUCCESS) {
                unwind();
                return NdisStatus.FAILURE;
            }
            checkStep(++step); // 4
            if (sw.indicateStatusInInitialize) {
                ndis.NdisMIndicateStatusEx(handle, NdisStatusIndication.linkState(NdisLinkState.disconnected()));
            }
            if (sw.sharedMemoryBeforeDma) {
                rxMemory = ndis.NdisMAllocateSharedMemory(handle, 4096, true, "rx-buffers");
                held.add(Switches.Res.RX_MEMORY);
            }
            dma = ndis.NdisMRegisterScatterGatherDma(handle, ScatterGatherDmaDescription.DEFAULT);
            held.add(Switches.Res.DMA);
            checkStep(++step); // 5
            rxMemory = ndis.NdisMAllocateSharedMemory(handle, (long) rxBuffers * RX_BUFFER_SIZE, true, "rx-buffers");
            held.add(Switches.Res.RX_MEMORY);
            checkStep(++step); // 6
            txMemory = ndis.NdisMAllocateSharedMemory(handle, (long) txBuffers * 16, true, "tx-ring");
            held.add(Switches.Res.TX_MEMORY);
            checkStep(++step); // 7
            setUpReceiveNbls();
            checkStep(++step); // 8
            watchdog = ndis.NdisAllocateTimerObject(handle, TestAdapter::watchdogFired, this);
            held.add(Switches.Res.TIMER);
            checkStep(++step); // 9
            InterruptCharacteristics<TestAdapter> ic = new InterruptCharacteristics<TestAdapter>()
                    .allHandlers(TestAdapter::isr, TestAdapter::dpc, TestAdapter::enableInterrupt,
                            TestAdapter::disableInterrupt);
            if (sw.interruptWithoutDpc) {
                ic.interruptDpcHandler(null);
            }
            interrupt = ndis.NdisMRegisterInterruptEx(handle, this, ic);
            held.add(Switches.Res.INTERRUPT);
            checkStep(++step); // 10
        } catch (NdisStatusException e) {
            unwind();
            return initializeStatus(e.status());
        } catch (InitFailure f) {
            unwind();
            return sw.initFailureStatus;
        }
        if (sw.initReturnOverride != null) {
            return sw.initReturnOverride;
        }
        return NdisStatus.SUCCESS;
    }

    /** MiniportInitializeEx may return only SUCCESS, NOT_ACCEPTED, RESOURCES or FAILURE (docs/ndis-contract.md §2). */
    private static int initializeStatus(int status) {
        return status == NdisStatus.RESOURCES || status == NdisStatus.NOT_ACCEPTED ? status : NdisStatus.FAILURE;
    }

    private void checkStep(int step) {
        if (sw.failInitAfterStep == step) {
            throw new InitFailure();
        }
    }

    private int setRegistrationAttributes() {
        return ndis.NdisMSetMiniportAttributes(handle, MiniportAdapterAttributes.registration(this)
                .revision(sw.registrationRevision)
                .attributeFlags(HARDWARE_DEVICE | (sw.noBusMaster ? 0 : BUS_MASTER))
                .checkForHangTimeInSeconds(sw.checkForHangSeconds)
                .interfaceType(NdisInterfaceType.NdisInterfacePci)
                .build());
    }

    private void readConfiguration() {
        configuration = ndis.NdisOpenConfigurationEx(handle);
        held.add(Switches.Res.CONFIGURATION);
        rxBuffers = ndis.NdisReadConfiguration(configuration, RECEIVE_BUFFERS).intValue();
        txBuffers = ndis.NdisReadConfiguration(configuration, TRANSMIT_BUFFERS).intValue();
        jumboPacket = ndis.NdisReadConfiguration(configuration, StandardKeywords.JUMBO_PACKET).intValue();
        speedDuplex = ndis.NdisReadConfiguration(configuration, StandardKeywords.SPEED_DUPLEX).intValue();
        ParameterValue address = ndis.NdisReadNetworkAddress(configuration);
        current = address.status() == NdisStatus.SUCCESS ? address.macAddress() : null;
        if (sw.offloadCapabilities != null) {
            offloads = new io.nicup.ndis.miniport.core.OffloadOids(ndis, handle, sw.offloadCapabilities,
                    io.nicup.ndis.miniport.core.OffloadKeywords.read(ndis, configuration), programmedRss::add);
        }
        if (!sw.leakOnInitFailure.contains(Switches.Res.CONFIGURATION)) {
            release(Switches.Res.CONFIGURATION);
        }
    }

    private void mapRegisters() {
        regs = ndis.NdisMMapIoSpace(handle, params.allocatedResources().bar(0));
        held.add(Switches.Res.IO_SPACE);
        long low = regs.read32(REG_RAL) & 0xFFFF_FFFFL;
        long high = regs.read32(REG_RAH) & 0xFFFFL;
        // RAL/RAH hold the address little-endian: first octet in the low byte of RAL
        long v = 0;
        for (int i = 0; i < 4; i++) {
            v = (v << 8) | ((low >>> (8 * i)) & 0xFF);
        }
        for (int i = 0; i < 2; i++) {
            v = (v << 8) | ((high >>> (8 * i)) & 0xFF);
        }
        permanent = new MacAddress(v);
        if (current == null) {
            current = permanent;
        }
    }

    private int setGeneralAttributes() {
        int mtu = (jumboPacket == 0 ? 1514 : jumboPacket) - 14;
        return ndis.NdisMSetMiniportAttributes(handle, MiniportAdapterAttributes.general()
                .revision(sw.generalRevision)
                .mtuSize(mtu)
                .linkSpeeds(1_000_000_000L, 1_000_000_000L)
                .mediaConnectState(MediaConnectState.MediaConnectStateConnected)
                .mediaDuplexState(MediaDuplexState.MediaDuplexStateFull)
                .lookaheadSize(mtu)
                .supportedPacketFilters(SUPPORTED_FILTERS)
                .maxMulticastListSize(MAX_MULTICAST)
                .permanentMacAddress(sw.generalWithoutMac ? null : permanent)
                .currentMacAddress(sw.generalWithoutMac ? null : current)
                .supportedStatistics(NdisStatisticsInfo.VALID_DIRECTED_FRAMES_RCV | NdisStatisticsInfo.VALID_BYTES_RCV
                        | NdisStatisticsInfo.VALID_DIRECTED_FRAMES_XMIT)
                .supportedOidList(offloads == null ? SUPPORTED_OIDS : offloads.supportedOids(SUPPORTED_OIDS))
                .powerManagementCapabilitiesEx(NdisPmCapabilities.NONE)
                .recvScaleCapabilities(sw.recvScaleCapabilities != null ? sw.recvScaleCapabilities
                        : offloads != null ? offloads.generalAttributes(MiniportAdapterAttributes.general()).build()
                                .recvScaleCapabilities() : null)
                .build());
    }

    /** The shared core's offload and RSS OIDs (with {@link Switches#offloadCapabilities}), else null. */
    io.nicup.ndis.miniport.core.OffloadOids offloads;
    /** Each RSS configuration the core handed to the hardware hook, oldest first. */
    final java.util.List<io.nicup.ndis.oid.NdisReceiveScaleParameters> programmedRss = new java.util.ArrayList<>();

    /** One NBL per receive buffer, each pointing at its slice of the receive memory: no copy, no allocation. */
    private void setUpReceiveNbls() {
        rxPool = ndis.NdisAllocateNetBufferListPool(handle, NetBufferListPoolParameters.withoutData(rxBuffers, "rx"));
        held.add(Switches.Res.RX_POOL);
        rxNbls = new NetBufferList[rxBuffers];
        frameLengths = new int[rxBuffers];
        for (int i = 0; i < rxBuffers; i++) {
            long offset = (long) i * RX_BUFFER_SIZE;
            rxNbls[i] = rxPool.allocate(rxMemory.slice(offset, RX_BUFFER_SIZE), rxMemory.physicalAddress(offset), 0, 0);
            rxNbls[i].setMiniportReserved0(i);
            freeSlots.add(i);
        }
    }

    // ------------------------------------------------------------------------------------------------
    // Unwinding: failed initialization and MiniportHaltEx
    // ------------------------------------------------------------------------------------------------

    private void unwind() {
        releaseAll(sw.leakOnInitFailure, false);
    }

    void halt(HaltAction action) {
        maybeThrow(NdisCall.MiniportHaltEx);
        lastHaltAction = action;
        releaseAll(sw.leakOnHalt, true);
    }

    private void releaseAll(Set<Switches.Res> leak, boolean halting) {
        List<Switches.Res> order = new ArrayList<>(held);
        Collections.reverse(order);
        if (halting && sw.haltReleasesInAcquisitionOrder) {
            order = new ArrayList<>(held);
            if (order.remove(Switches.Res.INTERRUPT)) {
                order.add(0, Switches.Res.INTERRUPT);
            }
        }
        if (halting && sw.haltFreesMemoryBeforeInterrupt && order.remove(Switches.Res.RX_MEMORY)) {
            order.add(0, Switches.Res.RX_MEMORY);
        }
        for (Switches.Res r : order) {
            if (!leak.contains(r)) {
                release(r);
            }
        }
    }

    private void release(Switches.Res r) {
        switch (r) {
            case INTERRUPT -> ndis.NdisMDeregisterInterruptEx(interrupt);
            case TIMER -> {
                if (!sw.freeTimerWhileSet) {
                    ndis.NdisCancelTimerObject(watchdog);
                }
                ndis.NdisFreeTimerObject(watchdog);
            }
            case RX_POOL -> {
                for (NetBufferList nbl : rxNbls) {
                    if (nbl != null) {
                        rxPool.free(nbl);
                    }
                }
                ndis.NdisFreeNetBufferListPool(rxPool);
            }
            case TX_MEMORY -> ndis.NdisMFreeSharedMemory(handle, txMemory);
            case RX_MEMORY -> ndis.NdisMFreeSharedMemory(handle, rxMemory);
            case DMA -> ndis.NdisMDeregisterScatterGatherDma(dma);
            case IO_SPACE -> {
                ndis.NdisMUnmapIoSpace(handle, regs);
                if (sw.haltUnmapsTwice) {
                    ndis.NdisMUnmapIoSpace(handle, regs);
                }
            }
            case CONFIGURATION -> ndis.NdisCloseConfiguration(configuration);
        }
        held.remove(r);
    }

    // ------------------------------------------------------------------------------------------------
    // Restart / pause / shutdown / PnP
    // ------------------------------------------------------------------------------------------------

    int restart(RestartParameters p) {
        maybeThrow(NdisCall.MiniportRestart);
        if (sw.setAttributesInRestart) {
            setRegistrationAttributes();
        }
        if (sw.restartStatus != NdisStatus.SUCCESS) {
            return sw.restartStatus;
        }
        running = true;
        ndis.NdisSetTimerObject(watchdog, 1_000_000_000L, 1_000_000_000L);
        if (sw.duringRestart != null) {
            sw.duringRestart.run();
        }
        if (sw.restartCompleteAndReturn) {
            ndis.NdisMRestartComplete(handle, NdisStatus.SUCCESS);
            return NdisStatus.SUCCESS;
        }
        return sw.restartPending ? NdisStatus.PENDING : NdisStatus.SUCCESS;
    }

    void completeRestart(int status) {
        ndis.NdisMRestartComplete(handle, status);
    }

    int pause(PauseParameters p) {
        maybeThrow(NdisCall.MiniportPause);
        running = false;
        pausing = true;
        ndis.NdisCancelTimerObject(watchdog);
        if (sw.pauseStatus != NdisStatus.SUCCESS) {
            pausing = false;
            return sw.pauseStatus;
        }
        if (sw.pauseCompleteAndReturnSuccess) {
            ndis.NdisMPauseComplete(handle);
            pausing = false;
            return NdisStatus.SUCCESS;
        }
        if (sw.pauseCompletesImmediately) {
            pausing = false;
            return NdisStatus.SUCCESS;
        }
        if (sw.pauseAlwaysPending || !drained()) {
            pausePending = true;
            return NdisStatus.PENDING;
        }
        pausing = false;
        return NdisStatus.SUCCESS;
    }

    private boolean drained() {
        return txQueue.isEmpty() && rxOutstanding == 0;
    }

    /** Completes a pending pause once sends are done and receives are back (or when forced by a test). */
    void completePauseIfDrained(boolean force) {
        if (shutdownAction != null) {
            return; // a shut-down miniport calls NDIS no more: the pause it had pending never completes
        }
        if (pausePending && (force || (!sw.pauseAlwaysPending && drained()))) {
            pausePending = false;
            pausing = false;
            ndis.NdisMPauseComplete(handle);
        }
    }

    void shutdown(ShutdownAction action) {
        maybeThrow(NdisCall.MiniportShutdownEx);
        shutdownAction = action;
        running = false;
    }

    void pnpEvent(DevicePnPEvent event) {
        lastPnpEvent = event;
    }

    // ------------------------------------------------------------------------------------------------
    // Data path
    // ------------------------------------------------------------------------------------------------

    void send(NetBufferList chain, int portNumber, int sendFlags) {
        maybeThrow(NdisCall.MiniportSendNetBufferLists);
        NetBufferList rejectedHead = null;
        NetBufferList rejectedTail = null;
        for (NetBufferList nbl = chain; nbl != null; ) {
            NetBufferList next = nbl.next();
            nbl.setNext(null);
            if (pausing && !sw.completeSendsWithSuccessWhilePausing) {
                nbl.setStatus(NdisStatus.PAUSED);
                if (rejectedHead == null) {
                    rejectedHead = nbl;
                } else {
                    rejectedTail.setNext(nbl);
                }
                rejectedTail = nbl;
            } else {
                if (sw.recordTxIovas) {
                    for (NetBuffer nb = nbl.firstNetBuffer(); nb != null; nb = nb.next()) {
                        txDataIovas.add(nb.dataIova());
                    }
                }
                txQueue.add(nbl);
            }
            nbl = next;
        }
        if (rejectedHead != null) {
            ndis.NdisMSendNetBufferListsComplete(handle, rejectedHead, 0);
        }
    }

    /** Transmit-done DPC: completes every queued send in one batch. */
    private void completeTransmits() {
        NetBufferList head = null;
        NetBufferList tail = null;
        NetBufferList nbl;
        while ((nbl = txQueue.poll()) != null) {
            nbl.setStatus(sw.txCompletionStatus);
            txFrames++;
            if (head == null) {
                head = nbl;
            } else {
                tail.setNext(nbl);
            }
            tail = nbl;
        }
        if (head != null) {
            ndis.NdisMSendNetBufferListsComplete(handle, head, 0);
            if (sw.completeSendsTwice) {
                ndis.NdisMSendNetBufferListsComplete(handle, head, 0);
            }
        }
        completePauseIfDrained(false);
    }

    void cancelSend(long cancelId) {
        NetBufferList head = null;
        for (var it = txQueue.iterator(); it.hasNext(); ) {
            NetBufferList nbl = it.next();
            if (nbl.cancelId() == cancelId) {
                it.remove();
                nbl.setStatus(NdisStatus.SEND_ABORTED);
                nbl.setNext(head);
                head = nbl;
            }
        }
        if (head != null) {
            ndis.NdisMSendNetBufferListsComplete(handle, head, 0);
        }
    }

    /** The NIC wrote a received frame into the next free receive buffer (test side of the "hardware"). */
    boolean deliverFrame(byte[] frame) {
        Integer slot = freeSlots.poll();
        if (slot == null) {
            rxDropped++;
            return false;
        }
        MemorySegment.copy(frame, 0, rxMemory.segment(), ValueLayout.JAVA_BYTE, (long) slot * RX_BUFFER_SIZE,
                frame.length);
        frameLengths[slot] = frame.length;
        filledSlots.add(slot);
        return true;
    }

    /** Receive DPC: indicates every received frame as one batch. */
    private void indicateReceives() {
        if (filledSlots.isEmpty()) {
            return;
        }
        if (!running && !pausing && !sw.indicateWhileNotRunning) {
            freeSlots.addAll(filledSlots);
            filledSlots.clear();
            return;
        }
        NetBufferList head = null;
        NetBufferList tail = null;
        int n = 0;
        Integer slot;
        while ((slot = filledSlots.poll()) != null) {
            NetBufferList nbl = rxNbls[slot];
            nbl.firstNetBuffer().setData(0, frameLengths[slot]);
            nbl.setNext(null);
            if (head == null) {
                head = nbl;
            } else {
                tail.setNext(nbl);
            }
            tail = nbl;
            n++;
            rxFrames++;
            rxBytes += frameLengths[slot];
        }
        int flags = sw.indicateWithResources ? NdisReceiveFlags.RESOURCES : 0;
        if (!sw.indicateWithResources) {
            rxOutstanding += n;
        }
        inIndicate = true;
        try {
            ndis.NdisMIndicateReceiveNetBufferLists(handle, head, 0, n + sw.indicateCountDelta, flags);
        } finally {
            inIndicate = false;
        }
        if (sw.indicateWithResources) {
            for (NetBufferList nbl = head; nbl != null; nbl = nbl.next()) {
                freeSlots.add((Integer) nbl.miniportReserved0());
            }
        }
    }

    void returnNetBufferLists(NetBufferList chain, int returnFlags) {
        maybeThrow(NdisCall.MiniportReturnNetBufferLists);
        if (inIndicate) {
            returnsDuringIndicate++;
        }
        for (NetBufferList nbl = chain; nbl != null; nbl = nbl.next()) {
            freeSlots.add((Integer) nbl.miniportReserved0());
            rxOutstanding--;
        }
        completePauseIfDrained(false);
        returnCalls++;
    }

    // ------------------------------------------------------------------------------------------------
    // Interrupts and the watchdog
    // ------------------------------------------------------------------------------------------------

    IsrResult isr(int messageId) {
        maybeThrow(NdisCall.MiniportInterrupt);
        return IsrResult.QUEUE_DPC;
    }

    void dpc(int messageId) {
        sw.dpcEnter.accept(messageId);
        try {
            maybeThrow(NdisCall.MiniportInterruptDpc);
            switch (messageId) {
                case VECTOR_RX -> indicateReceives();
                case VECTOR_TX -> completeTransmits();
                case VECTOR_LINK -> indicateLinkState();
                default -> {
                }
            }
        } finally {
            sw.dpcExit.accept(messageId);
        }
    }

    void enableInterrupt(int messageId) {
    }

    void disableInterrupt(int messageId) {
    }

    private void indicateLinkState() {
        if (shutdownAction != null) {
            return;
        }
        boolean up = (regs.read32(REG_STATUS) & STATUS_LU) != 0;
        Object buffer = sw.malformedLinkState ? "not an NDIS_LINK_STATE"
                : up ? NdisLinkState.connected(1_000_000_000L, MediaDuplexState.MediaDuplexStateFull)
                        : NdisLinkState.disconnected();
        ndis.NdisMIndicateStatusEx(handle, new NdisStatusIndication(NdisStatus.LINK_STATE, buffer, 0));
    }

    void watchdogFired() {
        watchdogFires++;
    }

    // ------------------------------------------------------------------------------------------------
    // OIDs, CheckForHang, reset
    // ------------------------------------------------------------------------------------------------

    int oidRequest(NdisOidRequest r) {
        maybeThrow(NdisCall.MiniportOidRequest);
        if (sw.pendingOids.contains(r.oid())) {
            pendingOid = r;
            if (sw.oidCompleteAndReturn) {
                ndis.NdisMOidRequestComplete(handle, r, answer(r));
                return NdisStatus.SUCCESS;
            }
            return NdisStatus.PENDING;
        }
        return answer(r);
    }

    int directOidRequest(NdisOidRequest r) {
        return answer(r);
    }

    /** Completes the request returned PENDING earlier, with what it would have answered. */
    void completePendingOid() {
        NdisOidRequest r = pendingOid;
        pendingOid = null;
        ndis.NdisMOidRequestComplete(handle, r, answer(r));
    }

    void cancelOidRequest(long requestId) {
        if (pendingOid != null && pendingOid.requestId() == requestId && !sw.ignoreOidCancel) {
            NdisOidRequest r = pendingOid;
            pendingOid = null;
            ndis.NdisMOidRequestComplete(handle, r, NdisStatus.REQUEST_ABORTED);
        }
    }

    private int answer(NdisOidRequest r) {
        if (sw.oidStatusOverride != 0) {
            return sw.oidStatusOverride;
        }
        if (sw.unsupportedListedOids.contains(r.oid())) {
            return NdisStatus.NOT_SUPPORTED;
        }
        if (sw.oidNoBytesNeeded && r.oid() == Oid.OID_802_3_PERMANENT_ADDRESS) {
            return NdisStatus.BUFFER_TOO_SHORT;
        }
        if (sw.oidOverwrite && r.oid() == Oid.OID_802_3_CURRENT_ADDRESS) {
            r.setBytesWritten(r.informationBufferLength() + 2);
            return NdisStatus.SUCCESS;
        }
        boolean set = r.requestType() == OidRequestType.NdisRequestSetInformation;
        if (sw.rssTakesAnything && set && r.oid() == Oid.GEN_RECEIVE_SCALE_PARAMETERS) {
            return NdisStatus.SUCCESS;
        }
        return switch (r.oid()) {
            case Oid.GEN_CURRENT_PACKET_FILTER -> set ? setPacketFilter(r) : r.queryUlong(packetFilter);
            case Oid.OID_802_3_PERMANENT_ADDRESS -> r.queryMacAddress(permanent);
            case Oid.OID_802_3_CURRENT_ADDRESS -> r.queryMacAddress(current);
            case Oid.OID_802_3_MULTICAST_LIST -> set ? setMulticastList(r) : r.queryBytes(multicast);
            case Oid.OID_802_3_MAXIMUM_LIST_SIZE -> r.queryUlong(MAX_MULTICAST);
            case Oid.GEN_STATISTICS -> r.queryStatistics(new NdisStatisticsInfo(
                    NdisStatisticsInfo.VALID_DIRECTED_FRAMES_RCV | NdisStatisticsInfo.VALID_BYTES_RCV
                            | NdisStatisticsInfo.VALID_DIRECTED_FRAMES_XMIT,
                    0, 0, rxBytes, rxFrames, 0, 0, 0, txFrames, 0, 0, 0, 0, rxBytes, 0, 0, 0, 0, 0));
            default -> offloads == null ? NdisStatus.NOT_SUPPORTED : offloads.request(r);
        };
    }

    private int setPacketFilter(NdisOidRequest r) {
        int status = r.requireLength(4);
        if (status != NdisStatus.SUCCESS) {
            return status;
        }
        int filter = r.readUlong(0);
        if ((filter & ~SUPPORTED_FILTERS) != 0 && !sw.packetFilterAcceptsAnything) {
            return NdisStatus.NOT_SUPPORTED;
        }
        packetFilter = filter;
        return NdisStatus.SUCCESS;
    }

    private int setMulticastList(NdisOidRequest r) {
        int length = r.informationBufferLength();
        if (!sw.multicastNoChecks) {
            if (length % MacAddress.LENGTH != 0) {
                r.setBytesNeeded((length / MacAddress.LENGTH + 1) * MacAddress.LENGTH);
                return NdisStatus.INVALID_LENGTH;
            }
            if (length / MacAddress.LENGTH > MAX_MULTICAST) {
                return NdisStatus.MULTICAST_FULL;
            }
        }
        multicast = r.informationBuffer().toArray(ValueLayout.JAVA_BYTE);
        r.setBytesRead(length);
        return NdisStatus.SUCCESS;
    }

    boolean checkForHang() {
        maybeThrow(NdisCall.MiniportCheckForHangEx);
        hangChecks++;
        return sw.reportHang;
    }

    ResetResult reset() {
        resets++;
        sw.reportHang = false;
        if (sw.resetCompleteAndReturn) {
            ndis.NdisMResetComplete(handle, NdisStatus.SUCCESS, false);
            return ResetResult.SUCCESS;
        }
        return new ResetResult(sw.resetStatus, sw.resetAddressing);
    }

    void completeReset(int status) {
        ndis.NdisMResetComplete(handle, status, sw.resetAddressing);
    }

    private void maybeThrow(NdisCall call) {
        if (sw.throwIn == call) {
            throw new IllegalStateException("test miniport fails in " + call);
        }
    }
}

package io.nicup.ndis;

import io.nicup.ndis.adapter.DevicePnPEvent;
import io.nicup.ndis.adapter.HaltAction;
import io.nicup.ndis.adapter.InitParameters;
import io.nicup.ndis.adapter.IsrResult;
import io.nicup.ndis.adapter.NdisAdapterHandle;
import io.nicup.ndis.adapter.NdisDmaHandle;
import io.nicup.ndis.adapter.NdisInterruptHandle;
import io.nicup.ndis.adapter.NdisIoSpace;
import io.nicup.ndis.adapter.NdisTimer;
import io.nicup.ndis.adapter.PauseParameters;
import io.nicup.ndis.adapter.ResetResult;
import io.nicup.ndis.adapter.RestartParameters;
import io.nicup.ndis.adapter.SharedMemory;
import io.nicup.ndis.adapter.ShutdownAction;
import io.nicup.ndis.config.Keyword;
import io.nicup.ndis.config.NdisConfiguration;
import io.nicup.ndis.config.StandardKeywords;
import io.nicup.ndis.datapath.NetBufferList;
import io.nicup.ndis.datapath.NetBufferListPool;
import io.nicup.ndis.miniport.core.OffloadOids;
import io.nicup.ndis.oid.NdisOidRequest;
import io.nicup.ndis.oid.NdisPacketFilter;
import io.nicup.ndis.oid.NdisReceiveScaleParameters;
import io.nicup.ndis.oid.Oid;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * One adapter of the {@link TestMiniport}: the shape of a real NIC miniport over the fake device.
 * "Hardware" is simulated the way a DMA NIC behaves: {@link #deliverFrame} plays the NIC writing a
 * received frame into a receive buffer, vector 0 is "receive", vector 1 "transmit done", vector 2 "link
 * change" (STATUS bit 1 = link up). Sends wait in a transmit queue until the transmit interrupt's DPC
 * completes them. This class holds the adapter's state and its handlers; the work is split by job:
 * {@link TestAdapterResources} (initialize and halt), {@link TestAdapterDataPath}, {@link TestAdapterOids}.
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

    /** The shared core's offload and RSS OIDs (with {@link Switches#offloadCapabilities}), else null. */
    OffloadOids offloads;
    /** Each RSS configuration the core handed to the hardware hook, oldest first. */
    final List<NdisReceiveScaleParameters> programmedRss = new ArrayList<>();

    private final TestAdapterResources resources;
    private final TestAdapterDataPath dataPath;
    private final TestAdapterOids oids;

    TestAdapter(TestMiniport driver, NdisAdapterHandle handle, InitParameters params) {
        this.driver = driver;
        this.sw = driver.sw;
        this.ndis = driver.ndis;
        this.handle = handle;
        this.params = params;
        this.resources = new TestAdapterResources(this);
        this.dataPath = new TestAdapterDataPath(this);
        this.oids = new TestAdapterOids(this);
    }

    // ------------------------------------------------------------------------------------------------
    // MiniportInitializeEx and MiniportHaltEx: see TestAdapterResources
    // ------------------------------------------------------------------------------------------------

    int initialize() {
        return resources.initialize();
    }

    void halt(HaltAction action) {
        resources.halt(action);
    }

    // ------------------------------------------------------------------------------------------------
    // Restart / pause / shutdown / PnP
    // ------------------------------------------------------------------------------------------------

    int restart(RestartParameters p) {
        maybeThrow(NdisCall.MiniportRestart);
        if (sw.setAttributesInRestart) {
            resources.setRegistrationAttributes();
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
    // Data path: see TestAdapterDataPath
    // ------------------------------------------------------------------------------------------------

    void send(NetBufferList chain, int portNumber, int sendFlags) {
        dataPath.send(chain, portNumber, sendFlags);
    }

    void cancelSend(long cancelId) {
        dataPath.cancelSend(cancelId);
    }

    /** The NIC wrote a received frame into the next free receive buffer (test side of the "hardware"). */
    boolean deliverFrame(byte[] frame) {
        return dataPath.deliverFrame(frame);
    }

    void returnNetBufferLists(NetBufferList chain, int returnFlags) {
        dataPath.returnNetBufferLists(chain, returnFlags);
    }

    // ------------------------------------------------------------------------------------------------
    // Interrupts and the watchdog
    // ------------------------------------------------------------------------------------------------

    IsrResult isr(int messageId) {
        sw.isrEnter.accept(messageId);
        maybeThrow(NdisCall.MiniportInterrupt);
        return IsrResult.QUEUE_DPC;
    }

    void dpc(int messageId) {
        sw.dpcEnter.accept(messageId);
        try {
            maybeThrow(NdisCall.MiniportInterruptDpc);
            switch (messageId) {
                case VECTOR_RX -> dataPath.indicateReceives();
                case VECTOR_TX -> dataPath.completeTransmits();
                case VECTOR_LINK -> dataPath.indicateLinkState();
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

    void watchdogFired() {
        watchdogFires++;
    }

    // ------------------------------------------------------------------------------------------------
    // OIDs (see TestAdapterOids), CheckForHang, reset
    // ------------------------------------------------------------------------------------------------

    int oidRequest(NdisOidRequest r) {
        return oids.oidRequest(r);
    }

    int directOidRequest(NdisOidRequest r) {
        return oids.directOidRequest(r);
    }

    /** Completes the request returned PENDING earlier, with what it would have answered. */
    void completePendingOid() {
        oids.completePendingOid();
    }

    void cancelOidRequest(long requestId) {
        oids.cancelOidRequest(requestId);
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

    void maybeThrow(NdisCall call) {
        if (sw.throwIn == call) {
            throw new IllegalStateException("test miniport fails in " + call);
        }
    }
}

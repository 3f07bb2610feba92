package io.nicup.ndis.miniport.intel;

import io.nicup.ndis.MacAddress;
import io.nicup.ndis.Ndis;
import io.nicup.ndis.NdisStatus;
import io.nicup.ndis.adapter.DevicePnPEvent;
import io.nicup.ndis.adapter.HaltAction;
import io.nicup.ndis.adapter.InitParameters;
import io.nicup.ndis.adapter.NdisAdapterHandle;
import io.nicup.ndis.adapter.NdisInterruptHandle;
import io.nicup.ndis.adapter.NdisIoSpace;
import io.nicup.ndis.adapter.PauseParameters;
import io.nicup.ndis.adapter.ResetResult;
import io.nicup.ndis.adapter.RestartParameters;
import io.nicup.ndis.adapter.ShutdownAction;
import io.nicup.ndis.datapath.NetBufferList;
import io.nicup.ndis.miniport.core.NdisDataPath;
import io.nicup.ndis.miniport.core.OffloadOids;
import io.nicup.ndis.miniport.core.PacketBufferPool;
import io.nicup.ndis.oid.NdisOidRequest;
import io.nicup.ndis.oid.NdisStatisticsInfo;
import io.nicup.ndis.oid.Oid;
import io.nicup.vfio.InterruptMode;

/**
 * One Intel gigabit adapter (82574L or 82576): the MiniportAdapterContext of {@link IntelMiniport}.
 * MiniportInitializeEx follows the chip's software initialization (82574 datasheet 4.6, 82576 datasheet
 * 4.5; Linux e1000e and igb) inside the NDIS order: registration attributes, configuration, I/O space,
 * reset and identify, general attributes, DMA, shared memory and pools, hardware programming, interrupt.
 * MiniportHaltEx undoes it in reverse, interrupt first; both are {@link IntelResources}. Each chip supplies
 * its steps through its {@link IntelChip}; this class keeps everything NDIS sees while the adapter runs.
 *
 * <h2>Interrupts</h2>
 * MSI-X: vector {@value #VECTOR_RX} receive queue 0, {@value #VECTOR_TX} transmit queue 0,
 * {@value #VECTOR_OTHER} the other causes (link), receive queues 1.. on vectors 3.. ({@link ReceiveQueuePlan}),
 * routed by the chip; each receive queue's DPC services its own ring. MSI and INTx: one vector, ICR clears
 * on read; the ISR keeps the causes for the DPC. Polling ({@code InterruptMode = 4}): no interrupt is
 * registered; a 1 ms NDIS timer runs the same service routine and reads ICR for link changes. All of
 * that is {@link IntelInterrupts}.
 *
 * <h2>Data path</h2>
 * Sends are DMA'd straight from the NET_BUFFERs (zero copy), one descriptor per NB, one TDT write per
 * batch; receive buffers are NBLs made once at initialization over a {@link PacketBufferPool}, indicated
 * in place and put back in the ring when the protocol returns them. Nothing on these paths allocates,
 * throws or logs: that is the core {@link NdisDataPath} over {@link IntelTxQueue} and {@link IntelRxQueue}.
 *
 * <h2>The receiver after Restart</h2>
 * Receive indications are allowed only in Running, and NDIS makes the adapter Running only when
 * MiniportRestart has returned. On the 82576, enabling the receiver inside Restart let QEMU flush the
 * frames it had queued at once and a DPC indicate them while the adapter was still Restarting (the
 * indication is rejected, its NBLs never return, the next pause never completes), so its chip asks for
 * the receiver to go on {@link IntelChip#receiverStartDelayNanos() a moment after} Restart returns.
 *
 * @param <C> the chip profile
 */
public final class IntelAdapter<C extends IntelChip> {

    public static final int VECTOR_RX = 0;
    public static final int VECTOR_TX = 1;
    public static final int VECTOR_OTHER = 2;
    public static final int MSIX_VECTORS = 3;
    static final int MAX_MULTICAST = 64;
    /** Buffers for self-test frames, allocated with the rings so that diagnostics allocate nothing. */
    static final int SELFTEST_FRAMES = 64;
    static final int SELFTEST_BUFFER = 2048;
    /** An 802.1Q tag a received frame may carry beyond the configured frame size. */
    static final int VLAN_TAG = 4;

    static final int[] SUPPORTED_OIDS = {Oid.GEN_SUPPORTED_LIST, Oid.GEN_CURRENT_PACKET_FILTER, Oid.GEN_LINK_STATE,
        Oid.GEN_MAXIMUM_FRAME_SIZE, Oid.GEN_STATISTICS, Oid.OID_802_3_PERMANENT_ADDRESS, Oid.OID_802_3_CURRENT_ADDRESS,
        Oid.OID_802_3_MULTICAST_LIST, Oid.OID_802_3_MAXIMUM_LIST_SIZE};

    final IntelMiniport<C> driver;
    final Ndis ndis;
    final NdisAdapterHandle handle;
    final InitParameters params;

    IntelConfig config;
    MacAddress permanent;
    MacAddress current;
    final IntelCounters counters = new IntelCounters();

    // resources, in acquisition order (IntelResources)
    NdisIoSpace io;
    C chip;
    IntelHardware hw;
    TxDescriptorRing tx;
    RxDescriptorRing rx;
    /**
     * The receive queues run ({@link ReceiveQueuePlan}, then 1 should the interrupt registration fall back
     * from MSI-X), decided before anything announces them.
     */
    int receiveQueues = 1;
    PacketBufferPool selftestPool;

    final Object stateLock = new Object();
    /** Sends, completions, receives, returns and the pause that waits for them; owns txLock and the receive locks. */
    final NdisDataPath dataPath;
    /** The receive rings and queues as the data path sees them, opened by the data path's allocation. */
    final IntelReceiveQueues rxQueues = new IntelReceiveQueues();
    /** ISR, DPC, poll timer and link changes; holds the interrupt and the timers. */
    final IntelInterrupts interrupts;
    /** The filter and multicast OIDs, RCTL and the statistics. */
    final IntelOids oids;
    /** Offload and RSS attributes and OIDs over the chip's capabilities; set once the configuration is read. */
    OffloadOids offloads;
    /**
     * Set by MiniportDevicePnPEventNotify(SurpriseRemoved): the device is gone, every register reads
     * all-ones and writes go nowhere, so nothing touches a register again (TDT, RDT, ICR included); see
     * {@link #pause} for how the sends it held complete. The data path has its own flag for the
     * doorbells ({@link NdisDataPath#markSurpriseRemoved}).
     */
    volatile boolean surpriseRemoved;
    /** CheckForHang and MiniportResetEx. */
    private final IntelHangCheck hangCheck = new IntelHangCheck(this);
    /** MiniportInitializeEx and MiniportHaltEx: what the adapter holds, acquired and released. */
    private final IntelResources<C> resources;

    IntelAdapter(IntelMiniport<C> driver, NdisAdapterHandle handle, InitParameters params) {
        this.driver = driver;
        this.ndis = driver.ndis;
        this.handle = handle;
        this.params = params;
        this.dataPath = new NdisDataPath(ndis, handle, stateLock, () -> false);   // the chips never stop on their own
        dataPath.setLinkUp(false);                                      // until MiniportRestartEx reads it
        this.interrupts = new IntelInterrupts(this);
        this.oids = new IntelOids(this);
        this.resources = new IntelResources<>(this);
    }

    // ================================================================================================
    // MiniportInitializeEx and MiniportHaltEx: see IntelResources
    // ================================================================================================

    /** MiniportInitializeEx: see {@link IntelResources#initialize}. */
    int initialize() {
        return resources.initialize();
    }

    /** MiniportHaltEx: see {@link IntelResources#halt}. */
    void halt(HaltAction action) {
        resources.halt(action);
    }

    /**
     * Programming after a reset, in the datasheets' order: the chip's own bits, receive addresses (RAR[0]
     * the current address, the others invalid), multicast, link, flow control (docs/hardware-reference.md B.14),
     * statistics cleared (they clear on read),
     * transmit, receive, interrupt moderation, and RCTL (EN only while running). Also the second half of
     * MiniportResetEx.
     */
    void programHardware() {
        chip.programChipBits();
        hw.setReceiveAddress(0, current);
        for (int i = 1; i < chip.hardware().receiveAddresses(); i++) {
            hw.setReceiveAddress(i, null);
        }
        oids.applyMulticast();
        hw.setUpLink(config.speedDuplex());
        FlowControl.program(hw, chip.flowControl(), config.flowControlMode(), config.jumboPacket() + 4);
        IntelCounters.clearChip(io);
        chip.programTransmit(tx);
        chip.programReceiveQueues(rxQueues.rings(), config);
        chip.programReceiveChecksum(IntelChecksum.rxcsum(offloads.receiveChecksums()));
        chip.programInterruptModeration(config.interruptModeration() != 0);
        oids.writeRctl();
        hw.flush();
    }

    // ================================================================================================
    // Restart, pause, shutdown, PnP
    // ================================================================================================

    int restart(RestartParameters p) {
        dataPath.setRunning(true);
        interrupts.restart();
        return NdisStatus.SUCCESS;
    }

    int pause(PauseParameters p) {
        synchronized (stateLock) {
            dataPath.setRunning(false);                      // new sends: PAUSED; receives: dropped
        }
        interrupts.awaitDecidedIndications();                // none may arrive once NDIS moves on to halt
        interrupts.stopReceiverStart();
        if (surpriseRemoved) {
            interrupts.stopPolling();                        // no register is touched (DataPathDrain#pauseRemoved)
            return dataPath.drain().pauseRemoved();
        }
        oids.writeRctl();
        int status = dataPath.drain().pause();
        if (status == NdisStatus.SUCCESS) {
            interrupts.pause();
        }
        // PENDING: the sends still in flight (more than the ring holds may wait behind it) complete through the
        // transmit interrupt or the poll timer, so both stay on until MiniportHaltEx; a paused adapter drops
        // what it receives and may still indicate the link (docs/ndis-contract.md §22).
        return status;
    }

    void shutdown(ShutdownAction action) {
        // MiniportShutdownEx: put the device in a known state; nothing is freed (no NDIS calls allowed).
        dataPath.setRunning(false);
        if (io != null) {
            chip.shutdown();
        }
    }

    void pnpEvent(DevicePnPEvent event) {
        if (event == DevicePnPEvent.NdisDevicePnPEventSurpriseRemoved) {
            surpriseRemoved = true;                          // NDIS pauses and halts next (SurpriseRemoved)
            dataPath.markSurpriseRemoved();
        }
    }

    // ================================================================================================
    // Send, receive return, OIDs
    // ================================================================================================

    void send(NetBufferList chain, int portNumber, int sendFlags) {
        dataPath.send(chain);
    }

    void cancelSend(long cancelId) {
        dataPath.cancelSend(cancelId);
    }

    void returnNetBufferLists(NetBufferList chain, int returnFlags) {
        dataPath.returnNetBufferLists(chain);
    }

    int oidRequest(NdisOidRequest r) {
        return oids.request(r);
    }

    void cancelOidRequest(long requestId) {
        // Every OID completes synchronously: nothing is ever pending.
    }

    // ================================================================================================
    // CheckForHang and reset
    // ================================================================================================

    /** MiniportCheckForHangEx: see {@link IntelHangCheck#checkForHang}. */
    boolean checkForHang() {
        return hangCheck.checkForHang();
    }

    /** MiniportResetEx: see {@link IntelHangCheck#reset}. */
    ResetResult reset() {
        return hangCheck.reset();
    }

    /** Quiesce, CTRL.RST and program everything again; RX buffers in the ring go back to it. Holds both locks. */
    public void reinitializeHardware() {
        hw.quiesce();
        hw.reset();
        rxQueues.takeBackReceiveBuffers();
        programHardware();
        chip.rerouteAfterReset(interrupts.mode());
        oids.applyFilter();
        if (dataPath.running() && !interrupts.polling()) {
            chip.unmaskInterrupts();
        }
    }

    /** NDIS_STATISTICS_INFO from the accumulated chip counters (reads and clears them first). */
    NdisStatisticsInfo statistics() {
        if (io != null && !dataPath.diagnosticsActive() && !surpriseRemoved) {
            counters.accumulate(io);
        }
        return IntelStatistics.of(counters);
    }

    // ================================================================================================
    // accessors for the chip's diagnostics and the public API
    // ================================================================================================

    public C chip() {
        return chip;
    }

    public NdisDataPath dataPath() {
        return dataPath;
    }

    public IntelCounters counters() {
        return counters;
    }

    public MacAddress currentAddress() {
        return current;
    }

    public TxDescriptorRing tx() {
        return tx;
    }

    public RxDescriptorRing rx() {
        return rx;
    }

    /** The receive queues the adapter runs (1 without multiple receive queues). */
    public int receiveQueues() {
        return receiveQueues;
    }

    /** Receive queue {@code queue}'s ring. */
    public RxDescriptorRing rx(int queue) {
        return rxQueues.ring(queue);
    }

    /** Frames indicated from receive queue {@code queue} (the driver's own count, written by its DPC only). */
    public long rxQueueFrames(int queue) {
        return rxQueues.frames(queue);
    }

    /** Bytes of the frames indicated from receive queue {@code queue}. */
    public long rxQueueBytes(int queue) {
        return rxQueues.bytes(queue);
    }

    public PacketBufferPool selftestPool() {
        return selftestPool;
    }

    public Object txLock() {
        return dataPath.txLock();
    }

    public boolean running() {
        return dataPath.running();
    }

    /** The interrupt mode in use, or null when polling. */
    public InterruptMode interruptMode() {
        return interrupts.mode();
    }

    public NdisInterruptHandle interruptHandle() {
        return interrupts.handle();
    }

    /** Every ICR cause any ISR saw, for the interrupt self-test. */
    public int observedCauses() {
        return interrupts.observedCauses;
    }

    /** Every MSI-X vector an ISR ran for since the last clear, for the interrupt self-test. */
    public int observedVectors() {
        return interrupts.observedVectors;
    }

    /** Forgets the observed causes (an interrupt self-test step starts from none). */
    public void clearObservedCauses() {
        interrupts.observedCauses = 0;
    }

    /** Forgets the observed vectors (an interrupt self-test step starts from none). */
    public void clearObservedVectors() {
        interrupts.observedVectors = 0;
    }

    /** Set once a link-change storm was detected: the link cause stays masked. */
    public boolean linkCauseMasked() {
        return interrupts.linkCauseMasked;
    }

    /** Whether MiniportDevicePnPEventNotify reported the device surprise-removed. */
    public boolean surpriseRemoved() {
        return surpriseRemoved;
    }

    /** Completed MiniportResetEx calls. */
    public long resets() {
        return hangCheck.resets;
    }

    /** Resets CheckForHang asked for because the device broke its ring protocol (a head outside its ring, DD where it was never given). */
    public long ringResets() {
        return hangCheck.ringResets;
    }

    /** The data path's bookkeeping, for diagnostics: frames in the TX ring, queued, RX NBLs with the protocol. */
    public String dataPathState() {
        return dataPath.drain().describe();
    }

    @Override
    public String toString() {
        InterruptMode mode = interrupts.mode();
        return "E" + driver.profile().name().substring(1) + "Adapter[interrupts=" + (mode == null ? "POLLING" : mode)
                + ", mac=" + current + ", permanent=" + permanent + ", rx=" + (config == null ? 0 : config.receiveBuffers())
                + ", tx=" + (config == null ? 0 : config.transmitBuffers()) + ", jumbo="
                + (config == null ? 0 : config.jumboPacket()) + "]";
    }
}

package io.nicup.ndis.miniport.i82576;

import static io.nicup.ndis.MiniportAdapterAttributes.Registration.BUS_MASTER;
import static io.nicup.ndis.MiniportAdapterAttributes.Registration.HARDWARE_DEVICE;
import static io.nicup.ndis.miniport.core.ReceiveFilterOids.SUPPORTED_FILTERS;
import static io.nicup.ndis.miniport.intel.IntelStatistics.SUPPORTED_STATISTICS;

import io.nicup.ndis.DevicePnPEvent;
import io.nicup.ndis.HaltAction;
import io.nicup.ndis.InitParameters;
import io.nicup.ndis.InterruptCharacteristics;
import io.nicup.ndis.IsrResult;
import io.nicup.ndis.MacAddress;
import io.nicup.ndis.MediaConnectState;
import io.nicup.ndis.MediaDuplexState;
import io.nicup.ndis.MiniportAdapterAttributes;
import io.nicup.ndis.Ndis;
import io.nicup.ndis.NdisAdapterHandle;
import io.nicup.ndis.NdisConfiguration;
import io.nicup.ndis.NdisDmaHandle;
import io.nicup.ndis.NdisInterfaceType;
import io.nicup.ndis.NdisInterruptHandle;
import io.nicup.ndis.NdisIoSpace;
import io.nicup.ndis.NdisLinkState;
import io.nicup.ndis.NdisOidRequest;
import io.nicup.ndis.NdisPacketFilter;
import io.nicup.ndis.NdisPmCapabilities;
import io.nicup.ndis.NdisStatisticsInfo;
import io.nicup.ndis.NdisStatus;
import io.nicup.ndis.NdisStatusException;
import io.nicup.ndis.NdisStatusIndication;
import io.nicup.ndis.NdisTimer;
import io.nicup.ndis.NetBufferList;
import io.nicup.ndis.Oid;
import io.nicup.ndis.OidRequestType;
import io.nicup.ndis.ParameterValue;
import io.nicup.ndis.PauseParameters;
import io.nicup.ndis.ResetResult;
import io.nicup.ndis.RestartParameters;
import io.nicup.ndis.ScatterGatherDmaDescription;
import io.nicup.ndis.StandardKeywords;
import io.nicup.ndis.miniport.core.DecidedIndications;
import io.nicup.ndis.miniport.core.InitFailure;
import io.nicup.ndis.miniport.core.PacketBufferPool;
import io.nicup.ndis.miniport.core.ReceiveFilterOids;
import io.nicup.ndis.miniport.intel.DataPathMemory;
import io.nicup.ndis.miniport.intel.IntelCounters;
import io.nicup.ndis.miniport.intel.IntelDataPath;
import io.nicup.ndis.miniport.intel.IntelStatistics;
import io.nicup.ndis.miniport.intel.InterruptFallback;
import io.nicup.vfio.DeviceAccessException;
import io.nicup.vfio.InterruptMode;
import io.nicup.vfio.RegisterTimeoutException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One 82576 adapter: the MiniportAdapterContext of {@link Miniport82576}. MiniportInitializeEx follows
 * the chip's sequence (datasheet 4.5 "Software Initialization and Diagnostics"; Linux igb {@code
 * igb_reset_hw_82575}, {@code igb_init_hw_82575}, {@code igb_configure}) inside the NDIS order
 * (registration attributes, configuration, I/O space, general attributes, DMA, shared memory, pools,
 * interrupt); MiniportHaltEx undoes it in reverse, interrupt first. The NDIS plumbing (send queue,
 * receive NBLs, pause, reset, OIDs) is the 82574L adapter's and shared with it (package {@code
 * io.nicup.ndis.miniport.intel}; the per-packet path is {@link IntelDataPath}); what differs is the chip:
 * advanced descriptors, per-queue RXDCTL/TXDCTL.ENABLE, SRRCTL and RLPML, the receiver enabled only after
 * Restart, and the 82576's interrupt scheme.
 *
 * <h2>Interrupts</h2>
 * MSI-X (GPIE.MSIX_MODE | NSICR | PBA): vector {@value #VECTOR_RX} RX queue 0 and {@value #VECTOR_TX}
 * TX queue 0 through IVAR0, {@value #VECTOR_OTHER} the ICR causes (link) through IVAR_MISC; EIAC clears
 * the queue vectors' EICR bits on delivery; the "other" ISR reads ICR (NSICR: clear on read) and writes
 * its EICR bit. MSI and INTx (GPIE 0): one vector, ICR clears on read; the ISR keeps the causes for the
 * DPC. Polling ({@code InterruptMode = 4}): no interrupt is registered; a 1 ms NDIS timer runs the same
 * service routine and reads ICR for link changes.
 *
 * <h2>Data path</h2>
 * Sends are DMA'd straight from the NET_BUFFERs (zero copy: each NB must carry an IOVA, as the buffers
 * of {@link io.nicup.ndis.NdisHost#allocateSendPool} do), one descriptor per NB, one TDT write per batch
 * ({@link AdvTxRing#submit}); what does not fit waits in a queue linked through the NBLs. Receive buffers
 * are NBLs made once at initialization over a {@link PacketBufferPool}; a received frame is indicated in
 * its buffer and the buffer goes back into the ring when the protocol returns the NBL (one RDT write per
 * return). Nothing on these paths allocates, throws or logs. All of that is {@link IntelDataPath}, the
 * same for both Intel adapters: this class keeps the chip (registers, interrupt causes, link
 * indications) and calls into it.
 *
 * <p>Locks: {@code txLock} (send path vs. TX completion), {@code rxLock} (receive DPC vs. returns), both
 * the data path's; indications and completions are made outside them, as NDIS allows re-entry.
 */
public final class E82576Adapter {

    static final int VECTOR_RX = 0;
    static final int VECTOR_TX = 1;
    static final int VECTOR_OTHER = 2;
    static final int MSIX_VECTORS = 3;
    static final int MAX_MULTICAST = 64;
    /** Buffers for self-test frames, allocated with the rings so that diagnostics allocate nothing. */
    static final int SELFTEST_FRAMES = 64;
    static final int SELFTEST_BUFFER = 2048;
    static final long POLL_PERIOD_NANOS = 1_000_000L;
    /**
     * How long after MiniportRestart returns the receiver is enabled (RCTL.EN). Receive indications are
     * allowed only in Running (ndis-miniport.md), and NDIS makes the adapter Running only when
     * MiniportRestart has returned: enabling the receiver inside Restart let QEMU flush the frames it had
     * queued at once, and a DPC indicate them while the adapter was still Restarting (found in the QEMU
     * guest: the indication is rejected, its NBLs are never returned, and the next pause never completes).
     */
    static final long RX_START_DELAY_NANOS = 1_000_000L;
    /**
     * More link-change interrupts than this between two CheckForHang calls (2 s) is a storm, not a link:
     * autonegotiation takes well over 100 ms per change, so even a flapping cable gives a few dozen. A
     * cause that never clears gives thousands; it is masked and the link is then followed by
     * CheckForHang's poll of STATUS.LU alone, as Linux igb's watchdog (igb_watchdog_task) does every 2 s.
     */
    static final int LINK_STORM_THRESHOLD = 1000;
    /** EITR interval for 20000 interrupts/s (Linux igb {@code IGB_20K_ITR}; QEMU counts it in 256 ns units). */
    static final int EITR_20K = 196;
    /** The EICR/EIMS bits of the three MSI-X vectors. */
    static final int EIMS_ALL = 1 << VECTOR_RX | 1 << VECTOR_TX | 1 << VECTOR_OTHER;

    static final int[] SUPPORTED_OIDS = {Oid.GEN_SUPPORTED_LIST, Oid.GEN_CURRENT_PACKET_FILTER, Oid.GEN_LINK_STATE,
        Oid.GEN_MAXIMUM_FRAME_SIZE, Oid.GEN_STATISTICS, Oid.OID_802_3_PERMANENT_ADDRESS, Oid.OID_802_3_CURRENT_ADDRESS,
        Oid.OID_802_3_MULTICAST_LIST, Oid.OID_802_3_MAXIMUM_LIST_SIZE};

    private static final VarHandle CAUSES;

    static {
        try {
            CAUSES = MethodHandles.lookup().findVarHandle(E82576Adapter.class, "isrCauses", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    final Miniport82576 driver;
    final Ndis ndis;
    final NdisAdapterHandle handle;
    final InitParameters params;

    E82576Config config;
    MacAddress permanent;
    MacAddress current;
    final IntelCounters counters = new IntelCounters();

    // resources, in acquisition order
    private NdisIoSpace io;
    private NdisDmaHandle dma;
    /** Ring, buffer and self-test memory and the receive NBLs. */
    private final DataPathMemory dataPathMemory;
    private NdisTimer pollTimer;
    /** Enables the receiver once the adapter is Running ({@link #RX_START_DELAY_NANOS}). */
    private NdisTimer rxStartTimer;
    private NdisInterruptHandle interrupt;

    E82576Hardware hw;
    AdvTxRing tx;
    AdvRxRing rx;
    PacketBufferPool rxPool;
    PacketBufferPool selftestPool;
    /** The interrupt mode in use, or null when polling. */
    InterruptMode interruptMode;

    // control state
    private final Object stateLock = new Object();
    /** Sends, completions, receives, returns and the pause that waits for them; owns txLock and rxLock. */
    final IntelDataPath dataPath;
    /** Link indications a DPC decided on while Running: MiniportPause waits for them (IND-01). */
    private final DecidedIndications dpcIndications = new DecidedIndications(stateLock);
    /** The receiver is on: set by {@link #rxStartTimerFired} after a restart, cleared by pause. */
    private volatile boolean rxEnabled;
    @SuppressWarnings("unused") // through CAUSES
    private volatile int isrCauses;
    /** Every cause any ISR saw, for the interrupt self-test. */
    volatile int observedCauses;
    /** The packet filter and multicast list the protocol set. */
    private final ReceiveFilterOids filters = new ReceiveFilterOids(MAX_MULTICAST);
    private final int[] mtaScratch = new int[Regs82576.MTA_ENTRIES];
    private int rctlBase;
    private int imsValue;
    /** EIMS while running (MSI-X only). */
    private int eimsValue;
    /** Every MSI-X vector an ISR ran for since the last clear, for the interrupt self-test. */
    volatile int observedVectors;
    private boolean lastLinkUp;
    /** Link-change causes the DPC saw since the last CheckForHang (storm detection). */
    private final AtomicInteger linkInterrupts = new AtomicInteger();
    /** Set once a link-change storm was detected: LSC stays masked (IMS), across reset and restart. */
    volatile boolean linkCauseMasked;
    /**
     * Set by MiniportDevicePnPEventNotify(SurpriseRemoved): the device is gone, every register reads
     * all-ones and writes go nowhere, so nothing touches a register again (TDT, RDT, ICR included); see
     * {@link #pause} for how the sends it held complete. The data path has its own flag for the
     * doorbells ({@link IntelDataPath#markSurpriseRemoved}).
     */
    volatile boolean surpriseRemoved;
    long resets;

    E82576Adapter(Miniport82576 driver, NdisAdapterHandle handle, InitParameters params) {
        this.driver = driver;
        this.ndis = driver.ndis;
        this.handle = handle;
        this.params = params;
        this.dataPathMemory = new DataPathMemory(ndis, handle);
        this.dataPath = new IntelDataPath(ndis, handle, dataPathMemory, stateLock);
    }

    // ================================================================================================
    // MiniportInitializeEx
    // ================================================================================================

    /** MiniportInitializeEx; on failure everything acquired is released before returning. */
    int initialize() {
        int s = ndis.NdisMSetMiniportAttributes(handle, MiniportAdapterAttributes.registration(this)       // §2.1
                .attributeFlags(HARDWARE_DEVICE | BUS_MASTER)
                .checkForHangTimeInSeconds(MiniportAdapterAttributes.Registration.DEFAULT_CHECK_FOR_HANG_SECONDS)
                .interfaceType(NdisInterfaceType.NdisInterfacePci).build());
        if (s != NdisStatus.SUCCESS) {
            return NdisStatus.FAILURE;
        }
        String step = "configuration";
        try {
            config = readConfiguration();
            step = "I/O space";
            io = ndis.NdisMMapIoSpace(handle, params.allocatedResources().bar(0));
            hw = new E82576Hardware(io, ndis.deviceClock(handle));
            step = "reset and identify";
            resetAndIdentify();
            step = "general attributes";
            s = ndis.NdisMSetMiniportAttributes(handle, MiniportAdapterAttributes.general()                 // §2.2
                    .mtuSize(config.mtu())
                    .linkSpeeds(1_000_000_000L, MiniportAdapterAttributes.General.LINK_SPEED_UNKNOWN)
                    .mediaConnectState(MediaConnectState.MediaConnectStateUnknown)
                    .mediaDuplexState(MediaDuplexState.MediaDuplexStateUnknown)
                    .lookaheadSize(config.mtu())
                    .supportedPacketFilters(SUPPORTED_FILTERS)
                    .maxMulticastListSize(MAX_MULTICAST)
                    .permanentMacAddress(permanent)
                    .currentMacAddress(current)
                    .supportedStatistics(SUPPORTED_STATISTICS)
                    .supportedOidList(SUPPORTED_OIDS)
                    .powerManagementCapabilitiesEx(NdisPmCapabilities.NONE).build());
            if (s != NdisStatus.SUCCESS) {
                releaseAll();
                return NdisStatus.FAILURE;
            }
            step = "data path";
            allocateDataPath();
            step = "program hardware";
            programHardware();
            step = "interrupt";
            registerInterrupt();
            return NdisStatus.SUCCESS;
        } catch (NdisStatusException e) {
            releaseAll();
            return e.status() == NdisStatus.RESOURCES ? NdisStatus.RESOURCES : NdisStatus.FAILURE;
        } catch (RegisterTimeoutException | E82576Hardware.PhyAccessException | NvmException e) {
            driver.failed(params.ifIndex(), InitFailure.of(step, e));
            releaseAll();
            return NdisStatus.FAILURE;
        } catch (DeviceAccessException e) {
            driver.failed(params.ifIndex(), InitFailure.of(step, e));
            releaseAll();
            return NdisStatus.FAILURE;
        }
    }

    private E82576Config readConfiguration() {
        NdisConfiguration cfg = ndis.NdisOpenConfigurationEx(handle);
        try {
            int rxCount = E82576Config.powerOfTwoAtMost(ndis.NdisReadConfiguration(cfg, E82576Config.RECEIVE_BUFFERS).intValue());
            int txCount = E82576Config.powerOfTwoAtMost(ndis.NdisReadConfiguration(cfg, E82576Config.TRANSMIT_BUFFERS).intValue());
            int jumbo = ndis.NdisReadConfiguration(cfg, StandardKeywords.JUMBO_PACKET).intValue();
            int speed = ndis.NdisReadConfiguration(cfg, StandardKeywords.SPEED_DUPLEX).intValue();
            int itr = ndis.NdisReadConfiguration(cfg, StandardKeywords.INTERRUPT_MODERATION).intValue();
            int mode = ndis.NdisReadConfiguration(cfg, E82576Config.INTERRUPT_MODE).intValue();
            ParameterValue address = ndis.NdisReadNetworkAddress(cfg);
            MacAddress override = address.status() == NdisStatus.SUCCESS ? address.macAddress() : null;
            return new E82576Config(rxCount, txCount, jumbo, speed, itr, mode, override);
        } finally {
            ndis.NdisCloseConfiguration(cfg);
        }
    }

    /**
     * Reset and identity (Linux igb_reset_hw_82575, igb_phy_hw_reset, igb_validate_nvm_checksum,
     * igb_read_mac_addr): quiesce, CTRL.RST and the NVM auto-read, PHY reset until the PHY answers, NVM
     * checksum, permanent MAC from RAL0/RAH0 (NVM words 0-2 when entry 0 is not valid), and the
     * {@code NetworkAddress} override.
     */
    private void resetAndIdentify() {
        hw.quiesce();
        hw.reset();
        hw.resetPhy();
        int sum;
        try {
            sum = hw.nvmChecksum();
        } catch (RegisterTimeoutException e) {
            if (hw.autoReadDone()) {
                throw e;
            }
            // Linux only logs a missing AUTO_RD; an NVM that EERD cannot read either is the real failure.
            throw new NvmException("NVM auto-read did not complete: EECD.AUTO_RD not set within "
                    + E82576Hardware.AUTO_READ_TIMEOUT_NANOS / 1_000_000 + " ms of CTRL.RST, and the NVM is not readable ("
                    + e.getMessage() + ")");
        }
        if (sum != E82576Hardware.NVM_SUM) {
            throw new NvmException(String.format(
                    "NVM checksum invalid: sum of words 0x00-0x3F = 0x%04X, expected 0x%04X (Linux: \"The NVM "
                            + "Checksum Is Not Valid\"); the EEPROM image is corrupt", sum, E82576Hardware.NVM_SUM));
        }
        permanent = hw.readPermanentMac();
        if (!permanent.isValidUnicast()) {
            throw new NvmException("permanent MAC address from the NVM is not a unicast address: mac=" + permanent);
        }
        current = config.networkAddress() != null ? config.networkAddress() : permanent;
    }

    /** The NVM failed validation. */
    static final class NvmException extends RuntimeException {
        NvmException(String message) {
            super(message);
        }
    }

    private void allocateDataPath() {
        dma = ndis.NdisMRegisterScatterGatherDma(handle, ScatterGatherDmaDescription.DEFAULT);      // bus master on
        int txCount = config.transmitBuffers();
        int rxCount = config.receiveBuffers();
        int bufferSize = config.receiveBufferSize();
        dataPathMemory.allocateMemory((long) txCount * AdvTxDescriptor.BYTES, (long) rxCount * AdvRxDescriptor.BYTES, rxCount,
                bufferSize, SELFTEST_FRAMES, SELFTEST_BUFFER);
        tx = new AdvTxRing(dataPathMemory.txRing(), io, 0, txCount);
        rxPool = dataPathMemory.rxPool();
        rx = new AdvRxRing(dataPathMemory.rxRing(), io, 0, rxCount, rxPool);
        selftestPool = dataPathMemory.selftestPool();
        dataPathMemory.allocateReceiveNbls(rxCount);
        dataPath.attach(tx, rx, config.jumboPacket());
    }

    /**
     * After a reset (datasheet 4.5.x; Linux igb_init_hw_82575, igb_configure): driver ownership, receive
     * addresses, multicast and VLAN tables, link, statistics, transmit queue 0, receive queue 0, interrupt
     * moderation. Also the second half of MiniportResetEx.
     */
    private void programHardware() {
        hw.write(Regs82576.CTRL_EXT, hw.read(Regs82576.CTRL_EXT) | E82576Hardware.CTRL_EXT_DRV_LOAD);
        for (int i = 0; i < Regs82576.MTA_ENTRIES; i++) {
            hw.write(Regs82576.VFTA(i), 0);
        }
        //  Receive addresses: RAR[0] = current address (permanent or NetworkAddress), the others invalid.
        hw.setReceiveAddress(0, current);
        for (int i = 1; i < Regs82576.RAR_ENTRIES; i++) {
            hw.setReceiveAddress(i, null);
        }
        applyMulticast();
        //  Link (Linux igb_setup_copper_link): autonegotiation or forced *SpeedDuplex.
        hw.setUpLink(config.speedDuplex());
        //  Statistics cleared (they clear on read).
        IntelCounters.clearChip(io);
        // Transmit (datasheet 4.5.10; Linux igb_configure_tx / igb_configure_tx_ring): queue disabled, ring,
        // no head write-back, TCTL with PSP | RTLC | CT | COLD, then TXDCTL.ENABLE, polled until it reads back.
        hw.disableQueue("TXDCTL0", Regs82576.TXDCTL(0));
        tx.writeRingRegisters();
        hw.write(Regs82576.TDWBAL(0), 0);
        hw.write(Regs82576.TDWBAH(0), 0);
        hw.write(Regs82576.TCTL, Tctl.EN | Tctl.PSP | Tctl.RTLC | Tctl.COLLISION_THRESHOLD << Tctl.CT_SHIFT
                | Tctl.COLLISION_DISTANCE << Tctl.COLD_SHIFT);
        hw.enableQueue("TXDCTL0", Regs82576.TXDCTL(0), Txdctl.THRESHOLDS);
        // Receive (datasheet 4.5.9; Linux igb_setup_rctl / igb_configure_rx_ring): receiver off, queue 0
        // only (MRQC 0), queue disabled, ring and SRRCTL (one-buffer advanced descriptors of the buffer
        // size), RLPML for the largest frame (LPE is always on, as in Linux), RXDCTL.ENABLE polled, and
        // only then RDT = count - 1.
        hw.write(Regs82576.RCTL, 0);
        hw.write(Regs82576.MRQC, 0);
        hw.write(Regs82576.RXCSUM, 0);
        hw.disableQueue("RXDCTL0", Regs82576.RXDCTL(0));
        rx.writeRingRegisters();
        hw.write(Regs82576.RLPML, config.rlpml());
        rctlBase = Rctl.SECRC | Rctl.LPE;
        hw.enableQueue("RXDCTL0", Regs82576.RXDCTL(0), Rxdctl.THRESHOLDS);
        rx.refillFromPool(rx.emptySlots());                 // RDT = count - 1: the buffers belong to the device
        // Interrupt moderation: EITR per vector (in non-MSI-X mode EITR0 throttles the one interrupt).
        int itr = config.interruptModeration() != 0 ? EITR_20K : 0;
        for (int v = 0; v < MSIX_VECTORS; v++) {
            hw.write(Regs82576.EITR(v), itr);
        }
        writeRctl();                                        // EN only while running
        hw.flush();
    }

    /** Interrupt routing for the mode in use: GPIE, IVAR, IVAR_MISC and EIAC (MSI-X) or none. */
    private void programInterruptRouting() {
        if (interruptMode == InterruptMode.MSIX) {
            // Linux igb_configure_msix / igb_assign_vector (e1000_82576), with our vector numbers.
            hw.write(Regs82576.GPIE, Gpie.MSIX_MODE | Gpie.NSICR | Gpie.PBA);
            hw.write(Ivar.register(0), Ivar.entry(Ivar.rxShift(0), VECTOR_RX) | Ivar.entry(Ivar.txShift(0), VECTOR_TX));
            hw.write(Regs82576.IVAR_MISC, Ivar.misc(VECTOR_OTHER));
            hw.write(Regs82576.EIAC, 1 << VECTOR_RX | 1 << VECTOR_TX);
            imsValue = Icr.LSC;
            eimsValue = EIMS_ALL;
        } else {
            hw.write(Regs82576.GPIE, 0);
            hw.write(Ivar.register(0), 0);
            hw.write(Regs82576.IVAR_MISC, 0);
            imsValue = Icr.RXDW | Icr.RXDMT0 | Icr.RXO | Icr.TXDW | Icr.LSC;
            eimsValue = 0;
        }
    }

    private void registerInterrupt() {
        rxStartTimer = ndis.NdisAllocateTimerObject(handle, E82576Adapter::rxStartTimerFired, this);
        int mode = config.interruptMode();
        if (mode == E82576Config.MODE_POLLING) {
            interruptMode = null;
            pollTimer = ndis.NdisAllocateTimerObject(handle, E82576Adapter::pollTimerFired, this);
            return;
        }
        InterruptMode[] order = switch (mode) {
            case E82576Config.MODE_MSIX -> new InterruptMode[] {InterruptMode.MSIX};
            case E82576Config.MODE_MSI -> new InterruptMode[] {InterruptMode.MSI};
            case E82576Config.MODE_INTX -> new InterruptMode[] {InterruptMode.INTX};
            default -> new InterruptMode[] {InterruptMode.MSIX, InterruptMode.MSI, InterruptMode.INTX};
        };
        interrupt = InterruptFallback.register(ndis, handle, this, order, MSIX_VECTORS,
                () -> new InterruptCharacteristics<E82576Adapter>().allHandlers(E82576Adapter::isr, E82576Adapter::dpc,
                        E82576Adapter::enableInterrupt, E82576Adapter::disableInterrupt));
        interruptMode = interrupt.mode();
        programInterruptRouting();
    }

    // ================================================================================================
    // MiniportHaltEx and the failure path of MiniportInitializeEx: reverse order, interrupt first
    // ================================================================================================

    void halt(HaltAction action) {
        dataPath.setRunning(false);
        if (action != HaltAction.NdisHaltDeviceSurpriseRemoved && io != null) {
            hw.write(Regs82576.IMC, Icr.ALL);
            hw.write(Regs82576.EIMC, ~0);
        }
        if (interrupt != null) {
            ndis.NdisMDeregisterInterruptEx(interrupt);
            interrupt = null;
        }
        if (action != HaltAction.NdisHaltDeviceSurpriseRemoved && io != null) {
            stopHardware();
        }
        releaseAll();
        driver.adapterHalted(this);
    }

    /** Stops all DMA: quiesce and reset, so nothing is written into memory about to be freed. */
    private void stopHardware() {
        try {
            hw.quiesce();
            hw.reset();
        } catch (RegisterTimeoutException e) {
            // The chip does not answer: bus mastering goes off with the DMA deregistration below anyway.
            driver.failed(params.ifIndex(), InitFailure.of("halt: quiesce and reset", e));
        }
    }

    private void releaseAll() {
        if (interrupt != null) {
            ndis.NdisMDeregisterInterruptEx(interrupt);
            interrupt = null;
        }
        if (pollTimer != null) {
            ndis.NdisCancelTimerObject(pollTimer);
            ndis.NdisFreeTimerObject(pollTimer);
            pollTimer = null;
        }
        if (rxStartTimer != null) {
            ndis.NdisCancelTimerObject(rxStartTimer);
            ndis.NdisFreeTimerObject(rxStartTimer);
            rxStartTimer = null;
        }
        dataPathMemory.release();
        if (dma != null) {
            ndis.NdisMDeregisterScatterGatherDma(dma);      // bus master off
            dma = null;
        }
        if (io != null) {
            ndis.NdisMUnmapIoSpace(handle, io);
            io = null;
        }
    }

    // ================================================================================================
    // Restart, pause, shutdown, PnP
    // ================================================================================================

    int restart(RestartParameters p) {
        dataPath.setRunning(true);                           // sends; the receiver stays off (RCTL.EN) for now
        if (pollTimer != null) {
            ndis.NdisSetTimerObject(pollTimer, POLL_PERIOD_NANOS, POLL_PERIOD_NANOS);
        } else {
            hw.write(Regs82576.ICR, Icr.ALL);               // stale causes: write one to clear, and read
            hw.read(Regs82576.ICR);
            hw.write(Regs82576.EICR, ~0);
            hw.write(Regs82576.IMS, imsValue);
            if (eimsValue != 0) {
                hw.write(Regs82576.EIMS, eimsValue);
            }
        }
        boolean up = hw.linkUp();
        synchronized (stateLock) {
            lastLinkUp = up;
            dataPath.setLinkUp(up);
        }
        indicateLink(up);
        ndis.NdisSetTimerObject(rxStartTimer, RX_START_DELAY_NANOS, 0);
        return NdisStatus.SUCCESS;
    }

    /** The receiver goes on once the adapter is Running (see {@link #RX_START_DELAY_NANOS}). */
    void rxStartTimerFired() {
        if (dataPath.running() && !dataPath.diagnosticsActive() && !surpriseRemoved) {
            rxEnabled = true;
            writeRctl();
        }
    }

    int pause(PauseParameters p) {
        synchronized (stateLock) {
            dataPath.setRunning(false);                      // new sends: PAUSED; receives: dropped
        }
        dpcIndications.awaitNone();                          // none may arrive once NDIS moves on to halt
        ndis.NdisCancelTimerObject(rxStartTimer);
        rxEnabled = false;
        if (surpriseRemoved) {
            return pauseRemoved();
        }
        writeRctl();
        if (pollTimer != null) {
            ndis.NdisCancelTimerObject(pollTimer);
        } else {
            hw.write(Regs82576.IMC, Icr.ALL);
            hw.write(Regs82576.EIMC, ~0);
        }
        return dataPath.pause();
    }

    private void serviceRx() {
        dataPath.serviceRx();
    }

    /** MiniportPause after a surprise removal: no register is touched ({@link IntelDataPath#pauseRemoved}). */
    private int pauseRemoved() {
        if (pollTimer != null) {
            ndis.NdisCancelTimerObject(pollTimer);
        }
        return dataPath.pauseRemoved();
    }

    void shutdown(io.nicup.ndis.ShutdownAction action) {
        // MiniportShutdownEx: put the device in a known state; nothing is freed (no NDIS calls allowed).
        dataPath.setRunning(false);
        if (io != null) {
            hw.write(Regs82576.IMC, Icr.ALL);
            hw.write(Regs82576.EIMC, ~0);
            hw.write(Regs82576.RCTL, 0);
            hw.write(Regs82576.TCTL, 0);
            hw.write(Regs82576.RXDCTL(0), 0);
            hw.write(Regs82576.TXDCTL(0), 0);
        }
    }

    void pnpEvent(DevicePnPEvent event) {
        if (event == DevicePnPEvent.NdisDevicePnPEventSurpriseRemoved) {
            surpriseRemoved = true;                          // NDIS pauses and halts next (SurpriseRemoved)
            dataPath.markSurpriseRemoved();
        }
    }

    // ================================================================================================
    // Send
    // ================================================================================================

    void send(NetBufferList chain, int portNumber, int sendFlags) {
        dataPath.send(chain);
    }

    void cancelSend(long cancelId) {
        dataPath.cancelSend(cancelId);
    }

    // ================================================================================================
    // Receive
    // ================================================================================================

    void returnNetBufferLists(NetBufferList chain, int returnFlags) {
        dataPath.returnNetBufferLists(chain);
    }

    // ================================================================================================
    // Interrupts
    // ================================================================================================

    IsrResult isr(int messageId) {
        if (surpriseRemoved) {
            return IsrResult.NOT_RECOGNIZED;                 // nothing of ours can interrupt any more
        }
        if (interruptMode == InterruptMode.MSIX) {
            if (messageId == VECTOR_OTHER) {
                int icr = hw.read(Regs82576.ICR) & ~Icr.INT_ASSERTED;   // GPIE.NSICR: clears on read
                hw.write(Regs82576.EICR, 1 << VECTOR_OTHER);           // not in EIAC: write one to clear
                CAUSES.getAndBitwiseOr(this, icr);
                observedCauses |= icr;
            }
            observedVectors |= 1 << messageId;               // after the causes: the self-test reads both
            return IsrResult.QUEUE_DPC;                      // queue vectors: EIAC cleared their EICR bit
        }
        int icr = hw.read(Regs82576.ICR);                    // clears on read without MSI-X
        if (icr == 0) {
            return IsrResult.NOT_RECOGNIZED;                 // INTx may be shared
        }
        CAUSES.getAndBitwiseOr(this, icr);
        observedCauses |= icr;
        return IsrResult.QUEUE_DPC;
    }

    void dpc(int messageId) {
        int causes = (int) CAUSES.getAndSet(this, 0);
        if (dataPath.diagnosticsActive() || surpriseRemoved) {
            return;
        }
        if (interruptMode == InterruptMode.MSIX) {
            if (messageId == VECTOR_RX) {
                serviceRx();
            } else if (messageId == VECTOR_TX) {
                dataPath.serviceTx();
            }
        } else {
            dataPath.serviceTx();
            serviceRx();
        }
        if ((causes & Icr.LSC) != 0) {
            linkInterrupts.incrementAndGet();
            linkChanged();
        }
    }

    void enableInterrupt(int messageId) {
    }

    void disableInterrupt(int messageId) {
    }

    /** Polling mode: the 1 ms timer does what the DPC does, and reads ICR (clear on read) for link changes. */
    void pollTimerFired() {
        if (dataPath.diagnosticsActive() || surpriseRemoved) {
            return;
        }
        int icr = hw.read(Regs82576.ICR);
        dataPath.serviceTx();
        serviceRx();
        if ((icr & Icr.LSC) != 0) {
            linkChanged();
        }
    }

    /**
     * A DPC (or the poll timer, or CheckForHang) saw the link change. As on the 82574L (IND-01): the
     * decision to indicate is taken under stateLock together with {@code running}, MiniportPause waits for
     * a decided indication to finish, and no lock is held across NdisMIndicateStatusEx itself.
     */
    private void linkChanged() {
        boolean up = hw.linkUp();
        dataPath.setLinkUp(up);
        boolean indicate;
        synchronized (stateLock) {
            indicate = up != lastLinkUp && dataPath.running();
            if (indicate) {
                lastLinkUp = up;
                dpcIndications.decided();
            }
        }
        if (indicate) {
            try {
                indicateLink(up);
            } finally {
                dpcIndications.finished();
            }
        }
        if (up) {
            dataPath.serviceTx();                            // what waited for the link goes now
        }
    }

    private void indicateLink(boolean up) {
        NdisLinkState state = up ? NdisLinkState.connected(hw.linkSpeed(),
                hw.fullDuplex() ? MediaDuplexState.MediaDuplexStateFull : MediaDuplexState.MediaDuplexStateHalf)
                : NdisLinkState.disconnected();
        ndis.NdisMIndicateStatusEx(handle, NdisStatusIndication.linkState(state));
    }

    // ================================================================================================
    // OIDs
    // ================================================================================================

    int oidRequest(NdisOidRequest r) {
        boolean set = r.requestType() == OidRequestType.NdisRequestSetInformation;
        return switch (r.oid()) {
            case Oid.GEN_CURRENT_PACKET_FILTER -> set ? setPacketFilter(r) : r.queryUlong(filters.packetFilter());
            case Oid.OID_802_3_PERMANENT_ADDRESS -> r.queryMacAddress(permanent);
            case Oid.OID_802_3_CURRENT_ADDRESS -> r.queryMacAddress(current);
            case Oid.OID_802_3_MULTICAST_LIST -> set ? setMulticastList(r) : r.queryBytes(filters.multicast());
            case Oid.OID_802_3_MAXIMUM_LIST_SIZE -> r.queryUlong(MAX_MULTICAST);
            case Oid.GEN_STATISTICS -> r.queryStatistics(statistics());
            default -> NdisStatus.NOT_SUPPORTED;
        };
    }

    void cancelOidRequest(long requestId) {
        // Every OID completes synchronously: nothing is ever pending.
    }

    private int setPacketFilter(NdisOidRequest r) {
        int status = filters.setPacketFilter(r);
        if (status == NdisStatus.SUCCESS) {
            applyFilter();
        }
        return status;
    }

    private int setMulticastList(NdisOidRequest r) {
        int status = filters.setMulticastList(r);
        if (status == NdisStatus.SUCCESS) {
            applyMulticast();
        }
        return status;
    }

    /**
     * Packet filter to hardware (datasheet 8.10.1 RCTL; Linux igb_set_rx_mode): PROMISCUOUS → UPE |
     * MPE, ALL_MULTICAST → MPE, BROADCAST → BAM, MULTICAST → the MTA holds the list (else zeros),
     * DIRECTED → RAR[0] valid (else invalid, so unicast to us is not received either).
     */
    private void applyFilter() {
        boolean directed = (filters.packetFilter() & (NdisPacketFilter.DIRECTED | NdisPacketFilter.PROMISCUOUS)) != 0;
        hw.setReceiveAddress(0, directed ? current : null);
        applyMulticast();
        writeRctl();
    }

    private void applyMulticast() {
        boolean on = (filters.packetFilter() & NdisPacketFilter.MULTICAST) != 0;
        byte[] multicast = filters.multicast();
        hw.writeMulticastTable(multicast, on ? multicast.length / MacAddress.LENGTH : 0, mtaScratch);
    }

    private void writeRctl() {
        if (hw == null || io == null) {
            return;
        }
        int f = filters.packetFilter();
        int v = rctlBase;
        if ((f & NdisPacketFilter.PROMISCUOUS) != 0) {
            v |= Rctl.UPE | Rctl.MPE | Rctl.BAM;
        }
        if ((f & NdisPacketFilter.ALL_MULTICAST) != 0) {
            v |= Rctl.MPE;
        }
        if ((f & NdisPacketFilter.BROADCAST) != 0) {
            v |= Rctl.BAM;
        }
        if (dataPath.running() && rxEnabled) {
            v |= Rctl.EN;
        }
        hw.write(Regs82576.RCTL, v);
    }

    /** NDIS_STATISTICS_INFO from the accumulated chip counters (reads and clears them first). */
    NdisStatisticsInfo statistics() {
        if (io != null && !dataPath.diagnosticsActive() && !surpriseRemoved) {
            counters.accumulate(io);
        }
        return IntelStatistics.of(counters);
    }

    // ================================================================================================
    // CheckForHang and reset
    // ================================================================================================

    /**
     * MiniportCheckForHangEx (every 2 s): hung when frames are in flight and TDH has not moved since the
     * previous check while the ring did not complete anything (Linux e1000_print_hw_hang / the
     * "Detected Hardware Unit Hang" check of e1000_clean_tx_irq). Also accumulates the counters.
     */
    boolean checkForHang() {
        if (io == null || dataPath.diagnosticsActive() || surpriseRemoved) {
            return false;
        }
        counters.accumulate(io);
        watchLink();
        return dataPath.txHung();
    }

    /**
     * The watchdog half of CheckForHang: masks a link-change cause that storms, and polls STATUS.LU so
     * that a link change whose interrupt was lost or masked is seen within 2 s (Linux igb
     * igb_watchdog_task checks the link on every run, whatever the interrupts said).
     */
    private void watchLink() {
        int seen = linkInterrupts.getAndSet(0);
        if (seen > LINK_STORM_THRESHOLD && !linkCauseMasked && pollTimer == null) {
            linkCauseMasked = true;
            imsValue &= ~Icr.LSC;                            // stays masked across reset and restart
            hw.write(Regs82576.IMC, Icr.LSC);                // MSI-X: the other-causes vector keeps its EIMS bit
            ndis.NdisWriteErrorLogEntry(handle, Ndis.NDIS_ERROR_CODE_HARDWARE_FAILURE, String.format(
                    "interrupt storm: ICR.LSC signalled %d times in one CheckForHang period without clearing:"
                    + " masked with IMC=0x%08x, link now polled every 2 s", seen, Icr.LSC), seen, Icr.LSC);
        }
        if (dataPath.running() && hw.linkUp() != lastLinkUp) {
            linkChanged();
        }
    }

    /**
     * MiniportResetEx: complete what the device finished, take back what it did not (those frames never
     * left: they are queued again, so no frame is sent or counted twice), keep the counters, CTRL.RST,
     * program everything again (filters and multicast included, so NDIS need not re-send them).
     */
    ResetResult reset() {
        dataPath.serviceTx();
        synchronized (dataPath.txLock()) {
            counters.accumulate(io);
            dataPath.requeueInFlight();
            synchronized (dataPath.rxLock()) {
                reinitializeHardware();
            }
            resets++;
            dataPath.resumeAfterReset(hw.linkUp());          // autonegotiation restarted: usually down now
        }
        dataPath.failPendingIfPaused();                      // a reset while pausing: what never left fails back
        return ResetResult.SUCCESS;
    }

    /** Quiesce, CTRL.RST and program everything again; RX buffers in the ring go back to it. Holds both locks. */
    void reinitializeHardware() {
        hw.quiesce();
        hw.reset();
        dataPath.takeBackReceiveBuffers();
        programHardware();
        if (interruptMode != null) {
            programInterruptRouting();
        }
        applyFilter();
        if (dataPath.running() && pollTimer == null) {
            hw.write(Regs82576.IMS, imsValue);
            if (eimsValue != 0) {
                hw.write(Regs82576.EIMS, eimsValue);
            }
        }
    }

    // ================================================================================================
    // accessors for diagnostics and the public API
    // ================================================================================================

    Object txLock() {
        return dataPath.txLock();
    }

    Object rxLock() {
        return dataPath.rxLock();
    }

    boolean running() {
        return dataPath.running();
    }

    int imsValue() {
        return imsValue;
    }

    int eimsValue() {
        return eimsValue;
    }

    NdisInterruptHandle interruptHandle() {
        return interrupt;
    }

    /** The data path's bookkeeping, for diagnostics: frames in the TX ring, queued, RX NBLs with the protocol. */
    public String dataPathState() {
        return dataPath.describe();
    }

    @Override
    public String toString() {
        return "E82576Adapter[interrupts=" + (interruptMode == null ? "POLLING" : interruptMode) + ", mac=" + current
                + ", permanent=" + permanent + ", rx=" + (config == null ? 0 : config.receiveBuffers()) + ", tx="
                + (config == null ? 0 : config.transmitBuffers()) + ", jumbo=" + (config == null ? 0 : config.jumboPacket())
                + "]";
    }
}

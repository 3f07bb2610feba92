package io.nicup.ndis.miniport.i82574;

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
 * One 82574L adapter: the MiniportAdapterContext of {@link Miniport82574}. MiniportInitializeEx follows
 * the chip sequence (reference B.5, datasheet 4.6 "Software initialization") inside the NDIS order
 * (registration attributes, configuration, I/O space, general attributes, DMA, shared memory, pools,
 * interrupt); MiniportHaltEx undoes it in reverse, interrupt first.
 *
 * <h2>Interrupts</h2>
 * MSI-X: vector {@value #VECTOR_RX} RXQ0, {@value #VECTOR_TX} TXQ0, {@value #VECTOR_OTHER} OTHER (link),
 * routed by IVAR. The ISR clears its causes in ICR by writing ones (in MSI-X mode ICR does not clear on
 * read, QEMU {@code e1000e_mac_icr_read}); the DPC does the work. MSI and INTx: one vector, ICR clears on
 * read; the ISR keeps the causes for the DPC. Polling ({@code InterruptMode = 4}): no interrupt is
 * registered; a 1 ms NDIS timer runs the same service routine and reads ICR for link changes.
 *
 * <h2>Data path</h2>
 * Sends are DMA'd straight from the NET_BUFFERs (zero copy: each NB must carry an IOVA, as the buffers
 * of {@link io.nicup.ndis.NdisHost#allocateSendPool} do), one descriptor per NB, one TDT write per batch
 * ({@link TxRing#submit}); what does not fit waits in a queue linked through the NBLs. Receive buffers
 * are NBLs made once at initialization over a {@link PacketBufferPool}; a received frame is indicated in
 * its buffer and the buffer goes back into the ring when the protocol returns the NBL (one RDT write per
 * return). Nothing on these paths allocates, throws or logs. All of that is {@link IntelDataPath}, the
 * same for both Intel adapters: this class keeps the chip (registers, interrupt causes, link
 * indications) and calls into it.
 *
 * <p>Locks: {@code txLock} (send path vs. TX completion), {@code rxLock} (receive DPC vs. returns), both
 * the data path's; indications and completions are made outside them, as NDIS allows re-entry.
 */
public final class E82574Adapter {

    static final int VECTOR_RX = 0;
    static final int VECTOR_TX = 1;
    static final int VECTOR_OTHER = 2;
    static final int MSIX_VECTORS = 3;
    static final int MAX_MULTICAST = 64;
    /** Buffers for self-test frames, allocated with the rings so that diagnostics allocate nothing. */
    static final int SELFTEST_FRAMES = 64;
    static final int SELFTEST_BUFFER = 2048;
    static final long POLL_PERIOD_NANOS = 1_000_000L;
    /** ITR is in 256 ns units; 20000 interrupts/s (Linux e1000e's "dynamic conservative" ceiling). */
    static final int ITR_20K = (int) (1_000_000_000L / (20_000L * 256));
    /**
     * More link-change interrupts than this between two CheckForHang calls (2 s) is a storm, not a link:
     * autonegotiation takes well over 100 ms per change, so even a flapping cable gives a few dozen. A
     * cause that never clears (a stuck LSC) gives thousands; it is masked and the link is then followed
     * by CheckForHang's poll of STATUS.LU alone, as Linux e1000e's watchdog does every 2 s.
     */
    static final int LINK_STORM_THRESHOLD = 1000;

    static final int[] SUPPORTED_OIDS = {Oid.GEN_SUPPORTED_LIST, Oid.GEN_CURRENT_PACKET_FILTER, Oid.GEN_LINK_STATE,
        Oid.GEN_MAXIMUM_FRAME_SIZE, Oid.GEN_STATISTICS, Oid.OID_802_3_PERMANENT_ADDRESS, Oid.OID_802_3_CURRENT_ADDRESS,
        Oid.OID_802_3_MULTICAST_LIST, Oid.OID_802_3_MAXIMUM_LIST_SIZE};

    private static final VarHandle CAUSES;

    static {
        try {
            CAUSES = MethodHandles.lookup().findVarHandle(E82574Adapter.class, "isrCauses", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    final Miniport82574 driver;
    final Ndis ndis;
    final NdisAdapterHandle handle;
    final InitParameters params;

    E82574Config config;
    MacAddress permanent;
    MacAddress current;
    final IntelCounters counters = new IntelCounters();

    // resources, in acquisition order
    private NdisIoSpace io;
    private NdisDmaHandle dma;
    /** Ring, buffer and self-test memory and the receive NBLs. */
    private final DataPathMemory dataPathMemory;
    private NdisTimer pollTimer;
    private NdisInterruptHandle interrupt;

    E82574Hardware hw;
    TxRing tx;
    RxRing rx;
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
    @SuppressWarnings("unused") // through CAUSES
    private volatile int isrCauses;
    /** Every cause any ISR saw, for the interrupt self-test. */
    volatile int observedCauses;
    /** The packet filter and multicast list the protocol set. */
    private final ReceiveFilterOids filters = new ReceiveFilterOids(MAX_MULTICAST);
    private final int[] mtaScratch = new int[Regs82574.MTA_ENTRIES];
    private int rctlBase;
    private int imsValue;
    private boolean lastLinkUp;
    /** Link-change causes the DPC saw since the last CheckForHang (storm detection). */
    private final AtomicInteger linkInterrupts = new AtomicInteger();
    /** Set once a link-change storm was detected: LSC (and OTHER in MSI-X mode) stay masked. */
    volatile boolean linkCauseMasked;
    /**
     * Set by MiniportDevicePnPEventNotify(SurpriseRemoved): the device is gone, every register reads
     * all-ones and writes go nowhere, so nothing touches a register again (TDT, RDT, ICR included); see
     * {@link #pause} for how the sends it held complete. The data path has its own flag for the
     * doorbells ({@link IntelDataPath#markSurpriseRemoved}).
     */
    volatile boolean surpriseRemoved;
    long resets;

    E82574Adapter(Miniport82574 driver, NdisAdapterHandle handle, InitParameters params) {
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
            hw = new E82574Hardware(io, ndis.deviceClock(handle));
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
        } catch (RegisterTimeoutException | E82574Hardware.PhyAccessException | NvmException e) {
            driver.failed(params.ifIndex(), InitFailure.of(step, e));
            releaseAll();
            return NdisStatus.FAILURE;
        } catch (DeviceAccessException e) {
            driver.failed(params.ifIndex(), InitFailure.of(step, e));
            releaseAll();
            return NdisStatus.FAILURE;
        }
    }

    private E82574Config readConfiguration() {
        NdisConfiguration cfg = ndis.NdisOpenConfigurationEx(handle);
        try {
            int rxCount = E82574Config.powerOfTwoAtMost(ndis.NdisReadConfiguration(cfg, E82574Config.RECEIVE_BUFFERS).intValue());
            int txCount = E82574Config.powerOfTwoAtMost(ndis.NdisReadConfiguration(cfg, E82574Config.TRANSMIT_BUFFERS).intValue());
            int jumbo = ndis.NdisReadConfiguration(cfg, StandardKeywords.JUMBO_PACKET).intValue();
            int speed = ndis.NdisReadConfiguration(cfg, StandardKeywords.SPEED_DUPLEX).intValue();
            int itr = ndis.NdisReadConfiguration(cfg, StandardKeywords.INTERRUPT_MODERATION).intValue();
            int mode = ndis.NdisReadConfiguration(cfg, E82574Config.INTERRUPT_MODE).intValue();
            ParameterValue address = ndis.NdisReadNetworkAddress(cfg);
            MacAddress override = address.status() == NdisStatus.SUCCESS ? address.macAddress() : null;
            return new E82574Config(rxCount, txCount, jumbo, speed, itr, mode, override);
        } finally {
            ndis.NdisCloseConfiguration(cfg);
        }
    }

    /**
     * Reference B.5 steps 1-5 and the identity: quiesce, CTRL.RST, NVM auto-read, NVM checksum (Linux
     * {@code e1000e_validate_nvm_checksum}), permanent MAC from NVM words 0-2 through EERD, and the
     * {@code NetworkAddress} override.
     */
    private void resetAndIdentify() {
        hw.quiesce();
        hw.reset();
        int sum = hw.nvmChecksum();
        if (sum != E82574Hardware.NVM_SUM) {
            throw new NvmException(String.format(
                    "NVM checksum invalid: sum of words 0x00-0x3F = 0x%04X, expected 0x%04X (Linux: \"The NVM "
                            + "Checksum Is Not Valid\"); the EEPROM image is corrupt", sum, E82574Hardware.NVM_SUM));
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
        dataPathMemory.allocateMemory((long) txCount * LegacyTxDescriptor.BYTES, (long) rxCount * LegacyRxDescriptor.BYTES, rxCount,
                bufferSize, SELFTEST_FRAMES, SELFTEST_BUFFER);
        tx = new TxRing(dataPathMemory.txRing(), io, 0, txCount);
        rxPool = dataPathMemory.rxPool();
        rx = new RxRing(dataPathMemory.rxRing(), io, 0, rxCount, rxPool);
        selftestPool = dataPathMemory.selftestPool();
        dataPathMemory.allocateReceiveNbls(rxCount);
        dataPath.attach(tx, rx, config.jumboPacket());
    }

    /**
     * Reference B.5 steps 6-8 after a reset: hardware bits, addresses, multicast, link, statistics,
     * transmit, receive, interrupt moderation. Also the second half of MiniportResetEx.
     */
    private void programHardware() {
        // Step 6 (Linux e1000_init_hw_82571 / e1000_initialize_hw_bits_82571). TXDCTL bit 22 and the
        // GCR/CTRL_EXT errata bits are kept out: QEMU stores them without effect. TARC0 bit 10 must stay
        // set or QEMU never transmits (reference B.7 item 2): Linux clears only bits 30:27.
        int tarc = hw.read(Regs82574.TARC(0)) & ~0x7800_0000 | Tarc.ENABLE;
        hw.write(Regs82574.TARC(0), tarc);
        hw.write(Regs82574.CTRL_EXT, hw.read(Regs82574.CTRL_EXT) | E82574Hardware.CTRL_EXT_DRV_LOAD);
        for (int i = 0; i < Regs82574.MTA_ENTRIES; i++) {
            hw.write(Regs82574.VFTA(i), 0);
        }
        //  Receive addresses: RAR[0] = current address (permanent or NetworkAddress), the others invalid.
        hw.setReceiveAddress(0, current);
        for (int i = 1; i < E82574Hardware.RAR_ENTRIES; i++) {
            hw.setReceiveAddress(i, null);
        }
        applyMulticast();
        //  Link (Linux e1000e_setup_copper_link): autonegotiation or forced *SpeedDuplex.
        hw.setUpLink(config.speedDuplex());
        //  Statistics cleared (they clear on read).
        IntelCounters.clearChip(io);
        // Step 7, transmit (Linux e1000_configure_tx): ring, TIPG, TCTL with PSP|RTLC|CT, then EN.
        tx.writeRingRegisters();
        hw.write(Regs82574.TIPG, Tipg.DEFAULT);
        hw.write(Regs82574.TIDV, 0);
        hw.write(Regs82574.TADV, 0);
        hw.write(Regs82574.TCTL, Tctl.EN | Tctl.PSP | Tctl.RTLC | Tctl.COLLISION_THRESHOLD << Tctl.CT_SHIFT
                | Tctl.COLLISION_DISTANCE << Tctl.COLD_SHIFT);
        // Step 8, receive (Linux e1000_setup_rctl / e1000_configure_rx): legacy descriptors (RFCTL.EXTEN
        // clear, reference B.7 item 6), CRC stripped, buffer size for the largest frame, LPE for jumbo.
        hw.write(Regs82574.RFCTL, 0);
        hw.write(Regs82574.RCTL, 0);
        rx.writeRingRegisters();
        rctlBase = Rctl.SECRC | Rctl.RDMTS_HALF | Rctl.bufferSizeBits(config.receiveBufferSize())
                | (config.longPackets() ? Rctl.LPE : 0);
        rx.refillFromPool(rx.emptySlots());                 // RDT = count - 1: the buffers belong to the device
        // Interrupt moderation (datasheet 10.2.4.x ITR, 256 ns units); per vector EITR with MSI-X.
        int itr = config.interruptModeration() != 0 ? ITR_20K : 0;
        hw.write(Regs82574.ITR, itr);
        for (int v = 0; v < 5; v++) {
            hw.write(Regs82574.EITR(v), itr);
        }
        hw.write(Regs82574.RDTR, 0);
        hw.write(Regs82574.RADV, 0);
        writeRctl();                                        // EN only while running
        hw.flush();
    }

    private void registerInterrupt() {
        int mode = config.interruptMode();
        if (mode == E82574Config.MODE_POLLING) {
            interruptMode = null;
            pollTimer = ndis.NdisAllocateTimerObject(handle, E82574Adapter::pollTimerFired, this);
            return;
        }
        InterruptMode[] order = switch (mode) {
            case E82574Config.MODE_MSIX -> new InterruptMode[] {InterruptMode.MSIX};
            case E82574Config.MODE_MSI -> new InterruptMode[] {InterruptMode.MSI};
            case E82574Config.MODE_INTX -> new InterruptMode[] {InterruptMode.INTX};
            default -> new InterruptMode[] {InterruptMode.MSIX, InterruptMode.MSI, InterruptMode.INTX};
        };
        interrupt = InterruptFallback.register(ndis, handle, this, order, MSIX_VECTORS,
                () -> new InterruptCharacteristics<E82574Adapter>().allHandlers(E82574Adapter::isr, E82574Adapter::dpc,
                        E82574Adapter::enableInterrupt, E82574Adapter::disableInterrupt));
        interruptMode = interrupt.mode();
        if (interruptMode == InterruptMode.MSIX) {
            // IVAR (datasheet 10.2.4.x; Linux e1000_configure_msix): RXQ0 -> 0, TXQ0 -> 1, OTHER -> 2.
            hw.write(Regs82574.IVAR, Ivar.entry(Ivar.RXQ0_SHIFT, VECTOR_RX) | Ivar.entry(Ivar.TXQ0_SHIFT, VECTOR_TX)
                    | Ivar.entry(Ivar.OTHER_SHIFT, VECTOR_OTHER));
            imsValue = Icr.RXQ0 | Icr.TXQ0 | Icr.OTHER | Icr.LSC;
        } else {
            hw.write(Regs82574.IVAR, 0);
            imsValue = Icr.RXT0 | Icr.RXDMT0 | Icr.RXO | Icr.TXDW | Icr.LSC;
        }
    }

    // ================================================================================================
    // MiniportHaltEx and the failure path of MiniportInitializeEx: reverse order, interrupt first
    // ================================================================================================

    void halt(HaltAction action) {
        dataPath.setRunning(false);
        if (action != HaltAction.NdisHaltDeviceSurpriseRemoved && io != null) {
            hw.write(Regs82574.IMC, Icr.ALL);
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
        dataPath.setRunning(true);
        writeRctl();
        if (pollTimer != null) {
            ndis.NdisSetTimerObject(pollTimer, POLL_PERIOD_NANOS, POLL_PERIOD_NANOS);
        } else {
            hw.write(Regs82574.ICR, Icr.ALL);               // stale causes (MSI-X: write one to clear)
            hw.read(Regs82574.ICR);
            hw.write(Regs82574.IMS, imsValue);
        }
        boolean up = hw.linkUp();
        synchronized (stateLock) {
            lastLinkUp = up;
            dataPath.setLinkUp(up);
        }
        indicateLink(up);
        return NdisStatus.SUCCESS;
    }

    int pause(PauseParameters p) {
        synchronized (stateLock) {
            dataPath.setRunning(false);                      // new sends: PAUSED; receives: dropped
        }
        dpcIndications.awaitNone();                          // none may arrive once NDIS moves on to halt
        if (surpriseRemoved) {
            return pauseRemoved();
        }
        writeRctl();
        if (pollTimer != null) {
            ndis.NdisCancelTimerObject(pollTimer);
        } else {
            hw.write(Regs82574.IMC, Icr.ALL);
        }
        return dataPath.pause();
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
            hw.write(Regs82574.IMC, Icr.ALL);
            hw.write(Regs82574.RCTL, 0);
            hw.write(Regs82574.TCTL, 0);
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
            int cause = messageId == VECTOR_RX ? Icr.RXQ0 : messageId == VECTOR_TX ? Icr.TXQ0 : 0;
            if (cause == 0) {
                cause = hw.read(Regs82574.ICR) & ~(Icr.RXQ0 | Icr.RXQ1 | Icr.TXQ0 | Icr.TXQ1 | Icr.INT_ASSERTED);
                cause |= Icr.OTHER;
            }
            hw.write(Regs82574.ICR, cause);                  // write one to clear (MSI-X mode)
            CAUSES.getAndBitwiseOr(this, cause);
            observedCauses |= cause;
            return IsrResult.QUEUE_DPC;
        }
        int icr = hw.read(Regs82574.ICR);                    // clears on read without MSI-X
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
                dataPath.serviceRx();
            } else if (messageId == VECTOR_TX) {
                dataPath.serviceTx();
            }
        } else {
            dataPath.serviceTx();
            dataPath.serviceRx();
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
        int icr = hw.read(Regs82574.ICR);
        dataPath.serviceTx();
        dataPath.serviceRx();
        if ((icr & Icr.LSC) != 0) {
            linkChanged();
        }
    }

    /**
     * A DPC (or the poll timer, or CheckForHang) saw the link change. The decision to indicate is taken
     * under stateLock together with {@code running}, and MiniportPause waits for a decided indication to
     * finish: a DPC that read {@code running} just before MiniportPause cleared it would otherwise indicate
     * after NDIS moved on to MiniportHaltEx (IND-01, found by the 100-cycle soak in the QEMU guest). No
     * lock is held across NdisMIndicateStatusEx itself, so the protocol's status handler may call NDIS.
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
     * Packet filter to hardware (datasheet 10.2.5.1 RCTL; Linux e1000e_set_rx_mode): PROMISCUOUS → UPE |
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
        if (dataPath.running()) {
            v |= Rctl.EN;
        }
        hw.write(Regs82574.RCTL, v);
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
     * that a link change whose interrupt was lost or masked is seen within 2 s (Linux e1000e
     * e1000_watchdog_task checks the link on every run, whatever the interrupts said).
     */
    private void watchLink() {
        int seen = linkInterrupts.getAndSet(0);
        if (seen > LINK_STORM_THRESHOLD && !linkCauseMasked && pollTimer == null) {
            linkCauseMasked = true;
            int stuck = Icr.LSC | (interruptMode == InterruptMode.MSIX ? Icr.OTHER : 0);
            imsValue &= ~stuck;                                  // stays masked across reset and restart
            hw.write(Regs82574.IMC, stuck);
            ndis.NdisWriteErrorLogEntry(handle, Ndis.NDIS_ERROR_CODE_HARDWARE_FAILURE, String.format(
                    "interrupt storm: ICR.LSC signalled %d times in one CheckForHang period without clearing:"
                    + " masked with IMC=0x%08x, link now polled every 2 s", seen, stuck), seen, stuck);
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
        if (interruptMode == InterruptMode.MSIX) {
            hw.write(Regs82574.IVAR, Ivar.entry(Ivar.RXQ0_SHIFT, VECTOR_RX) | Ivar.entry(Ivar.TXQ0_SHIFT, VECTOR_TX)
                    | Ivar.entry(Ivar.OTHER_SHIFT, VECTOR_OTHER));
        }
        applyFilter();
        if (dataPath.running() && pollTimer == null) {
            hw.write(Regs82574.IMS, imsValue);
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

    NdisInterruptHandle interruptHandle() {
        return interrupt;
    }

    @Override
    public String toString() {
        return "E82574Adapter[interrupts=" + (interruptMode == null ? "POLLING" : interruptMode) + ", mac=" + current
                + ", permanent=" + permanent + ", rx=" + (config == null ? 0 : config.receiveBuffers()) + ", tx="
                + (config == null ? 0 : config.transmitBuffers()) + ", jumbo=" + (config == null ? 0 : config.jumboPacket())
                + "]";
    }
}

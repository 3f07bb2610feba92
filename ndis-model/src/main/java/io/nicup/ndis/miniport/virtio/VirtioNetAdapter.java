package io.nicup.ndis.miniport.virtio;

import static io.nicup.ndis.MiniportAdapterAttributes.Registration.BUS_MASTER;
import static io.nicup.ndis.MiniportAdapterAttributes.Registration.HARDWARE_DEVICE;
import static io.nicup.ndis.miniport.core.ReceiveFilterOids.SUPPORTED_FILTERS;

import io.nicup.ndis.AllocatedResources;
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
import io.nicup.ndis.NetBuffer;
import io.nicup.ndis.NetBufferList;
import io.nicup.ndis.NetBufferListPool;
import io.nicup.ndis.NetBufferListPoolParameters;
import io.nicup.ndis.Oid;
import io.nicup.ndis.OidRequestType;
import io.nicup.ndis.ParameterValue;
import io.nicup.ndis.PauseParameters;
import io.nicup.ndis.ResetResult;
import io.nicup.ndis.RestartParameters;
import io.nicup.ndis.ScatterGatherDmaDescription;
import io.nicup.ndis.SharedMemory;
import io.nicup.ndis.miniport.core.DecidedIndications;
import io.nicup.ndis.miniport.core.InitFailure;
import io.nicup.ndis.miniport.core.PacketBufferPool;
import io.nicup.ndis.miniport.core.PendingSends;
import io.nicup.ndis.miniport.core.ReceiveFilterOids;
import io.nicup.ndis.miniport.core.SendCheck;
import io.nicup.ndis.miniport.core.SharedMemoryRegion;
import io.nicup.ndis.miniport.core.TxStallWatch;
import io.nicup.vfio.DeviceAccessException;
import io.nicup.vfio.InterruptMode;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.security.SecureRandom;
import java.util.List;

/**
 * One virtio-net adapter: the MiniportAdapterContext of {@link MiniportVirtioNet}. MiniportInitializeEx
 * follows the device initialization of virtio 1.2, 3.1.1 (reference C.4) inside the NDIS order
 * (registration attributes, configuration, capability walk, I/O space, reset and feature negotiation,
 * general attributes, DMA, shared memory, pools, interrupt, queues, DRIVER_OK); MiniportHaltEx undoes it
 * in reverse, interrupt first.
 *
 * <h2>Queues</h2>
 * 0 receiveq1, 1 transmitq1, 2 controlq (with VIRTIO_NET_F_CTRL_VQ). Receive: descriptor {@code i} is
 * buffer {@code i} of a {@link PacketBufferPool} (device-writable, 12-byte header then the frame); a used
 * buffer is indicated in place and goes back to the available ring when the protocol returns it.
 * Transmit: a frame is two chained descriptors, {@code 2s} the zeroed header (one shared, read-only
 * copy) and {@code 2s+1} the NET_BUFFER's data (zero copy); slots are handed out in order and an NBL
 * completes when all slots up to its last are used, so the device may use them out of order. One
 * doorbell per batch, and none when the device set VRING_USED_F_NO_NOTIFY.
 *
 * <h2>Interrupts</h2>
 * MSI-X vector {@value #VECTOR_CONFIG} configuration change (link, DEVICE_NEEDS_RESET), {@value #VECTOR_RX}
 * receive, {@value #VECTOR_TX} transmit, {@value #VECTOR_CTRL} control queue; each vector is read back
 * after it is written and NO_VECTOR means the device could not use it (4.1.5.1.2), upon which the
 * adapter polls instead. Polling: a 1 ms NDIS timer services the queues and reads ISR status for
 * configuration changes.
 *
 * <p>Locks: {@code txLock} (send path vs. completion), {@code rxLock} (receive vs. returns),
 * {@code ctrlLock} (control commands). Indications and completions are made outside them.
 */
public final class VirtioNetAdapter {

    static final int RX_QUEUE = 0;
    static final int TX_QUEUE = 1;
    static final int CTRL_QUEUE = 2;
    static final int VECTOR_CONFIG = 0;
    static final int VECTOR_RX = 1;
    static final int VECTOR_TX = 2;
    static final int VECTOR_CTRL = 3;
    static final int MSIX_VECTORS = 4;
    /** Receive buffer: header + a 1514-byte frame fit; no MRG_RXBUF, so one buffer holds one frame (5.1.6.3.1). */
    static final int RX_BUFFER = 2048;
    static final int MAX_FRAME = 1514;
    static final int MTU = MAX_FRAME - 14;
    static final int RX_BATCH = 64;
    static final int MAX_MULTICAST = 64;
    static final long POLL_PERIOD_NANOS = 1_000_000L;
    /** QEMU resets within the status write; Linux waits without a bound, we give it 1 s. */
    static final long RESET_TIMEOUT_NANOS = 1_000_000_000L;
    /** A control command is answered within the notify on QEMU; Linux busy-waits, we give it 1 s. */
    static final long CTRL_TIMEOUT_NANOS = 1_000_000_000L;
    static final long NOMINAL_SPEED = 10_000_000_000L;

    static final int[] SUPPORTED_OIDS = {Oid.GEN_SUPPORTED_LIST, Oid.GEN_CURRENT_PACKET_FILTER, Oid.GEN_LINK_STATE,
        Oid.GEN_MAXIMUM_FRAME_SIZE, Oid.GEN_STATISTICS, Oid.OID_802_3_PERMANENT_ADDRESS, Oid.OID_802_3_CURRENT_ADDRESS,
        Oid.OID_802_3_MULTICAST_LIST, Oid.OID_802_3_MAXIMUM_LIST_SIZE};
    static final int SUPPORTED_STATISTICS = NdisStatisticsInfo.VALID_DIRECTED_FRAMES_RCV
            | NdisStatisticsInfo.VALID_MULTICAST_FRAMES_RCV | NdisStatisticsInfo.VALID_BROADCAST_FRAMES_RCV
            | NdisStatisticsInfo.VALID_BYTES_RCV | NdisStatisticsInfo.VALID_RCV_DISCARDS
            | NdisStatisticsInfo.VALID_RCV_ERROR | NdisStatisticsInfo.VALID_DIRECTED_FRAMES_XMIT
            | NdisStatisticsInfo.VALID_MULTICAST_FRAMES_XMIT | NdisStatisticsInfo.VALID_BROADCAST_FRAMES_XMIT
            | NdisStatisticsInfo.VALID_BYTES_XMIT | NdisStatisticsInfo.VALID_XMIT_ERROR;

    /** Control queue classes and commands (5.1.6.5). */
    static final int CTRL_RX = 0;
    static final int CTRL_RX_PROMISC = 0;
    static final int CTRL_RX_ALLMULTI = 1;
    static final int CTRL_MAC = 1;
    static final int CTRL_MAC_TABLE_SET = 0;
    static final int CTRL_OK = 0;

    final MiniportVirtioNet driver;
    final Ndis ndis;
    final NdisAdapterHandle handle;
    final InitParameters params;

    VirtioNetConfig config;
    List<VirtioPciCap> caps;
    VirtioPciCap commonCap;
    VirtioPciCap notifyCap;
    VirtioPciCap isrCap;
    VirtioPciCap deviceCap;
    VirtioTransport transport;
    long offeredFeatures;
    long features;
    MacAddress permanent;
    MacAddress current;

    // resources, in acquisition order
    private final NdisIoSpace[] io = new NdisIoSpace[6];
    private NdisDmaHandle dma;
    private SharedMemory rxRingMemory;
    private SharedMemory txRingMemory;
    private SharedMemory ctrlRingMemory;
    private SharedMemory rxBufferMemory;
    private SharedMemory headerMemory;
    private NetBufferListPool rxNblPool;
    private NdisTimer pollTimer;
    private NdisInterruptHandle interrupt;

    SplitRing rx;
    SplitRing tx;
    SplitRing ctrl;
    int rxSize;
    int txSize;
    long rxNotify;
    long txNotify;
    long ctrlNotify;
    PacketBufferPool rxPool;
    private NetBufferList[] rxNbl;
    private boolean[] rxWithNdis;
    /** The interrupt mode in use, or null when polling. */
    InterruptMode interruptMode;
    /** Why the adapter polls although MSI-X was available, or null. */
    String pollingReason;
    /** The vectors as the device kept them (NO_VECTOR when polling). */
    int configVector = CommonCfg.NO_VECTOR;
    final int[] queueVectors = {CommonCfg.NO_VECTOR, CommonCfg.NO_VECTOR, CommonCfg.NO_VECTOR};

    // TX state (txLock)
    private final Object txLock = new Object();
    private NetBufferList[] slotNbl;
    private boolean[] slotUsed;
    private int[] slotClass;
    private int txSlots;
    private int txHead;
    private int txClean;
    private int txBusy;
    /** Accepted sends not yet in the ring, oldest first. */
    private final PendingSends pending = new PendingSends();
    /** Sends refused by one MiniportSendNetBufferLists call, completed together once txLock is released. */
    private final PendingSends rejectedSends = new PendingSends();
    /** CheckForHang's watch on the used index. */
    private final TxStallWatch txStall = new TxStallWatch();

    // RX state (rxLock)
    private final Object rxLock = new Object();
    private int rxOutstanding;

    // control queue (ctrlLock): header at 0, ack at 8, data at 16 of the control buffer
    private final Object ctrlLock = new Object();
    private SharedMemory ctrlMemory;
    static final int CTRL_HDR = 0;
    static final int CTRL_ACK = 8;
    static final int CTRL_DATA = 16;
    static final int CTRL_BYTES = CTRL_DATA + 8 + (1 + MAX_MULTICAST) * MacAddress.LENGTH + 8;

    // control state
    private final Object stateLock = new Object();
    /** Link indications a DPC decided on while Running: MiniportPause waits for them (IND-01). */
    private final DecidedIndications dpcIndications = new DecidedIndications(stateLock);
    private volatile boolean running;
    private volatile boolean txLinkUp = true;
    private boolean pausePending;
    volatile boolean diagnosticsActive;
    /** Vectors any ISR saw, as a bit mask (for the interrupt self-test). */
    volatile long observedVectors;
    /** Set by a configuration change showing DEVICE_NEEDS_RESET (or a dead device); CheckForHang reports it. */
    volatile boolean needsReset;
    volatile String needsResetReason;
    /**
     * Set by MiniportDevicePnPEventNotify(SurpriseRemoved): the device is gone, its BARs read all-ones
     * and writes go nowhere, so nothing touches it again (no notify, no status, no ISR read); see
     * {@link #pause} for how the sends it held complete.
     */
    volatile boolean surpriseRemoved;
    /** The packet filter and multicast list the protocol set. */
    private final ReceiveFilterOids filters = new ReceiveFilterOids(MAX_MULTICAST);
    private boolean lastLinkUp;

    // driver counters (virtio has no hardware counters)
    long txFrames;
    long txMulticast;
    long txBroadcast;
    long txBytes;
    long txErrors;
    long rxFrames;
    long rxMulticast;
    long rxBroadcast;
    long rxBytes;
    long rxDropped;
    long rxLengthErrors;
    long rxFiltered;
    long txNotifies;
    long rxNotifies;
    long configInterrupts;
    long ctrlCommands;
    long ctrlFailures;
    long resets;

    VirtioNetAdapter(MiniportVirtioNet driver, NdisAdapterHandle handle, InitParameters params) {
        this.driver = driver;
        this.ndis = driver.ndis;
        this.handle = handle;
        this.params = params;
    }

    // ================================================================================================
    // MiniportInitializeEx
    // ================================================================================================

    int initialize() {
        int s = ndis.NdisMSetMiniportAttributes(handle, MiniportAdapterAttributes.registration(this)
                .attributeFlags(HARDWARE_DEVICE | BUS_MASTER)
                .checkForHangTimeInSeconds(MiniportAdapterAttributes.Registration.DEFAULT_CHECK_FOR_HANG_SECONDS)
                .interfaceType(NdisInterfaceType.NdisInterfacePci).build());
        if (s != NdisStatus.SUCCESS) {
            return NdisStatus.FAILURE;
        }
        try {
            config = readConfiguration();
            locateStructures();
            negotiate();
            identify();
            s = ndis.NdisMSetMiniportAttributes(handle, MiniportAdapterAttributes.general()
                    .mtuSize(MTU)
                    .linkSpeeds(NOMINAL_SPEED, MiniportAdapterAttributes.General.LINK_SPEED_UNKNOWN)
                    .mediaConnectState(MediaConnectState.MediaConnectStateUnknown)
                    .mediaDuplexState(MediaDuplexState.MediaDuplexStateUnknown)
                    .lookaheadSize(MTU)
                    .supportedPacketFilters(SUPPORTED_FILTERS)
                    .maxMulticastListSize(MAX_MULTICAST)
                    .permanentMacAddress(permanent)
                    .currentMacAddress(current)
                    .supportedStatistics(SUPPORTED_STATISTICS)
                    .supportedOidList(SUPPORTED_OIDS)
                    .powerManagementCapabilitiesEx(NdisPmCapabilities.NONE).build());
            if (s != NdisStatus.SUCCESS) {
                failDevice();
                releaseAll();
                return NdisStatus.FAILURE;
            }
            allocateDataPath();
            registerInterrupt();
            setUpQueues();
            if (vectorsRefused()) {
                fallBackToPolling();
            }
            transport.addStatus(DeviceStatus.DRIVER_OK);                             // 3.1.1 step 8
            rx.commit();
            notifyRx();
            return NdisStatus.SUCCESS;
        } catch (NdisStatusException e) {
            failDevice();
            releaseAll();
            return e.status() == NdisStatus.RESOURCES ? NdisStatus.RESOURCES : NdisStatus.FAILURE;
        } catch (InitException | DeviceAccessException e) {
            driver.failed(params.ifIndex(), InitFailure.of("initialize", e));
            failDevice();
            releaseAll();
            return NdisStatus.FAILURE;
        }
    }

    /** A hardware condition that makes initialization fail, with a message naming what was seen. */
    static final class InitException extends RuntimeException {
        InitException(String message) {
            super(message);
        }
    }

    private VirtioNetConfig readConfiguration() {
        NdisConfiguration cfg = ndis.NdisOpenConfigurationEx(handle);
        try {
            int rxCount = Integer.highestOneBit(ndis.NdisReadConfiguration(cfg, VirtioNetConfig.RECEIVE_BUFFERS).intValue());
            int txCount = Integer.highestOneBit(ndis.NdisReadConfiguration(cfg, VirtioNetConfig.TRANSMIT_BUFFERS).intValue());
            int mode = ndis.NdisReadConfiguration(cfg, VirtioNetConfig.INTERRUPT_MODE).intValue();
            ParameterValue address = ndis.NdisReadNetworkAddress(cfg);
            MacAddress override = address.status() == NdisStatus.SUCCESS ? address.macAddress() : null;
            return new VirtioNetConfig(rxCount, txCount, mode, override);
        } finally {
            ndis.NdisCloseConfiguration(cfg);
        }
    }

    /**
     * The capability walk (4.1.4): the first usable capability of each cfg_type, a BAR the adapter was
     * given, the structure inside it. COMMON, NOTIFY and ISR are required; DEVICE_CFG is optional.
     */
    private void locateStructures() {
        byte[] space = new byte[256];
        int n = ndis.NdisMGetBusData(handle, 0, space);
        if (n < 0x40) {
            throw new InitException("PCI configuration space unreadable: bytes=" + n);
        }
        caps = VirtioPciCap.walk(new ConfigSnapshot(space));
        commonCap = find(VirtioPciCap.COMMON_CFG, CommonCfg.SIZE);
        notifyCap = find(VirtioPciCap.NOTIFY_CFG, 2);
        isrCap = find(VirtioPciCap.ISR_CFG, 1);
        deviceCap = find(VirtioPciCap.DEVICE_CFG, NetConfig.STATUS + 2);
        if (commonCap == null || notifyCap == null || isrCap == null) {
            throw new InitException("not a modern virtio device: missing vendor capabilities: found=" + caps
                    + " (COMMON_CFG, NOTIFY_CFG and ISR_CFG are required, virtio 1.2 4.1.4)");
        }
        transport = new VirtioTransport(window(commonCap), window(notifyCap), notifyCap.notifyOffMultiplier(),
                window(isrCap), deviceCap == null ? null : window(deviceCap), ndis.deviceClock(handle));
    }

    private VirtioPciCap find(int type, long minLength) {
        for (VirtioPciCap c : caps) {
            if (c.cfgType() != type || c.bar() > 5 || c.length() < minLength) {
                continue;
            }
            AllocatedResources.MemoryResource r = params.allocatedResources().bar(c.bar());
            if (r != null && (c.offset() & 0xFFFF_FFFFL) + c.length() <= r.length()) {
                return c;                                   // the first one the driver can use (4.1.4.1)
            }
        }
        return null;
    }

    private VirtioTransport.Window window(VirtioPciCap c) {
        if (io[c.bar()] == null) {
            io[c.bar()] = ndis.NdisMMapIoSpace(handle, params.allocatedResources().bar(c.bar()));
        }
        return new VirtioTransport.Window(io[c.bar()], c.offset() & 0xFFFF_FFFFL, c.length());
    }

    /** 3.1.1 steps 1-6: reset, ACKNOWLEDGE, DRIVER, features, FEATURES_OK and its re-read. */
    private void negotiate() {
        transport.reset(RESET_TIMEOUT_NANOS);                                      // 1
        transport.addStatus(DeviceStatus.ACKNOWLEDGE);                            // 2
        transport.addStatus(DeviceStatus.DRIVER);                                 // 3
        offeredFeatures = transport.deviceFeatures();                             // 4
        if ((offeredFeatures & Features.F_VERSION_1) == 0) {
            throw new InitException(String.format("device does not offer VIRTIO_F_VERSION_1: device_feature=0x%016X"
                    + " (a legacy-only device; start QEMU with disable-legacy=on or use a 1.x device)", offeredFeatures));
        }
        features = Features.accept(offeredFeatures);
        transport.writeDriverFeatures(features);
        int status = transport.addStatus(DeviceStatus.FEATURES_OK);              // 5
        int back = transport.status();                                           // 6
        if ((back & DeviceStatus.FEATURES_OK) == 0) {
            throw new InitException(String.format("device rejected the features: FEATURES_OK not kept:"
                    + " device_status=0x%02X (%s) wrote=0x%02X driver_feature=0x%016X (%s) device_feature=0x%016X",
                    back, DeviceStatus.decode(back), status, features, Features.decode(features), offeredFeatures));
        }
    }

    /**
     * The MAC from the device configuration (VIRTIO_NET_F_MAC), else a random locally administered
     * unicast address as 5.1.5 asks; NetworkAddress overrides either (the device then filters on it only
     * through the control queue's MAC table, which this driver fills with the current address).
     */
    private void identify() {
        byte[] mac = null;
        if ((features & Features.NET_F_MAC) != 0 && transport.hasDeviceConfig()) {
            mac = transport.readMac();
            if (mac == null) {
                throw new InitException("config_generation never settled while reading the MAC: tries="
                        + VirtioTransport.GENERATION_TRIES);
            }
        }
        if (mac == null) {
            mac = new byte[6];
            new SecureRandom().nextBytes(mac);
            mac[0] = (byte) ((mac[0] & 0xFC) | 0x02);       // locally administered, unicast
        }
        permanent = MacAddress.of(mac);
        if (!permanent.isValidUnicast()) {
            throw new InitException("device MAC address is not a unicast address: mac=" + permanent);
        }
        current = config.networkAddress() != null ? config.networkAddress() : permanent;
    }

    private void allocateDataPath() {
        dma = ndis.NdisMRegisterScatterGatherDma(handle, ScatterGatherDmaDescription.DEFAULT);
        int queues = transport.numQueues();
        rxSize = queueSize(RX_QUEUE, config.receiveBuffers(), queues);
        txSize = queueSize(TX_QUEUE, config.transmitBuffers(), queues);
        if (txSize < 2) {
            throw new InitException("transmit queue too small: queue_size=" + txSize + " (a frame takes 2 descriptors)");
        }
        boolean ctrlVq = (features & Features.NET_F_CTRL_VQ) != 0;
        rxRingMemory = ndis.NdisMAllocateSharedMemory(handle, Virtq.areaBytes(rxSize), true, "rx-queue");
        txRingMemory = ndis.NdisMAllocateSharedMemory(handle, Virtq.areaBytes(txSize), true, "tx-queue");
        rx = new SplitRing(rxRingMemory.segment(), rxRingMemory.physicalAddress(), rxSize);
        tx = new SplitRing(txRingMemory.segment(), txRingMemory.physicalAddress(), txSize);
        if (ctrlVq) {
            int ctrlSize = queueSize(CTRL_QUEUE, 4, queues);
            if (ctrlSize < 4) {
                throw new InitException("control queue too small: queue_size=" + ctrlSize + " (a command takes 3)");
            }
            ctrlRingMemory = ndis.NdisMAllocateSharedMemory(handle, Virtq.areaBytes(ctrlSize), true, "ctrl-queue");
            ctrlMemory = ndis.NdisMAllocateSharedMemory(handle, CTRL_BYTES, true, "ctrl-buffers");
            ctrl = new SplitRing(ctrlRingMemory.segment(), ctrlRingMemory.physicalAddress(), ctrlSize);
        }
        rxBufferMemory = ndis.NdisMAllocateSharedMemory(handle, (long) rxSize * RX_BUFFER, true, "rx-buffers");
        headerMemory = ndis.NdisMAllocateSharedMemory(handle, 64, true, "tx-header");
        rxPool = new PacketBufferPool(new SharedMemoryRegion(rxBufferMemory), RX_BUFFER, rxSize);
        rxNblPool = ndis.NdisAllocateNetBufferListPool(handle, NetBufferListPoolParameters.withoutData(rxSize, "rx"));
        rxNbl = new NetBufferList[rxSize];
        rxWithNdis = new boolean[rxSize];
        for (int i = 0; i < rxSize; i++) {
            rxNbl[i] = rxNblPool.allocate(rxPool.segment(i), rxPool.iova(i), NetHeader.BYTES, 0);
            rxNbl[i].setMiniportReserved0(Integer.valueOf(i));   // boxed once here, never per packet
        }
        txSlots = txSize / 2;
        slotNbl = new NetBufferList[txSlots];
        slotUsed = new boolean[txSlots];
        slotClass = new int[txSlots];
    }

    /** queue_size of {@code q} capped to {@code wanted}; 0 or a missing queue fails initialization. */
    private int queueSize(int q, int wanted, int queues) {
        if (q >= queues) {
            throw new InitException("device has too few queues: num_queues=" + queues + " needed=" + (q + 1));
        }
        transport.selectQueue(q);
        int max = transport.read16(CommonCfg.QUEUE_SIZE);
        if (max == 0) {
            throw new InitException("queue " + q + " is not available: queue_size=0");
        }
        // A non-power-of-two maximum is allowed for packed rings only; split rings use powers of two (2.7).
        int size = Math.min(Integer.highestOneBit(max), Math.max(1, wanted));
        return Integer.highestOneBit(size);
    }

    private void registerInterrupt() {
        int mode = config.interruptMode();
        if (mode != VirtioNetConfig.MODE_POLLING && params.allocatedResources().interrupts().stream()
                .anyMatch(r -> r.mode() == InterruptMode.MSIX && r.messageCount() >= MSIX_VECTORS)) {
            InterruptCharacteristics<VirtioNetAdapter> ic = new InterruptCharacteristics<VirtioNetAdapter>()
                    .allHandlers(VirtioNetAdapter::isr, VirtioNetAdapter::dpc, VirtioNetAdapter::enableInterrupt,
                            VirtioNetAdapter::disableInterrupt)
                    .msiSupported(true).interruptMode(InterruptMode.MSIX).messageCount(MSIX_VECTORS);
            try {
                interrupt = ndis.NdisMRegisterInterruptEx(handle, this, ic);
                interruptMode = interrupt.mode();
                return;
            } catch (NdisStatusException e) {
                if (mode == VirtioNetConfig.MODE_MSIX) {
                    throw e;
                }
            }
        } else if (mode == VirtioNetConfig.MODE_MSIX) {
            throw new InitException("InterruptMode=1 (MSI-X) but the device offers fewer than " + MSIX_VECTORS
                    + " MSI-X vectors: resources=" + params.allocatedResources().interrupts());
        }
        interruptMode = null;
        pollTimer = ndis.NdisAllocateTimerObject(handle, VirtioNetAdapter::pollTimerFired, this);
    }

    /**
     * 3.1.1 step 7 for each queue (4.1.5.1.3): select, size, ring addresses (low half first), MSI-X vector
     * read back for NO_VECTOR, notify offset, then queue_enable = 1 last (QEMU latches size and addresses
     * on that write, reference C.4). The receive buffers are published (not yet notified: no notification
     * before DRIVER_OK).
     */
    private void setUpQueues() {
        boolean vectors = interruptMode == InterruptMode.MSIX;
        configVector = transport.setConfigVector(vectors ? VECTOR_CONFIG : CommonCfg.NO_VECTOR);
        rxNotify = setUpQueue(RX_QUEUE, rx, vectors ? VECTOR_RX : CommonCfg.NO_VECTOR);
        txNotify = setUpQueue(TX_QUEUE, tx, vectors ? VECTOR_TX : CommonCfg.NO_VECTOR);
        if (ctrl != null) {
            ctrlNotify = setUpQueue(CTRL_QUEUE, ctrl, vectors ? VECTOR_CTRL : CommonCfg.NO_VECTOR);
        }
        // Transmit slot s: descriptor 2s the shared zero header, 2s+1 the frame.
        for (int s = 0; s < txSlots; s++) {
            tx.setDesc(2 * s, headerMemory.physicalAddress(), NetHeader.BYTES, Virtq.DESC_F_NEXT, 2 * s + 1);
        }
        synchronized (rxLock) {
            for (int i = 0; i < rxSize; i++) {
                rx.setDesc(i, rxPool.iova(i), RX_BUFFER, Virtq.DESC_F_WRITE, 0);
                if (!rxWithNdis[i]) {
                    rx.publish(i);
                }
            }
        }
    }

    /** MSI-X registered but a vector read back NO_VECTOR: the device could not map it (4.1.5.1.2). */
    private boolean vectorsRefused() {
        return interruptMode == InterruptMode.MSIX && (configVector == CommonCfg.NO_VECTOR
                || queueVectors[RX_QUEUE] == CommonCfg.NO_VECTOR || queueVectors[TX_QUEUE] == CommonCfg.NO_VECTOR
                || (ctrl != null && queueVectors[CTRL_QUEUE] == CommonCfg.NO_VECTOR));
    }

    private String vectorsText() {
        return String.format("config_msix_vector=0x%04X queue_msix_vector rx=0x%04X tx=0x%04X ctrl=0x%04X"
                + " (0xFFFF = NO_VECTOR)", configVector, queueVectors[RX_QUEUE], queueVectors[TX_QUEUE],
                queueVectors[CTRL_QUEUE]);
    }

    /**
     * The device could not take the vectors: rather than miss its events, give the interrupt back, tell
     * the device NO_VECTOR everywhere and poll on the 1 ms timer (still before DRIVER_OK).
     */
    private void fallBackToPolling() {
        pollingReason = "the device refused MSI-X vectors: " + vectorsText();
        ndis.NdisMDeregisterInterruptEx(interrupt);
        interrupt = null;
        interruptMode = null;
        pollTimer = ndis.NdisAllocateTimerObject(handle, VirtioNetAdapter::pollTimerFired, this);
        configVector = transport.setConfigVector(CommonCfg.NO_VECTOR);
        for (int q = 0; q < (ctrl != null ? 3 : 2); q++) {
            transport.selectQueue(q);
            queueVectors[q] = transport.setQueueVector(CommonCfg.NO_VECTOR);
        }
    }

    private long setUpQueue(int q, SplitRing ring, int vector) {
        transport.selectQueue(q);
        transport.write16(CommonCfg.QUEUE_SIZE, ring.size());
        transport.write64(CommonCfg.QUEUE_DESC, ring.descIova());
        transport.write64(CommonCfg.QUEUE_DRIVER, ring.availIova());
        transport.write64(CommonCfg.QUEUE_DEVICE, ring.usedIova());
        queueVectors[q] = transport.setQueueVector(vector);
        int notifyOff = transport.read16(CommonCfg.QUEUE_NOTIFY_OFF);
        if (!transport.notifyInWindow(notifyOff)) {
            throw new InitException(String.format("queue %d notify address outside the NOTIFY_CFG structure:"
                    + " queue_notify_off=%d notify_off_multiplier=%d length=0x%X", q, notifyOff,
                    transport.notifyOffMultiplier(), notifyCap.length()));
        }
        transport.write16(CommonCfg.QUEUE_ENABLE, 1);
        return transport.notifyOffset(notifyOff);
    }

    /** 3.1.1: "If any of these steps go irrecoverably wrong, the driver SHOULD set the FAILED status bit". */
    private void failDevice() {
        if (transport != null) {
            try {
                transport.addStatus(DeviceStatus.FAILED);
            } catch (RuntimeException e) {
                // the BAR is gone with the device; nothing more to tell it
            }
        }
    }

    // ================================================================================================
    // MiniportHaltEx and the failure path: reverse order, interrupt first
    // ================================================================================================

    void halt(HaltAction action) {
        running = false;
        if (interrupt != null) {
            ndis.NdisMDeregisterInterruptEx(interrupt);
            interrupt = null;
        }
        if (action != HaltAction.NdisHaltDeviceSurpriseRemoved && transport != null) {
            stopDevice();
        }
        releaseAll();
        driver.adapterHalted(this);
    }

    /** A device reset stops all DMA (4.1.4.3.2) before the rings are freed. */
    private void stopDevice() {
        try {
            transport.reset(RESET_TIMEOUT_NANOS);
        } catch (DeviceAccessException e) {
            // bus mastering goes off with the DMA deregistration
            driver.failed(params.ifIndex(), InitFailure.of("halt: device reset", e));
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
        if (rxNblPool != null) {
            for (NetBufferList nbl : rxNbl) {
                if (nbl != null) {
                    rxNblPool.free(nbl);
                }
            }
            ndis.NdisFreeNetBufferListPool(rxNblPool);
            rxNblPool = null;
        }
        headerMemory = free(headerMemory);
        rxBufferMemory = free(rxBufferMemory);
        ctrlMemory = free(ctrlMemory);
        ctrlRingMemory = free(ctrlRingMemory);
        txRingMemory = free(txRingMemory);
        rxRingMemory = free(rxRingMemory);
        if (dma != null) {
            ndis.NdisMDeregisterScatterGatherDma(dma);
            dma = null;
        }
        for (int i = io.length - 1; i >= 0; i--) {
            if (io[i] != null) {
                ndis.NdisMUnmapIoSpace(handle, io[i]);
                io[i] = null;
            }
        }
    }

    private SharedMemory free(SharedMemory m) {
        if (m != null) {
            ndis.NdisMFreeSharedMemory(handle, m);
        }
        return null;
    }

    // ================================================================================================
    // Restart, pause, shutdown, PnP
    // ================================================================================================

    int restart(RestartParameters p) {
        running = true;
        if (pollTimer != null) {
            ndis.NdisSetTimerObject(pollTimer, POLL_PERIOD_NANOS, POLL_PERIOD_NANOS);
        }
        boolean up = linkUp();
        synchronized (stateLock) {
            lastLinkUp = up;
            txLinkUp = up;
        }
        indicateLink(up);
        serviceRx();
        return NdisStatus.SUCCESS;
    }

    int pause(PauseParameters p) {
        synchronized (stateLock) {
            running = false;
        }
        dpcIndications.awaitNone();                          // none may arrive once NDIS moves on to halt
        if (pollTimer != null) {
            ndis.NdisCancelTimerObject(pollTimer);
        }
        if (surpriseRemoved) {
            return pauseRemoved();
        }
        serviceTx();
        if (!txLinkUp || needsReset) {
            abortPending(NdisStatus.PAUSED);
        }
        if (needsReset) {
            abortInFlight(NdisStatus.SEND_ABORTED);          // a device that stopped will never use them
        }
        serviceRx();
        synchronized (stateLock) {
            if (drained()) {
                return NdisStatus.SUCCESS;
            }
            pausePending = true;
            return NdisStatus.PENDING;
        }
    }

    /**
     * MiniportPause after a surprise removal, touching nothing of the device: what it put in the used
     * ring (host memory) before it went completes as sent; what it holds without a used entry completes
     * FAILURE, as it may or may not have reached the wire (the device can die between sending and the
     * used entry); what never left the pending queue completes SEND_ABORTED, as it was never handed to
     * the device. So the protocol can tell the three apart. Receive buffers go back with MiniportHaltEx.
     */
    private int pauseRemoved() {
        serviceTx();                                         // used ring only; submitPending stays away
        abortInFlight(NdisStatus.FAILURE);
        abortPending(NdisStatus.SEND_ABORTED);
        synchronized (stateLock) {
            if (drained()) {
                return NdisStatus.SUCCESS;
            }
            pausePending = true;                             // receives the protocol still holds
            return NdisStatus.PENDING;
        }
    }

    private boolean drained() {
        synchronized (txLock) {
            if (txBusy != 0 || !pending.isEmpty()) {
                return false;
            }
        }
        synchronized (rxLock) {
            return rxOutstanding == 0;
        }
    }

    private void maybeCompletePause() {
        boolean complete;
        synchronized (stateLock) {
            complete = pausePending && drained();
            if (complete) {
                pausePending = false;
            }
        }
        if (complete) {
            ndis.NdisMPauseComplete(handle);
        }
    }

    /** MiniportShutdownEx: stop the device's DMA with a reset; no NDIS calls, nothing freed. */
    void shutdown(io.nicup.ndis.ShutdownAction action) {
        running = false;
        if (transport != null) {
            try {
                transport.setStatus(0);
            } catch (RuntimeException e) {
                // the device is gone: nothing to stop
            }
        }
    }

    void pnpEvent(DevicePnPEvent event) {
        if (event == DevicePnPEvent.NdisDevicePnPEventSurpriseRemoved) {
            surpriseRemoved = true;                          // NDIS pauses and halts next (SurpriseRemoved)
            running = false;
        }
    }

    // ================================================================================================
    // Link
    // ================================================================================================

    /** Link from virtio_net_config.status; without VIRTIO_NET_F_STATUS the link is assumed up (5.1.4.2). */
    boolean linkUp() {
        if ((features & Features.NET_F_STATUS) == 0 || !transport.hasDeviceConfig()) {
            return true;
        }
        int s = transport.readNetStatus();
        return s >= 0 && s != 0xFFFF && (s & NetConfig.S_LINK_UP) != 0;
    }

    private void indicateLink(boolean up) {
        NdisLinkState state = up
                ? NdisLinkState.connected(NOMINAL_SPEED, MediaDuplexState.MediaDuplexStateFull)
                : NdisLinkState.disconnected();
        ndis.NdisMIndicateStatusEx(handle, NdisStatusIndication.linkState(state));
    }

    /** A configuration change (4.1.4.5): DEVICE_NEEDS_RESET, or the link status. */
    void configChanged() {
        configInterrupts++;
        int status = transport.status();
        if (status == 0xFF) {
            needsReset = true;
            needsResetReason = "device_status reads 0xFF: the device is gone (all-ones)";
            return;
        }
        if ((status & DeviceStatus.DEVICE_NEEDS_RESET) != 0) {
            needsReset = true;                           // 2.1.2: the driver must reset the device
            needsResetReason = String.format("device_status=0x%02X (%s)", status, DeviceStatus.decode(status));
            return;
        }
        boolean up = linkUp();
        txLinkUp = up;
        // Decided under stateLock with `running`; MiniportPause waits for it to finish, so no indication
        // arrives after NDIS moved on to MiniportHaltEx (as in the 82574L driver). No lock is held across
        // NdisMIndicateStatusEx itself.
        boolean indicate;
        synchronized (stateLock) {
            indicate = up != lastLinkUp && running;
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
            serviceTx();
        }
    }

    // ================================================================================================
    // Interrupts
    // ================================================================================================

    IsrResult isr(int messageId) {
        if (surpriseRemoved) {
            return IsrResult.NOT_RECOGNIZED;                 // nothing of ours can interrupt any more
        }
        observedVectors |= 1L << messageId;
        return IsrResult.QUEUE_DPC;
    }

    void dpc(int messageId) {
        if (diagnosticsActive || surpriseRemoved) {
            return;
        }
        switch (messageId) {
            case VECTOR_CONFIG -> configChanged();
            case VECTOR_RX -> serviceRx();
            case VECTOR_TX -> serviceTx();
            default -> { }                               // control queue: commands are waited for in place
        }
    }

    void enableInterrupt(int messageId) {
    }

    void disableInterrupt(int messageId) {
    }

    /** Polling: the queues, and ISR status for configuration changes (the read clears it). */
    void pollTimerFired() {
        if (diagnosticsActive || surpriseRemoved) {
            return;
        }
        int isr = transport.readIsr();
        serviceTx();
        serviceRx();
        if (isr != 0xFF && (isr & 0x2) != 0) {
            configChanged();
        } else if (isr == 0xFF && transport.status() == 0xFF) {
            configChanged();
        }
    }

    // ================================================================================================
    // Send
    // ================================================================================================

    void send(NetBufferList chain, int portNumber, int sendFlags) {
        NetBufferList rejected;
        synchronized (txLock) {
            for (NetBufferList nbl = chain; nbl != null; ) {
                NetBufferList next = nbl.next();
                nbl.setNext(null);
                int status = running ? SendCheck.status(nbl, 14, MAX_FRAME, txSlots) : NdisStatus.PAUSED;
                if (status != NdisStatus.SUCCESS) {
                    nbl.setStatus(status);
                    rejectedSends.add(nbl);
                } else {
                    pending.add(nbl);
                }
                nbl = next;
            }
            submitPending();
            rejected = rejectedSends.takeAll();
        }
        if (rejected != null) {
            ndis.NdisMSendNetBufferListsComplete(handle, rejected, 0);
        }
    }

    /** Moves queued NBLs into the ring, whole NBLs only, one avail.idx store and at most one doorbell. Holds txLock. */
    private void submitPending() {
        if (diagnosticsActive || !txLinkUp || needsReset || surpriseRemoved) {
            return;
        }
        int added = 0;
        NetBufferList nbl = pending.first();
        while (nbl != null) {
            int k = 0;
            for (NetBuffer nb = nbl.firstNetBuffer(); nb != null; nb = nb.next()) {
                k++;
            }
            if (k > txSlots - txBusy) {
                break;
            }
            int slot = txHead;
            for (NetBuffer nb = nbl.firstNetBuffer(); nb != null; nb = nb.next()) {
                slot = txHead;
                tx.setDesc(2 * slot + 1, nb.dataIova(), nb.dataLength(), 0, 0);
                slotNbl[slot] = null;
                slotUsed[slot] = false;
                tx.publish(2 * slot);
                txBytes += nb.dataLength();
                slotClass[slot] = destinationClass(nb.buffer(), nb.dataOffset());
                txHead = txHead + 1 == txSlots ? 0 : txHead + 1;
                txBusy++;
                added++;
            }
            slotNbl[slot] = nbl;                               // the NBL completes with its last slot
            NetBufferList next = nbl.next();
            nbl.setNext(null);
            nbl = next;
        }
        pending.keepFrom(nbl);
        if (added > 0) {
            tx.commit();
            if (tx.needsNotify()) {
                transport.notify(txNotify, TX_QUEUE);
                txNotifies++;
            }
        }
    }

    /** Reaps the used ring, completes NBLs whose slots are all used (in submission order), submits what waited. */
    void serviceTx() {
        if (diagnosticsActive || tx == null) {
            return;
        }
        NetBufferList head = null;
        NetBufferList tail = null;
        synchronized (txLock) {
            int ready = tx.usedReady();
            for (int k = 0; k < ready; k++) {
                int id = tx.usedId(k);
                int slot = id >>> 1;
                if ((id & 1) != 0 || slot >= txSlots) {
                    txErrors++;                              // not a head this driver published: ignore it
                    continue;
                }
                slotUsed[slot] = true;
            }
            tx.consume(ready);
            while (txBusy > 0 && slotUsed[txClean]) {
                slotUsed[txClean] = false;
                NetBufferList nbl = slotNbl[txClean];
                txFrames++;
                txMulticast += slotClass[txClean] & 1;
                txBroadcast += slotClass[txClean] >>> 1;
                if (nbl != null) {
                    slotNbl[txClean] = null;
                    nbl.setStatus(NdisStatus.SUCCESS);
                    if (head == null) {
                        head = nbl;
                    } else {
                        tail.setNext(nbl);
                    }
                    tail = nbl;
                }
                txClean = txClean + 1 == txSlots ? 0 : txClean + 1;
                txBusy--;
            }
            if (ready > 0) {
                txStall.progressed();
            }
            submitPending();
        }
        if (head != null) {
            ndis.NdisMSendNetBufferListsComplete(handle, head, 0);
        }
        maybeCompletePause();
    }

    private void abortPending(int status) {
        NetBufferList head;
        synchronized (txLock) {
            head = pending.takeAll();
        }
        if (head != null) {
            for (NetBufferList nbl = head; nbl != null; nbl = nbl.next()) {
                nbl.setStatus(status);
            }
            ndis.NdisMSendNetBufferListsComplete(handle, head, 0);
        }
    }

    /** Completes the sends the device holds with {@code status}: only when it stopped (DEVICE_NEEDS_RESET, gone). */
    private void abortInFlight(int status) {
        NetBufferList head = null;
        NetBufferList tail = null;
        synchronized (txLock) {
            while (txBusy > 0) {
                NetBufferList nbl = slotNbl[txClean];
                slotNbl[txClean] = null;
                slotUsed[txClean] = false;
                if (nbl != null) {
                    nbl.setStatus(status);
                    if (head == null) {
                        head = nbl;
                    } else {
                        tail.setNext(nbl);
                    }
                    tail = nbl;
                }
                txClean = txClean + 1 == txSlots ? 0 : txClean + 1;
                txBusy--;
            }
        }
        if (head != null) {
            ndis.NdisMSendNetBufferListsComplete(handle, head, 0);
        }
    }

    void cancelSend(long cancelId) {
        NetBufferList head;
        synchronized (txLock) {
            head = pending.removeCancelled(cancelId);
        }
        if (head != null) {
            ndis.NdisMSendNetBufferListsComplete(handle, head, 0);
        }
        maybeCompletePause();
    }

    // ================================================================================================
    // Receive
    // ================================================================================================

    /** Takes used receive buffers and indicates the good ones, one chain per batch. */
    void serviceRx() {
        if (diagnosticsActive || rx == null) {
            return;
        }
        for (int round = 0; round < rxSize / RX_BATCH + 1; round++) {
            NetBufferList head = null;
            NetBufferList tail = null;
            int n = 0;
            int ready;
            synchronized (rxLock) {
                ready = Math.min(rx.usedReady(), RX_BATCH);
                int reposted = 0;
                boolean indicate = running;
                for (int k = 0; k < ready; k++) {
                    int id = rx.usedId(k);
                    int len = rx.usedLen(k);
                    if (id < 0 || id >= rxSize || rxWithNdis[id]) {
                        rxLengthErrors++;                    // an id the driver does not own now: device bug
                        continue;
                    }
                    int frame = len - NetHeader.BYTES;
                    if (len > RX_BUFFER || frame < 14 || frame > MAX_FRAME) {
                        rxLengthErrors++;                    // used len beyond the buffer (2.7.8.2): drop
                        rx.publish(id);
                        reposted++;
                        continue;
                    }
                    if (!indicate || !accepted(rxPool.segment(id))) {
                        if (indicate) {
                            rxFiltered++;
                        } else {
                            rxDropped++;
                        }
                        rx.publish(id);
                        reposted++;
                        continue;
                    }
                    NetBufferList nbl = rxNbl[id];
                    nbl.firstNetBuffer().setData(NetHeader.BYTES, frame);
                    rxWithNdis[id] = true;
                    rxBytes += frame;
                    int c = destinationClass(rxPool.segment(id), NetHeader.BYTES);
                    rxMulticast += c & 1;
                    rxBroadcast += c >>> 1;
                    if (head == null) {
                        head = nbl;
                    } else {
                        tail.setNext(nbl);
                    }
                    tail = nbl;
                    nbl.setNext(null);
                    n++;
                }
                rx.consume(ready);
                if (reposted > 0) {
                    rx.commit();
                    notifyRx();
                }
                rxOutstanding += n;
                rxFrames += n;
            }
            if (head != null) {
                ndis.NdisMIndicateReceiveNetBufferLists(handle, head, 0, n, 0);
            }
            if (ready < RX_BATCH) {
                break;
            }
        }
    }

    /**
     * The packet filter on the destination address in the buffer (after the 12-byte header). The device
     * filters what the control queue can express; it always takes broadcast and its own configured MAC
     * (QEMU receive_filter) and, without VIRTIO_NET_F_CTRL_RX, everything (QEMU starts promiscuous). So
     * the last word is here, which costs six byte compares.
     */
    private boolean accepted(MemorySegment buffer) {
        int f = filters.packetFilter();
        if ((f & NdisPacketFilter.PROMISCUOUS) != 0) {
            return true;
        }
        byte b0 = buffer.get(ValueLayout.JAVA_BYTE, NetHeader.BYTES);
        if ((b0 & 1) == 0) {
            if ((f & NdisPacketFilter.DIRECTED) == 0) {
                return false;
            }
            byte[] mine = current.bytes();
            for (int i = 0; i < 6; i++) {
                if (buffer.get(ValueLayout.JAVA_BYTE, NetHeader.BYTES + i) != mine[i]) {
                    return false;
                }
            }
            return true;
        }
        boolean broadcast = true;
        for (int i = 0; i < 6; i++) {
            broadcast &= buffer.get(ValueLayout.JAVA_BYTE, NetHeader.BYTES + i) == (byte) 0xFF;
        }
        if (broadcast) {
            return (f & NdisPacketFilter.BROADCAST) != 0;
        }
        if ((f & NdisPacketFilter.ALL_MULTICAST) != 0) {
            return true;
        }
        if ((f & NdisPacketFilter.MULTICAST) == 0) {
            return false;
        }
        byte[] list = filters.multicast();
        for (int m = 0; m + 6 <= list.length; m += 6) {
            boolean same = true;
            for (int i = 0; i < 6 && same; i++) {
                same = buffer.get(ValueLayout.JAVA_BYTE, NetHeader.BYTES + i) == list[m + i];
            }
            if (same) {
                return true;
            }
        }
        return false;
    }

    /** 0 unicast, 1 multicast, 2 broadcast: for NDIS_STATISTICS_INFO. */
    private static int destinationClass(MemorySegment buffer, long offset) {
        if ((buffer.get(ValueLayout.JAVA_BYTE, offset) & 1) == 0) {
            return 0;
        }
        for (int i = 0; i < 6; i++) {
            if (buffer.get(ValueLayout.JAVA_BYTE, offset + i) != (byte) 0xFF) {
                return 1;
            }
        }
        return 2;
    }

    private void notifyRx() {
        if (rx.needsNotify() && (transport.status() & DeviceStatus.DRIVER_OK) != 0) {
            transport.notify(rxNotify, RX_QUEUE);
            rxNotifies++;
        }
    }

    void returnNetBufferLists(NetBufferList chain, int returnFlags) {
        synchronized (rxLock) {
            int k = 0;
            for (NetBufferList nbl = chain; nbl != null; nbl = nbl.next()) {
                int id = (Integer) nbl.miniportReserved0();
                rxWithNdis[id] = false;
                if (!needsReset && !surpriseRemoved) {
                    rx.publish(id);
                }
                k++;
            }
            rxOutstanding -= k;
            if (k > 0 && !needsReset && !surpriseRemoved) {
                rx.commit();
                notifyRx();
            }
        }
        maybeCompletePause();
    }

    // ================================================================================================
    // OIDs and the control queue
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
        // Every OID completes synchronously (control commands are waited for): nothing is ever pending.
    }

    private int setPacketFilter(NdisOidRequest r) {
        int old = filters.packetFilter();
        int status = filters.setPacketFilter(r);
        if (status != NdisStatus.SUCCESS) {
            return status;
        }
        if (!applyFilter()) {
            filters.restorePacketFilter(old);
            return NdisStatus.FAILURE;
        }
        return NdisStatus.SUCCESS;
    }

    private int setMulticastList(NdisOidRequest r) {
        byte[] old = filters.multicast();
        int status = filters.setMulticastList(r);
        if (status != NdisStatus.SUCCESS) {
            return status;
        }
        if (!applyFilter()) {
            filters.restoreMulticast(old);
            return NdisStatus.FAILURE;
        }
        return NdisStatus.SUCCESS;
    }

    /**
     * The packet filter to the device through the control queue (5.1.6.5.1, 5.1.6.5.2): PROMISCUOUS →
     * RX_PROMISC on, ALL_MULTICAST → RX_ALLMULTI on, MAC_TABLE_SET with the current address as the one
     * unicast entry and the multicast list when MULTICAST is set. Without CTRL_RX the device takes
     * everything and {@link #accepted} filters. False when the device refused a command.
     */
    boolean applyFilter() {
        if (ctrl == null || (features & Features.NET_F_CTRL_RX) == 0 || transport == null) {
            return true;
        }
        int f = filters.packetFilter();
        boolean ok = rxMode(CTRL_RX_PROMISC, (f & NdisPacketFilter.PROMISCUOUS) != 0);
        ok &= rxMode(CTRL_RX_ALLMULTI, (f & NdisPacketFilter.ALL_MULTICAST) != 0);
        ok &= macTable((f & NdisPacketFilter.MULTICAST) != 0 ? filters.multicast() : new byte[0]);
        return ok;
    }

    boolean promiscuous() {
        return (filters.packetFilter() & NdisPacketFilter.PROMISCUOUS) != 0;
    }

    /** VIRTIO_NET_CTRL_RX_PROMISC / _ALLMULTI with one byte, on or off. */
    boolean rxMode(int command, boolean on) {
        synchronized (ctrlLock) {
            ctrlMemory.segment().set(ValueLayout.JAVA_BYTE, CTRL_DATA, (byte) (on ? 1 : 0));
            return control(CTRL_RX, command, 1);
        }
    }

    /** VIRTIO_NET_CTRL_MAC_TABLE_SET: {le32 entries, macs} unicast, then the same for multicast. */
    private boolean macTable(byte[] multicastList) {
        synchronized (ctrlLock) {
            MemorySegment m = ctrlMemory.segment();
            m.set(Virtq.LE32, CTRL_DATA, 1);
            MemorySegment.copy(current.bytes(), 0, m, ValueLayout.JAVA_BYTE, CTRL_DATA + 4, 6);
            int at = CTRL_DATA + 10;
            m.set(ValueLayout.JAVA_INT_UNALIGNED.withOrder(java.nio.ByteOrder.LITTLE_ENDIAN), at,
                    multicastList.length / MacAddress.LENGTH);
            MemorySegment.copy(multicastList, 0, m, ValueLayout.JAVA_BYTE, at + 4, multicastList.length);
            return control(CTRL_MAC, CTRL_MAC_TABLE_SET, 10 + 4 + multicastList.length);
        }
    }

    /**
     * Sends one control command (5.1.6.5: header {class, command}, data, device-writable ack) and waits
     * for the device to use it, with a deadline. Holds ctrlLock. True when the ack is VIRTIO_NET_OK.
     */
    boolean control(int cls, int command, int dataLength) {
        if (needsReset || surpriseRemoved) {
            return false;
        }
        MemorySegment m = ctrlMemory.segment();
        long base = ctrlMemory.physicalAddress();
        m.set(ValueLayout.JAVA_BYTE, CTRL_HDR, (byte) cls);
        m.set(ValueLayout.JAVA_BYTE, CTRL_HDR + 1, (byte) command);
        m.set(ValueLayout.JAVA_BYTE, CTRL_ACK, (byte) 0xFF);
        ctrl.setDesc(0, base + CTRL_HDR, 2, Virtq.DESC_F_NEXT, 1);
        ctrl.setDesc(1, base + CTRL_DATA, dataLength, Virtq.DESC_F_NEXT, 2);
        ctrl.setDesc(2, base + CTRL_ACK, 1, Virtq.DESC_F_WRITE, 0);
        ctrl.publish(0);
        ctrl.commit();
        ctrlCommands++;
        transport.notify(ctrlNotify, CTRL_QUEUE);
        long deadline = transport.clock().nanoTime() + CTRL_TIMEOUT_NANOS;
        while (ctrl.usedReady() == 0) {
            if (transport.clock().nanoTime() - deadline >= 0) {
                ctrlFailures++;
                needsReset = true;                           // the command may still be used later: start over
                needsResetReason = String.format("control command class=%d command=%d not used within %d ms:"
                        + " used.idx=%d avail.idx=%d", cls, command, CTRL_TIMEOUT_NANOS / 1_000_000, ctrl.usedIndex(),
                        ctrl.availIndex());
                return false;
            }
            transport.clock().sleepNanos(10_000);
        }
        ctrl.consume(ctrl.usedReady());
        boolean ok = m.get(ValueLayout.JAVA_BYTE, CTRL_ACK) == CTRL_OK;
        if (!ok) {
            ctrlFailures++;
        }
        return ok;
    }

    NdisStatisticsInfo statistics() {
        return new NdisStatisticsInfo(SUPPORTED_STATISTICS, rxDropped, rxLengthErrors, rxBytes,
                rxFrames - rxMulticast - rxBroadcast, rxMulticast, rxBroadcast, txBytes,
                txFrames - txMulticast - txBroadcast, txMulticast, txBroadcast, txErrors, 0, 0, 0, 0, 0, 0, 0);
    }

    // ================================================================================================
    // CheckForHang and reset
    // ================================================================================================

    /**
     * MiniportCheckForHangEx (every 2 s): hung when the device asked for a reset (DEVICE_NEEDS_RESET, a
     * control command that was never used, all-ones reads), or when frames are in flight and the transmit
     * used index has not moved since the previous check (Linux virtnet_tx_timeout's condition).
     */
    boolean checkForHang() {
        if (transport == null || diagnosticsActive || surpriseRemoved) {
            return false;
        }
        if (!needsReset) {
            int status = transport.status();
            if (status == 0xFF || (status & DeviceStatus.DEVICE_NEEDS_RESET) != 0) {
                needsReset = true;
                needsResetReason = String.format("device_status=0x%02X (%s)", status, DeviceStatus.decode(status));
            }
        }
        if (needsReset) {
            return true;
        }
        serviceTx();
        synchronized (txLock) {
            if (txBusy == 0) {
                txStall.restart();
                return false;
            }
            return txStall.hung(tx.usedIndex());
        }
    }

    /**
     * MiniportResetEx: complete what the device used, take back what it did not (queued again, so nothing
     * is completed twice), reset the device and initialize it again (3.1.1, same features), receive
     * buffers not held by NDIS back in the ring, the filter through the control queue again.
     */
    ResetResult reset() {
        serviceTx();
        try {
            synchronized (txLock) {
                NetBufferList requeueHead = null;
                NetBufferList requeueTail = null;
                while (txBusy > 0) {
                    NetBufferList nbl = slotNbl[txClean];
                    slotNbl[txClean] = null;
                    slotUsed[txClean] = false;
                    if (nbl != null) {
                        if (requeueHead == null) {
                            requeueHead = nbl;
                        } else {
                            requeueTail.setNext(nbl);
                        }
                        requeueTail = nbl;
                    }
                    txClean = txClean + 1 == txSlots ? 0 : txClean + 1;
                    txBusy--;
                }
                txHead = 0;
                txClean = 0;
                if (requeueHead != null) {
                    pending.requeueFront(requeueHead, requeueTail);
                }
                synchronized (rxLock) {
                    reinitializeDevice();
                }
                resets++;
                txStall.restart();
            }
            synchronized (ctrlLock) {
                applyFilter();
            }
            txLinkUp = linkUp();
            if (txLinkUp != lastLinkUp && running) {
                lastLinkUp = txLinkUp;
                indicateLink(txLinkUp);
            }
            synchronized (txLock) {
                submitPending();
            }
            return ResetResult.SUCCESS;
        } catch (InitException | DeviceAccessException e) {
            driver.failed(params.ifIndex(), InitFailure.of("reset", e));
            needsReset = true;                               // still broken: sends wait, pause aborts them
            needsResetReason = "reset failed: " + e.getMessage();
            failDevice();
            return new ResetResult(NdisStatus.HARD_ERRORS, false);
        }
    }

    /** Reset and initialize the device again with the same rings. Holds txLock and rxLock. */
    void reinitializeDevice() {
        transport.reset(RESET_TIMEOUT_NANOS);
        transport.addStatus(DeviceStatus.ACKNOWLEDGE);
        transport.addStatus(DeviceStatus.DRIVER);
        long offered = transport.deviceFeatures();
        if ((offered & features) != features) {
            throw new InitException(String.format("device features changed across reset: device_feature=0x%016X"
                    + " negotiated=0x%016X", offered, features));
        }
        transport.writeDriverFeatures(features);
        transport.addStatus(DeviceStatus.FEATURES_OK);
        int back = transport.status();
        if ((back & DeviceStatus.FEATURES_OK) == 0) {
            throw new InitException(String.format("FEATURES_OK not kept after reset: device_status=0x%02X", back));
        }
        rx.reset();
        tx.reset();
        if (ctrl != null) {
            ctrl.reset();
        }
        setUpQueues();
        if (vectorsRefused()) {
            throw new InitException("device refused the MSI-X vectors it took before the reset: "
                    + vectorsText());
        }
        transport.addStatus(DeviceStatus.DRIVER_OK);
        needsReset = false;
        needsResetReason = null;
        rx.commit();
        notifyRx();
    }

    // ================================================================================================
    // accessors for diagnostics
    // ================================================================================================

    Object txLock() {
        return txLock;
    }

    Object rxLock() {
        return rxLock;
    }

    Object ctrlLock() {
        return ctrlLock;
    }

    boolean running() {
        return running;
    }

    int txInFlight() {
        synchronized (txLock) {
            return txBusy;
        }
    }

    @Override
    public String toString() {
        return "VirtioNetAdapter[interrupts=" + (interruptMode == null ? "POLLING" : interruptMode)
                + (pollingReason == null ? "" : " (" + pollingReason + ")") + ", mac=" + current
                + ", features=" + Features.decode(features) + ", rx=" + rxSize + ", tx=" + txSize + "]";
    }
}

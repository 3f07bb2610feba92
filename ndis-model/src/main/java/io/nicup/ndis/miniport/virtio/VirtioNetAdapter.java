package io.nicup.ndis.miniport.virtio;

import static io.nicup.ndis.adapter.MiniportAdapterAttributes.Registration.BUS_MASTER;
import static io.nicup.ndis.adapter.MiniportAdapterAttributes.Registration.HARDWARE_DEVICE;
import static io.nicup.ndis.miniport.core.ReceiveFilterOids.SUPPORTED_FILTERS;

import io.nicup.ndis.Ndis;
import io.nicup.ndis.NdisStatus;
import io.nicup.ndis.NdisStatusException;
import io.nicup.ndis.adapter.DevicePnPEvent;
import io.nicup.ndis.adapter.HaltAction;
import io.nicup.ndis.adapter.InitParameters;
import io.nicup.ndis.adapter.MiniportAdapterAttributes;
import io.nicup.ndis.adapter.NdisAdapterHandle;
import io.nicup.ndis.adapter.PauseParameters;
import io.nicup.ndis.adapter.ResetResult;
import io.nicup.ndis.adapter.RestartParameters;
import io.nicup.ndis.adapter.ShutdownAction;
import io.nicup.ndis.datapath.NetBufferList;
import io.nicup.ndis.miniport.core.DataPathDrain;
import io.nicup.ndis.miniport.core.InitFailure;
import io.nicup.ndis.miniport.core.NdisDataPath;
import io.nicup.ndis.miniport.core.OffloadCapabilities;
import io.nicup.ndis.miniport.core.OffloadOids;
import io.nicup.ndis.miniport.core.ReceiveQueueCount;
import io.nicup.ndis.oid.MediaConnectState;
import io.nicup.ndis.oid.MediaDuplexState;
import io.nicup.ndis.oid.NdisInterfaceType;
import io.nicup.ndis.oid.NdisOidRequest;
import io.nicup.ndis.oid.NdisPmCapabilities;
import io.nicup.vfio.DeviceAccessException;

/**
 * One virtio-net adapter: the MiniportAdapterContext of {@link MiniportVirtioNet}. It wires the parts
 * and follows the NDIS lifecycle; each part has one job:
 * <ul>
 *   <li>{@link VirtioDevice}: capability walk, BAR mappings, status handshake, feature negotiation, MAC;
 *   <li>{@link VirtioQueues}: the queues' memory and their set-up in the device, MSI-X routing;
 *       {@link VirtioRxQueue}, {@link VirtioTxQueue} and {@link ControlQueue} work the rings;
 *   <li>{@link NdisDataPath}: send, completions, receive indication and returns, the pause drain;
 *   <li>{@link VirtioOids}: MiniportOidRequest; {@link VirtioLink}: the link and configuration changes;
 *   <li>{@link VirtioInterrupts}: ISR, DPC and the poll timer; {@link VirtioRecovery}: CheckForHang and
 *       reset; {@link DeviceHealth}: a reset needed, or the device gone (surprise removal).
 * </ul>
 *
 * <p>MiniportInitializeEx follows the device initialization of virtio 1.2, 3.1.1 (docs/hardware-reference.md C.4) inside
 * the NDIS order: registration attributes, configuration, capability walk and I/O space, reset and
 * feature negotiation, general attributes, DMA, shared memory, pools, interrupt, queues, DRIVER_OK.
 * MiniportHaltEx undoes it in reverse, interrupt first.
 */
public final class VirtioNetAdapter {

    static final int MAX_FRAME = VirtioRxQueue.MAX_FRAME;
    static final int MTU = MAX_FRAME - 14;
    /** VIRTIO_NET_CTRL_MQ_VQ_PAIRS_MAX: the most pairs max_virtqueue_pairs may say (5.1.4). */
    static final int MAX_QUEUE_PAIRS = 0x8000;

    final MiniportVirtioNet driver;
    final Ndis ndis;
    final NdisAdapterHandle handle;
    final InitParameters params;
    /** Guards Running and the link indications; the data path's pause waits under it. */
    private final Object stateLock = new Object();
    /** Guards the common configuration (queue_select) and the control queue's one command. */
    final Object ctrlLock = new Object();

    final DeviceHealth health = new DeviceHealth();
    final VirtioDevice device;
    final VirtioQueues queues;
    final NdisDataPath dataPath;
    final VirtioLink link;
    final VirtioInterrupts interrupts;
    final VirtioOids oids;
    /**
     * Offload and RSS attributes and OIDs; set once the features are negotiated. The capabilities are what
     * the negotiated checksum and segmentation features give ({@link VirtioOffload}) and what hash report
     * and RSS allow ({@link VirtioReceiveScale}).
     */
    OffloadOids offloads;
    /** RSS and hash report (VIRTIO_NET_F_RSS, F_HASH_REPORT); set once the features are negotiated. */
    VirtioReceiveScale receiveScale;
    final VirtioRecovery recovery;
    VirtioNetConfig config;

    VirtioNetAdapter(MiniportVirtioNet driver, NdisAdapterHandle handle, InitParameters params) {
        this.driver = driver;
        this.ndis = driver.ndis;
        this.handle = handle;
        this.params = params;
        device = new VirtioDevice(ndis, handle, params);
        queues = new VirtioQueues(ndis, handle, device);
        dataPath = new NdisDataPath(ndis, handle, stateLock, health::needsReset);
        link = new VirtioLink(ndis, handle, device, dataPath, health, stateLock);
        interrupts = new VirtioInterrupts(ndis, handle, device, dataPath, link, health);
        oids = new VirtioOids(device, queues);
        recovery = new VirtioRecovery(this);
    }

    // ================================================================================================
    // MiniportInitializeEx, MiniportHaltEx
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
            config = VirtioNetConfig.read(ndis, handle);
            device.locateStructures();
            device.negotiate(VirtioOffload.wantedFeatures(config.offload())
                    | (config.offload().rss() ? Features.RECEIVE_SCALE : 0));        // 3.1.1 steps 1-6
            VirtioReceiveScale.Limits limits = device.negotiated(Features.RECEIVE_SCALE | Features.NET_F_MQ)
                    ? VirtioReceiveScale.Limits.read(device.transport) : VirtioReceiveScale.Limits.NONE;
            int layoutPairs = layoutPairs(limits);
            receiveScale = new VirtioReceiveScale(device.features, limits, ReceiveQueueCount.queues(
                    device.negotiated(Features.NET_F_RSS) ? layoutPairs : 1, config.offload(),
                    config.interruptMode() != VirtioNetConfig.MODE_POLLING, params.allocatedResources(),
                    VirtioQueues.MSIX_VECTORS - 1));
            offloads = OffloadOids.withRefusal(ndis, handle, new OffloadCapabilities(
                    VirtioOffload.capabilities(device.features).hardware(), receiveScale.capabilities()),
                    config.offload(), rss -> {
                        synchronized (ctrlLock) {
                            return receiveScale.program(queues.ctrl, rss, health, () -> ndis.NdisMResetMiniport(handle));
                        }
                    });
            oids.offloads = offloads;
            device.identify(config.networkAddress());
            if (ndis.NdisMSetMiniportAttributes(handle, generalAttributes()) != NdisStatus.SUCCESS
                    || offloads.setOffloadAttributes() != NdisStatus.SUCCESS) {
                device.fail();
                releaseAll();
                return NdisStatus.FAILURE;
            }
            queues.allocate(config, ctrlLock, health, VirtioOids.MAX_MULTICAST, receiveScale.queues(), layoutPairs);
            ReceiveFilter filter = new ReceiveFilter(oids.filters, device.current);
            for (VirtioRxQueue rx : queues.rxQueues) {
                rx.attach(device.transport, filter);
            }
            dataPath.attach(queues.tx, queues.rxQueues, VirtioRxQueue.MIN_FRAME, VirtioRxQueue.MAX_FRAME);
            if (device.negotiated(Features.NET_F_HOST_TSO4) || device.negotiated(Features.NET_F_HOST_TSO6)) {
                dataPath.allowLargeSends(offloads, VirtioOffload.MAX_LSO_FRAME);
            }
            if (device.negotiated(Features.NET_F_GUEST_CSUM)) {
                for (VirtioRxQueue rx : queues.rxQueues) {
                    rx.reportChecksums(offloads);
                }
            }
            interrupts.register(config, params, receiveScale.queues());
            queues.setUp(interrupts.msix(), dataPath);                              // 3.1.1 step 7
            if (interrupts.msix() && queues.vectorsRefused()) {
                interrupts.fallBackToPolling("the device refused MSI-X vectors: " + queues.vectorsText());
                queues.clearVectors();
            }
            device.driverOk();                                                      // 3.1.1 step 8
            queues.startReceive();
            return NdisStatus.SUCCESS;
        } catch (NdisStatusException e) {
            device.fail();
            releaseAll();
            return e.status() == NdisStatus.RESOURCES ? NdisStatus.RESOURCES : NdisStatus.FAILURE;
        } catch (VirtioInitException | DeviceAccessException e) {
            driver.failed(params.ifIndex(), InitFailure.of("initialize", e));
            device.fail();
            releaseAll();
            return NdisStatus.FAILURE;
        }
    }

    /**
     * The pairs the virtqueue numbering counts (5.1.2): max_virtqueue_pairs with MQ or RSS negotiated, else 1.
     * The spec bounds it to 1..0x8000 (5.1.4); a device outside that has no layout the driver can trust.
     */
    private int layoutPairs(VirtioReceiveScale.Limits limits) {
        if (!device.negotiated(Features.NET_F_MQ | Features.NET_F_RSS)) {
            return 1;
        }
        int pairs = limits.queuePairs();
        if (pairs < 1 || pairs > MAX_QUEUE_PAIRS) {
            throw new VirtioInitException("max_virtqueue_pairs out of range: max_virtqueue_pairs=" + pairs
                    + " (1-" + MAX_QUEUE_PAIRS + ", virtio 1.2 5.1.4; docs/hardware-reference.md C.10)");
        }
        return pairs;
    }

    private MiniportAdapterAttributes.General generalAttributes() {
        return offloads.generalAttributes(MiniportAdapterAttributes.general()
                .mtuSize(MTU)
                .linkSpeeds(VirtioLink.NOMINAL_SPEED, MiniportAdapterAttributes.General.LINK_SPEED_UNKNOWN)
                .mediaConnectState(MediaConnectState.MediaConnectStateUnknown)
                .mediaDuplexState(MediaDuplexState.MediaDuplexStateUnknown)
                .lookaheadSize(MTU)
                .supportedPacketFilters(SUPPORTED_FILTERS)
                .maxMulticastListSize(VirtioOids.MAX_MULTICAST)
                .permanentMacAddress(device.permanent)
                .currentMacAddress(device.current)
                .supportedStatistics(VirtioOids.SUPPORTED_STATISTICS)
                .supportedOidList(offloads.supportedOids(VirtioOids.SUPPORTED_OIDS))
                .powerManagementCapabilitiesEx(NdisPmCapabilities.NONE)).build();
    }

    /** MiniportHaltEx: the interrupt first, then a reset stops the device's DMA, then everything in reverse. */
    void halt(HaltAction action) {
        dataPath.setRunning(false);
        interrupts.deregister();
        if (action != HaltAction.NdisHaltDeviceSurpriseRemoved && device.transport != null) {
            try {
                device.stop();
            } catch (DeviceAccessException e) {
                // bus mastering goes off with the DMA deregistration
                driver.failed(params.ifIndex(), InitFailure.of("halt: device reset", e));
            }
        }
        releaseAll();
        driver.adapterHalted(this);
    }

    /** Reverse acquisition order: interrupt and timer, pools and memory, DMA, BAR mappings. */
    private void releaseAll() {
        interrupts.release();
        queues.release();
        device.unmap();
    }

    // ================================================================================================
    // Restart, pause, shutdown, PnP
    // ================================================================================================

    int restart(RestartParameters p) {
        dataPath.setRunning(true);
        interrupts.start();
        link.restart();
        dataPath.serviceRx();
        return NdisStatus.SUCCESS;
    }

    int pause(PauseParameters p) {
        synchronized (stateLock) {
            dataPath.setRunning(false);
        }
        link.awaitDecidedIndications();                      // none may arrive once NDIS moves on to halt
        interrupts.stop();
        return health.removed() ? dataPath.drain().pauseRemoved() : dataPath.drain().pause();
    }

    /** MiniportShutdownEx: stop the device's DMA; no NDIS calls, nothing freed. */
    void shutdown(ShutdownAction action) {
        dataPath.setRunning(false);
        device.shutdown();
    }

    /** SurpriseRemoved: the device is gone; NDIS pauses (see {@link DataPathDrain#pauseRemoved}) and halts next. */
    void pnpEvent(DevicePnPEvent event) {
        if (event == DevicePnPEvent.NdisDevicePnPEventSurpriseRemoved) {
            health.markRemoved();
            dataPath.markSurpriseRemoved();
        }
    }

    // ================================================================================================
    // the other handlers
    // ================================================================================================

    void send(NetBufferList chain, int portNumber, int sendFlags) {
        dataPath.send(chain);
    }

    void returnNetBufferLists(NetBufferList chain, int returnFlags) {
        dataPath.returnNetBufferLists(chain);
    }

    void cancelSend(long cancelId) {
        dataPath.cancelSend(cancelId);
    }

    int oidRequest(NdisOidRequest r) {
        return oids.oidRequest(r);
    }

    void cancelOidRequest(long requestId) {
        // Every OID completes synchronously (control commands are waited for): nothing is ever pending.
    }

    boolean checkForHang() {
        return recovery.checkForHang();
    }

    ResetResult reset() {
        return recovery.reset();
    }

    /** Link from virtio_net_config.status (always up without VIRTIO_NET_F_STATUS). */
    boolean linkUp() {
        return link.up();
    }

    @Override
    public String toString() {
        return "VirtioNetAdapter[interrupts=" + (interrupts.mode == null ? "POLLING" : interrupts.mode)
                + (interrupts.pollingReason == null ? "" : " (" + interrupts.pollingReason + ")") + ", mac="
                + device.current + ", features=" + Features.decode(device.features) + ", rx=" + queues.rx.size()
                + ", tx=" + queues.tx.ring().size() + (queues.rxQueues.length > 1 ? ", rx_queues=" + queues.rxQueues.length
                : "") + "]";
    }
}

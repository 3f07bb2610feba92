package io.nicup.ndis.miniport.intel;

import static io.nicup.ndis.adapter.MiniportAdapterAttributes.Registration.BUS_MASTER;
import static io.nicup.ndis.adapter.MiniportAdapterAttributes.Registration.HARDWARE_DEVICE;
import static io.nicup.ndis.miniport.core.ReceiveFilterOids.SUPPORTED_FILTERS;
import static io.nicup.ndis.miniport.intel.IntelStatistics.SUPPORTED_STATISTICS;

import io.nicup.ndis.Ndis;
import io.nicup.ndis.NdisStatus;
import io.nicup.ndis.NdisStatusException;
import io.nicup.ndis.adapter.HaltAction;
import io.nicup.ndis.adapter.MiniportAdapterAttributes;
import io.nicup.ndis.adapter.NdisAdapterHandle;
import io.nicup.ndis.adapter.NdisDmaHandle;
import io.nicup.ndis.adapter.ScatterGatherDmaDescription;
import io.nicup.ndis.miniport.core.ConfigSpaceCheck;
import io.nicup.ndis.miniport.core.InitFailure;
import io.nicup.ndis.miniport.core.NvmImage;
import io.nicup.ndis.miniport.core.OffloadOids;
import io.nicup.ndis.oid.MediaConnectState;
import io.nicup.ndis.oid.MediaDuplexState;
import io.nicup.ndis.oid.NdisInterfaceType;
import io.nicup.ndis.oid.NdisPmCapabilities;
import io.nicup.vfio.DeviceAccessException;
import io.nicup.vfio.RegisterTimeoutException;

/**
 * MiniportInitializeEx and MiniportHaltEx of an {@link IntelAdapter}: what the adapter holds, acquired in the
 * NDIS order (registration attributes, configuration, I/O space, reset and identify, interrupt, general
 * attributes, DMA, shared memory and pools, hardware programming) and released in reverse, interrupt first.
 * A failed initialization releases everything it acquired before it returns, so NDIS never halts a
 * half-made adapter. Kept apart from the adapter, which answers NDIS while it runs, because this runs
 * once at each end of its life.
 *
 * @param <C> the chip profile
 */
final class IntelResources<C extends IntelChip> {

    private final IntelAdapter<C> a;
    private final Ndis ndis;
    private final NdisAdapterHandle handle;
    private NdisDmaHandle dma;
    /** Ring, buffer and self-test memory and the receive NBLs. */
    private final DataPathMemory dataPathMemory;

    IntelResources(IntelAdapter<C> adapter) {
        this.a = adapter;                                  // made in the adapter's constructor: read its fields late
        this.ndis = adapter.ndis;
        this.handle = adapter.handle;
        this.dataPathMemory = new DataPathMemory(ndis, handle);
    }

    // ================================================================================================
    // MiniportInitializeEx
    // ================================================================================================

    /** MiniportInitializeEx; on failure everything acquired is released before returning. */
    int initialize() {
        int s = ndis.NdisMSetMiniportAttributes(handle, MiniportAdapterAttributes.registration(a)
                .attributeFlags(HARDWARE_DEVICE | BUS_MASTER)
                .checkForHangTimeInSeconds(MiniportAdapterAttributes.Registration.DEFAULT_CHECK_FOR_HANG_SECONDS)
                .interfaceType(NdisInterfaceType.NdisInterfacePci).build());
        if (s != NdisStatus.SUCCESS) {
            return NdisStatus.FAILURE;
        }
        String step = "configuration";
        try {
            a.config = IntelConfig.read(ndis, handle);
            step = "configuration space";
            ConfigSpaceCheck.check(ndis, handle, a.params.allocatedResources());
            step = "I/O space";
            a.io = ndis.NdisMMapIoSpace(handle, a.params.allocatedResources().bar(0));
            a.chip = a.driver.profile().chip().apply(a.io, ndis.deviceClock(handle));
            a.hw = a.chip.hardware();
            step = "reset and identify";
            resetAndIdentify();
            step = "interrupt";
            // The interrupt before the attributes: a device that offers MSI-X but refuses to arm it is known
            // before the receive queues are announced, so the announcement names the queues that run.
            a.receiveQueues = a.interrupts.register(ReceiveQueuePlan.queues(a.chip.maxReceiveQueues(),
                    a.config.offload(), a.config.interruptMode(), a.params.allocatedResources()));
            a.chip.useReceiveQueues(a.receiveQueues);        // before the RSS capabilities are taken from it
            a.offloads = new OffloadOids(ndis, handle, a.chip.offloadCapabilities(), a.config.offload(),
                    rss -> a.chip.programReceiveScale(rss, a.io != null && !a.surpriseRemoved)); // kept for every reset
            a.offloads.onConfigurationChange(c -> {
                if (a.io != null && !a.surpriseRemoved) {
                    a.chip.programReceiveChecksum(IntelChecksum.rxcsum(a.offloads.receiveChecksums()));
                }
            });
            step = "general attributes";
            s = ndis.NdisMSetMiniportAttributes(handle, a.offloads.generalAttributes(MiniportAdapterAttributes.general()
                    .mtuSize(a.config.mtu())
                    .linkSpeeds(1_000_000_000L, MiniportAdapterAttributes.General.LINK_SPEED_UNKNOWN)
                    .mediaConnectState(MediaConnectState.MediaConnectStateUnknown)
                    .mediaDuplexState(MediaDuplexState.MediaDuplexStateUnknown)
                    .lookaheadSize(a.config.mtu())
                    .supportedPacketFilters(SUPPORTED_FILTERS)
                    .maxMulticastListSize(IntelAdapter.MAX_MULTICAST)
                    .permanentMacAddress(a.permanent)
                    .currentMacAddress(a.current)
                    .supportedStatistics(SUPPORTED_STATISTICS)
                    .supportedOidList(a.offloads.supportedOids(IntelAdapter.SUPPORTED_OIDS))
                    .powerManagementCapabilitiesEx(NdisPmCapabilities.NONE)).build());
            if (s == NdisStatus.SUCCESS) {
                step = "offload attributes";
                s = a.offloads.setOffloadAttributes();
            }
            if (s != NdisStatus.SUCCESS) {
                releaseAll();
                return NdisStatus.FAILURE;
            }
            step = "data path";
            allocateDataPath();
            step = "program hardware";
            a.programHardware();
            a.interrupts.route();
            return NdisStatus.SUCCESS;
        } catch (NdisStatusException e) {
            releaseAll();
            return e.status() == NdisStatus.RESOURCES ? NdisStatus.RESOURCES : NdisStatus.FAILURE;
        } catch (RegisterTimeoutException | PhyAccessException | NvmException e) {
            a.driver.failed(a.params.ifIndex(), InitFailure.of(step, e));
            if (e instanceof NvmException n && n.image() != null) {
                a.driver.refusedNvm(a.params.ifIndex(), n.image());
            }
            releaseAll();
            return NdisStatus.FAILURE;
        } catch (DeviceAccessException e) {
            a.driver.failed(a.params.ifIndex(), InitFailure.of(step, e));
            releaseAll();
            return NdisStatus.FAILURE;
        }
    }

    /**
     * Reset and identity: the chip's quiesce, CTRL.RST and NVM auto-read, the NVM checksum (Linux
     * {@code e1000e_validate_nvm_checksum}, {@code igb_validate_nvm_checksum}), the permanent MAC, and the
     * {@code NetworkAddress} override.
     */
    private void resetAndIdentify() {
        int sum = a.chip.resetAndSumNvm();
        if (sum != NvmWords.SUM) {
            throw new NvmException(String.format(
                    "NVM checksum invalid: sum of words 0x00-0x3F = 0x%04X, expected 0x%04X (Linux: \"The NVM "
                            + "Checksum Is Not Valid\"); the EEPROM image is corrupt", sum, NvmWords.SUM), refusedImage());
        }
        a.permanent = a.hw.readPermanentMac();
        if (!a.permanent.isValidUnicast()) {
            throw new NvmException("permanent MAC address from the NVM is not a unicast address: mac=" + a.permanent);
        }
        a.current = a.config.networkAddress() != null ? a.config.networkAddress() : a.permanent;
    }

    /** The image a bad checksum refused, kept so that it can be shown (nicup nvm); null when it cannot be read. */
    private NvmImage refusedImage() {
        try {
            return NvmImages.read(a.hw, a.chip);
        } catch (RegisterTimeoutException e) {
            return null;
        }
    }

    private void allocateDataPath() {
        dma = ndis.NdisMRegisterScatterGatherDma(handle, ScatterGatherDmaDescription.DEFAULT);      // bus master on
        IntelConfig config = a.config;
        int txCount = config.transmitBuffers();
        int rxCount = config.receiveBuffers();
        RingLayout rings = a.chip.rings();
        int queues = a.receiveQueues;
        int buffers = rxCount * queues;                    // ReceiveBuffers counts per queue, as the rings do
        dataPathMemory.allocateMemory((long) txCount * rings.txDescriptorBytes(),
                (long) rxCount * rings.rxDescriptorBytes(), queues, buffers, config.receiveBufferSize(),
                IntelAdapter.SELFTEST_FRAMES, IntelAdapter.SELFTEST_BUFFER);
        a.tx = rings.tx().open(dataPathMemory.txRing(), a.io, 0, txCount);
        a.rxQueues.open(queues, rings, dataPathMemory, a.io, rxCount, config.jumboPacket() + IntelAdapter.VLAN_TAG,
                a.offloads, a.chip);                           // the chips strip the FCS (RCTL.SECRC)
        a.rx = a.rxQueues.ring(0);
        a.selftestPool = dataPathMemory.selftestPool();
        dataPathMemory.allocateReceiveNbls(buffers);
        IntelTxQueue.attach(a.dataPath, a.tx, a.rxQueues.queues(), a.offloads, config.jumboPacket());
    }

    // ================================================================================================
    // MiniportHaltEx and the failure path of MiniportInitializeEx: reverse order, interrupt first
    // ================================================================================================

    void halt(HaltAction action) {
        a.dataPath.setRunning(false);
        a.interrupts.stopPolling();                          // a pause that pended left it running
        // a device removed, or given up on after a failed reset, is not touched
        boolean touch = action != HaltAction.NdisHaltDeviceSurpriseRemoved && a.io != null && !a.surpriseRemoved;
        if (touch) {
            a.chip.maskInterrupts();
        }
        a.interrupts.deregister();
        if (touch) {
            stopHardware();
        }
        releaseAll();
        a.driver.adapterHalted(a);
    }

    /** Stops all DMA: quiesce and reset, so nothing is written into memory about to be freed. */
    private void stopHardware() {
        try {
            a.hw.quiesce();
            a.hw.reset();
        } catch (RegisterTimeoutException e) {
            // The chip does not answer: bus mastering goes off with the DMA deregistration below anyway.
            a.driver.failed(a.params.ifIndex(), InitFailure.of("halt: quiesce and reset", e));
        }
    }

    private void releaseAll() {
        a.interrupts.release();
        dataPathMemory.release();
        if (dma != null) {
            ndis.NdisMDeregisterScatterGatherDma(dma);      // bus master off
            dma = null;
        }
        if (a.io != null) {
            ndis.NdisMUnmapIoSpace(handle, a.io);
            a.io = null;
        }
    }
}

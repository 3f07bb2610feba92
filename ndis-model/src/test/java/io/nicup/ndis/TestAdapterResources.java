package io.nicup.ndis;

import static io.nicup.ndis.TestAdapter.MAX_MULTICAST;
import static io.nicup.ndis.TestAdapter.RECEIVE_BUFFERS;
import static io.nicup.ndis.TestAdapter.REG_RAH;
import static io.nicup.ndis.TestAdapter.REG_RAL;
import static io.nicup.ndis.TestAdapter.RX_BUFFER_SIZE;
import static io.nicup.ndis.TestAdapter.SUPPORTED_FILTERS;
import static io.nicup.ndis.TestAdapter.SUPPORTED_OIDS;
import static io.nicup.ndis.TestAdapter.TRANSMIT_BUFFERS;
import static io.nicup.ndis.adapter.MiniportAdapterAttributes.Registration.BUS_MASTER;
import static io.nicup.ndis.adapter.MiniportAdapterAttributes.Registration.HARDWARE_DEVICE;

import io.nicup.ndis.adapter.HaltAction;
import io.nicup.ndis.adapter.InterruptCharacteristics;
import io.nicup.ndis.adapter.MiniportAdapterAttributes;
import io.nicup.ndis.adapter.NdisAdapterHandle;
import io.nicup.ndis.adapter.ScatterGatherDmaDescription;
import io.nicup.ndis.config.ParameterValue;
import io.nicup.ndis.config.StandardKeywords;
import io.nicup.ndis.datapath.NetBufferList;
import io.nicup.ndis.datapath.NetBufferListPoolParameters;
import io.nicup.ndis.oid.MediaConnectState;
import io.nicup.ndis.oid.MediaDuplexState;
import io.nicup.ndis.oid.NdisInterfaceType;
import io.nicup.ndis.oid.NdisLinkState;
import io.nicup.ndis.oid.NdisPmCapabilities;
import io.nicup.ndis.oid.NdisStatisticsInfo;
import io.nicup.ndis.oid.NdisStatusIndication;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;

/**
 * MiniportInitializeEx and MiniportHaltEx of the {@link TestAdapter}: resources acquired in the order
 * docs/ndis-contract.md §2 requires, released in reverse on a failed initialization and on halt, with
 * {@link Switches} to break each rule.
 */
final class TestAdapterResources {

    private final TestAdapter a;
    private final Switches sw;
    private final Ndis ndis;
    private final NdisAdapterHandle handle;

    TestAdapterResources(TestAdapter a) {
        this.a = a;
        this.sw = a.sw;
        this.ndis = a.ndis;
        this.handle = a.handle;
    }

    private static final class InitFailure extends RuntimeException {
        InitFailure() {
            super(null, null, false, false);
        }
    }

    // ------------------------------------------------------------------------------------------------
    // MiniportInitializeEx, in the order docs/ndis-contract.md §2 requires
    // ------------------------------------------------------------------------------------------------

    int initialize() {
        a.maybeThrow(NdisCall.MiniportInitializeEx);
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
            if (a.offloads != null && a.offloads.setOffloadAttributes() != NdisStatus.SUCCESS) {
                unwind();
                return NdisStatus.FAILURE;
            }
            checkStep(++step); // 4
            if (sw.indicateStatusInInitialize) {
                ndis.NdisMIndicateStatusEx(handle, NdisStatusIndication.linkState(NdisLinkState.disconnected()));
            }
            if (sw.sharedMemoryBeforeDma) {
                a.rxMemory = ndis.NdisMAllocateSharedMemory(handle, 4096, true, "rx-buffers");
                a.held.add(Switches.Res.RX_MEMORY);
            }
            a.dma = ndis.NdisMRegisterScatterGatherDma(handle, ScatterGatherDmaDescription.DEFAULT);
            a.held.add(Switches.Res.DMA);
            checkStep(++step); // 5
            a.rxMemory = ndis.NdisMAllocateSharedMemory(handle, (long) a.rxBuffers * RX_BUFFER_SIZE, true,
                    "rx-buffers");
            a.held.add(Switches.Res.RX_MEMORY);
            checkStep(++step); // 6
            a.txMemory = ndis.NdisMAllocateSharedMemory(handle, (long) a.txBuffers * 16, true, "tx-ring");
            a.held.add(Switches.Res.TX_MEMORY);
            checkStep(++step); // 7
            setUpReceiveNbls();
            checkStep(++step); // 8
            a.watchdog = ndis.NdisAllocateTimerObject(handle, TestAdapter::watchdogFired, a);
            a.held.add(Switches.Res.TIMER);
            checkStep(++step); // 9
            InterruptCharacteristics<TestAdapter> ic = new InterruptCharacteristics<TestAdapter>()
                    .allHandlers(TestAdapter::isr, TestAdapter::dpc, TestAdapter::enableInterrupt,
                            TestAdapter::disableInterrupt);
            if (sw.interruptWithoutDpc) {
                ic.interruptDpcHandler(null);
            }
            a.interrupt = ndis.NdisMRegisterInterruptEx(handle, a, ic);
            a.held.add(Switches.Res.INTERRUPT);
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

    int setRegistrationAttributes() {
        return ndis.NdisMSetMiniportAttributes(handle, MiniportAdapterAttributes.registration(a)
                .revision(sw.registrationRevision)
                .attributeFlags(HARDWARE_DEVICE | (sw.noBusMaster ? 0 : BUS_MASTER))
                .checkForHangTimeInSeconds(sw.checkForHangSeconds)
                .interfaceType(NdisInterfaceType.NdisInterfacePci)
                .build());
    }

    private void readConfiguration() {
        a.configuration = ndis.NdisOpenConfigurationEx(handle);
        a.held.add(Switches.Res.CONFIGURATION);
        a.rxBuffers = ndis.NdisReadConfiguration(a.configuration, RECEIVE_BUFFERS).intValue();
        a.txBuffers = ndis.NdisReadConfiguration(a.configuration, TRANSMIT_BUFFERS).intValue();
        a.jumboPacket = ndis.NdisReadConfiguration(a.configuration, StandardKeywords.JUMBO_PACKET).intValue();
        a.speedDuplex = ndis.NdisReadConfiguration(a.configuration, StandardKeywords.SPEED_DUPLEX).intValue();
        ParameterValue address = ndis.NdisReadNetworkAddress(a.configuration);
        a.current = address.status() == NdisStatus.SUCCESS ? address.macAddress() : null;
        if (sw.offloadCapabilities != null) {
            a.offloads = new io.nicup.ndis.miniport.core.OffloadOids(ndis, handle, sw.offloadCapabilities,
                    io.nicup.ndis.miniport.core.OffloadKeywords.read(ndis, a.configuration), a.programmedRss::add);
        }
        if (!sw.leakOnInitFailure.contains(Switches.Res.CONFIGURATION)) {
            release(Switches.Res.CONFIGURATION);
        }
    }

    private void mapRegisters() {
        a.regs = ndis.NdisMMapIoSpace(handle, a.params.allocatedResources().bar(0));
        a.held.add(Switches.Res.IO_SPACE);
        long low = a.regs.read32(REG_RAL) & 0xFFFF_FFFFL;
        long high = a.regs.read32(REG_RAH) & 0xFFFFL;
        // RAL/RAH hold the address little-endian: first octet in the low byte of RAL
        long v = 0;
        for (int i = 0; i < 4; i++) {
            v = (v << 8) | ((low >>> (8 * i)) & 0xFF);
        }
        for (int i = 0; i < 2; i++) {
            v = (v << 8) | ((high >>> (8 * i)) & 0xFF);
        }
        a.permanent = new MacAddress(v);
        if (a.current == null) {
            a.current = a.permanent;
        }
    }

    private int setGeneralAttributes() {
        int mtu = (a.jumboPacket == 0 ? 1514 : a.jumboPacket) - 14;
        return ndis.NdisMSetMiniportAttributes(handle, MiniportAdapterAttributes.general()
                .revision(sw.generalRevision)
                .mtuSize(mtu)
                .linkSpeeds(1_000_000_000L, 1_000_000_000L)
                .mediaConnectState(MediaConnectState.MediaConnectStateConnected)
                .mediaDuplexState(MediaDuplexState.MediaDuplexStateFull)
                .lookaheadSize(mtu)
                .supportedPacketFilters(SUPPORTED_FILTERS)
                .maxMulticastListSize(MAX_MULTICAST)
                .permanentMacAddress(sw.generalWithoutMac ? null : a.permanent)
                .currentMacAddress(sw.generalWithoutMac ? null : a.current)
                .supportedStatistics(NdisStatisticsInfo.VALID_DIRECTED_FRAMES_RCV | NdisStatisticsInfo.VALID_BYTES_RCV
                        | NdisStatisticsInfo.VALID_DIRECTED_FRAMES_XMIT)
                .supportedOidList(a.offloads == null ? SUPPORTED_OIDS : a.offloads.supportedOids(SUPPORTED_OIDS))
                .powerManagementCapabilitiesEx(NdisPmCapabilities.NONE)
                .recvScaleCapabilities(sw.recvScaleCapabilities != null ? sw.recvScaleCapabilities
                        : a.offloads != null ? a.offloads.generalAttributes(MiniportAdapterAttributes.general()).build()
                                .recvScaleCapabilities() : null)
                .build());
    }

    /** One NBL per receive buffer, each pointing at its slice of the receive memory: no copy, no allocation. */
    private void setUpReceiveNbls() {
        a.rxPool = ndis.NdisAllocateNetBufferListPool(handle,
                NetBufferListPoolParameters.withoutData(a.rxBuffers, "rx"));
        a.held.add(Switches.Res.RX_POOL);
        a.rxNbls = new NetBufferList[a.rxBuffers];
        a.frameLengths = new int[a.rxBuffers];
        for (int i = 0; i < a.rxBuffers; i++) {
            long offset = (long) i * RX_BUFFER_SIZE;
            a.rxNbls[i] = a.rxPool.allocate(a.rxMemory.slice(offset, RX_BUFFER_SIZE),
                    a.rxMemory.physicalAddress(offset), 0, 0);
            a.rxNbls[i].setMiniportReserved0(i);
            a.freeSlots.add(i);
        }
    }

    // ------------------------------------------------------------------------------------------------
    // Unwinding: failed initialization and MiniportHaltEx
    // ------------------------------------------------------------------------------------------------

    private void unwind() {
        releaseAll(sw.leakOnInitFailure, false);
    }

    void halt(HaltAction action) {
        a.maybeThrow(NdisCall.MiniportHaltEx);
        a.lastHaltAction = action;
        releaseAll(sw.leakOnHalt, true);
    }

    private void releaseAll(Set<Switches.Res> leak, boolean halting) {
        List<Switches.Res> order = new ArrayList<>(a.held);
        Collections.reverse(order);
        if (halting && sw.haltReleasesInAcquisitionOrder) {
            order = new ArrayList<>(a.held);
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
            case INTERRUPT -> ndis.NdisMDeregisterInterruptEx(a.interrupt);
            case TIMER -> {
                if (!sw.freeTimerWhileSet) {
                    ndis.NdisCancelTimerObject(a.watchdog);
                }
                ndis.NdisFreeTimerObject(a.watchdog);
            }
            case RX_POOL -> {
                for (NetBufferList nbl : a.rxNbls) {
                    if (nbl != null) {
                        a.rxPool.free(nbl);
                    }
                }
                ndis.NdisFreeNetBufferListPool(a.rxPool);
            }
            case TX_MEMORY -> ndis.NdisMFreeSharedMemory(handle, a.txMemory);
            case RX_MEMORY -> ndis.NdisMFreeSharedMemory(handle, a.rxMemory);
            case DMA -> ndis.NdisMDeregisterScatterGatherDma(a.dma);
            case IO_SPACE -> {
                ndis.NdisMUnmapIoSpace(handle, a.regs);
                if (sw.haltUnmapsTwice) {
                    ndis.NdisMUnmapIoSpace(handle, a.regs);
                }
            }
            case CONFIGURATION -> ndis.NdisCloseConfiguration(a.configuration);
        }
        a.held.remove(r);
    }
}

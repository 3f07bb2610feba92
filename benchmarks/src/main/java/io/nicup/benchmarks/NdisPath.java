package io.nicup.benchmarks;

import io.nicup.ndis.MacAddress;
import io.nicup.ndis.Ndis;
import io.nicup.ndis.NdisHost;
import io.nicup.ndis.NdisStatus;
import io.nicup.ndis.NdisVersion;
import io.nicup.ndis.adapter.AdapterState;
import io.nicup.ndis.adapter.HaltAction;
import io.nicup.ndis.adapter.InitParameters;
import io.nicup.ndis.adapter.MiniportAdapter;
import io.nicup.ndis.adapter.MiniportAdapterAttributes;
import io.nicup.ndis.adapter.NdisAdapterHandle;
import io.nicup.ndis.config.ParameterStore;
import io.nicup.ndis.config.RegistryPath;
import io.nicup.ndis.datapath.NetBuffer;
import io.nicup.ndis.datapath.NetBufferList;
import io.nicup.ndis.datapath.NetBufferListPool;
import io.nicup.ndis.datapath.NetBufferListPoolParameters;
import io.nicup.ndis.driver.DriverObject;
import io.nicup.ndis.driver.MiniportDriverCharacteristics;
import io.nicup.ndis.driver.NdisDriverHandle;
import io.nicup.ndis.miniport.core.PacketBufferPool;
import io.nicup.ndis.miniport.i82574.RxRing;
import io.nicup.ndis.miniport.i82574.TxRing;
import io.nicup.ndis.oid.MediaConnectState;
import io.nicup.ndis.oid.MediaDuplexState;
import io.nicup.ndis.oid.NdisPacketFilter;
import io.nicup.ndis.oid.NdisPmCapabilities;
import io.nicup.ndis.oid.NdisStatisticsInfo;
import io.nicup.ndis.oid.Oid;
import io.nicup.ndis.protocol.NdisProtocolEdge;
import io.nicup.ndis.trace.VerifierMode;
import io.nicup.vfio.BarInfo;
import io.nicup.vfio.ConfigSpace;
import io.nicup.vfio.DeviceClock;
import io.nicup.vfio.DeviceIdentity;
import io.nicup.vfio.DmaAllocator;
import io.nicup.vfio.DmaRegion;
import io.nicup.vfio.InterruptMode;
import io.nicup.vfio.InterruptSet;
import io.nicup.vfio.Interrupts;
import io.nicup.vfio.PciAddress;
import io.nicup.vfio.PciDevice;
import io.nicup.vfio.RegisterSpace;
import java.time.Duration;
import java.util.List;

/**
 * The same three loops through the NDIS model: a minimal NDIS 6 miniport ({@link BenchMiniport}) on the
 * same {@link TxRing}/{@link RxRing} and memory as {@link FfmPath}, loaded into an {@link NdisHost}
 * (verifier RECORD, polled interrupts, no threads) and driven by a protocol edge ({@link BenchProtocol}):
 * <ul>
 *   <li>transmit: the protocol sends a chain of {@code batch} NBLs from its send pool (data already in
 *       their DMA buffers) with {@link NdisHost#send}; MiniportSendNetBufferLists fills descriptors (one
 *       TDT write); after the device, the miniport's send-complete routine cleans the ring and calls
 *       NdisMSendNetBufferListsComplete; the protocol keeps the NBLs to send again;</li>
 *   <li>receive: the miniport polls the ring, points one preallocated receive NBL per buffer at its frame
 *       and calls NdisMIndicateReceiveNetBufferLists once per batch; the protocol looks at each frame and
 *       returns the chain at once (NdisReturnNetBufferLists); MiniportReturnNetBufferLists refills the
 *       ring (one RDT write);</li>
 *   <li>forward: the protocol, inside the indication, allocates a send NBL per frame from a pool without
 *       data, attached to the received buffer (NdisAllocateNetBufferAndNetBufferList: no copy), keeps the
 *       received NBL in ProtocolReserved and sends the chain; on send completion it frees the send NBLs
 *       and returns the received ones, which refills the RX ring.</li>
 * </ul>
 * The model's bookkeeping (ownership states, counters, verifier checks) is the overhead made visible.
 */
final class NdisPath {

    private static final PciAddress ADDRESS = new PciAddress(0, 0, 1, 0);

    final Fixture fixture;
    final int batch;
    final NdisHost host;
    final BenchMiniport miniport;
    final BenchProtocol protocol;
    final MiniportAdapter adapter;
    /** Batches that moved fewer packets than asked: must stay 0 (checked at tear-down). */
    long shortBatches;

    NdisPath(Fixture fixture, int batch) {
        this.fixture = fixture;
        this.batch = batch;
        this.host = new NdisHost(new NdisHost.Options(DeviceClock.SYSTEM, VerifierMode.RECORD,
                NdisHost.InterruptDelivery.POLLED, false, 10_000, Duration.ofSeconds(5)));
        this.miniport = new BenchMiniport(fixture);
        this.protocol = new BenchProtocol(this);
        var driver = host.loadDriver("benchnic", miniport::driverEntry,
                RegistryPath.of("nicup:/drivers/benchnic", ParameterStore.parse("bench-parameters", "")));
        this.adapter = host.addAdapter(driver, new BenchPciDevice(fixture), protocol);
        int status = host.restart(adapter);
        if (status != NdisStatus.SUCCESS || adapter.state() != AdapterState.RUNNING) {
            throw new IllegalStateException("benchmark adapter did not start: status=" + NdisStatus.name(status)
                    + ", state=" + adapter.state() + ", violations=" + host.verifier().violations());
        }
        protocol.setUp(batch);
    }

    /** Verifier violations so far (must stay empty). */
    List<?> violations() {
        return host.verifier().violations();
    }

    void close() {
        host.pause(adapter);
        host.halt(adapter, HaltAction.NdisHaltDeviceDisabled);
        host.close();
    }

    int transmitBatch() {
        int sent = protocol.sendBatch();
        fixture.device.transmit();
        int completed = miniport.adapter.completeSends();
        if (sent != batch || completed != batch) {
            shortBatches++;
        }
        return completed;
    }

    int receiveBatch() {
        fixture.device.receive(batch);
        int n = miniport.adapter.receive(batch);
        if (n != batch) {
            shortBatches++;
        }
        return protocol.takeBytes();
    }

    int forwardBatch() {
        fixture.device.receive(batch);
        protocol.forwarding = true;
        int n = miniport.adapter.receive(batch);
        protocol.forwarding = false;
        fixture.device.transmit();
        int completed = miniport.adapter.completeSends();
        if (n != batch || completed != batch) {
            shortBatches++;
        }
        return completed;
    }

    int transmit(int packets) {
        int s = 0;
        for (int p = 0; p < packets; p += batch) {
            s += transmitBatch();
        }
        return s;
    }

    int receive(int packets) {
        int s = 0;
        for (int p = 0; p < packets; p += batch) {
            s += receiveBatch();
        }
        return s;
    }

    int forward(int packets) {
        int s = 0;
        for (int p = 0; p < packets; p += batch) {
            s += forwardBatch();
        }
        return s;
    }

    // ---- the protocol side ------------------------------------------------------------------------------

    /** What stands above NDIS: a sender, a receiver that returns at once, and a zero-copy forwarder. */
    static final class BenchProtocol implements NdisProtocolEdge {
        private final NdisPath path;
        private NetBufferList[] sendNbls;
        private NetBufferListPool forwardPool;
        private NetBufferList[] txNbls;
        boolean forwarding;
        private int bytes;
        private int completedSends;

        BenchProtocol(NdisPath path) {
            this.path = path;
        }

        void setUp(int batch) {
            NetBufferListPool sendPool = path.host.allocateSendPool(path.adapter, batch, PacketBufferPool.DEFAULT_BUFFER_SIZE);
            sendNbls = new NetBufferList[batch];
            for (int i = 0; i < batch; i++) {
                sendNbls[i] = sendPool.allocate();
                sendNbls[i].firstNetBuffer().setDataLength(BenchDevice.FRAME_LENGTH);
            }
            forwardPool = path.host.allocateSendPool(path.adapter, path.fixture.ringSize, 0);
            txNbls = new NetBufferList[path.fixture.ringSize];
        }

        /** Sends the protocol's frames as one chain. */
        int sendBatch() {
            NetBufferList[] nbls = sendNbls;
            for (int i = 0; i < nbls.length - 1; i++) {
                nbls[i].setNext(nbls[i + 1]);
            }
            nbls[nbls.length - 1].setNext(null);
            completedSends = 0;
            path.host.send(path.adapter, nbls[0], 0, 0);
            return nbls.length;
        }

        int takeBytes() {
            int b = bytes;
            bytes = 0;
            return b;
        }

        @Override
        public void receiveNetBufferLists(MiniportAdapter adapter, NetBufferList netBufferLists, int portNumber,
                int numberOfNetBufferLists, int receiveFlags) {
            if (!forwarding) {
                int b = 0;
                for (NetBufferList nbl = netBufferLists; nbl != null; nbl = nbl.next()) {
                    b += nbl.firstNetBuffer().dataLength();
                }
                bytes += b;
                path.host.returnNetBufferLists(adapter, netBufferLists, 0);
                return;
            }
            // Forward: a send NBL per frame (one pool call per batch), on the received buffer (no copy);
            // the received NBL rides along in ProtocolReserved.
            int got = forwardPool.allocate(txNbls, 0, numberOfNetBufferLists);
            NetBufferList rx = netBufferLists;
            for (int i = 0; i < got; i++, rx = rx.next()) {
                NetBuffer nb = rx.firstNetBuffer();
                NetBufferList tx = txNbls[i];
                tx.firstNetBuffer().attach(nb.buffer(), nb.bufferIova(), nb.dataOffset(), nb.dataLength());
                tx.setProtocolReserved(rx);
                tx.setNext(i + 1 < got ? txNbls[i + 1] : null);
            }
            if (got != numberOfNetBufferLists) {
                throw new IllegalStateException("forward pool ran dry: got=" + got + " wanted=" + numberOfNetBufferLists);
            }
            path.host.send(adapter, txNbls[0], 0, 0);
        }

        @Override
        public void sendNetBufferListsComplete(MiniportAdapter adapter, NetBufferList netBufferLists,
                int sendCompleteFlags) {
            if (netBufferLists.pool() != forwardPool) {
                // Transmit: the protocol keeps its NBLs and sends them again.
                for (NetBufferList nbl = netBufferLists; nbl != null; nbl = nbl.next()) {
                    completedSends++;
                }
                return;
            }
            NetBufferList head = null;
            NetBufferList tail = null;
            for (NetBufferList tx = netBufferLists; tx != null; tx = tx.next()) {
                NetBufferList rx = (NetBufferList) tx.protocolReserved();
                rx.setNext(null);
                if (head == null) {
                    head = rx;
                } else {
                    tail.setNext(rx);
                }
                tail = rx;
            }
            forwardPool.freeChain(netBufferLists);   // one pool call per batch
            path.host.returnNetBufferLists(adapter, head, 0);
        }
    }

    // ---- the miniport -----------------------------------------------------------------------------------

    /** DriverEntry and the driver-wide part of a minimal NDIS 6.20 miniport on the 82574L rings. */
    static final class BenchMiniport {
        private final Fixture fixture;
        private Ndis ndis;
        private NdisDriverHandle driverHandle;
        BenchAdapter adapter;

        BenchMiniport(Fixture fixture) {
            this.fixture = fixture;
        }

        int driverEntry(DriverObject driverObject, RegistryPath registryPath) {
            ndis = driverObject.ndis();
            MiniportDriverCharacteristics<BenchMiniport, BenchAdapter> c = new MiniportDriverCharacteristics<>();
            c.header(MiniportDriverCharacteristics.headerFor(NdisVersion.NDIS_6_20.maxCharacteristicsRevision()))
                    .ndisVersion(NdisVersion.NDIS_6_20)
                    .majorDriverVersion(1).minorDriverVersion(0)
                    .initializeHandlerEx((handle, context, params) -> context.initialize(handle, params))
                    .haltHandlerEx((a, action) -> a.halt())
                    .unloadHandler(d -> ndis.NdisMDeregisterMiniportDriver(driverHandle))
                    .pauseHandler((a, p) -> NdisStatus.SUCCESS)
                    .restartHandler((a, p) -> NdisStatus.SUCCESS)
                    .oidRequestHandler((a, r) -> NdisStatus.NOT_SUPPORTED)
                    .sendNetBufferListsHandler(BenchAdapter::send)
                    .returnNetBufferListsHandler(BenchAdapter::returnNetBufferLists)
                    .cancelSendHandler((a, id) -> { })
                    .devicePnPEventNotifyHandler((a, e) -> { })
                    .shutdownHandlerEx((a, action) -> { })
                    .cancelOidRequestHandler((a, id) -> { });
            driverHandle = ndis.NdisMRegisterMiniportDriver(driverObject, registryPath, this, c);
            return NdisStatus.SUCCESS;
        }

        int initialize(NdisAdapterHandle handle, InitParameters params) {
            adapter = new BenchAdapter(ndis, handle, fixture);
            int st = ndis.NdisMSetMiniportAttributes(handle, MiniportAdapterAttributes.registration(adapter)
                    .attributeFlags(MiniportAdapterAttributes.Registration.HARDWARE_DEVICE)
                    .build());
            if (st != NdisStatus.SUCCESS) {
                return st;
            }
            MacAddress mac = MacAddress.parse("02-00-5E-10-00-01");
            st = ndis.NdisMSetMiniportAttributes(handle, MiniportAdapterAttributes.general()
                    .mtuSize(1500)
                    .linkSpeeds(1_000_000_000L, 1_000_000_000L)
                    .mediaConnectState(MediaConnectState.MediaConnectStateConnected)
                    .mediaDuplexState(MediaDuplexState.MediaDuplexStateFull)
                    .lookaheadSize(1500)
                    .supportedPacketFilters(NdisPacketFilter.DIRECTED | NdisPacketFilter.BROADCAST)
                    .maxMulticastListSize(32)
                    .permanentMacAddress(mac)
                    .currentMacAddress(mac)
                    .supportedStatistics(NdisStatisticsInfo.VALID_DIRECTED_FRAMES_RCV)
                    .supportedOidList(new int[] {Oid.GEN_SUPPORTED_LIST, Oid.GEN_CURRENT_PACKET_FILTER})
                    .powerManagementCapabilitiesEx(NdisPmCapabilities.NONE)
                    .build());
            if (st != NdisStatus.SUCCESS) {
                return st;
            }
            adapter.setUpRings();
            return NdisStatus.SUCCESS;
        }
    }

    /** The adapter context: the rings, a receive NBL per packet buffer, the NBLs in flight on the TX ring. */
    static final class BenchAdapter {
        private final Ndis ndis;
        private final NdisAdapterHandle handle;
        private final Fixture fixture;
        private TxRing tx;
        private RxRing rx;
        private PacketBufferPool pool;
        private NetBufferListPool rxNblPool;
        /** The receive NBL of each packet buffer; MiniportReserved[0] holds the buffer index. */
        private NetBufferList[] rxNbl;
        /** The NBL sent in each TX ring slot (the ring's tag is the slot). */
        private NetBufferList[] txNbl;
        private long[] iovas;
        private int[] lengths;
        private int[] tags;
        private int[] done;
        private int[] rxBuffers;
        private int[] rxLengths;
        private int[] rxFlags;
        private int[] returned;
        private int txSequence;

        BenchAdapter(Ndis ndis, NdisAdapterHandle handle, Fixture fixture) {
            this.ndis = ndis;
            this.handle = handle;
            this.fixture = fixture;
        }

        void setUpRings() {
            int count = fixture.ringSize;
            pool = fixture.pool;
            tx = new TxRing(fixture.txRegion, fixture.regs, 0, count);
            rx = new RxRing(fixture.rxRegion, fixture.regs, 0, count, pool);
            tx.writeRingRegisters();
            rx.writeRingRegisters();
            rxNblPool = ndis.NdisAllocateNetBufferListPool(handle,
                    NetBufferListPoolParameters.withoutData(pool.capacity(), "rx"));
            rxNbl = new NetBufferList[pool.capacity()];
            for (int i = 0; i < pool.capacity(); i++) {
                rxNbl[i] = rxNblPool.allocate(pool.segment(i), pool.iova(i), 0, 0);
                rxNbl[i].setMiniportReserved0(i);
            }
            txNbl = new NetBufferList[count];
            iovas = new long[count];
            lengths = new int[count];
            tags = new int[count];
            done = new int[count];
            rxBuffers = new int[count];
            rxLengths = new int[count];
            rxFlags = new int[count];
            returned = new int[pool.capacity()];
            rx.refillFromPool(rx.emptySlots());
        }

        void halt() {
            ndis.NdisFreeNetBufferListPool(rxNblPool);
        }

        /** MiniportSendNetBufferLists: one descriptor per NBL, one doorbell per call. */
        void send(NetBufferList chain, int portNumber, int sendFlags) {
            int n = 0;
            int free = tx.freeSlots();
            int mask = tx.count() - 1;
            NetBufferList nbl = chain;
            while (nbl != null && n < free) {
                NetBufferList next = nbl.next();
                NetBuffer nb = nbl.firstNetBuffer();
                int slot = (txSequence + n) & mask;
                iovas[n] = nb.dataIova();
                lengths[n] = nb.dataLength();
                tags[n] = slot;
                txNbl[slot] = nbl;
                nbl.setNext(null);
                n++;
                nbl = next;
            }
            int accepted = tx.submit(iovas, lengths, tags, 0, n);
            txSequence += accepted;
            if (nbl != null || accepted != n) {
                // Ring full: a real miniport queues these; the benchmark never gets here (short batch).
                NetBufferList head = null;
                for (int i = accepted; i < n; i++) {
                    NetBufferList r = txNbl[tags[i]];
                    r.setStatus(NdisStatus.RESOURCES);
                    r.setNext(head);
                    head = r;
                }
                while (nbl != null) {
                    NetBufferList next = nbl.next();
                    nbl.setStatus(NdisStatus.RESOURCES);
                    nbl.setNext(head);
                    head = nbl;
                    nbl = next;
                }
                ndis.NdisMSendNetBufferListsComplete(handle, head, 0);
            }
        }

        /** The transmit-done DPC: cleans the ring and completes the NBLs in one call. */
        int completeSends() {
            int n = tx.clean(done, 0, done.length);
            if (n == 0) {
                return 0;
            }
            NetBufferList head = txNbl[done[0]];
            NetBufferList tail = head;
            head.setStatus(NdisStatus.SUCCESS);
            for (int i = 1; i < n; i++) {
                NetBufferList nbl = txNbl[done[i]];
                nbl.setStatus(NdisStatus.SUCCESS);
                tail.setNext(nbl);
                tail = nbl;
            }
            tail.setNext(null);
            ndis.NdisMSendNetBufferListsComplete(handle, head, 0);
            return n;
        }

        /** The receive DPC: polls, points each frame's NBL at it, one indication per batch. */
        int receive(int max) {
            int n = rx.poll(rxBuffers, rxLengths, rxFlags, 0, max);
            NetBufferList head = null;
            NetBufferList tail = null;
            int good = 0;
            int bad = 0;
            for (int i = 0; i < n; i++) {
                int b = rxBuffers[i];
                if (!RxRing.isGood(rxFlags[i])) {
                    returned[bad++] = b;
                    continue;
                }
                NetBufferList nbl = rxNbl[b];
                nbl.firstNetBuffer().setDataLength(rxLengths[i]);
                nbl.setNext(null);
                if (head == null) {
                    head = nbl;
                } else {
                    tail.setNext(nbl);
                }
                tail = nbl;
                good++;
            }
            if (bad != 0) {
                rx.refill(returned, 0, bad);
            }
            if (head != null) {
                ndis.NdisMIndicateReceiveNetBufferLists(handle, head, 0, good, 0);
            }
            return n;
        }

        /** MiniportReturnNetBufferLists: the buffers go back into the ring, one doorbell per call. */
        void returnNetBufferLists(NetBufferList chain, int returnFlags) {
            int n = 0;
            NetBufferList nbl = chain;
            while (nbl != null) {
                NetBufferList next = nbl.next();
                returned[n++] = (Integer) nbl.miniportReserved0();
                nbl.setNext(null);
                nbl = next;
            }
            rx.refill(returned, 0, n);
        }
    }

    // ---- the device as NDIS sees it ----------------------------------------------------------------------

    /** A PCI device for the host: the fixture's register segment as BAR0, DMA memory from its arena, no interrupts. */
    static final class BenchPciDevice implements PciDevice {
        private final Fixture fixture;
        private int liveRegions;

        BenchPciDevice(Fixture fixture) {
            this.fixture = fixture;
        }

        @Override
        public PciAddress address() {
            return ADDRESS;
        }

        @Override
        public DeviceIdentity identity() {
            return new DeviceIdentity(0x8086, 0x10D3, 0x8086, 0x0000, 0x020000, 0);
        }

        @Override
        public ConfigSpace config() {
            throw new UnsupportedOperationException("the benchmark device has no config space");
        }

        @Override
        public List<BarInfo> bars() {
            return List.of();
        }

        @Override
        public RegisterSpace bar(int index) {
            return fixture.regs;
        }

        @Override
        public DmaAllocator dma() {
            return new DmaAllocator() {
                @Override
                public DmaRegion allocate(String purpose, long size, long alignment) {
                    liveRegions++;
                    return new BenchDmaRegion(fixture.arena, purpose, Math.max(size, 1), Math.max(alignment, 1));
                }

                @Override
                public long pageSize() {
                    return 4096;
                }

                @Override
                public boolean hugePages() {
                    return false;
                }

                @Override
                public String fallbackReason() {
                    return "benchmark memory";
                }

                @Override
                public int liveRegions() {
                    return liveRegions;
                }
            };
        }

        @Override
        public Interrupts interrupts() {
            return new Interrupts() {
                @Override
                public int maxVectors(InterruptMode mode) {
                    return 0;
                }

                @Override
                public InterruptSet enable(InterruptMode mode, int count) {
                    throw new UnsupportedOperationException("the benchmark device has no interrupts");
                }
            };
        }

        @Override
        public DeviceClock clock() {
            return DeviceClock.SYSTEM;
        }

        @Override
        public void setBusMaster(boolean enabled) {
        }

        @Override
        public boolean canReset() {
            return false;
        }

        @Override
        public void reset() {
        }

        @Override
        public String description() {
            return "benchmark device (memory only)";
        }

        @Override
        public void close() {
        }
    }
}

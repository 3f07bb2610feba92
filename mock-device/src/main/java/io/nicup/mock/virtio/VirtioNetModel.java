package io.nicup.mock.virtio;

import io.nicup.mock.DeviceModel;
import io.nicup.mock.MockConfigSpace;
import io.nicup.mock.MockDmaAllocator;
import io.nicup.mock.MockInterrupts;
import io.nicup.mock.MsixTableSpace;
import io.nicup.mock.RegisterAccess;
import io.nicup.mock.VirtualClock;
import io.nicup.mock.Wire;
import io.nicup.vfio.BarInfo;
import io.nicup.vfio.DeviceAccessException;
import io.nicup.vfio.DeviceAccessException.Reason;
import io.nicup.vfio.RegisterSpace;

import java.util.List;
import java.util.Map;

/**
 * A virtio-net 1.x device on the modern PCI transport, as QEMU 7.2's {@code virtio-net-pci} with
 * {@code disable-legacy=on,iommu_platform=on} presents it (docs/hardware-reference.md C): 1AF4:1041, BAR1 the MSI-X
 * table (4 vectors), BAR4 a 64-bit prefetchable 16 KiB BAR holding COMMON_CFG at 0, ISR at 0x1000,
 * DEVICE_CFG at 0x2000 and NOTIFY at 0x3000 (multiplier 4, queue_notify_off = queue index), located by
 * vendor capabilities at 0x40 (common), 0x50 (ISR), 0x60 (device), 0x70 (notify) and 0x84 (PCI_CFG)
 * after MSI-X at 0x98, in QEMU's chain order.
 *
 * <p>Queues: 0 receiveq1 (256), 1 transmitq1 (256), 2 controlq (64). The device processes a queue when
 * its doorbell is written (QEMU handles the kick synchronously for TX and control); receive frames wait
 * in a FIFO while no buffer is available and are delivered on the next receive kick. A used buffer is
 * signalled on the queue's MSI-X vector, or with ISR bit 0 and INTx when MSI-X is off; a configuration
 * change (link, DEVICE_NEEDS_RESET) on config_msix_vector or ISR bit 1. Receive filtering follows QEMU's
 * {@code receive_filter}: promiscuous after reset until the driver turns it off through the control
 * queue, then its own MAC and the MAC table's unicast entries, broadcast, and multicast when allmulti is
 * on or the address is in the table.
 *
 * <p>Feature negotiation as QEMU checks it ({@code virtio_validate_features}): FEATURES_OK is not kept
 * when the driver accepted a bit not offered, left out ACCESS_PLATFORM while offered, or left out
 * VERSION_1 (this model is modern only). The model also refuses bits it offers but does not implement
 * (MRG_RXBUF, EVENT_IDX, INDIRECT_DESC and the other offloads in QEMU's set), noting them.
 *
 * <p>This class wires the parts and answers a test's questions: the configuration space
 * ({@link VirtioPciConfig}), BAR4 ({@link VirtioBar4}) with the common configuration
 * ({@link VirtioCommonConfig}), the queue engines ({@link VirtioReceiveQueue}, {@link VirtioTransmitQueue},
 * {@link VirtioControlQueue} with the {@link VirtioRxFilter} it programs), the interrupts
 * ({@link VirtioInterrupts}) and the traffic-triggered faults ({@link VirtioFaults}), over the shared
 * state in {@link VirtioCore}.
 */
public final class VirtioNetModel implements DeviceModel, Wire.Port {

    public static final String NAME = "virtio-net";
    public static final int VENDOR_ID = 0x1AF4;
    public static final int DEVICE_ID = 0x1041;
    public static final int CLASS_CODE = 0x020000;
    public static final long BAR1_SIZE = 4096;
    public static final long BAR4_SIZE = 16 * 1024;
    public static final int MSIX_VECTORS = 4;

    public static final int CAP_COMMON = 0x40;
    public static final int CAP_ISR = 0x50;
    public static final int CAP_DEVICE = 0x60;
    public static final int CAP_NOTIFY = 0x70;
    public static final int CAP_PCI_CFG = 0x84;
    public static final int CAP_MSIX = 0x98;

    public static final int COMMON_OFFSET = 0x0000;
    public static final int ISR_OFFSET = 0x1000;
    public static final int DEVICE_OFFSET = 0x2000;
    public static final int NOTIFY_OFFSET = 0x3000;
    public static final int STRUCT_LENGTH = 0x1000;
    public static final int NOTIFY_OFF_MULTIPLIER = 4;

    public static final int[] QUEUE_SIZES = {256, 256, 64};
    public static final byte[] DEFAULT_MAC = {0x52, 0x54, 0x00, 0x12, 0x34, 0x57};
    /** Feature bits (virtio 1.2 6 and 5.1.3; docs/hardware-reference.md C.3, C.9). */
    static final long F_CSUM = 1L << 0;
    static final long F_GUEST_CSUM = 1L << 1;
    static final long F_MAC = 1L << 5;
    static final long F_HOST_TSO4 = 1L << 11;
    static final long F_HOST_TSO6 = 1L << 12;
    static final long F_STATUS = 1L << 16;
    /** Several queue pairs, VQ_PAIRS_SET (5.1.3; docs/hardware-reference.md C.10). */
    static final long F_MQ = 1L << 22;
    static final long F_CTRL_VQ = 1L << 17;
    static final long F_CTRL_RX = 1L << 18;
    static final long F_VERSION_1 = 1L << 32;
    static final long F_ACCESS_PLATFORM = 1L << 33;
    /** The device reports each received frame's hash in virtio_net_hdr_v1_hash (5.1.3; docs/hardware-reference.md C.10). */
    static final long F_HASH_REPORT = 1L << 57;
    /** The device steers received frames by hash and indirection table (5.1.3; docs/hardware-reference.md C.10). */
    static final long F_RSS = 1L << 60;
    /** QEMU 7.2 with iommu_platform=on and a non-vhost peer (docs/hardware-reference.md C.3, measured). */
    public static final long QEMU_FEATURES = 0x0000_0103_30BF_8024L;
    /**
     * The checksum and segmentation features QEMU adds with a peer that has vnet headers (a tap netdev):
     * offered with the spec's {@code offload=on} (docs/hardware-reference.md C.9).
     */
    public static final long OFFLOAD_FEATURES = F_CSUM | F_GUEST_CSUM | F_HOST_TSO4 | F_HOST_TSO6;
    /** What QEMU's {@code rss=on,hash=on} adds (hash report needs a peer with vnet headers, C.10). */
    public static final long RSS_FEATURES = F_RSS | F_HASH_REPORT;
    /** Bits this model implements behaviour for. */
    public static final long IMPLEMENTED = F_VERSION_1 | F_ACCESS_PLATFORM | F_MAC | F_STATUS | F_CTRL_VQ | F_CTRL_RX
            | OFFLOAD_FEATURES | RSS_FEATURES | F_MQ;
    public static final long DMA_FAULT_IOVA = 0x0000_DEAD_0000_0000L;
    public static final int MAX_FRAME = 1514;
    public static final long LINK_FLAP_DOWN_NANOS = 10_000_000L;
    public static final long IRQ_STORM_PERIOD_NANOS = 100_000L;
    public static final int RX_FIFO_FRAMES = 256;
    public static final int NOTES_KEPT = 1024;
    public static final int NET_HDR = 12;
    /** virtio_net_hdr_v1_hash: the header with hash_value, hash_report and padding, with HASH_REPORT (5.1.6). */
    public static final int NET_HDR_HASH = 20;
    /** The queue pairs the model has unless {@code queues=N} says more (max_virtqueue_pairs). */
    public static final int QUEUE_PAIRS = 1;
    /** The most queue pairs {@code queues=N} takes: 2 * 16 + 2 MSI-X vectors fit BAR1's table below the PBA. */
    public static final int MAX_QUEUE_PAIRS = 16;

    /** What the model counts, for tests. */
    public enum Counter {
        TX_FRAMES, TX_NO_LINK, RX_FRAMES, RX_FILTERED, RX_NO_LINK, RX_FIFO_DROPPED, RX_TOO_BIG, CTRL_COMMANDS,
        NOTIFIES, CONFIG_INTERRUPTS, QUEUE_INTERRUPTS, RESETS, DMA_BLOCKED_BUS_MASTER, LINK_FLAPS,
        /** Frames whose checksum the device inserted (NEEDS_CSUM without GSO). */
        TX_CSUM_INSERTED,
        /** Segments a GSO frame was cut into. */
        TX_GSO_SEGMENTS,
        /** GSO frames dropped for an IPv4 Total Length or header checksum the host's IP stack refuses. */
        TX_GSO_BAD_HEADER,
        /** Offload requests not negotiated or outside the frame: the frame was dropped. */
        TX_OFFLOAD_ERRORS,
        /** Received frames given DATA_VALID. */
        RX_DATA_VALID
    }

    private final VirtioCore core;
    private final MockInterrupts irq;
    private final VirtioCommonConfig common;
    private final VirtioRxFilter filter;
    private final VirtioReceiveQueue rx;
    private final VirtioFaults faults;
    private final MsixTableSpace bar1;
    private final RegisterSpace bar4;

    public VirtioNetModel(VirtualClock clock, MockConfigSpace config, MockDmaAllocator dma, Wire wire, byte[] mac,
            Map<VirtioNetFault, Long> faults) {
        this(clock, config, dma, wire, mac, faults, false);
    }

    /** @param offload offer {@link #OFFLOAD_FEATURES} too, as QEMU does with a tap peer */
    public VirtioNetModel(VirtualClock clock, MockConfigSpace config, MockDmaAllocator dma, Wire wire, byte[] mac,
            Map<VirtioNetFault, Long> faults, boolean offload) {
        this(clock, config, dma, wire, mac, faults, offload ? OFFLOAD_FEATURES : 0);
    }

    /**
     * @param extra the optional features to offer beyond QEMU's default set: {@link #OFFLOAD_FEATURES} (a tap
     *     peer), {@link #RSS_FEATURES} or F_HASH_REPORT alone ({@code rss=on,hash=on} / {@code hash=on})
     */
    public VirtioNetModel(VirtualClock clock, MockConfigSpace config, MockDmaAllocator dma, Wire wire, byte[] mac,
            Map<VirtioNetFault, Long> faults, long extra) {
        this(clock, config, dma, wire, mac, faults, extra, QUEUE_PAIRS);
    }

    /**
     * @param pairs max_virtqueue_pairs: above 1 the device offers VIRTIO_NET_F_MQ, has {@code 2 * pairs + 1}
     *     virtqueues and {@code 2 * pairs + 2} MSI-X vectors (QEMU's {@code mq=on} with a {@code queues=N} peer)
     */
    public VirtioNetModel(VirtualClock clock, MockConfigSpace config, MockDmaAllocator dma, Wire wire, byte[] mac,
            Map<VirtioNetFault, Long> faults, long extra, int pairs) {
        int vectors = VirtioCore.msixVectors(pairs);
        VirtioPciConfig.build(config, faults.keySet(), vectors);
        this.irq = new MockInterrupts(clock, config, vectors, 0, true);
        this.core = new VirtioCore(clock, config, dma, wire, mac.clone(), faults, irq, pairs);
        long offered = core.faults.has(VirtioNetFault.NO_OPTIONAL_FEATURES) ? F_VERSION_1
                : QEMU_FEATURES | (extra & (OFFLOAD_FEATURES | RSS_FEATURES)) | (pairs > 1 ? F_MQ : 0);
        this.filter = new VirtioRxFilter(core.mac);
        this.faults = new VirtioFaults(core, this::drainRx);
        this.rx = new VirtioReceiveQueue(core, filter, this.faults, this::driverFeatures);
        this.common = new VirtioCommonConfig(core, offered, filter, rx::drain);
        config.setAllOnesWhen(() -> core.removed);
        wire.attach(this);
        // the table; the PBA at 0x800 reads 0
        this.bar1 = new MsixTableSpace(BAR1_SIZE, vectors, () -> core.removed);
        this.bar4 = new VirtioBar4(core, common, rx, new VirtioTransmitQueue(core, this.faults, common::driverFeatures),
                new VirtioControlQueue(core, filter, common::driverFeatures, this::drainRx));
        if (core.faults.has(VirtioNetFault.RESET_STUCK)) {
            // a device stuck in an earlier initialization
            core.status = VirtioCommonConfig.S_ACKNOWLEDGE | VirtioCommonConfig.S_DRIVER;
        }
        this.faults.check();
    }

    private void drainRx() {
        rx.drain();
    }

    @Override
    public MockInterrupts interrupts() {
        return irq;
    }

    // ------------------------------------------------------------------ DeviceModel

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public List<BarInfo> bars() {
        return List.of(new BarInfo(1, BAR1_SIZE, true, false, false, true),
                new BarInfo(4, BAR4_SIZE, true, true, true, true));
    }

    @Override
    public RegisterSpace bar(int index) {
        return switch (index) {
            case 1 -> bar1;
            case 4 -> bar4;
            default -> throw new DeviceAccessException(Reason.NOT_FOUND,
                    "virtio-net has no BAR " + index + ": bar=" + index, "the device implements BAR1 (MSI-X) and BAR4");
        };
    }

    @Override
    public void functionReset() {
        if (!core.removed) {
            common.deviceReset();
        }
    }

    @Override
    public List<RegisterAccess> notedAccesses() {
        return core.notes.list();
    }

    @Override
    public void close() {
        faults.close();
        rx.clear();
    }

    @Override
    public void receiveFromWire(byte[] frame, int length) {
        rx.fromWire(frame, length);
    }

    @Override
    public void wireLinkChanged(boolean up) {
        if (!core.removed && core.driverOk()) {
            core.interrupts.configChanged();
        }
        if (up) {
            rx.drain();
        }
    }

    // ------------------------------------------------------------------ test-side inspection

    public byte[] mac() {
        return core.mac.clone();
    }

    public int deviceStatus() {
        return core.status;
    }

    public long offeredFeatures() {
        return common.offeredFeatures();
    }

    public long driverFeatures() {
        return common.driverFeatures();
    }

    /** BAR4 reads so far: for a test that picks the read a fault counting them starts at. */
    public long registerReads() {
        return core.registerFaults.reads();
    }

    public long counter(Counter c) {
        return core.counter(c);
    }

    public boolean promiscuous() {
        return filter.promisc;
    }

    public boolean allMulticast() {
        return filter.allmulti;
    }

    /** The MAC table's multicast entries, 6 bytes each. */
    public byte[] multicastTable() {
        return filter.multicast.clone();
    }

    public byte[] unicastTable() {
        return filter.unicast.clone();
    }

    public boolean linkUp() {
        return core.linkUp();
    }

    public boolean txHung() {
        return core.txHung;
    }

    public boolean removed() {
        return core.removed;
    }

    public int queueSize(int q) {
        return core.queues[q].size;
    }

    public int queueVector(int q) {
        return core.queues[q].msixVector;
    }

    public boolean queueEnabled(int q) {
        return core.queues[q].enabled;
    }

    /** max_virtqueue_pairs. */
    public int queuePairs() {
        return core.pairs;
    }

    /** curr_queue_pairs: the pairs VQ_PAIRS_SET or RSS_CONFIG's max_tx_vq put in use (1 after reset). */
    public int queuePairsInUse() {
        return core.currPairs;
    }

    /** Frames delivered on receiveq{@code k + 1}. */
    public long receivedOnQueue(int k) {
        return core.receivedPerQueue[k];
    }

    public int configVector() {
        return core.interrupts.configVector;
    }

    /** The hash types RSS or hash report is configured with; 0 while it is off. */
    public int rssHashTypes() {
        return core.rss.enabled() ? core.rss.hashTypes() : 0;
    }

    /** The indirection table RSS_CONFIG set (empty while off or after HASH_CONFIG). */
    public int[] rssIndirectionTable() {
        return core.rss.indirectionTable();
    }

    public byte[] rssKey() {
        return core.rss.key();
    }

    /** The header the device writes and reads: 20 bytes with HASH_REPORT negotiated, else 12 (5.1.6). */
    static int netHeaderBytes(long negotiated) {
        return (negotiated & F_HASH_REPORT) != 0 ? NET_HDR_HASH : NET_HDR;
    }

    public int rxFifoFrames() {
        return rx.heldFrames();
    }

    /** Raises DEVICE_NEEDS_RESET now, as QEMU's virtio_error does. */
    public void signalNeedsReset(String why) {
        core.signalNeedsReset(why);
    }

    /** Makes the device vanish now, as the all-ones fault does. */
    public void surpriseRemove() {
        core.removed = true;
    }
}

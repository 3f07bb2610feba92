package io.nicup.mock.virtio;

import io.nicup.mock.AccessNotes;
import io.nicup.mock.DeviceModel;
import io.nicup.mock.InjectedFaults;
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
import io.nicup.vfio.InterruptMode;
import io.nicup.vfio.RegisterSpace;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Map;

/**
 * A virtio-net 1.x device on the modern PCI transport, as QEMU 7.2's {@code virtio-net-pci} with
 * {@code disable-legacy=on,iommu_platform=on} presents it (reference C): 1AF4:1041, BAR1 the MSI-X
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
    /** Feature bits (virtio 1.2 6 and 5.1.3; reference C.3). */
    static final long F_MAC = 1L << 5;
    static final long F_STATUS = 1L << 16;
    static final long F_CTRL_VQ = 1L << 17;
    static final long F_CTRL_RX = 1L << 18;
    static final long F_VERSION_1 = 1L << 32;
    static final long F_ACCESS_PLATFORM = 1L << 33;
    /** QEMU 7.2 with iommu_platform=on and a non-vhost peer (reference C.3, measured). */
    public static final long QEMU_FEATURES = 0x0000_0103_30BF_8024L;
    /** Bits this model implements behaviour for. */
    public static final long IMPLEMENTED = F_VERSION_1 | F_ACCESS_PLATFORM | F_MAC | F_STATUS | F_CTRL_VQ | F_CTRL_RX;
    public static final long DMA_FAULT_IOVA = 0x0000_DEAD_0000_0000L;
    public static final int MAX_FRAME = 1514;
    public static final long LINK_FLAP_DOWN_NANOS = 10_000_000L;
    public static final long IRQ_STORM_PERIOD_NANOS = 100_000L;
    public static final int RX_FIFO_FRAMES = 256;
    public static final int NOTES_KEPT = 1024;
    public static final int NET_HDR = 12;

    // common configuration offsets (virtio 1.2 4.1.4.3)
    static final int DEVICE_FEATURE_SELECT = 0;
    static final int DEVICE_FEATURE = 4;
    static final int DRIVER_FEATURE_SELECT = 8;
    static final int DRIVER_FEATURE = 12;
    static final int CONFIG_MSIX_VECTOR = 16;
    static final int NUM_QUEUES = 18;
    static final int DEVICE_STATUS = 20;
    static final int CONFIG_GENERATION = 21;
    static final int QUEUE_SELECT = 22;
    static final int QUEUE_SIZE = 24;
    static final int QUEUE_MSIX_VECTOR = 26;
    static final int QUEUE_ENABLE = 28;
    static final int QUEUE_NOTIFY_OFF = 30;
    static final int QUEUE_DESC = 32;
    static final int QUEUE_DRIVER = 40;
    static final int QUEUE_DEVICE = 48;

    static final int S_ACKNOWLEDGE = 1;
    static final int S_DRIVER = 2;
    static final int S_DRIVER_OK = 4;
    static final int S_FEATURES_OK = 8;
    static final int S_NEEDS_RESET = 0x40;

    /** What the model counts, for tests. */
    public enum Counter {
        TX_FRAMES, TX_NO_LINK, RX_FRAMES, RX_FILTERED, RX_NO_LINK, RX_FIFO_DROPPED, RX_TOO_BIG, CTRL_COMMANDS,
        NOTIFIES, CONFIG_INTERRUPTS, QUEUE_INTERRUPTS, RESETS, DMA_BLOCKED_BUS_MASTER, LINK_FLAPS
    }

    private final VirtualClock clock;
    private final MockConfigSpace config;
    private final MockDmaAllocator dma;
    private final MockInterrupts irq;
    private final Wire wire;
    private final byte[] mac;
    private final InjectedFaults<VirtioNetFault> faults;
    private final long offered;
    private final MsixTableSpace bar1;
    private final RegisterSpace bar4;
    private final DeviceVirtqueue[] queues = new DeviceVirtqueue[3];
    private final long[] counters = new long[Counter.values().length];
    private final AccessNotes notes;
    private final ArrayDeque<byte[]> rxFifo = new ArrayDeque<>();
    private final byte[] frameBuf = new byte[64 * 1024];

    // common configuration state
    private int deviceFeatureSelect;
    private int driverFeatureSelect;
    private long driverFeatures;
    private int configVector = 0xFFFF;
    private int status;
    private int generation;
    private int queueSelect;
    private int isr;

    // receive filter (control queue)
    private boolean promisc = true;
    private boolean allmulti;
    private byte[] macTableUni = new byte[0];
    private byte[] macTableMulti = new byte[0];

    // faults
    private boolean removed;
    private boolean txHung;
    private boolean flapDown;
    private boolean stormOn;
    private boolean rxLengthDone;
    private boolean dmaFaultDone;
    private boolean needsResetDone;
    private VirtualClock.Event flapEvent;
    private VirtualClock.Event stormEvent;

    public VirtioNetModel(VirtualClock clock, MockConfigSpace config, MockDmaAllocator dma, Wire wire, byte[] mac,
            Map<VirtioNetFault, Long> faults) {
        this.clock = clock;
        this.notes = new AccessNotes(clock, NOTES_KEPT);
        this.config = config;
        this.dma = dma;
        this.wire = wire;
        this.mac = mac.clone();
        this.faults = new InjectedFaults<>(VirtioNetFault.class, faults);
        this.offered = this.faults.has(VirtioNetFault.NO_OPTIONAL_FEATURES) ? F_VERSION_1 : QEMU_FEATURES;
        for (int q = 0; q < queues.length; q++) {
            queues[q] = new DeviceVirtqueue(q, QUEUE_SIZES[q], dma);
        }
        buildConfigSpace();
        this.irq = new MockInterrupts(clock, config, MSIX_VECTORS, 0, true);
        config.setAllOnesWhen(() -> removed);
        wire.attach(this);
        this.bar1 = new MsixTableSpace(BAR1_SIZE, MSIX_VECTORS, () -> removed); // the table; the PBA at 0x800 reads 0
        this.bar4 = new Bar4();
        if (this.faults.has(VirtioNetFault.RESET_STUCK)) {
            status = S_ACKNOWLEDGE | S_DRIVER;               // a device stuck in an earlier initialization
        }
        checkFrameFaults();
    }

    public MockInterrupts interrupts() {
        return irq;
    }

    private void buildConfigSpace() {
        MockConfigSpace c = config;
        // hw/virtio/virtio-pci.c virtio_pci_device_plugged (modern only): revision 1, subsystem 1AF4:1100.
        c.initHeader(VENDOR_ID, DEVICE_ID, CLASS_CODE, 1, VENDOR_ID, 0x1100, 1);
        c.set(MockConfigSpace.INTERRUPT_LINE, 1, 0x0B);
        c.initBar(1, BAR1_SIZE, true, 0xFEBD1000);
        // BAR4: 64-bit prefetchable memory (type 10b, prefetchable: 0xC), BAR5 the upper half.
        int bar4 = MockConfigSpace.BAR0 + 16;
        c.set(bar4, 4, 0xFE000000 | 0xC);
        c.setWriteMask(bar4, 4, (int) ~(BAR4_SIZE - 1) & 0xFFFFFFF0);
        c.set(bar4 + 4, 4, 0);
        c.setWriteMask(bar4 + 4, 4, 0xFFFFFFFF);
        // QEMU adds MSI-X last at the head of the list: the chain reads 0x98 -> 0x84 -> 0x70 -> 0x60 -> 0x50 -> 0x40.
        c.addCapability(MockConfigSpace.CAP_ID_MSIX, CAP_MSIX, 12);
        c.set(CAP_MSIX + 2, 2, MSIX_VECTORS - 1);
        c.set(CAP_MSIX + 4, 4, 1);                            // table at BAR1 + 0
        c.set(CAP_MSIX + 8, 4, 0x800 | 1);                    // PBA at BAR1 + 0x800
        vendorCap(CAP_PCI_CFG, 5, 0, 0, 0, 20);
        vendorCap(CAP_NOTIFY, 2, 4, NOTIFY_OFFSET, STRUCT_LENGTH, 20);
        c.set(CAP_NOTIFY + 16, 4, NOTIFY_OFF_MULTIPLIER);
        vendorCap(CAP_DEVICE, 4, 4, DEVICE_OFFSET, STRUCT_LENGTH, 16);
        vendorCap(CAP_ISR, 3, 4, ISR_OFFSET, STRUCT_LENGTH, 16);
        vendorCap(CAP_COMMON, 1, 4, COMMON_OFFSET, STRUCT_LENGTH, 16);
    }

    private void vendorCap(int at, int type, int bar, int offset, int length, int capLen) {
        config.addCapability(0x09, at, capLen);
        config.set(at + 2, 1, capLen);
        config.set(at + 3, 1, type);
        config.set(at + 4, 1, bar);
        config.set(at + 8, 4, offset);
        config.set(at + 12, 4, length);
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
        if (!removed) {
            deviceReset();
        }
    }

    @Override
    public List<RegisterAccess> notedAccesses() {
        return notes.list();
    }

    @Override
    public void close() {
        cancel(flapEvent);
        cancel(stormEvent);
        stormOn = false;
        rxFifo.clear();
    }

    // ------------------------------------------------------------------ test-side inspection

    public byte[] mac() {
        return mac.clone();
    }

    public int deviceStatus() {
        return status;
    }

    public long offeredFeatures() {
        return offered;
    }

    public long driverFeatures() {
        return driverFeatures;
    }

    public long counter(Counter c) {
        return counters[c.ordinal()];
    }

    public boolean promiscuous() {
        return promisc;
    }

    public boolean allMulticast() {
        return allmulti;
    }

    /** The MAC table's multicast entries, 6 bytes each. */
    public byte[] multicastTable() {
        return macTableMulti.clone();
    }

    public byte[] unicastTable() {
        return macTableUni.clone();
    }

    public boolean linkUp() {
        return wire.linkUp() && !flapDown && !faults.has(VirtioNetFault.LINK_DOWN);
    }

    public boolean txHung() {
        return txHung;
    }

    public boolean removed() {
        return removed;
    }

    public int queueSize(int q) {
        return queues[q].size;
    }

    public int queueVector(int q) {
        return queues[q].msixVector;
    }

    public boolean queueEnabled(int q) {
        return queues[q].enabled;
    }

    public int configVector() {
        return configVector;
    }

    public int rxFifoFrames() {
        return rxFifo.size();
    }

    /** Raises DEVICE_NEEDS_RESET now, as QEMU's virtio_error does. */
    public void signalNeedsReset(String why) {
        notes.add(4, COMMON_OFFSET + DEVICE_STATUS, 1, false, status, "needs-reset:" + why);
        if ((status & S_DRIVER_OK) != 0) {
            status |= S_NEEDS_RESET;
            configChanged();
        }
    }

    // ------------------------------------------------------------------ BAR4

    /** BAR4: the four structures, decoded by exact offset as QEMU does, accesses of the wrong width noted. */
    private final class Bar4 implements RegisterSpace {

        @Override
        public long size() {
            return BAR4_SIZE;
        }

        @Override
        public byte read8(long offset) {
            return (byte) read(offset, 1);
        }

        @Override
        public short read16(long offset) {
            return (short) read(offset, 2);
        }

        @Override
        public int read32(long offset) {
            return (int) read(offset, 4);
        }

        @Override
        public long read64(long offset) {
            return (read(offset, 4) & 0xFFFF_FFFFL) | read(offset + 4, 4) << 32;
        }

        @Override
        public void write8(long offset, byte value) {
            write(offset, 1, value & 0xFF);
        }

        @Override
        public void write16(long offset, short value) {
            write(offset, 2, value & 0xFFFF);
        }

        @Override
        public void write32(long offset, int value) {
            write(offset, 4, value & 0xFFFF_FFFFL);
        }

        @Override
        public void write64(long offset, long value) {
            write(offset, 4, value & 0xFFFF_FFFFL);
            write(offset + 4, 4, value >>> 32);
        }

        private void check(long offset, int width) {
            if (offset < 0 || offset > BAR4_SIZE - width) {
                throw new IndexOutOfBoundsException("register access out of range: offset=0x" + Long.toHexString(offset)
                        + " width=" + width + " size=0x" + Long.toHexString(BAR4_SIZE));
            }
            if ((offset & (width - 1)) != 0) {
                throw new IllegalArgumentException("unaligned register access: offset=0x" + Long.toHexString(offset)
                        + " width=" + width);
            }
        }

        private long read(long offset, int width) {
            check(offset, width);
            if (removed) {
                return width == 4 ? 0xFFFF_FFFFL : (1L << (8 * width)) - 1;
            }
            int o = (int) offset;
            if (o < ISR_OFFSET) {
                return readCommon(o, width);
            }
            if (o < DEVICE_OFFSET) {
                if (o == ISR_OFFSET) {
                    int v = isr;                              // reading clears it and lowers INTx (4.1.4.5)
                    isr = 0;
                    irq.setIntxLevel(false);
                    return v;
                }
                return 0;
            }
            if (o < NOTIFY_OFFSET) {
                return readDeviceConfig(o - DEVICE_OFFSET, width);
            }
            return 0;
        }

        private void write(long offset, int width, long value) {
            check(offset, width);
            if (removed) {
                return;
            }
            int o = (int) offset;
            if (o < ISR_OFFSET) {
                writeCommon(o, width, value);
            } else if (o >= NOTIFY_OFFSET) {
                int rel = o - NOTIFY_OFFSET;
                int q = rel / NOTIFY_OFF_MULTIPLIER;
                if (rel % NOTIFY_OFF_MULTIPLIER != 0 || q >= queues.length) {
                    notes.add(4, offset, width, true, value, "notify-unknown");
                    return;
                }
                counters[Counter.NOTIFIES.ordinal()]++;
                kick(q);
            } else {
                notes.add(4, offset, width, true, value, "read-only");
            }
        }
    }

    private long readCommon(int o, int width) {
        DeviceVirtqueue q = queueSelect < queues.length ? queues[queueSelect] : null;
        int expected = fieldWidth(o);
        if (expected != 0 && expected != width) {
            notes.add(4, COMMON_OFFSET + o, width, false, 0, "width");
        }
        return switch (o) {
            case DEVICE_FEATURE_SELECT -> deviceFeatureSelect;
            case DEVICE_FEATURE -> deviceFeatureSelect < 2 ? (offered >>> (32 * deviceFeatureSelect)) & 0xFFFF_FFFFL : 0;
            case DRIVER_FEATURE_SELECT -> driverFeatureSelect;
            case DRIVER_FEATURE -> driverFeatureSelect < 2 ? (driverFeatures >>> (32 * driverFeatureSelect)) & 0xFFFF_FFFFL : 0;
            case CONFIG_MSIX_VECTOR -> configVector;
            case NUM_QUEUES -> queues.length;
            case DEVICE_STATUS -> status;
            case CONFIG_GENERATION -> generation & 0xFF;
            case QUEUE_SELECT -> queueSelect;
            case QUEUE_SIZE -> q == null ? 0 : q.size;
            case QUEUE_MSIX_VECTOR -> q == null ? 0xFFFF : q.msixVector;
            case QUEUE_ENABLE -> q != null && q.enabled ? 1 : 0;
            case QUEUE_NOTIFY_OFF -> q == null ? 0 : q.index;
            case QUEUE_DESC -> q == null ? 0 : q.desc & 0xFFFF_FFFFL;
            case QUEUE_DESC + 4 -> q == null ? 0 : q.desc >>> 32;
            case QUEUE_DRIVER -> q == null ? 0 : q.driver & 0xFFFF_FFFFL;
            case QUEUE_DRIVER + 4 -> q == null ? 0 : q.driver >>> 32;
            case QUEUE_DEVICE -> q == null ? 0 : q.device & 0xFFFF_FFFFL;
            case QUEUE_DEVICE + 4 -> q == null ? 0 : q.device >>> 32;
            default -> {
                notes.add(4, COMMON_OFFSET + o, width, false, 0, "unimplemented");
                yield 0;
            }
        };
    }

    private static int fieldWidth(int o) {
        return switch (o) {
            case DEVICE_FEATURE_SELECT, DEVICE_FEATURE, DRIVER_FEATURE_SELECT, DRIVER_FEATURE, QUEUE_DESC, QUEUE_DESC + 4,
                QUEUE_DRIVER, QUEUE_DRIVER + 4, QUEUE_DEVICE, QUEUE_DEVICE + 4 -> 4;
            case CONFIG_MSIX_VECTOR, NUM_QUEUES, QUEUE_SELECT, QUEUE_SIZE, QUEUE_MSIX_VECTOR, QUEUE_ENABLE,
                QUEUE_NOTIFY_OFF -> 2;
            case DEVICE_STATUS, CONFIG_GENERATION -> 1;
            default -> 0;
        };
    }

    private void writeCommon(int o, int width, long value) {
        int expected = fieldWidth(o);
        if (expected != 0 && expected != width) {
            notes.add(4, COMMON_OFFSET + o, width, true, value, "width");
        }
        DeviceVirtqueue q = queueSelect < queues.length ? queues[queueSelect] : null;
        if (q == null && o >= QUEUE_SIZE && o < QUEUE_DEVICE + 8) {
            notes.add(4, COMMON_OFFSET + o, width, true, value, "no-such-queue");
            return;
        }
        int v = (int) value;
        switch (o) {
            case DEVICE_FEATURE_SELECT -> deviceFeatureSelect = v;
            case DRIVER_FEATURE_SELECT -> driverFeatureSelect = v;
            case DRIVER_FEATURE -> {
                if (driverFeatureSelect < 2 && (status & S_FEATURES_OK) == 0) {
                    int shift = 32 * driverFeatureSelect;
                    driverFeatures = (driverFeatures & ~(0xFFFF_FFFFL << shift)) | ((value & 0xFFFF_FFFFL) << shift);
                }
            }
            case CONFIG_MSIX_VECTOR -> configVector = vectorOrNone(v & 0xFFFF);
            case DEVICE_STATUS -> writeStatus(v & 0xFF);
            case QUEUE_SELECT -> queueSelect = v & 0xFFFF;
            case QUEUE_SIZE -> {
                if (q != null && !q.enabled) {
                    int size = v & 0xFFFF;
                    if (size == 0 || size > q.maxSize || Integer.bitCount(size) != 1) {
                        notes.add(4, COMMON_OFFSET + o, width, true, value, "bad-queue-size");
                    } else {
                        q.size = size;
                    }
                }
            }
            case QUEUE_MSIX_VECTOR -> {
                if (q != null) {
                    q.msixVector = vectorOrNone(v & 0xFFFF);
                }
            }
            case QUEUE_ENABLE -> {
                if (q != null) {
                    if ((v & 0xFFFF) == 1) {
                        q.enabled = true;                     // QEMU latches size and addresses here
                        q.start();
                    } else {
                        notes.add(4, COMMON_OFFSET + o, width, true, value, "queue-enable-0");  // forbidden (4.1.4.3.2)
                    }
                }
            }
            case QUEUE_DESC -> q.desc = low(q.desc, value);
            case QUEUE_DESC + 4 -> q.desc = high(q.desc, value);
            case QUEUE_DRIVER -> q.driver = low(q.driver, value);
            case QUEUE_DRIVER + 4 -> q.driver = high(q.driver, value);
            case QUEUE_DEVICE -> q.device = low(q.device, value);
            case QUEUE_DEVICE + 4 -> q.device = high(q.device, value);
            default -> notes.add(4, COMMON_OFFSET + o, width, true, value, "read-only");
        }
    }

    /** QEMU keeps a vector only when the MSI-X table has it (msix_vector_use fails otherwise: NO_VECTOR). */
    private int vectorOrNone(int v) {
        return v < MSIX_VECTORS && !faults.has(VirtioNetFault.MSIX_NO_VECTOR) ? v : 0xFFFF;
    }

    private static long low(long old, long v) {
        return (old & 0xFFFF_FFFF_0000_0000L) | (v & 0xFFFF_FFFFL);
    }

    private static long high(long old, long v) {
        return (old & 0xFFFF_FFFFL) | (v << 32);
    }

    private void writeStatus(int v) {
        if (v == 0) {
            if (faults.has(VirtioNetFault.RESET_STUCK)) {
                notes.add(4, COMMON_OFFSET + DEVICE_STATUS, 1, true, 0, "reset-stuck");
                return;
            }
            deviceReset();
            return;
        }
        if ((v & S_FEATURES_OK) != 0 && (status & S_FEATURES_OK) == 0) {
            String why = validateFeatures();
            if (why != null) {
                notes.add(4, COMMON_OFFSET + DEVICE_STATUS, 1, true, v, "features-rejected:" + why);
                v &= ~S_FEATURES_OK;                          // not kept: step 6 of 3.1.1 sees it clear
            }
        }
        boolean wasOk = (status & S_DRIVER_OK) != 0;
        status = v | (status & S_NEEDS_RESET);
        if (!wasOk && (status & S_DRIVER_OK) != 0) {
            drainRx();
        }
    }

    private String validateFeatures() {
        if (faults.has(VirtioNetFault.FEATURES_REJECTED)) {
            return "fault";
        }
        if ((driverFeatures & ~offered) != 0) {
            return String.format("not-offered=0x%X", driverFeatures & ~offered);
        }
        if ((offered & F_ACCESS_PLATFORM) != 0 && (driverFeatures & F_ACCESS_PLATFORM) == 0) {
            return "ACCESS_PLATFORM-required";
        }
        if ((driverFeatures & F_VERSION_1) == 0) {
            return "VERSION_1-required";
        }
        if ((driverFeatures & ~IMPLEMENTED) != 0) {
            return String.format("not-implemented=0x%X", driverFeatures & ~IMPLEMENTED);
        }
        return null;
    }

    /** Writing 0 to device_status: everything back to power-on state, DMA stops (4.1.4.3.2). */
    private void deviceReset() {
        counters[Counter.RESETS.ordinal()]++;
        status = 0;
        driverFeatures = 0;
        deviceFeatureSelect = 0;
        driverFeatureSelect = 0;
        configVector = 0xFFFF;
        queueSelect = 0;
        isr = 0;
        irq.setIntxLevel(false);
        for (DeviceVirtqueue q : queues) {
            q.reset();
        }
        promisc = true;
        allmulti = false;
        macTableUni = new byte[0];
        macTableMulti = new byte[0];
        txHung = false;
        faults.deviceReset();
    }

    private long readDeviceConfig(int o, int width) {
        // struct virtio_net_config: mac[6]@0, status@6, max_virtqueue_pairs@8, mtu@10
        byte[] b = new byte[12];
        System.arraycopy(mac, 0, b, 0, 6);
        int s = linkUp() ? 1 : 0;
        b[6] = (byte) s;
        b[8] = 1;
        b[10] = (byte) (MAX_FRAME - 14);
        b[11] = (byte) ((MAX_FRAME - 14) >>> 8);
        long v = 0;
        for (int i = width - 1; i >= 0; i--) {
            v = v << 8 | (o + i < b.length ? b[o + i] & 0xFF : 0);
        }
        return v;
    }

    // ------------------------------------------------------------------ interrupts

    private void queueInterrupt(DeviceVirtqueue q) {
        if ((q.availFlags() & 1) != 0) {
            return;                                          // VRING_AVAIL_F_NO_INTERRUPT
        }
        counters[Counter.QUEUE_INTERRUPTS.ordinal()]++;
        if (irq.activeMode() == InterruptMode.MSIX) {
            if (q.msixVector != 0xFFFF) {
                irq.msixNotify(q.msixVector);
            }
        } else {
            isr |= 1;
            irq.setIntxLevel(true);
        }
    }

    /** A configuration change: config_generation moves (4.1.4.3.1), then the interrupt. */
    private void configChanged() {
        generation++;
        configInterrupt();
    }

    private void configInterrupt() {
        counters[Counter.CONFIG_INTERRUPTS.ordinal()]++;
        isr |= 2;
        if (irq.activeMode() == InterruptMode.MSIX) {
            if (configVector != 0xFFFF) {
                irq.msixNotify(configVector);
            }
        } else {
            irq.setIntxLevel(true);
        }
    }

    // ------------------------------------------------------------------ queues

    private boolean canDma(DeviceVirtqueue q) {
        if (removed || (status & S_DRIVER_OK) == 0 || (status & S_NEEDS_RESET) != 0 || !q.enabled) {
            return false;
        }
        if (!config.busMaster()) {
            counters[Counter.DMA_BLOCKED_BUS_MASTER.ordinal()]++;
            return false;
        }
        return true;
    }

    private void kick(int q) {
        switch (q) {
            case 0 -> drainRx();
            case 1 -> transmit();
            default -> control();
        }
    }

    private void transmit() {
        DeviceVirtqueue q = queues[1];
        if (!canDma(q) || txHung) {
            return;
        }
        boolean used = false;
        while (!txHung && q.availPending() > 0) {
            int head = q.takeHead();
            int total = gather(q, head, false);
            if (total < 0) {
                return;
            }
            int frame = total - NET_HDR;
            if (frame > 0) {
                if (linkUp()) {
                    wire.transmit(java.util.Arrays.copyOfRange(frameBuf, NET_HDR, total), frame);
                } else {
                    counters[Counter.TX_NO_LINK.ordinal()]++;   // QEMU's peer drops it; the buffer is still used
                }
            }
            q.pushUsed(head, 0);
            used = true;
            counters[Counter.TX_FRAMES.ordinal()]++;
            faults.transmitted();
            frameEvent();
            if (removed) {
                return;
            }
        }
        if (used) {
            queueInterrupt(q);
        }
    }

    /**
     * Reads the device-readable part of the chain at {@code head} into {@link #frameBuf}; returns the
     * bytes, or -1 after a malformed chain (then DEVICE_NEEDS_RESET, as QEMU's virtio_error).
     */
    private int gather(DeviceVirtqueue q, int head, boolean stopAtWritable) {
        int total = 0;
        int i = head;
        for (int n = 0; ; n++) {
            if (i >= q.size || n >= q.size) {
                signalNeedsReset("bad-descriptor-chain");
                return -1;
            }
            DeviceVirtqueue.Desc d = q.readDesc(i);
            if ((d.flags() & DeviceVirtqueue.F_WRITE) != 0) {
                if (stopAtWritable) {
                    return total;
                }
                signalNeedsReset("writable-descriptor-in-tx");
                return -1;
            }
            if (total + d.len() > frameBuf.length) {
                signalNeedsReset("chain-too-long");
                return -1;
            }
            if (!dma.read(d.addr(), frameBuf, total, d.len(), "virtq-buffer")) {
                signalNeedsReset("dma-read-fault");
                return -1;
            }
            total += d.len();
            if ((d.flags() & DeviceVirtqueue.F_NEXT) == 0) {
                return total;
            }
            i = d.next();
        }
    }

    /** The control queue (5.1.6.5): header {class, command}, data, then the device-writable ack byte. */
    private void control() {
        DeviceVirtqueue q = queues[2];
        if (!canDma(q)) {
            return;
        }
        boolean used = false;
        while (q.availPending() > 0) {
            int head = q.takeHead();
            int total = gather(q, head, true);
            if (total < 2) {
                if (total >= 0) {
                    signalNeedsReset("short-control-command");
                }
                return;
            }
            int ack = execute(frameBuf[0] & 0xFF, frameBuf[1] & 0xFF, total - 2);
            counters[Counter.CTRL_COMMANDS.ordinal()]++;
            // the ack goes into the first writable descriptor of the chain
            int i = head;
            for (int n = 0; n < q.size; n++) {
                DeviceVirtqueue.Desc d = q.readDesc(i);
                if ((d.flags() & DeviceVirtqueue.F_WRITE) != 0) {
                    dma.write8(d.addr(), (byte) ack, "virtq-ctrl-ack");
                    break;
                }
                i = d.next();
            }
            q.pushUsed(head, 1);
            used = true;
        }
        if (used) {
            queueInterrupt(q);
        }
    }

    private int execute(int cls, int cmd, int dataLength) {
        int data = 2;
        if (cls == 0 && (cmd == 0 || cmd == 1) && dataLength >= 1) {       // VIRTIO_NET_CTRL_RX
            boolean on = frameBuf[data] != 0;
            if (cmd == 0) {
                promisc = on;
            } else {
                allmulti = on;
            }
            return 0;
        }
        if (cls == 1 && cmd == 0 && dataLength >= 8) {                     // VIRTIO_NET_CTRL_MAC_TABLE_SET
            int uni = le32(data);
            int at = data + 4;
            if (uni < 0 || at + 6L * uni + 4 > data + dataLength) {
                return 1;
            }
            byte[] u = java.util.Arrays.copyOfRange(frameBuf, at, at + 6 * uni);
            at += 6 * uni;
            int multi = le32(at);
            at += 4;
            if (multi < 0 || at + 6L * multi > data + dataLength) {
                return 1;
            }
            macTableUni = u;
            macTableMulti = java.util.Arrays.copyOfRange(frameBuf, at, at + 6 * multi);
            return 0;
        }
        return 1;                                                          // VIRTIO_NET_ERR
    }

    private int le32(int at) {
        return (frameBuf[at] & 0xFF) | (frameBuf[at + 1] & 0xFF) << 8 | (frameBuf[at + 2] & 0xFF) << 16
                | (frameBuf[at + 3] & 0xFF) << 24;
    }

    // ------------------------------------------------------------------ receive

    @Override
    public void receiveFromWire(byte[] frame, int length) {
        if (removed) {
            return;
        }
        if (!linkUp()) {
            counters[Counter.RX_NO_LINK.ordinal()]++;
            return;
        }
        if (!accept(frame)) {
            counters[Counter.RX_FILTERED.ordinal()]++;
            return;
        }
        if (rxFifo.size() >= RX_FIFO_FRAMES) {
            counters[Counter.RX_FIFO_DROPPED.ordinal()]++;
            return;
        }
        rxFifo.addLast(java.util.Arrays.copyOf(frame, length));
        drainRx();
    }

    /** QEMU receive_filter, without VLAN filtering. */
    private boolean accept(byte[] f) {
        if (promisc) {
            return true;
        }
        boolean multicast = (f[0] & 1) != 0;
        if (multicast) {
            boolean broadcast = true;
            for (int i = 0; i < 6; i++) {
                broadcast &= f[i] == (byte) 0xFF;
            }
            if (broadcast || allmulti) {
                return true;
            }
            return inTable(macTableMulti, f);
        }
        return java.util.Arrays.equals(f, 0, 6, mac, 0, 6) || inTable(macTableUni, f);
    }

    private static boolean inTable(byte[] table, byte[] f) {
        for (int m = 0; m + 6 <= table.length; m += 6) {
            if (java.util.Arrays.equals(table, m, m + 6, f, 0, 6)) {
                return true;
            }
        }
        return false;
    }

    private void drainRx() {
        DeviceVirtqueue q = queues[0];
        boolean used = false;
        while (!rxFifo.isEmpty() && canDma(q) && q.availPending() > 0) {
            byte[] f = rxFifo.peekFirst();
            int head = q.takeHead();
            int result = deliver(q, head, f);
            if (result < 0) {
                q.untake();
                break;
            }
            rxFifo.pollFirst();
            if (result == 0) {
                continue;
            }
            used = true;
            counters[Counter.RX_FRAMES.ordinal()]++;
            faults.received();
            frameEvent();
        }
        if (used) {
            queueInterrupt(q);
        }
    }

    /** Writes header and frame into the chain at {@code head}: 1 delivered, 0 dropped (too big), -1 device stopped. */
    private int deliver(DeviceVirtqueue q, int head, byte[] f) {
        int size = NET_HDR + f.length;
        byte[] out = new byte[size];
        out[10] = 1;                                          // num_buffers = 1 (VERSION_1 header, 5.1.6.4)
        System.arraycopy(f, 0, out, NET_HDR, f.length);
        boolean dmaFault = faults.armedOnReceive(VirtioNetFault.DMA_FAULT, dmaFaultDone);
        int written = 0;
        int capacity = 0;
        int i = head;
        for (int n = 0; ; n++) {
            if (i >= q.size || n >= q.size) {
                signalNeedsReset("bad-descriptor-chain");
                return -1;
            }
            DeviceVirtqueue.Desc d = q.readDesc(i);
            if ((d.flags() & DeviceVirtqueue.F_WRITE) == 0) {
                signalNeedsReset("readable-descriptor-in-rx");
                return -1;
            }
            capacity += d.len();
            int chunk = Math.min(d.len(), size - written);
            if (chunk > 0) {
                long addr = dmaFault ? DMA_FAULT_IOVA : d.addr();
                if (!dma.write(addr, out, written, chunk, "virtq-rx-buffer")) {
                    dmaFaultDone = true;
                    signalNeedsReset("dma-write-fault");     // QEMU: virtio_error on a failed map
                    return -1;
                }
                written += chunk;
            }
            if ((d.flags() & DeviceVirtqueue.F_NEXT) == 0) {
                break;
            }
            i = d.next();
        }
        if (written < size) {
            counters[Counter.RX_TOO_BIG.ordinal()]++;
            q.pushUsed(head, 0);
            return 0;
        }
        int len = size;
        if (faults.armedOnReceive(VirtioNetFault.RX_LENGTH, rxLengthDone)) {
            rxLengthDone = true;
            len = capacity + 100;                              // more than the buffer holds
        }
        q.pushUsed(head, len);
        return 1;
    }

    // ------------------------------------------------------------------ link

    @Override
    public void wireLinkChanged(boolean up) {
        if (!removed && (status & S_DRIVER_OK) != 0) {
            configChanged();
        }
        if (up) {
            drainRx();
        }
    }

    // ------------------------------------------------------------------ faults triggered by traffic

    private void frameEvent() {
        if (!flapDown && linkUp() && faults.flapDue(VirtioNetFault.LINK_FLAP)) {
            flap();
        }
        checkFrameFaults();
    }

    private void checkFrameFaults() {
        if (faults.transmittedSinceReset(VirtioNetFault.TX_HANG)) {
            txHung = true;
        }
        if (faults.allFrames(VirtioNetFault.ALL_ONES)) {
            removed = true;
        }
        if (!stormOn && faults.allFrames(VirtioNetFault.IRQ_STORM)) {
            stormOn = true;
            stormTick();
        }
        if (!needsResetDone && (status & S_DRIVER_OK) != 0 && faults.allFrames(VirtioNetFault.DEVICE_NEEDS_RESET)) {
            needsResetDone = true;
            signalNeedsReset("fault");
        }
    }

    private void stormTick() {
        if (!stormOn || removed) {
            return;
        }
        if ((status & S_DRIVER_OK) != 0) {
            configInterrupt();
        }
        stormEvent = clock.schedule(IRQ_STORM_PERIOD_NANOS, "virtio-net irq-storm", this::stormTick);
    }

    private void flap() {
        counters[Counter.LINK_FLAPS.ordinal()]++;
        flapDown = true;
        configChanged();
        flapEvent = clock.schedule(LINK_FLAP_DOWN_NANOS, "virtio-net link-flap restore", () -> {
            flapDown = false;
            configChanged();
            drainRx();
        });
    }

    private static void cancel(VirtualClock.Event e) {
        if (e != null) {
            e.cancel();
        }
    }
}

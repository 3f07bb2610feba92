package io.nicup.mock.virtio;

import io.nicup.mock.MockDmaAllocator;

/**
 * The device side of one split virtqueue (virtio 1.2, 2.7): the registers the driver programs through
 * the common configuration, and the ring accesses the device makes through the simulated IOMMU. The
 * device keeps its own {@code last_avail_idx}; {@code used.idx} lives in guest memory.
 */
final class DeviceVirtqueue {

    static final int DESC_BYTES = 16;
    static final int F_NEXT = 1;
    static final int F_WRITE = 2;
    static final int F_INDIRECT = 4;

    /** One descriptor as read from the table. */
    record Desc(long addr, int len, int flags, int next) {
    }

    final int index;
    final int maxSize;
    int size;
    int msixVector;
    boolean enabled;
    long desc;
    long driver;
    long device;
    int lastAvail;
    int usedIdx;

    private final MockDmaAllocator dma;
    private final byte[] two = new byte[2];

    DeviceVirtqueue(int index, int maxSize, MockDmaAllocator dma) {
        this.index = index;
        this.maxSize = maxSize;
        this.dma = dma;
        reset();
    }

    /** Power-on and device-reset state (4.1.4.3: queue_enable 0, queue_size the maximum, NO_VECTOR). */
    void reset() {
        size = maxSize;
        msixVector = 0xFFFF;
        enabled = false;
        desc = 0;
        driver = 0;
        device = 0;
        lastAvail = 0;
        usedIdx = 0;
    }

    /** Called when the driver enables the queue: the device starts from index 0 of both rings. */
    void start() {
        lastAvail = 0;
        usedIdx = 0;
    }

    int read16(long iova, String context) {
        dma.read(iova, two, 0, 2, context);
        return (two[0] & 0xFF) | (two[1] & 0xFF) << 8;
    }

    /** Heads the driver made available and the device has not taken. */
    int availPending() {
        int idx = read16(driver + 2, "virtq-avail-idx");
        return (idx - lastAvail) & 0xFFFF;
    }

    int availFlags() {
        return read16(driver, "virtq-avail-flags");
    }

    /** Takes the next available head. */
    int takeHead() {
        int head = read16(driver + 4 + 2L * (lastAvail % size), "virtq-avail-ring");
        lastAvail = (lastAvail + 1) & 0xFFFF;
        return head;
    }

    /** Gives one taken head back (a frame that found its buffer too small is not consumed). */
    void untake() {
        lastAvail = (lastAvail - 1) & 0xFFFF;
    }

    Desc readDesc(int i) {
        long at = desc + (long) i * DESC_BYTES;
        long addr = dma.read64(at, "virtq-desc");
        int len = dma.read32(at + 8, "virtq-desc");
        int fn = dma.read32(at + 12, "virtq-desc");
        return new Desc(addr, len, fn & 0xFFFF, fn >>> 16);
    }

    /** Writes one used element and publishes it (used.idx after the element, 2.7.8). */
    void pushUsed(int id, int len) {
        writeUsed(id, len);
        publishUsed(0);
    }

    /** Writes one used element at the device's used index and moves past it, not yet published. */
    void writeUsed(int id, int len) {
        long elem = device + 4 + 8L * (usedIdx % size);
        dma.write32(elem, id, "virtq-used-elem");
        dma.write32(elem + 4, len, "virtq-used-elem");
        usedIdx = (usedIdx + 1) & 0xFFFF;
    }

    /** Publishes used.idx as the device's index plus {@code skew} (0 unless a hostile fault lies). */
    void publishUsed(int skew) {
        dma.write16(device + 2, (short) (usedIdx + skew), "virtq-used-idx");
    }
}

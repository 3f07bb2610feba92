package io.nicup.ndis.miniport.virtio;

import io.nicup.vfio.DeviceClock;
import io.nicup.vfio.RegisterSpace;
import io.nicup.vfio.RegisterTimeoutException;

/**
 * The modern virtio PCI transport of one function (virtio 1.2, 4.1): the four structures the capability
 * walk located, each a window into a mapped BAR, accessed with the width of each field (4.1.3.1).
 */
public final class VirtioTransport {

    /** Time between status reads while waiting for a reset. */
    private static final long POLL_INTERVAL_NANOS = 10_000;
    /** How often a config read is retried while config_generation keeps changing (4.1.4.3.1). */
    static final int GENERATION_TRIES = 16;

    /** A located structure: the space holding it and its offset there. */
    public record Window(RegisterSpace space, long base, long length) {
    }

    private final Window common;
    private final Window notify;
    private final int notifyOffMultiplier;
    private final Window isr;
    private final Window device;
    private final DeviceClock clock;
    /** device_status as the driver wrote it last: what it adds bits to. */
    private int written;

    /** @param device null when the function has no DEVICE_CFG structure */
    public VirtioTransport(Window common, Window notify, int notifyOffMultiplier, Window isr, Window device,
            DeviceClock clock) {
        this.common = common;
        this.notify = notify;
        this.notifyOffMultiplier = notifyOffMultiplier;
        this.isr = isr;
        this.device = device;
        this.clock = clock;
    }

    public DeviceClock clock() {
        return clock;
    }

    public boolean hasDeviceConfig() {
        return device != null;
    }

    // ---- common configuration: width per field ------------------------------------------------------

    public int read8(int field) {
        return common.space.read8(common.base + field) & 0xFF;
    }

    public int read16(int field) {
        return common.space.read16(common.base + field) & 0xFFFF;
    }

    public int read32(int field) {
        return common.space.read32(common.base + field);
    }

    public void write8(int field, int v) {
        common.space.write8(common.base + field, (byte) v);
    }

    public void write16(int field, int v) {
        common.space.write16(common.base + field, (short) v);
    }

    public void write32(int field, int v) {
        common.space.write32(common.base + field, v);
    }

    /** A 64-bit field as two 32-bit writes, low half first (4.1.3.1). */
    public void write64(int field, long v) {
        write32(field, (int) v);
        write32(field + 4, (int) (v >>> 32));
    }

    public long read64(int field) {
        return (read32(field) & 0xFFFF_FFFFL) | (long) read32(field + 4) << 32;
    }

    public int status() {
        return read8(CommonCfg.DEVICE_STATUS);
    }

    public void setStatus(int status) {
        written = status & 0xFF;
        write8(CommonCfg.DEVICE_STATUS, status);
    }

    /** The device_status value the driver wrote last. */
    public int writtenStatus() {
        return written;
    }

    /**
     * ORs {@code bits} into device_status (the status is only ever added to, 3.1.1). Linux adds to what
     * it reads; this driver adds to what it wrote, so a bit a device shows that the driver never set
     * (DEVICE_NEEDS_RESET, a reserved bit) is never written back as the driver's (docs/hardware-reference.md C.8).
     */
    public int addStatus(int bits) {
        int s = written | bits;
        setStatus(s);
        return s;
    }

    /**
     * Step 1 of 3.1.1: writes 0 to device_status and waits until it reads back 0 (4.1.4.3.2: "the driver
     * MUST wait for a read of device_status to return 0 before reinitializing"). The wait reads the 8-bit
     * field itself, so it cannot use the 32-bit {@link io.nicup.vfio.RegisterPoll}; the deadline and the
     * error are the same.
     */
    public void reset(long timeoutNanos) {
        setStatus(0);
        long deadline = clock.nanoTime() + timeoutNanos;
        while (true) {
            int s = status();
            if (s == 0) {
                return;
            }
            if (clock.nanoTime() - deadline >= 0) {
                throw new RegisterTimeoutException("device_status", common.base + CommonCfg.DEVICE_STATUS, 0xFF, 0, s,
                        timeoutNanos);
            }
            clock.sleepNanos(POLL_INTERVAL_NANOS);
        }
    }

    /** The 64 feature bits the device offers (device_feature_select 0 and 1). */
    public long deviceFeatures() {
        write32(CommonCfg.DEVICE_FEATURE_SELECT, 0);
        long lo = read32(CommonCfg.DEVICE_FEATURE) & 0xFFFF_FFFFL;
        write32(CommonCfg.DEVICE_FEATURE_SELECT, 1);
        long hi = read32(CommonCfg.DEVICE_FEATURE) & 0xFFFF_FFFFL;
        return lo | hi << 32;
    }

    public void writeDriverFeatures(long features) {
        write32(CommonCfg.DRIVER_FEATURE_SELECT, 0);
        write32(CommonCfg.DRIVER_FEATURE, (int) features);
        write32(CommonCfg.DRIVER_FEATURE_SELECT, 1);
        write32(CommonCfg.DRIVER_FEATURE, (int) (features >>> 32));
    }

    /** The feature bits the driver wrote, as the device kept them. */
    public long driverFeatures() {
        write32(CommonCfg.DRIVER_FEATURE_SELECT, 0);
        long lo = read32(CommonCfg.DRIVER_FEATURE) & 0xFFFF_FFFFL;
        write32(CommonCfg.DRIVER_FEATURE_SELECT, 1);
        long hi = read32(CommonCfg.DRIVER_FEATURE) & 0xFFFF_FFFFL;
        return lo | hi << 32;
    }

    public int numQueues() {
        return read16(CommonCfg.NUM_QUEUES);
    }

    public void selectQueue(int q) {
        write16(CommonCfg.QUEUE_SELECT, q);
    }

    /** Writes config_msix_vector and returns what the device kept: NO_VECTOR when it could not map it (4.1.5.1.2). */
    public int setConfigVector(int vector) {
        write16(CommonCfg.CONFIG_MSIX_VECTOR, vector);
        return read16(CommonCfg.CONFIG_MSIX_VECTOR);
    }

    /** For the selected queue: writes queue_msix_vector and returns what the device kept. */
    public int setQueueVector(int vector) {
        write16(CommonCfg.QUEUE_MSIX_VECTOR, vector);
        return read16(CommonCfg.QUEUE_MSIX_VECTOR);
    }

    // ---- notifications ------------------------------------------------------------------------------

    /** Offset of queue {@code notifyOff}'s doorbell in the notify window (4.1.4.4: offset + off * multiplier). */
    public long notifyOffset(int notifyOff) {
        return notify.base + (long) notifyOff * notifyOffMultiplier;
    }

    /** Rings the doorbell: the 16-bit queue index at its notify address (4.1.5.2). */
    public void notify(long notifyOffset, int queueIndex) {
        notify.space.write16(notifyOffset, (short) queueIndex);
    }

    public boolean notifyInWindow(int notifyOff) {
        return (long) notifyOff * notifyOffMultiplier + 2 <= notify.length;
    }

    public int notifyOffMultiplier() {
        return notifyOffMultiplier;
    }

    /** Reads ISR status: bit 0 queue, bit 1 configuration change. The read clears it (4.1.4.5). */
    public int readIsr() {
        return isr.space.read8(isr.base) & 0xFF;
    }

    // ---- device configuration --------------------------------------------------------------------------

    public int configGeneration() {
        return read8(CommonCfg.CONFIG_GENERATION);
    }

    public int deviceRead8(int offset) {
        return device.space.read8(device.base + offset) & 0xFF;
    }

    public int deviceRead16(int offset) {
        return device.space.read16(device.base + offset) & 0xFFFF;
    }

    public int deviceRead32(int offset) {
        return device.space.read32(device.base + offset);
    }

    /**
     * The MAC address (6 byte reads) under the generation rule of 4.1.4.3.1: read config_generation, the
     * fields, config_generation again; repeat while it changed. Null when the generation never settled.
     */
    public byte[] readMac() {
        byte[] mac = new byte[6];
        for (int i = 0; i < GENERATION_TRIES; i++) {
            int before = configGeneration();
            for (int b = 0; b < 6; b++) {
                mac[b] = (byte) deviceRead8(NetConfig.MAC + b);
            }
            if (configGeneration() == before) {
                return mac;
            }
        }
        return null;
    }

    /** virtio_net_config.status under the generation rule; -1 when it never settled. */
    public int readNetStatus() {
        for (int i = 0; i < GENERATION_TRIES; i++) {
            int before = configGeneration();
            int s = deviceRead16(NetConfig.STATUS);
            if (configGeneration() == before) {
                return s;
            }
        }
        return -1;
    }
}

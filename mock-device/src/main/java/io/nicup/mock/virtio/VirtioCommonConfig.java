package io.nicup.mock.virtio;

import io.nicup.mock.virtio.VirtioNetModel.Counter;

import static io.nicup.mock.virtio.VirtioNetModel.COMMON_OFFSET;
import static io.nicup.mock.virtio.VirtioNetModel.F_ACCESS_PLATFORM;
import static io.nicup.mock.virtio.VirtioNetModel.F_VERSION_1;
import static io.nicup.mock.virtio.VirtioNetModel.IMPLEMENTED;

/**
 * The common configuration structure (virtio 1.2 4.1.4.3) at BAR4 + 0: feature negotiation,
 * device_status with its reset, config_msix_vector, and the selected queue's size, vector, enable and
 * ring addresses. Fields are decoded by exact offset as QEMU does; an access of the wrong width is
 * noted. Feature negotiation follows QEMU's {@code virtio_validate_features}: FEATURES_OK is not kept
 * when the driver accepted a bit not offered, left out ACCESS_PLATFORM while offered, or left out
 * VERSION_1; the model also refuses bits it offers but does not implement.
 */
final class VirtioCommonConfig {

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

    /** device_status bits (virtio 1.2 2.1). */
    static final int S_ACKNOWLEDGE = 1;
    static final int S_DRIVER = 2;
    static final int S_DRIVER_OK = 4;
    static final int S_FEATURES_OK = 8;
    static final int S_NEEDS_RESET = 0x40;

    /** What the queue-size-bad fault reads per queue: not a power of two, above 32768, not available (2.7). */
    private static final int[] BAD_QUEUE_SIZES = {384, 40_000, 0};

    /** The reserved device_status bit 5, which no driver sets (2.1). */
    static final int S_RESERVED_5 = 0x20;

    private final VirtioCore core;
    private final long offered;
    private final VirtioRxFilter filter;
    private final Runnable drainRx;
    /** How far the config-generation-unstable fault has moved config_generation. */
    private int generationLies;
    private int deviceFeatureSelect;
    private int driverFeatureSelect;
    private long driverFeatures;
    private int queueSelect;

    /**
     * @param offered the feature bits the device offers
     * @param drainRx delivers the frames waiting for receive buffers (when DRIVER_OK sets)
     */
    VirtioCommonConfig(VirtioCore core, long offered, VirtioRxFilter filter, Runnable drainRx) {
        this.core = core;
        this.offered = offered;
        this.filter = filter;
        this.drainRx = drainRx;
    }

    long offeredFeatures() {
        return offered;
    }

    long driverFeatures() {
        return driverFeatures;
    }

    long read(int o, int width) {
        DeviceVirtqueue[] queues = core.queues;
        DeviceVirtqueue q = queueSelect < queues.length ? queues[queueSelect] : null;
        int expected = fieldWidth(o);
        if (expected != 0 && expected != width) {
            core.notes.add(4, COMMON_OFFSET + o, width, false, 0, "width");
        }
        return switch (o) {
            case DEVICE_FEATURE_SELECT -> deviceFeatureSelect;
            case DEVICE_FEATURE -> deviceFeatureSelect < 2 ? (offered >>> (32 * deviceFeatureSelect)) & 0xFFFF_FFFFL : 0;
            case DRIVER_FEATURE_SELECT -> driverFeatureSelect;
            case DRIVER_FEATURE -> driverFeatureSelect < 2 ? (driverFeatures >>> (32 * driverFeatureSelect)) & 0xFFFF_FFFFL : 0;
            case CONFIG_MSIX_VECTOR -> core.interrupts.configVector;
            case NUM_QUEUES -> core.lies(VirtioNetFault.NUM_QUEUES_ZERO) ? 0 : queues.length;
            case DEVICE_STATUS -> readStatus();
            case CONFIG_GENERATION -> (core.interrupts.generation()
                    + (core.lies(VirtioNetFault.CONFIG_GENERATION_UNSTABLE) ? ++generationLies : 0)) & 0xFF;
            case QUEUE_SELECT -> queueSelect;
            case QUEUE_SIZE -> q == null ? 0 : readQueueSize(q);
            case QUEUE_MSIX_VECTOR -> q == null ? 0xFFFF : q.msixVector;
            case QUEUE_ENABLE -> q != null && q.enabled ? 1 : 0;
            case QUEUE_NOTIFY_OFF -> q == null ? 0 : queueSelect;
            case QUEUE_DESC -> q == null ? 0 : q.desc & 0xFFFF_FFFFL;
            case QUEUE_DESC + 4 -> q == null ? 0 : q.desc >>> 32;
            case QUEUE_DRIVER -> q == null ? 0 : q.driver & 0xFFFF_FFFFL;
            case QUEUE_DRIVER + 4 -> q == null ? 0 : q.driver >>> 32;
            case QUEUE_DEVICE -> q == null ? 0 : q.device & 0xFFFF_FFFFL;
            case QUEUE_DEVICE + 4 -> q == null ? 0 : q.device >>> 32;
            default -> {
                core.notes.add(4, COMMON_OFFSET + o, width, false, 0, "unimplemented");
                yield 0;
            }
        };
    }

    /** status-garbage: bits the driver never wrote (DEVICE_NEEDS_RESET, reserved bit 5), FEATURES_OK gone. */
    private int readStatus() {
        return core.lies(VirtioNetFault.STATUS_GARBAGE) ? (core.status | S_NEEDS_RESET | S_RESERVED_5) & ~S_FEATURES_OK
                : core.status;
    }

    private int readQueueSize(DeviceVirtqueue q) {
        return core.lies(VirtioNetFault.QUEUE_SIZE_BAD) ? BAD_QUEUE_SIZES[q == core.control ? 2 : q.index % 2] : q.size;
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

    void write(int o, int width, long value) {
        int expected = fieldWidth(o);
        if (expected != 0 && expected != width) {
            core.notes.add(4, COMMON_OFFSET + o, width, true, value, "width");
        }
        DeviceVirtqueue[] queues = core.queues;
        DeviceVirtqueue q = queueSelect < queues.length ? queues[queueSelect] : null;
        if (q == null && o >= QUEUE_SIZE && o < QUEUE_DEVICE + 8) {
            core.notes.add(4, COMMON_OFFSET + o, width, true, value, "no-such-queue");
            return;
        }
        int v = (int) value;
        switch (o) {
            case DEVICE_FEATURE_SELECT -> deviceFeatureSelect = v;
            case DRIVER_FEATURE_SELECT -> driverFeatureSelect = v;
            case DRIVER_FEATURE -> {
                if (driverFeatureSelect < 2 && (core.status & S_FEATURES_OK) == 0) {
                    int shift = 32 * driverFeatureSelect;
                    driverFeatures = (driverFeatures & ~(0xFFFF_FFFFL << shift)) | ((value & 0xFFFF_FFFFL) << shift);
                }
            }
            case CONFIG_MSIX_VECTOR -> core.interrupts.configVector = vectorOrNone(v & 0xFFFF);
            case DEVICE_STATUS -> writeStatus(v & 0xFF);
            case QUEUE_SELECT -> queueSelect = v & 0xFFFF;
            case QUEUE_SIZE -> {
                if (q != null && !q.enabled) {
                    int size = v & 0xFFFF;
                    if (size == 0 || size > q.maxSize || Integer.bitCount(size) != 1) {
                        core.notes.add(4, COMMON_OFFSET + o, width, true, value, "bad-queue-size");
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
                        core.notes.add(4, COMMON_OFFSET + o, width, true, value, "queue-enable-0");  // forbidden (4.1.4.3.2)
                    }
                }
            }
            case QUEUE_DESC -> q.desc = low(q.desc, value);
            case QUEUE_DESC + 4 -> q.desc = high(q.desc, value);
            case QUEUE_DRIVER -> q.driver = low(q.driver, value);
            case QUEUE_DRIVER + 4 -> q.driver = high(q.driver, value);
            case QUEUE_DEVICE -> q.device = low(q.device, value);
            case QUEUE_DEVICE + 4 -> q.device = high(q.device, value);
            default -> core.notes.add(4, COMMON_OFFSET + o, width, true, value, "read-only");
        }
    }

    /** QEMU keeps a vector only when the MSI-X table has it (msix_vector_use fails otherwise: NO_VECTOR). */
    private int vectorOrNone(int v) {
        return v < VirtioCore.msixVectors(core.pairs) && !core.faults.has(VirtioNetFault.MSIX_NO_VECTOR) ? v : 0xFFFF;
    }

    private static long low(long old, long v) {
        return (old & 0xFFFF_FFFF_0000_0000L) | (v & 0xFFFF_FFFFL);
    }

    private static long high(long old, long v) {
        return (old & 0xFFFF_FFFFL) | (v << 32);
    }

    private void writeStatus(int v) {
        if (v == 0) {
            if (core.faults.has(VirtioNetFault.RESET_STUCK)) {
                core.notes.add(4, COMMON_OFFSET + DEVICE_STATUS, 1, true, 0, "reset-stuck");
                return;
            }
            deviceReset();
            return;
        }
        if ((v & S_FEATURES_OK) != 0 && (core.status & S_FEATURES_OK) == 0) {
            String why = validateFeatures();
            if (why != null) {
                core.notes.add(4, COMMON_OFFSET + DEVICE_STATUS, 1, true, v, "features-rejected:" + why);
                v &= ~S_FEATURES_OK;                          // not kept: step 6 of 3.1.1 sees it clear
            }
        }
        if ((v & S_FEATURES_OK) != 0 && (core.status & S_FEATURES_OK) == 0) {
            core.setMultiqueue((driverFeatures & (VirtioNetModel.F_MQ | VirtioNetModel.F_RSS)) != 0);
        }
        boolean wasOk = core.driverOk();
        core.status = v | (core.status & S_NEEDS_RESET);
        if (!wasOk && core.driverOk()) {
            drainRx.run();
        }
    }

    private String validateFeatures() {
        if (core.faults.has(VirtioNetFault.FEATURES_REJECTED)) {
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
    void deviceReset() {
        core.count(Counter.RESETS);
        core.status = 0;
        driverFeatures = 0;
        deviceFeatureSelect = 0;
        driverFeatureSelect = 0;
        queueSelect = 0;
        core.interrupts.reset();
        for (DeviceVirtqueue q : core.data) {
            q.reset();
        }
        core.control.reset();
        core.currPairs = 1;                                   // the layout stays until the next FEATURES_OK, as in QEMU
        core.mqAcceptedSinceReset = 0;
        filter.reset();
        core.rss.reset();
        core.txHung = false;
        core.ringBroken = false;
        core.faults.deviceReset();
    }
}

package io.nicup.mock.virtio;

import io.nicup.mock.virtio.VirtioNetModel.Counter;
import io.nicup.vfio.RegisterSpace;

import static io.nicup.mock.virtio.VirtioNetModel.BAR4_SIZE;
import static io.nicup.mock.virtio.VirtioNetModel.DEVICE_OFFSET;
import static io.nicup.mock.virtio.VirtioNetModel.ISR_OFFSET;
import static io.nicup.mock.virtio.VirtioNetModel.MAX_FRAME;
import static io.nicup.mock.virtio.VirtioNetModel.NOTIFY_OFFSET;
import static io.nicup.mock.virtio.VirtioNetModel.NOTIFY_OFF_MULTIPLIER;

/**
 * BAR4: the four structures, decoded by exact offset as QEMU does: COMMON_CFG at 0
 * ({@link VirtioCommonConfig}), the ISR at 0x1000, DEVICE_CFG (struct virtio_net_config) at 0x2000 and
 * the doorbells at 0x3000 (multiplier 4, queue_notify_off = queue index), which kick the queue engines.
 */
final class VirtioBar4 implements RegisterSpace {

    private final VirtioCore core;
    private final VirtioCommonConfig common;
    private final VirtioReceiveQueue rx;
    private final VirtioTransmitQueue tx;
    private final VirtioControlQueue control;

    VirtioBar4(VirtioCore core, VirtioCommonConfig common, VirtioReceiveQueue rx, VirtioTransmitQueue tx,
            VirtioControlQueue control) {
        this.core = core;
        this.common = common;
        this.rx = rx;
        this.tx = tx;
        this.control = control;
    }

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

    /** The model acts on the write within the call: a doorbell is a write like any other. */
    @Override
    public void writeDoorbell32(long offset, int value) {
        write32(offset, value);
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
        if (core.removed) {
            return width == 4 ? 0xFFFF_FFFFL : (1L << (8 * width)) - 1;
        }
        return core.registerFaults.read(readThrough((int) offset, width), width);
    }

    private long readThrough(int o, int width) {
        if (o < ISR_OFFSET) {
            return common.read(o, width);
        }
        if (o < DEVICE_OFFSET) {
            return o == ISR_OFFSET ? readIsr() : 0;
        }
        if (o < NOTIFY_OFFSET) {
            return readDeviceConfig(o - DEVICE_OFFSET, width);
        }
        return 0;
    }

    private void write(long offset, int width, long value) {
        check(offset, width);
        if (core.removed) {
            return;
        }
        int o = (int) offset;
        if (o < ISR_OFFSET) {
            common.write(o, width, value);
        } else if (o >= NOTIFY_OFFSET) {
            int rel = o - NOTIFY_OFFSET;
            int q = rel / NOTIFY_OFF_MULTIPLIER;
            if (rel % NOTIFY_OFF_MULTIPLIER != 0 || q >= core.queues.length) {
                core.notes.add(4, offset, width, true, value, "notify-unknown");
                return;
            }
            core.count(Counter.NOTIFIES);
            if (core.queues[q] == core.control) {
                control.kick();
            } else if (q % 2 == 0) {
                rx.drain(q / 2);
            } else {
                tx.kick(q / 2);
            }
        } else {
            core.notes.add(4, offset, width, true, value, "read-only");
        }
    }

    /** The ISR byte; the isr-garbage fault adds the reserved bits and a configuration change to every read. */
    private int readIsr() {
        int isr = core.interrupts.readIsr();
        return core.lies(VirtioNetFault.ISR_GARBAGE) ? isr | ISR_GARBAGE_BITS : isr;
    }

    /** Reserved bits 2-7 and bit 1 (configuration change) of the ISR (virtio 1.2 4.1.4.5). */
    private static final int ISR_GARBAGE_BITS = 0xFE;

    /**
     * struct virtio_net_config: mac[6]@0, status@6, max_virtqueue_pairs@8, mtu@10, speed@12, duplex@16, and
     * with RSS or HASH_REPORT offered rss_max_key_size@17, rss_max_indirection_table_length@18,
     * supported_hash_types@20 (docs/hardware-reference.md C.10).
     */
    private long readDeviceConfig(int o, int width) {
        byte[] b = new byte[24];
        if ((common.offeredFeatures() & VirtioNetModel.RSS_FEATURES) != 0) {
            b[17] = (byte) VirtioRss.MAX_KEY_SIZE;
            b[18] = (byte) VirtioRss.MAX_TABLE_LENGTH;
            b[20] = (byte) VirtioRss.SUPPORTED_HASH_TYPES;
            b[21] = (byte) (VirtioRss.SUPPORTED_HASH_TYPES >>> 8);
        }
        System.arraycopy(core.mac, 0, b, 0, 6);
        b[6] = (byte) (core.linkUp() ? 1 : 0);
        b[8] = (byte) core.pairs;                             // max_virtqueue_pairs
        b[9] = (byte) (core.pairs >>> 8);
        b[10] = (byte) (MAX_FRAME - 14);
        b[11] = (byte) ((MAX_FRAME - 14) >>> 8);
        long v = 0;
        for (int i = width - 1; i >= 0; i--) {
            v = v << 8 | (o + i < b.length ? b[o + i] & 0xFF : 0);
        }
        return v;
    }
}

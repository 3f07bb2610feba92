package io.nicup.ndis;

import io.nicup.vfio.BarInfo;
import io.nicup.vfio.ConfigSpace;
import io.nicup.vfio.DeviceAccessException;
import io.nicup.vfio.DeviceClock;
import io.nicup.vfio.DeviceIdentity;
import io.nicup.vfio.DmaAllocator;
import io.nicup.vfio.Interrupts;
import io.nicup.vfio.PciAddress;
import io.nicup.vfio.PciDevice;
import io.nicup.vfio.RegisterSpace;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An in-memory PCI function: a 128 KiB register BAR0, a 16 KiB BAR3, an I/O BAR2, DMA regions in
 * confined-to-this-device arenas with made-up IOVAs, and interrupt vectors the test fires by hand.
 * Counts what is live so tests can prove nothing leaked. Public so miniport tests in other packages can
 * put an {@link NdisHost} over it.
 */
public final class FakePciDevice implements PciDevice {

    static final long BAR0_SIZE = 128 * 1024;

    private final PciAddress address;
    private final DeviceClock clock;
    private final Map<Integer, FakeRegisterSpace> bars = new java.util.HashMap<>();
    private final FakeConfigSpace config = new FakeConfigSpace();
    final FakeDma dma = new FakeDma();
    final FakeInterrupts interrupts = new FakeInterrupts();
    volatile boolean busMaster;
    final AtomicInteger busMasterChanges = new AtomicInteger();

    public FakePciDevice(String address, DeviceClock clock) {
        this.address = PciAddress.parse(address);
        this.clock = clock;
        bars.put(0, new FakeRegisterSpace(BAR0_SIZE));
        bars.put(3, new FakeRegisterSpace(16 * 1024));
    }

    @Override
    public PciAddress address() {
        return address;
    }

    @Override
    public DeviceIdentity identity() {
        return new DeviceIdentity(0x8086, 0x10D3, 0x8086, 0x0000, 0x020000, 0);
    }

    @Override
    public ConfigSpace config() {
        return config;
    }

    @Override
    public List<BarInfo> bars() {
        return List.of(new BarInfo(0, BAR0_SIZE, true, false, false, true),
                new BarInfo(2, 32, false, false, false, false),
                new BarInfo(3, 16 * 1024, true, false, false, true));
    }

    @Override
    public RegisterSpace bar(int index) {
        FakeRegisterSpace r = bars.get(index);
        if (r == null) {
            throw new DeviceAccessException(DeviceAccessException.Reason.NOT_FOUND, "no BAR: index=" + index, "");
        }
        return r;
    }

    /** BAR0, for a test to play the hardware's part. */
    public FakeRegisterSpace registers() {
        return bars.get(0);
    }

    /** Raises interrupt vector {@code vector} of the armed set. */
    public void fire(int vector) {
        interrupts.fire(vector);
    }

    /** DMA regions allocated and not yet freed. */
    public int liveDmaRegions() {
        return dma.liveRegions();
    }

    /** Whether interrupt vectors are armed. */
    public boolean interruptsArmed() {
        return interrupts.armed() != null;
    }

    @Override
    public DmaAllocator dma() {
        return dma;
    }

    @Override
    public Interrupts interrupts() {
        return interrupts;
    }

    @Override
    public DeviceClock clock() {
        return clock;
    }

    @Override
    public void setBusMaster(boolean enabled) {
        busMaster = enabled;
        busMasterChanges.incrementAndGet();
    }

    @Override
    public boolean canReset() {
        return false;
    }

    @Override
    public void reset() {
        throw new DeviceAccessException(DeviceAccessException.Reason.UNSUPPORTED, "no reset", "");
    }

    @Override
    public String description() {
        return "fake " + address;
    }

    @Override
    public void close() {
        dma.closeAll();
        interrupts.closeArmed();
    }

    /** Little-endian registers in heap memory, with the bounds and alignment rules of RegisterSpace. */
    public static final class FakeRegisterSpace implements RegisterSpace {
        private static final ValueLayout.OfShort S = ValueLayout.JAVA_SHORT.withOrder(ByteOrder.LITTLE_ENDIAN);
        private static final ValueLayout.OfInt I = ValueLayout.JAVA_INT.withOrder(ByteOrder.LITTLE_ENDIAN);
        private static final ValueLayout.OfLong L = ValueLayout.JAVA_LONG.withOrder(ByteOrder.LITTLE_ENDIAN);
        private final MemorySegment mem;
        /** Writes that came as doorbells ({@link #writeDoorbell32}), so tests see a wrapper forward them as such. */
        public int doorbells;

        FakeRegisterSpace(long size) {
            mem = MemorySegment.ofArray(new long[(int) (size / 8)]);
        }

        private long check(long offset, int width) {
            if (offset < 0 || offset + width > mem.byteSize()) {
                throw new IndexOutOfBoundsException("offset=" + offset + " size=" + mem.byteSize());
            }
            if (offset % width != 0) {
                throw new IllegalArgumentException("unaligned: offset=" + offset + " width=" + width);
            }
            return offset;
        }

        @Override
        public long size() {
            return mem.byteSize();
        }

        @Override
        public byte read8(long offset) {
            return mem.get(ValueLayout.JAVA_BYTE, check(offset, 1));
        }

        @Override
        public short read16(long offset) {
            return mem.get(S, check(offset, 2));
        }

        @Override
        public int read32(long offset) {
            return mem.get(I, check(offset, 4));
        }

        @Override
        public long read64(long offset) {
            return mem.get(L, check(offset, 8));
        }

        @Override
        public void writeDoorbell32(long offset, int value) {
            doorbells++;
            write32(offset, value);
        }

        @Override
        public void write8(long offset, byte value) {
            mem.set(ValueLayout.JAVA_BYTE, check(offset, 1), value);
        }

        @Override
        public void write16(long offset, short value) {
            mem.set(S, check(offset, 2), value);
        }

        @Override
        public void write32(long offset, int value) {
            mem.set(I, check(offset, 4), value);
        }

        @Override
        public void write64(long offset, long value) {
            mem.set(L, check(offset, 8), value);
        }
    }

    static final class FakeConfigSpace implements ConfigSpace {
        private final byte[] bytes = new byte[256];

        FakeConfigSpace() {
            write16(0x00, 0x8086);
            write16(0x02, 0x10D3);
        }

        @Override
        public int size() {
            return bytes.length;
        }

        @Override
        public int read8(int offset) {
            return bytes[offset] & 0xFF;
        }

        @Override
        public int read16(int offset) {
            return read8(offset) | read8(offset + 1) << 8;
        }

        @Override
        public int read32(int offset) {
            return read16(offset) | read16(offset + 2) << 16;
        }

        @Override
        public void write8(int offset, int value) {
            bytes[offset] = (byte) value;
        }

        @Override
        public void write16(int offset, int value) {
            write8(offset, value);
            write8(offset + 1, value >>> 8);
        }

        @Override
        public void write32(int offset, int value) {
            write16(offset, value);
            write16(offset + 2, value >>> 16);
        }
    }
}

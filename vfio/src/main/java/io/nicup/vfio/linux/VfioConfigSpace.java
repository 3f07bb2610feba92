package io.nicup.vfio.linux;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT_UNALIGNED;
import static java.lang.foreign.ValueLayout.JAVA_SHORT_UNALIGNED;

import io.nicup.vfio.ConfigSpace;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

/**
 * PCI configuration space through the VFIO CONFIG region (index 7): {@code pread}/{@code pwrite} on the
 * device fd at {@code region.offset + offset} (docs/hardware-reference.md A.3). Accesses must be naturally aligned and
 * inside {@link #size()}. Little-endian. The kernel virtualises some fields (BARs, INTx-disable).
 */
public final class VfioConfigSpace implements ConfigSpace {

    private static final ValueLayout.OfShort LE16 = JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfInt LE32 = JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    private final VfioKernel kernel;
    private final int deviceFd;
    private final RegionInfo region;

    public VfioConfigSpace(VfioKernel kernel, int deviceFd, RegionInfo region) {
        if (region.index() != VfioAbi.PCI_CONFIG_REGION_INDEX || region.size() <= 0) {
            throw new IllegalArgumentException("not a config region: " + region);
        }
        this.kernel = kernel;
        this.deviceFd = deviceFd;
        this.region = region;
    }

    @Override
    public int size() {
        return (int) Math.min(region.size(), 4096);
    }

    private void check(int offset, int width) {
        if (offset < 0 || offset > size() - width) {
            throw new IndexOutOfBoundsException("config offset=0x" + Integer.toHexString(offset) + " width=" + width
                    + " size=" + size());
        }
        if ((offset & (width - 1)) != 0) {
            throw new IllegalArgumentException("unaligned config access: offset=0x" + Integer.toHexString(offset)
                    + " width=" + width);
        }
    }

    private long read(int offset, int width) {
        check(offset, width);
        try (Arena a = Arena.ofConfined()) {
            MemorySegment buf = a.allocate(width, width);
            kernel.pread(deviceFd, buf, region.offset() + offset);
            return switch (width) {
                case 1 -> Byte.toUnsignedInt(buf.get(JAVA_BYTE, 0));
                case 2 -> Short.toUnsignedInt(buf.get(LE16, 0));
                default -> Integer.toUnsignedLong(buf.get(LE32, 0));
            };
        }
    }

    private void write(int offset, int width, int value) {
        check(offset, width);
        try (Arena a = Arena.ofConfined()) {
            MemorySegment buf = a.allocate(width, width);
            switch (width) {
                case 1 -> buf.set(JAVA_BYTE, 0, (byte) value);
                case 2 -> buf.set(LE16, 0, (short) value);
                default -> buf.set(LE32, 0, value);
            }
            kernel.pwrite(deviceFd, buf, region.offset() + offset);
        }
    }

    @Override
    public int read8(int offset) {
        return (int) read(offset, 1);
    }

    @Override
    public int read16(int offset) {
        return (int) read(offset, 2);
    }

    @Override
    public int read32(int offset) {
        return (int) read(offset, 4);
    }

    @Override
    public void write8(int offset, int value) {
        write(offset, 1, value);
    }

    @Override
    public void write16(int offset, int value) {
        write(offset, 2, value);
    }

    @Override
    public void write32(int offset, int value) {
        write(offset, 4, value);
    }
}

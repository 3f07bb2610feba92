package io.nicup.vfio.linux;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;

import io.nicup.vfio.RegisterSpace;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.util.List;

/**
 * A BAR of which only some areas may be mapped (the SPARSE_MMAP capability: the kernel keeps e.g. the
 * MSI-X table for itself). Accesses inside a mapped area go to its {@link MappedRegisterSpace}; the rest go
 * through {@code pread}/{@code pwrite} on the device fd, which vfio-pci serves (and filters) itself.
 */
public final class SparseRegisterSpace implements RegisterSpace {

    private static final ValueLayout.OfShort LE16 = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfInt LE32 = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfLong LE64 = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    /** A mapped area at {@code offset} in the BAR. */
    public record Area(long offset, MappedRegisterSpace space) {
        boolean contains(long off, int width) {
            return off >= offset && off + width <= offset + space.size();
        }
    }

    private final VfioKernel kernel;
    private final int deviceFd;
    private final RegionInfo region;
    private final Area[] areas;

    public SparseRegisterSpace(VfioKernel kernel, int deviceFd, RegionInfo region, List<Area> areas) {
        this.kernel = kernel;
        this.deviceFd = deviceFd;
        this.region = region;
        this.areas = areas.toArray(new Area[0]);
    }

    public List<Area> areas() {
        return List.of(areas);
    }

    @Override
    public long size() {
        return region.size();
    }

    private Area area(long offset, int width) {
        if (offset < 0 || offset > region.size() - width) {
            throw new IndexOutOfBoundsException("register offset=0x" + Long.toHexString(offset) + " width=" + width
                    + " size=0x" + Long.toHexString(region.size()));
        }
        if ((offset & (width - 1)) != 0) {
            throw new IllegalArgumentException("unaligned register access: offset=0x" + Long.toHexString(offset)
                    + " width=" + width);
        }
        for (Area a : areas) {
            if (a.contains(offset, width)) {
                return a;
            }
        }
        return null;
    }

    private long slowRead(long offset, int width) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment buf = a.allocate(width, width);
            kernel.pread(deviceFd, buf, region.offset() + offset);
            return switch (width) {
                case 1 -> buf.get(JAVA_BYTE, 0);
                case 2 -> buf.get(LE16, 0);
                case 4 -> buf.get(LE32, 0);
                default -> buf.get(LE64, 0);
            };
        }
    }

    private void slowWrite(long offset, int width, long value) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment buf = a.allocate(width, width);
            switch (width) {
                case 1 -> buf.set(JAVA_BYTE, 0, (byte) value);
                case 2 -> buf.set(LE16, 0, (short) value);
                case 4 -> buf.set(LE32, 0, (int) value);
                default -> buf.set(LE64, 0, value);
            }
            kernel.pwrite(deviceFd, buf, region.offset() + offset);
        }
    }

    @Override
    public byte read8(long offset) {
        Area a = area(offset, 1);
        return a != null ? a.space.read8(offset - a.offset) : (byte) slowRead(offset, 1);
    }

    @Override
    public short read16(long offset) {
        Area a = area(offset, 2);
        return a != null ? a.space.read16(offset - a.offset) : (short) slowRead(offset, 2);
    }

    @Override
    public int read32(long offset) {
        Area a = area(offset, 4);
        return a != null ? a.space.read32(offset - a.offset) : (int) slowRead(offset, 4);
    }

    @Override
    public long read64(long offset) {
        Area a = area(offset, 8);
        return a != null ? a.space.read64(offset - a.offset) : slowRead(offset, 8);
    }

    @Override
    public void write8(long offset, byte value) {
        Area a = area(offset, 1);
        if (a != null) {
            a.space.write8(offset - a.offset, value);
        } else {
            slowWrite(offset, 1, value);
        }
    }

    @Override
    public void write16(long offset, short value) {
        Area a = area(offset, 2);
        if (a != null) {
            a.space.write16(offset - a.offset, value);
        } else {
            slowWrite(offset, 2, value);
        }
    }

    @Override
    public void write32(long offset, int value) {
        Area a = area(offset, 4);
        if (a != null) {
            a.space.write32(offset - a.offset, value);
        } else {
            slowWrite(offset, 4, value);
        }
    }

    /** Forwarded as a doorbell to the mapped area; through the region file it is a write like any other. */
    @Override
    public void writeDoorbell32(long offset, int value) {
        Area a = area(offset, 4);
        if (a != null) {
            a.space.writeDoorbell32(offset - a.offset, value);
        } else {
            slowWrite(offset, 4, value);
        }
    }

    @Override
    public void write64(long offset, long value) {
        Area a = area(offset, 8);
        if (a != null) {
            a.space.write64(offset - a.offset, value);
        } else {
            slowWrite(offset, 8, value);
        }
    }
}

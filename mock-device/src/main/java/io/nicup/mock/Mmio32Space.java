package io.nicup.mock;

import io.nicup.vfio.RegisterSpace;

/**
 * A register space whose device decodes 32-bit accesses only, as the 8257x family does (QEMU's e1000e
 * memory region has {@code min_access_size = max_access_size = 4}). Bounds and alignment are checked
 * as {@link RegisterSpace} requires. A 64-bit access becomes two 32-bit accesses, low dword first. An
 * 8- or 16-bit read reads the containing dword (with its side effects) and extracts the lane; an 8- or
 * 16-bit write merges into the dword's last written value and writes the dword. Both narrow kinds are
 * reported to {@link #narrowAccess} so the model can note them: a driver should not make them.
 */
public abstract class Mmio32Space implements RegisterSpace {

    private final long size;

    protected Mmio32Space(long size) {
        this.size = size;
    }

    /** A 32-bit read at a dword-aligned offset inside the space. */
    protected abstract int readDword(int offset);

    /** A 32-bit write at a dword-aligned offset inside the space. */
    protected abstract void writeDword(int offset, int value);

    /** The dword's stored value without read side effects (used to merge narrow writes). */
    protected abstract int peekDword(int offset);

    /** Told about every 8- or 16-bit access. */
    protected void narrowAccess(long offset, int width, boolean write, long value) {
    }

    @Override
    public final long size() {
        return size;
    }

    @Override
    public final byte read8(long offset) {
        check(offset, 1);
        narrowAccess(offset, 1, false, 0);
        int shift = (int) (offset & 3) * 8;
        return (byte) (readDword((int) (offset & ~3L)) >>> shift);
    }

    @Override
    public final short read16(long offset) {
        check(offset, 2);
        narrowAccess(offset, 2, false, 0);
        int shift = (int) (offset & 3) * 8;
        return (short) (readDword((int) (offset & ~3L)) >>> shift);
    }

    @Override
    public final int read32(long offset) {
        check(offset, 4);
        return readDword((int) offset);
    }

    @Override
    public final long read64(long offset) {
        check(offset, 8);
        long lo = readDword((int) offset) & 0xFFFFFFFFL;
        long hi = readDword((int) offset + 4) & 0xFFFFFFFFL;
        return lo | (hi << 32);
    }

    @Override
    public final void write8(long offset, byte value) {
        check(offset, 1);
        narrowAccess(offset, 1, true, value & 0xFF);
        merge(offset, 0xFF, value & 0xFF);
    }

    @Override
    public final void write16(long offset, short value) {
        check(offset, 2);
        narrowAccess(offset, 2, true, value & 0xFFFF);
        merge(offset, 0xFFFF, value & 0xFFFF);
    }

    @Override
    public final void write32(long offset, int value) {
        check(offset, 4);
        writeDword((int) offset, value);
    }

    /**
     * The model acts on the write within the call, on the writer's thread, so the descriptors written
     * before it are its own program order: a doorbell is a write like any other.
     */
    @Override
    public final void writeDoorbell32(long offset, int value) {
        write32(offset, value);
    }

    @Override
    public final void write64(long offset, long value) {
        check(offset, 8);
        writeDword((int) offset, (int) value);
        writeDword((int) offset + 4, (int) (value >>> 32));
    }

    private void merge(long offset, int laneMask, int value) {
        int base = (int) (offset & ~3L);
        int shift = (int) (offset & 3) * 8;
        int merged = (peekDword(base) & ~(laneMask << shift)) | (value << shift);
        writeDword(base, merged);
    }

    private void check(long offset, int width) {
        if (offset < 0 || offset > size - width) {
            throw new IndexOutOfBoundsException("register access out of range: offset=0x" + Long.toHexString(offset)
                    + " width=" + width + " size=0x" + Long.toHexString(size));
        }
        if ((offset & (width - 1)) != 0) {
            throw new IllegalArgumentException("unaligned register access: offset=0x" + Long.toHexString(offset)
                    + " width=" + width);
        }
    }
}

package io.nicup.vfio.linux;

import io.nicup.vfio.RegisterSpace;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * A {@link RegisterSpace} over an mmap'd BAR: every access is a volatile, little-endian, naturally
 * aligned access to the segment, so it reaches the device exactly once and in program order; a
 * doorbell is a release store. The
 * layouts are aligned, so a misaligned offset fails with {@link IllegalArgumentException} and one
 * outside the segment with {@link IndexOutOfBoundsException} (the segment's own checks).
 */
public final class MappedRegisterSpace implements RegisterSpace {

    private static final VarHandle U8 = ValueLayout.JAVA_BYTE.varHandle();
    private static final VarHandle LE16 = ValueLayout.JAVA_SHORT.withOrder(ByteOrder.LITTLE_ENDIAN).varHandle();
    private static final VarHandle LE32 = ValueLayout.JAVA_INT.withOrder(ByteOrder.LITTLE_ENDIAN).varHandle();
    private static final VarHandle LE64 = ValueLayout.JAVA_LONG.withOrder(ByteOrder.LITTLE_ENDIAN).varHandle();

    private final MemorySegment segment;

    /** @param segment the mapping; its address must be 8-byte aligned (an mmap is page-aligned) */
    public MappedRegisterSpace(MemorySegment segment) {
        if ((segment.address() & 7) != 0) {
            throw new IllegalArgumentException("register mapping not 8-byte aligned: address=0x"
                    + Long.toHexString(segment.address()));
        }
        this.segment = segment;
    }

    public MemorySegment segment() {
        return segment;
    }

    @Override
    public long size() {
        return segment.byteSize();
    }

    @Override
    public byte read8(long offset) {
        return (byte) U8.getVolatile(segment, offset);
    }

    @Override
    public short read16(long offset) {
        return (short) LE16.getVolatile(segment, offset);
    }

    @Override
    public int read32(long offset) {
        return (int) LE32.getVolatile(segment, offset);
    }

    @Override
    public long read64(long offset) {
        return (long) LE64.getVolatile(segment, offset);
    }

    @Override
    public void write8(long offset, byte value) {
        U8.setVolatile(segment, offset, value);
    }

    @Override
    public void write16(long offset, short value) {
        LE16.setVolatile(segment, offset, value);
    }

    @Override
    public void write32(long offset, int value) {
        LE32.setVolatile(segment, offset, value);
    }

    @Override
    public void write64(long offset, long value) {
        LE64.setVolatile(segment, offset, value);
    }

    /**
     * A release store ({@code setRelease}): the descriptors written before it reach memory before the
     * device can see the new tail; no trailing full fence (docs/ndis-contract.md §19).
     */
    @Override
    public void writeDoorbell32(long offset, int value) {
        LE32.setRelease(segment, offset, value);
    }
}

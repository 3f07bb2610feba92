package io.nicup.benchmarks;

import io.nicup.vfio.RegisterSpace;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * A register space in ordinary memory: the doorbell is a volatile 32-bit store with no side effect,
 * which is what an MMIO {@link RegisterSpace} does on the CPU side (the device's reaction is
 * {@link BenchDevice}'s job, measured separately).
 */
final class SegmentRegisterSpace implements RegisterSpace {

    private static final VarHandle U8 = ValueLayout.JAVA_BYTE.varHandle();
    private static final VarHandle U16 = ValueLayout.JAVA_SHORT.withOrder(ByteOrder.LITTLE_ENDIAN).varHandle();
    private static final VarHandle U32 = ValueLayout.JAVA_INT.withOrder(ByteOrder.LITTLE_ENDIAN).varHandle();
    private static final VarHandle U64 = ValueLayout.JAVA_LONG.withOrder(ByteOrder.LITTLE_ENDIAN).varHandle();

    private final MemorySegment registers;

    SegmentRegisterSpace(MemorySegment registers) {
        this.registers = registers;
    }

    @Override
    public long size() {
        return registers.byteSize();
    }

    @Override
    public byte read8(long offset) {
        return (byte) U8.getVolatile(registers, offset);
    }

    @Override
    public short read16(long offset) {
        return (short) U16.getVolatile(registers, offset);
    }

    @Override
    public int read32(long offset) {
        return (int) U32.getVolatile(registers, offset);
    }

    @Override
    public long read64(long offset) {
        return (long) U64.getVolatile(registers, offset);
    }

    @Override
    public void write8(long offset, byte value) {
        U8.setVolatile(registers, offset, value);
    }

    @Override
    public void write16(long offset, short value) {
        U16.setVolatile(registers, offset, value);
    }

    @Override
    public void write32(long offset, int value) {
        U32.setVolatile(registers, offset, value);
    }

    @Override
    public void write64(long offset, long value) {
        U64.setVolatile(registers, offset, value);
    }
}

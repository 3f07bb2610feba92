package io.nicup.benchmarks;

import io.nicup.vfio.RegisterSpace;
import io.nicup.vfio.linux.MappedRegisterSpace;
import java.lang.foreign.MemorySegment;

/**
 * BAR0 of {@link ProductDevice}: the simulated device's registers while the miniport initializes (they
 * answer every reset, NVM, PHY and link poll as the chip does), then, from {@link #handOver}, ordinary
 * memory that only {@link BenchDevice} looks at. The hand-over copies the registers the data path reads.
 * What this adds to the driver's time is one field load and a predictable branch per register access
 * (a doorbell per batch, an interrupt-cause write per vector): a device-side cost of well under a
 * nanosecond per batch, and the price of measuring the real initialization instead of a shortcut.
 */
final class HandoverRegisterSpace implements RegisterSpace {

    private final RegisterSpace model;
    private final MemorySegment memory;
    private final MappedRegisterSpace mapped;
    private boolean handedOver;

    HandoverRegisterSpace(RegisterSpace model, MemorySegment memory) {
        this.model = model;
        this.memory = memory;
        this.mapped = new MappedRegisterSpace(memory);
    }

    /** From now on the memory answers; {@code offsets} are copied from the model first. */
    void handOver(long... offsets) {
        for (long offset : offsets) {
            mapped.write32(offset, model.read32(offset));
        }
        handedOver = true;
    }

    MemorySegment memory() {
        return memory;
    }

    @Override
    public long size() {
        return model.size();
    }

    @Override
    public byte read8(long offset) {
        return handedOver ? mapped.read8(offset) : model.read8(offset);
    }

    @Override
    public short read16(long offset) {
        return handedOver ? mapped.read16(offset) : model.read16(offset);
    }

    @Override
    public int read32(long offset) {
        return handedOver ? mapped.read32(offset) : model.read32(offset);
    }

    @Override
    public long read64(long offset) {
        return handedOver ? mapped.read64(offset) : model.read64(offset);
    }

    @Override
    public void write8(long offset, byte value) {
        if (handedOver) {
            mapped.write8(offset, value);
        } else {
            model.write8(offset, value);
        }
    }

    @Override
    public void write16(long offset, short value) {
        if (handedOver) {
            mapped.write16(offset, value);
        } else {
            model.write16(offset, value);
        }
    }

    @Override
    public void write32(long offset, int value) {
        if (handedOver) {
            mapped.write32(offset, value);
        } else {
            model.write32(offset, value);
        }
    }

    @Override
    public void writeDoorbell32(long offset, int value) {
        if (handedOver) {
            mapped.writeDoorbell32(offset, value);
        } else {
            model.writeDoorbell32(offset, value);
        }
    }

    @Override
    public void write64(long offset, long value) {
        if (handedOver) {
            mapped.write64(offset, value);
        } else {
            model.write64(offset, value);
        }
    }
}

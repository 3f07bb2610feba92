package io.nicup.mock;

import java.util.function.BooleanSupplier;

/**
 * A BAR with nothing behind it, as QEMU gives the 8257x flash BAR: reads 0, writes vanish. A removed
 * device reads all ones.
 */
public final class EmptySpace extends Mmio32Space {

    private final BooleanSupplier removed;

    /** @param removed whether the device has been surprise-removed */
    public EmptySpace(long size, BooleanSupplier removed) {
        super(size);
        this.removed = removed;
    }

    @Override
    protected int readDword(int offset) {
        return removed.getAsBoolean() ? -1 : 0;
    }

    @Override
    protected void writeDword(int offset, int value) {
    }

    @Override
    protected int peekDword(int offset) {
        return 0;
    }
}

package io.nicup.mock;

import java.util.function.BooleanSupplier;

/**
 * The BAR holding a device's MSI-X table (16 bytes a vector) and pending-bit array. The table keeps what
 * the driver writes; the PBA and the rest of the BAR read 0, since {@link MockInterrupts} signals a
 * vector without consulting them (as QEMU, it has no pending bits to show). A removed device reads all
 * ones and ignores writes.
 */
public final class MsixTableSpace extends Mmio32Space {

    private final int[] dwords;
    private final int vectors;
    private final BooleanSupplier removed;

    /**
     * @param size the BAR's size
     * @param vectors the table's entries; writes past them are dropped
     * @param removed whether the device has been surprise-removed
     */
    public MsixTableSpace(long size, int vectors, BooleanSupplier removed) {
        super(size);
        this.dwords = new int[(int) (size >> 2)];
        this.vectors = vectors;
        this.removed = removed;
    }

    @Override
    protected int readDword(int offset) {
        return removed.getAsBoolean() ? -1 : dwords[offset >> 2];
    }

    @Override
    protected void writeDword(int offset, int value) {
        if (!removed.getAsBoolean() && offset < vectors * 16) {
            dwords[offset >> 2] = value;
        }
    }

    @Override
    protected int peekDword(int offset) {
        return dwords[offset >> 2];
    }
}

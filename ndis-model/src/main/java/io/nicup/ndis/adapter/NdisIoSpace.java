package io.nicup.ndis.adapter;

import io.nicup.ndis.Ndis;
import io.nicup.vfio.RegisterSpace;

/**
 * A mapped register BAR from {@link Ndis#NdisMMapIoSpace}: the miniport's only way to its registers, so
 * the model knows who holds them. Accesses go straight to the device's {@link RegisterSpace}; after
 * {@link Ndis#NdisMUnmapIoSpace} every access throws {@link IllegalStateException} (a use after unmap).
 */
public final class NdisIoSpace implements RegisterSpace {

    final MiniportAdapter adapter;
    private final int barIndex;
    private final long length;
    private volatile RegisterSpace target;
    ResourceLedger.Entry entry;

    NdisIoSpace(MiniportAdapter adapter, int barIndex, RegisterSpace target) {
        this.adapter = adapter;
        this.barIndex = barIndex;
        this.target = target;
        this.length = target.size();
    }

    public int barIndex() {
        return barIndex;
    }

    void invalidate() {
        target = null;
    }

    private RegisterSpace regs() {
        RegisterSpace t = target;
        if (t == null) {
            throw new IllegalStateException("register access after NdisMUnmapIoSpace: adapter=" + adapter.name()
                    + " bar=" + barIndex);
        }
        return t;
    }

    @Override
    public long size() {
        return length;
    }

    @Override
    public byte read8(long offset) {
        return regs().read8(offset);
    }

    @Override
    public short read16(long offset) {
        return regs().read16(offset);
    }

    @Override
    public int read32(long offset) {
        return regs().read32(offset);
    }

    @Override
    public long read64(long offset) {
        return regs().read64(offset);
    }

    @Override
    public void write8(long offset, byte value) {
        regs().write8(offset, value);
    }

    @Override
    public void write16(long offset, short value) {
        regs().write16(offset, value);
    }

    @Override
    public void write32(long offset, int value) {
        regs().write32(offset, value);
    }

    @Override
    public void write64(long offset, long value) {
        regs().write64(offset, value);
    }

    /** NdisWriteRegisterUlong of a tail register: forwarded as a doorbell (docs/ndis-contract.md §19). */
    @Override
    public void writeDoorbell32(long offset, int value) {
        regs().writeDoorbell32(offset, value);
    }

    @Override
    public String toString() {
        return "NdisIoSpace{" + adapter.name() + " BAR" + barIndex + " " + length + " bytes}";
    }
}

package io.nicup.ndis.miniport.i82574;

import io.nicup.vfio.RegisterSpace;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A register file that remembers every value and records every 32-bit write in order, so tests can
 * count doorbells. A {@link Listener} plays the device's reaction to a write (QEMU transmits inside the
 * TDT write, docs/hardware-reference.md B.7 item 3).
 */
final class RecordingRegisterSpace implements RegisterSpace {

    /** One 32-bit write. */
    record Write(long offset, int value) {
    }

    /** Called after each 32-bit write. */
    interface Listener {
        void written(long offset, int value);
    }

    private static final long SIZE = 128 * 1024;

    private final Map<Long, Integer> values = new HashMap<>();
    private final List<Write> writes = new ArrayList<>();
    private final Map<Long, Long> counts = new HashMap<>();
    /** The offsets written with {@link #writeDoorbell32}, in order (each also in {@link #writes()}). */
    private final List<Long> doorbells = new ArrayList<>();
    private Listener listener = (offset, value) -> { };

    void onWrite(Listener listener) {
        this.listener = listener;
    }

    /** Every 32-bit write so far, in order. */
    List<Write> writes() {
        return writes;
    }

    /** The values written to {@code offset}, in order. */
    List<Integer> writesTo(long offset) {
        List<Integer> result = new ArrayList<>();
        for (Write w : writes) {
            if (w.offset() == offset) {
                result.add(w.value());
            }
        }
        return result;
    }

    /** How many writes {@code offset} has had (since the last {@link #clearLog()}). */
    long writeCount(long offset) {
        return counts.getOrDefault(offset, 0L);
    }

    /** The offsets of the writes made as doorbells (release stores), in order. */
    List<Long> doorbells() {
        return doorbells;
    }

    void clearLog() {
        doorbells.clear();
        writes.clear();
        counts.clear();
    }

    /** Sets a register as the device would, without recording a write. */
    void set(long offset, int value) {
        values.put(offset, value);
    }

    int value(long offset) {
        return values.getOrDefault(offset, 0);
    }

    private void check(long offset, int width) {
        if (offset < 0 || offset + width > SIZE) {
            throw new IndexOutOfBoundsException("register offset outside BAR: offset=0x" + Long.toHexString(offset));
        }
        if (offset % width != 0) {
            throw new IllegalArgumentException("unaligned register access: offset=0x" + Long.toHexString(offset)
                    + ", width=" + width);
        }
    }

    @Override
    public long size() {
        return SIZE;
    }

    @Override
    public int read32(long offset) {
        check(offset, 4);
        return value(offset);
    }

    @Override
    public void write32(long offset, int value) {
        check(offset, 4);
        values.put(offset, value);
        writes.add(new Write(offset, value));
        counts.merge(offset, 1L, Long::sum);
        listener.written(offset, value);
    }

    @Override
    public void writeDoorbell32(long offset, int value) {
        check(offset, 4);
        doorbells.add(offset);
        write32(offset, value);
    }

    @Override
    public byte read8(long offset) {
        throw new UnsupportedOperationException("the 82574L registers are 32-bit");
    }

    @Override
    public short read16(long offset) {
        throw new UnsupportedOperationException("the 82574L registers are 32-bit");
    }

    @Override
    public long read64(long offset) {
        throw new UnsupportedOperationException("the 82574L registers are 32-bit");
    }

    @Override
    public void write8(long offset, byte value) {
        throw new UnsupportedOperationException("the 82574L registers are 32-bit");
    }

    @Override
    public void write16(long offset, short value) {
        throw new UnsupportedOperationException("the 82574L registers are 32-bit");
    }

    @Override
    public void write64(long offset, long value) {
        throw new UnsupportedOperationException("the 82574L registers are 32-bit");
    }
}

package io.nicup.mock.intel;

import java.util.Arrays;

/**
 * How an e1000-family model treats each BAR0 dword: plain storage under a write mask, read-only, a
 * clear-on-read statistic, or special (the model's own read and write). Dwords never declared are
 * unimplemented. The table is built once per model class; the values live in the model's register array.
 */
public final class RegisterTable {

    /** What a dword is. */
    public enum Kind {
        UNIMPLEMENTED,
        PLAIN,
        READ_ONLY,
        /** A 32-bit statistic: reading clears it. */
        STATISTIC,
        /** The low half of a 64-bit octet counter: reads without clearing. */
        STATISTIC_LOW,
        /** The high half of a 64-bit octet counter: reading clears both halves (QEMU's read_clr8). */
        STATISTIC_HIGH,
        SPECIAL
    }

    private final Kind[] kinds;
    private final int[] masks;

    /** @param barSize the size of BAR0 in bytes */
    public RegisterTable(long barSize) {
        kinds = new Kind[(int) (barSize >> 2)];
        masks = new int[kinds.length];
        Arrays.fill(kinds, Kind.UNIMPLEMENTED);
    }

    /** Stored as written, through {@code mask}. */
    public void plain(int offset, int mask) {
        kinds[offset >> 2] = Kind.PLAIN;
        masks[offset >> 2] = mask;
    }

    public void readOnly(int offset) {
        kinds[offset >> 2] = Kind.READ_ONLY;
    }

    /** Read and written by the model's own code. */
    public void special(int offset) {
        kinds[offset >> 2] = Kind.SPECIAL;
    }

    public void statistic(int offset) {
        kinds[offset >> 2] = Kind.STATISTIC;
    }

    /** A 64-bit octet counter: {@code lowOffset} and the dword after it. */
    public void octetCounter(int lowOffset) {
        kinds[lowOffset >> 2] = Kind.STATISTIC_LOW;
        kinds[(lowOffset + 4) >> 2] = Kind.STATISTIC_HIGH;
    }

    public Kind kind(int offset) {
        return kinds[offset >> 2];
    }

    /** Reads a dword that is neither special nor unimplemented, with the clear-on-read of statistics. */
    public int read(int[] mac, int offset) {
        int idx = offset >> 2;
        int v = mac[idx];
        switch (kinds[idx]) {
            case STATISTIC -> mac[idx] = 0;
            case STATISTIC_HIGH -> {
                mac[idx] = 0;
                mac[idx - 1] = 0;
            }
            default -> { }
        }
        return v;
    }

    /**
     * Writes a dword that is neither special nor unimplemented: plain ones through their mask; read-only
     * ones and statistics ignore it (QEMU traces and drops such writes).
     */
    public void write(int[] mac, int offset, int value) {
        int idx = offset >> 2;
        if (kinds[idx] == Kind.PLAIN) {
            mac[idx] = value & masks[idx];
        }
    }
}

package io.nicup.vfio;

/**
 * A memory-mapped register space (a BAR) of a device. Accesses are volatile and little-endian, as the
 * PCI bus delivers them; each access reaches the device exactly once and in program order.
 *
 * <p>Offsets are byte offsets from the start of the BAR. An access outside {@link #size()} or not
 * aligned to its width is an {@link IndexOutOfBoundsException} or {@link IllegalArgumentException}:
 * a driver bug, not a device condition.
 */
public interface RegisterSpace {

    /** Size of the register space in bytes. */
    long size();

    byte read8(long offset);

    short read16(long offset);

    int read32(long offset);

    long read64(long offset);

    void write8(long offset, byte value);

    void write16(long offset, short value);

    void write32(long offset, int value);

    void write64(long offset, long value);
}

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

    /**
     * A doorbell: a 32-bit write telling the device that memory the driver wrote before it (descriptors,
     * buffers) is ready, such as TDT or RDT. A release store: every store of this thread before it is
     * visible to the device before the register changes, and no full fence follows (a volatile
     * {@link #write32} pays for one after every store). Later accesses are not ordered after it: a driver
     * that must see the device react reads a register with {@link #read32} afterwards, which on the PCI
     * bus cannot pass the posted write. Control registers stay {@link #write32}. On x86 (TSO) the release
     * costs nothing; on weakly ordered CPUs it orders the earlier stores, as Linux's {@code writel} and
     * DPDK's {@code rte_write32} do (docs/ndis-contract.md §19).
     *
     * <p>The default is {@link #write32}, which is stronger: a space with no cheaper way, or that acts on
     * the write at once (a device model), need not override it; one that forwards to another space must.
     */
    default void writeDoorbell32(long offset, int value) {
        write32(offset, value);
    }
}

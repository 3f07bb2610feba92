package io.nicup.vfio.linux;

/**
 * One line of sysfs {@code resource}: {@code start end flags} in hex. Lines 0-5 are the BARs, 6 the
 * expansion ROM, the rest bridge windows. Flag bits from include/linux/ioport.h.
 *
 * @param start first address, 0 when unused
 * @param end last address (inclusive), 0 when unused
 */
public record PciResource(int index, long start, long end, long flags) {

    /** {@code IORESOURCE_IO}. */
    public static final long IORESOURCE_IO = 0x100;
    /** {@code IORESOURCE_MEM}. */
    public static final long IORESOURCE_MEM = 0x200;
    /** {@code IORESOURCE_PREFETCH}. */
    public static final long IORESOURCE_PREFETCH = 0x2000;
    /** {@code IORESOURCE_MEM_64}. */
    public static final long IORESOURCE_MEM_64 = 0x0010_0000;

    /** Bytes, 0 when not implemented. */
    public long size() {
        return start == 0 && end == 0 ? 0 : end - start + 1;
    }

    public boolean io() {
        return (flags & IORESOURCE_IO) != 0;
    }

    public boolean memory() {
        return (flags & IORESOURCE_MEM) != 0;
    }

    public boolean prefetchable() {
        return (flags & IORESOURCE_PREFETCH) != 0;
    }

    public boolean is64Bit() {
        return (flags & IORESOURCE_MEM_64) != 0;
    }

    @Override
    public String toString() {
        return String.format("%d: 0x%x-0x%x size=0x%x %s%s%s", index, start, end, size(),
                io() ? "io" : memory() ? "mem" : "none", is64Bit() ? " 64bit" : "", prefetchable() ? " prefetch" : "");
    }
}
